using Signet.Oci;

namespace Signet.Scanning.FileSystem;

/// <summary>The layer of an image, as the merged view attributes files to it.</summary>
public sealed record LayerInfo
{
    /// <summary>The position of the layer in the manifest, 0 for the base layer.</summary>
    public required int Index { get; init; }

    /// <summary>The digest of the layer blob as stored (usually compressed).</summary>
    public required Digest Digest { get; init; }

    /// <summary>The digest of the uncompressed tar, from the config's <c>rootfs.diff_ids</c>, when the config has one.</summary>
    public Digest? DiffId { get; init; }

    /// <summary>The <c>created_by</c> of the config history entry that made the layer (non-empty-layer entries in order).</summary>
    public string? CreatedBy { get; init; }
}

/// <summary>What an entry of the merged filesystem is.</summary>
public enum FileEntryType
{
    File,
    Directory,
    SymbolicLink,

    /// <summary>Character or block device or FIFO: present in the listing, never read.</summary>
    Other,
}

/// <summary>
/// One path of the merged filesystem. A hard link appears as a <see cref="FileEntryType.File"/> that shares the
/// content of its target (<see cref="HardLinkTarget"/> names it).
/// </summary>
public sealed record FileEntry
{
    /// <summary>The path from the image root: '/'-separated, without a leading '/' (for example <c>etc/os-release</c>).</summary>
    public required string Path { get; init; }

    public required FileEntryType Type { get; init; }

    /// <summary>The permission bits, including setuid, setgid and sticky.</summary>
    public required UnixFileMode Mode { get; init; }

    /// <summary>The content length of a file; 0 otherwise.</summary>
    public required long Size { get; init; }

    /// <summary>The target of a symbolic link, exactly as stored in the layer.</summary>
    public string? LinkTarget { get; init; }

    /// <summary>For a hard link, the path it links to (whose content it shares).</summary>
    public string? HardLinkTarget { get; init; }

    /// <summary>The layer that last wrote this path.</summary>
    public required LayerInfo Layer { get; init; }

    /// <summary>The layer holding the content (differs from <see cref="Layer"/> for a hard link to a lower layer).</summary>
    internal LayerInfo ContentLayer { get; init; } = null!;

    /// <summary>The ordinal of the tar entry holding the content within <see cref="ContentLayer"/>.</summary>
    internal int ContentOrdinal { get; init; }
}
