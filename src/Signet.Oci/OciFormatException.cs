namespace Signet.Oci;

/// <summary>Malformed or unsupported image data: a manifest, index, config, layout or archive that does not follow its format.</summary>
public class OciFormatException : FormatException
{
    public OciFormatException()
    {
    }

    public OciFormatException(string message)
        : base(message)
    {
    }

    public OciFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
