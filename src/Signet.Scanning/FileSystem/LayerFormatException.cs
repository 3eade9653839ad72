using Signet.Oci;

namespace Signet.Scanning.FileSystem;

/// <summary>The stable codes of <see cref="LayerFormatException"/>, documented in docs/error-codes.md.</summary>
public static class LayerCodes
{
    /// <summary>A layer is not a valid tar stream (corrupt, truncated, bad header).</summary>
    public const string MalformedTar = "LFS1001";

    /// <summary>An entry name or link target has a '..' component, a NUL, or is too long.</summary>
    public const string UnsafeName = "LFS1002";

    /// <summary>The image has more tar entries than <see cref="LayeredFileSystemLimits.MaxEntries"/>.</summary>
    public const string TooManyEntries = "LFS1003";

    /// <summary>A hard link points to a path that is not a file of this or a lower layer.</summary>
    public const string BrokenHardLink = "LFS1004";

    /// <summary>A layer read again for a file's content no longer holds it where it was indexed.</summary>
    public const string LayerChanged = "LFS1005";

    /// <summary>The chosen manifest is not an image manifest, so it has no filesystem.</summary>
    public const string NotAnImage = "LFS1006";

    /// <summary>A layer's uncompressed content does not hash to the DiffID its config names.</summary>
    public const string DiffIdMismatch = "LFS1007";
}

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

    /// <summary>A failure with a stable code from <see cref="LayerCodes"/>; the message starts with the code.</summary>
    public LayerFormatException(string code, string message)
        : base($"{code}: {message}")
    {
        Code = code;
    }

    public LayerFormatException(string code, string message, Exception innerException)
        : base($"{code}: {message}", innerException)
    {
        Code = code;
    }

    public LayerFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The code from <see cref="LayerCodes"/>; <see cref="LayerCodes.MalformedTar"/> unless another was given.</summary>
    public string Code { get; } = LayerCodes.MalformedTar;
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
