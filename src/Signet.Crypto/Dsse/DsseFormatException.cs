namespace Signet.Crypto.Dsse;

/// <summary>A DSSE envelope that is malformed, over a limit, or uses an encoding DSSE does not define.</summary>
public class DsseFormatException : FormatException
{
    public DsseFormatException()
    {
    }

    public DsseFormatException(string message)
        : base(message)
    {
    }

    public DsseFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
