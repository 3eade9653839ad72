namespace Signet.Sigstore.Tuf;

/// <summary>TUF metadata that cannot be read, or a root update that does not verify.</summary>
public class TufException : Exception
{
    public TufException()
        : this("invalid TUF metadata")
    {
    }

    public TufException(string message)
        : base(message)
    {
    }

    public TufException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
