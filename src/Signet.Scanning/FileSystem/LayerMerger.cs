using System.Formats.Tar;

namespace Signet.Scanning.FileSystem;

/// <summary>
/// Applies layers one after the other to an index of entries, as the OCI image spec (layer.md, "Applying Changesets"
/// and "Whiteouts") says: a layer's whiteouts hide only what lower layers wrote, so they are applied before the
/// layer's own entries, whatever their order in the tar.
/// </summary>
internal sealed class LayerMerger(LayeredFileSystemLimits limits)
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const UnixFileMode ImplicitDirectoryMode = (UnixFileMode)0b111_101_101;

    private int _totalEntries;

    private readonly SortedSet<string> _paths = new(StringComparer.Ordinal);

    public Dictionary<string, FileEntry> Entries { get; } = new(StringComparer.Ordinal);

    /// <summary>The entries in ordinal path order (a directory right before its descendants).</summary>
    public List<FileEntry> Ordered() => [.. _paths.Select(p => Entries[p])];

    public async Task AddLayerAsync(LayerInfo layer, Stream tar, CancellationToken cancellationToken)
    {
        var pending = new List<Pending>();
        var whiteouts = new List<string>();
        var opaque = new List<string>();
        var reader = new LayerTarReader(tar, layer, layer.DiffId?.Algorithm);
        await using (reader.ConfigureAwait(false))
        {
            var ordinal = 0;
            while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var current = ordinal++;
                if (++_totalEntries > limits.MaxEntries)
                {
                    throw new LayerFormatException(LayerCodes.TooManyEntries, $"layer {layer.Index} ({layer.Digest}): the image has more than {limits.MaxEntries} tar entries; raise LayeredFileSystemLimits.MaxEntries if it is legitimate.");
                }

                if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                {
                    continue;
                }

                var path = Normalize(entry.Name, layer, "entry name");
                if (path.Length == 0)
                {
                    continue; // the root directory itself
                }

                var slash = path.LastIndexOf('/');
                var directory = slash < 0 ? string.Empty : path[..slash];
                var name = path[(slash + 1)..];
                if (name == OpaqueMarker)
                {
                    opaque.Add(directory);
                    continue;
                }

                if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
                {
                    // ".wh..wh.*" other than the opaque marker are reserved (aufs metadata): neither files nor whiteouts.
                    if (!name.StartsWith(WhiteoutPrefix + WhiteoutPrefix, StringComparison.Ordinal))
                    {
                        whiteouts.Add(Join(directory, name[WhiteoutPrefix.Length..]));
                    }

                    continue;
                }

                pending.Add(Classify(entry, path, current, layer));
            }

            if (layer.DiffId is { } diffId && await reader.DrainDigestAsync(cancellationToken).ConfigureAwait(false) is var actual && actual != diffId)
            {
                throw new LayerFormatException(LayerCodes.DiffIdMismatch,
                    $"layer {layer.Index} ({layer.Digest}) decompresses to {actual}, not the DiffID {diffId} its config names. The layer or the config was altered; do not trust this image.");
            }
        }

        foreach (var directory in opaque)
        {
            RemoveDescendants(directory);
        }

        foreach (var path in whiteouts)
        {
            RemoveDescendants(path);
            Remove(path);
        }

        foreach (var item in pending)
        {
            Apply(item, layer);
        }
    }

    private static string Join(string directory, string name) => directory.Length == 0 ? name : directory + "/" + name;

    private Pending Classify(TarEntry entry, string path, int ordinal, LayerInfo layer)
    {
        var mode = entry.Mode;
        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                return new Pending(path, FileEntryType.File, mode, entry.Length, null, null, ordinal);
            case TarEntryType.Directory:
                return new Pending(path, FileEntryType.Directory, mode, 0, null, null, ordinal);
            case TarEntryType.SymbolicLink:
                CheckLinkTarget(entry.LinkName, path, layer);
                return new Pending(path, FileEntryType.SymbolicLink, mode, 0, entry.LinkName, null, ordinal);
            case TarEntryType.HardLink:
                CheckLinkTarget(entry.LinkName, path, layer);
                return new Pending(path, FileEntryType.File, mode, 0, null, Normalize(entry.LinkName, layer, $"hard link target of {path}"), ordinal);
            default:
                return new Pending(path, FileEntryType.Other, mode, 0, null, null, ordinal);
        }
    }

    private void CheckLinkTarget(string target, string path, LayerInfo layer)
    {
        if (target.Length == 0 || target.Length > limits.MaxNameLength || target.Contains('\0', StringComparison.Ordinal))
        {
            throw new LayerFormatException(LayerCodes.UnsafeName, $"layer {layer.Index} ({layer.Digest}): the link {path} has an empty target, one longer than {limits.MaxNameLength} characters or one with a NUL. The layer is malformed or hostile.");
        }
    }

    /// <summary>
    /// A tar name as a path from the root: a leading '/' or './' is dropped (GNU tar strips it too); '..' is refused,
    /// because an entry name that climbs is never legitimate in a layer and clamping it would silently overwrite
    /// another path.
    /// </summary>
    private string Normalize(string name, LayerInfo layer, string what)
    {
        if (name.Length > limits.MaxNameLength || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new LayerFormatException(LayerCodes.UnsafeName, $"layer {layer.Index} ({layer.Digest}): an {what} is longer than {limits.MaxNameLength} characters or has a NUL. The layer is malformed or hostile.");
        }

        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Contains(".."))
        {
            throw new LayerFormatException(LayerCodes.UnsafeName, $"layer {layer.Index} ({layer.Digest}): the {what} '{name}' has a '..' component, which would write outside its place in the image. The layer is malformed or hostile; do not use the image.");
        }

        return string.Join('/', parts.Where(p => p != "."));
    }

    private void Apply(Pending item, LayerInfo layer)
    {
        EnsureParents(item.Path, layer);
        FileEntry entry;
        if (item.HardLinkTarget is { } target)
        {
            if (!Entries.TryGetValue(target, out var linked) || linked.Type != FileEntryType.File)
            {
                throw new LayerFormatException(LayerCodes.BrokenHardLink, $"layer {layer.Index} ({layer.Digest}): the hard link {item.Path} points to {target}, which is not a file in this or a lower layer. The layer is malformed.");
            }

            entry = linked with { Path = item.Path, Layer = layer, HardLinkTarget = linked.HardLinkTarget ?? target };
        }
        else
        {
            entry = new FileEntry
            {
                Path = item.Path,
                Type = item.Type,
                Mode = item.Mode,
                Size = item.Size,
                LinkTarget = item.LinkTarget,
                Layer = layer,
                ContentLayer = layer,
                ContentOrdinal = item.Ordinal,
            };
        }

        if (Entries.TryGetValue(item.Path, out var existing) && existing.Type == FileEntryType.Directory && entry.Type != FileEntryType.Directory)
        {
            RemoveDescendants(item.Path);
        }

        Set(entry);
    }

    /// <summary>
    /// Layer tars may omit parent directories (umoci does): a missing one is created with mode 0755, and a parent that
    /// a lower layer left as a non-directory is replaced by a directory, as extraction would.
    /// </summary>
    private void EnsureParents(string path, LayerInfo layer)
    {
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            var parent = path[..slash];
            if (Entries.TryGetValue(parent, out var existing) && existing.Type == FileEntryType.Directory)
            {
                continue;
            }

            Set(new FileEntry
            {
                Path = parent,
                Type = FileEntryType.Directory,
                Mode = ImplicitDirectoryMode,
                Size = 0,
                Layer = layer,
                ContentLayer = layer,
                ContentOrdinal = -1,
            });
        }
    }

    private void Set(FileEntry entry)
    {
        Entries[entry.Path] = entry;
        _paths.Add(entry.Path);
    }

    private void Remove(string path)
    {
        Entries.Remove(path);
        _paths.Remove(path);
    }

    /// <summary>
    /// Removes every path under <paramref name="directory"/>: in ordinal order they are exactly the paths from
    /// "directory/" up to, not including, "directory0" ('0' follows '/'), found in O(log n) plus their number.
    /// </summary>
    private void RemoveDescendants(string directory)
    {
        if (directory.Length == 0)
        {
            Entries.Clear();
            _paths.Clear();
            return;
        }

        var doomed = _paths.GetViewBetween(directory + "/", directory + "0").Where(p => p[directory.Length] == '/').ToList();
        foreach (var path in doomed)
        {
            Remove(path);
        }
    }

    private sealed record Pending(string Path, FileEntryType Type, UnixFileMode Mode, long Size, string? LinkTarget, string? HardLinkTarget, int Ordinal);
}
