using Signet.Oci;

namespace Signet.Scanning.FileSystem;

/// <summary>A layer tar is malformed, hostile or breaks a limit of <see cref="LayeredFileSystemLimits"/>.</summary>
public sealed class LayerFormatException : OciFormatException
{
    public LayerFormatException()
    {
    }

    public LayerFormatException(string message)
        : base(message)
    {
    }

    public LayerFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Bounds for indexing untrusted layers.</summary>
public sealed record LayeredFileSystemLimits
{
    public static LayeredFileSystemLimits Default { get; } = new();

    /// <summary>The most tar entries over all layers.</summary>
    public int MaxEntries { get; init; } = 1_000_000;

    /// <summary>The longest path or link target, in characters.</summary>
    public int MaxNameLength { get; init; } = 4096;

    /// <summary>The most symbolic links followed while resolving one path (Linux uses 40).</summary>
    public int MaxLinkHops { get; init; } = 40;

    /// <summary>The largest decompressed layer, a decompression-bomb bound.</summary>
    public long MaxLayerBytes { get; init; } = 64L * 1024 * 1024 * 1024;
}
