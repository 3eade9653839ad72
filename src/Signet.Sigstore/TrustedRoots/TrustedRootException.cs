namespace Signet.Sigstore.TrustedRoots;

/// <summary>A Sigstore trusted_root.json that cannot be read.</summary>
public class TrustedRootException : FormatException
{
    public TrustedRootException()
        : this("invalid Sigstore trusted root")
    {
    }

    public TrustedRootException(string message)
        : base(message)
    {
    }

    public TrustedRootException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
