namespace Signet.Sigstore.Bundles;

/// <summary>A Sigstore bundle that cannot be read: <see cref="Code"/> is one of the BND10xx <see cref="BundleCodes"/>.</summary>
public class BundleFormatException : FormatException
{
    public BundleFormatException()
        : this(BundleCodes.MalformedJson, "malformed Sigstore bundle")
    {
    }

    public BundleFormatException(string message)
        : this(BundleCodes.MalformedJson, message)
    {
    }

    public BundleFormatException(string message, Exception? innerException)
        : this(BundleCodes.MalformedJson, message, innerException)
    {
    }

    public BundleFormatException(string code, string message, Exception? innerException = null)
        : base($"{code}: {message}", innerException)
    {
        Code = code;
    }

    public string Code { get; }
}
