namespace Signet.Oci;

/// <summary>Content did not hash to the digest or size that its descriptor promised.</summary>
public sealed class DigestMismatchException : IOException
{
    public DigestMismatchException(string objectName, Digest expected, Digest actual, string where)
        : base($"{objectName}: content digest {actual} does not match the expected {expected} ({where}). " +
               "The content was altered or corrupted; do not use it, re-fetch from a trusted source.")
    {
        ObjectName = objectName;
        Expected = expected;
        Actual = actual;
        Where = where;
    }

    public DigestMismatchException(string objectName, Digest expected, long expectedSize, long actualSize, string where)
        : base($"{objectName} {expected}: size {actualSize} does not match the expected {expectedSize} bytes ({where}). " +
               "The content was truncated or extended; do not use it, re-fetch from a trusted source.")
    {
        ObjectName = objectName;
        Expected = expected;
        ExpectedSize = expectedSize;
        ActualSize = actualSize;
        Where = where;
    }

    public DigestMismatchException()
    {
        ObjectName = string.Empty;
        Where = string.Empty;
    }

    public DigestMismatchException(string message)
        : base(message)
    {
        ObjectName = string.Empty;
        Where = string.Empty;
    }

    public DigestMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        ObjectName = string.Empty;
        Where = string.Empty;
    }

    /// <summary>What the content is (manifest, config, layer, blob).</summary>
    public string ObjectName { get; }

    public Digest Expected { get; }

    /// <summary>The digest actually computed; default when only the size differed.</summary>
    public Digest Actual { get; }

    public long? ExpectedSize { get; }

    public long? ActualSize { get; }

    /// <summary>Where the content was read from (transport and location).</summary>
    public string Where { get; }
}
