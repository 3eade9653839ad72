namespace Signet.Oci.Archives;

/// <summary>What a tar entry is.</summary>
public enum TarIndexEntryType
{
    File,
    Directory,
    SymbolicLink,
    HardLink,

    /// <summary>Character or block device, FIFO, or a type flag this index does not interpret.</summary>
    Other,
}

/// <summary>One entry of a <see cref="TarIndex"/>: where its data lies in the (decompressed) tar stream.</summary>
public sealed record TarIndexEntry
{
    /// <summary>The normalised name: relative, '/'-separated, no '.' or empty components, no trailing '/'.</summary>
    public required string Name { get; init; }

    public required TarIndexEntryType Type { get; init; }

    /// <summary>The offset of the entry's data from the start of the tar stream (after decompression).</summary>
    public required long DataOffset { get; init; }

    /// <summary>The data length in bytes; 0 for links, directories and devices.</summary>
    public required long Length { get; init; }

    /// <summary>The link target as written in the archive, for symbolic and hard links.</summary>
    public string? LinkTarget { get; init; }

    /// <summary>The offset of the entry's first header block (its pax or GNU long-name header when it has one).</summary>
    public required long HeaderOffset { get; init; }
}

/// <summary>Bounds for indexing an untrusted tar archive. The defaults suit docker-archive and oci-archive files.</summary>
public sealed record TarIndexLimits
{
    public static TarIndexLimits Default { get; } = new();

    /// <summary>The most entries (files, directories, links) an archive may have.</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>The longest entry name or link target, in UTF-8 bytes.</summary>
    public int MaxNameLength { get; init; } = 4096;

    /// <summary>The largest pax extended header (its data), in bytes.</summary>
    public int MaxExtendedHeaderLength { get; init; } = 1024 * 1024;

    /// <summary>The most symbolic or hard links followed while resolving one path.</summary>
    public int MaxLinkHops { get; init; } = 40;

    internal void Validate()
    {
        if (MaxEntries < 1 || MaxNameLength < 1 || MaxExtendedHeaderLength < 512 || MaxLinkHops < 0)
        {
            throw new ArgumentException(
                $"invalid tar index limits {this}: MaxEntries and MaxNameLength must be positive, MaxExtendedHeaderLength at least 512, MaxLinkHops not negative",
                nameof(TarIndexLimits));
        }
    }
}
