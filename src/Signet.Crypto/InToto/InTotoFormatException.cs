namespace Signet.Crypto.InToto;

/// <summary>An in-toto statement that is malformed, over a limit, or of an unknown statement version.</summary>
public class InTotoFormatException : FormatException
{
    public InTotoFormatException()
    {
    }

    public InTotoFormatException(string message)
        : base(message)
    {
    }

    public InTotoFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
