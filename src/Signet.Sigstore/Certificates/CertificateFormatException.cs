namespace Signet.Sigstore.Certificates;

/// <summary>Bytes that were given as a certificate cannot be read as one.</summary>
public class CertificateFormatException : FormatException
{
    public CertificateFormatException()
    {
    }

    public CertificateFormatException(string message)
        : base(message)
    {
    }

    public CertificateFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
