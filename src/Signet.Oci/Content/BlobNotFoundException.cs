namespace Signet.Oci.Content;

/// <summary>A transport does not hold a blob or manifest that a descriptor names.</summary>
public sealed class BlobNotFoundException : IOException
{
    public BlobNotFoundException(Descriptor descriptor, string where)
        : base($"{ObjectNames.For(descriptor)} {descriptor?.Digest} is missing from {where}; the image is incomplete: copy it again from its origin")
    {
        Descriptor = descriptor;
        Where = where;
    }

    public BlobNotFoundException()
    {
        Where = string.Empty;
    }

    public BlobNotFoundException(string message)
        : base(message)
    {
        Where = string.Empty;
    }

    public BlobNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        Where = string.Empty;
    }

    public Descriptor? Descriptor { get; }

    public string Where { get; }
}
