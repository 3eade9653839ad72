using System.Diagnostics.CodeAnalysis;
using System.Formats.Tar;

namespace Signet.Scanning.FileSystem;

/// <summary>Opens the decompressed tar stream of one layer; called once per layer to index, and again per file read.</summary>
public delegate Task<Stream> LayerOpener(LayerInfo layer, CancellationToken cancellationToken);

/// <summary>
/// A read-only view of an image's root filesystem, merged from its layers in order with OCI whiteouts applied
/// (image-spec layer.md, "Whiteouts"). Built in one streaming pass: it keeps an index of entries (path, type, mode,
/// size, link target, the layer that wrote it and where its content lies), never the content. Memory grows with the
/// number of entries, not with the bytes of the layers.
/// </summary>
/// <remarks>
/// Trade-off: <see cref="OpenReadAsync"/> re-opens the layer that holds the file and reads forward to it, because a
/// compressed layer cannot be seeked. Reading one file costs up to one decompression of its layer; catalogers read a
/// handful of files, so this beats extracting or caching every layer. Reading many files of one layer is better done
/// in path order of a single pass (see <see cref="ImageUnpacker"/>, which groups reads by layer).
/// </remarks>
public sealed class LayeredFileSystem
{
    private readonly Dictionary<string, FileEntry> _entries;
    private readonly List<FileEntry> _ordered;
    private readonly LayerOpener _openLayer;
    private readonly LayeredFileSystemLimits _limits;

    private LayeredFileSystem(IReadOnlyList<LayerInfo> layers, Dictionary<string, FileEntry> entries, List<FileEntry> ordered, LayerOpener openLayer, LayeredFileSystemLimits limits)
    {
        Layers = layers;
        _entries = entries;
        _ordered = ordered;
        _openLayer = openLayer;
        _limits = limits;
    }

    /// <summary>The layers, base first.</summary>
    public IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>Every path of the merged filesystem, in ordinal path order (a directory before its children).</summary>
    public IEnumerable<FileEntry> Entries => _ordered;

    public int Count => _entries.Count;

    /// <summary>Indexes <paramref name="layers"/> in order, reading each once through <paramref name="openLayer"/>.</summary>
    /// <exception cref="LayerFormatException">A layer is not a valid tar, breaks a limit or names a path with '..'.</exception>
    public static async Task<LayeredFileSystem> BuildAsync(
        IReadOnlyList<LayerInfo> layers, LayerOpener openLayer, LayeredFileSystemLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(openLayer);
        limits ??= LayeredFileSystemLimits.Default;
        var merger = new LayerMerger(limits);
        foreach (var layer in layers)
        {
            var stream = await openLayer(layer, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await merger.AddLayerAsync(layer, stream, cancellationToken).ConfigureAwait(false);
            }
        }

        return new LayeredFileSystem(layers, merger.Entries, merger.Ordered(), openLayer, limits);
    }

    /// <summary>The entry at exactly <paramref name="path"/> (leading '/' optional), without following any link.</summary>
    public bool TryGetEntry(string path, [MaybeNullWhen(false)] out FileEntry entry)
    {
        ArgumentNullException.ThrowIfNull(path);
        return _entries.TryGetValue(string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries)), out entry);
    }

    /// <summary>
    /// Finds <paramref name="path"/> as a process chrooted into the image would: symbolic links are followed (the last
    /// component too), an absolute target restarts at the image root and '..' at the root stays at the root, so no link
    /// leads outside the image. False when the path does not exist, a component is not a directory, it is the root
    /// itself, or more than <see cref="LayeredFileSystemLimits.MaxLinkHops"/> links were followed (a loop).
    /// </summary>
    public bool TryResolve(string path, [MaybeNullWhen(false)] out FileEntry entry)
    {
        ArgumentNullException.ThrowIfNull(path);
        entry = null;
        var resolved = PathResolver.Resolve(path, p => _entries.TryGetValue(p, out var e) ? (e.Type, e.LinkTarget) : null, _limits.MaxLinkHops);
        return resolved is not null && _entries.TryGetValue(resolved, out entry);
    }

    /// <summary>
    /// Reads the content of many files with one pass over each layer that holds any of them, up to
    /// <paramref name="parallelLayers"/> layers at a time. <paramref name="visit"/> gets the files that share one
    /// content (hard links: more than one) and a stream of it, valid only during the call; calls for one layer come in
    /// layer order, calls for different layers may overlap.
    /// </summary>
    /// <exception cref="LayerFormatException">A layer no longer holds a file where it was indexed.</exception>
    public async Task ReadFilesAsync(
        IEnumerable<FileEntry> files, Func<IReadOnlyList<FileEntry>, Stream, CancellationToken, Task> visit, int parallelLayers = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(visit);
        var groups = files
            .Where(f => f.Type == FileEntryType.File)
            .DistinctBy(f => f.Path, StringComparer.Ordinal)
            .GroupBy(f => f.ContentLayer.Index)
            .OrderBy(g => g.Key)
            .Select(g => g.ToList())
            .ToList();
        await Parallel.ForEachAsync(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelLayers), CancellationToken = cancellationToken },
            (group, token) => new ValueTask(ReadLayerFilesAsync(group, visit, token))).ConfigureAwait(false);
    }

    private async Task ReadLayerFilesAsync(List<FileEntry> files, Func<IReadOnlyList<FileEntry>, Stream, CancellationToken, Task> visit, CancellationToken cancellationToken)
    {
        var layer = files[0].ContentLayer;
        var byOrdinal = files.ToLookup(f => f.ContentOrdinal);
        var remaining = byOrdinal.Count;
        var stream = await OpenLayerAsync(layer, cancellationToken).ConfigureAwait(false);
        await using var owned = stream.ConfigureAwait(false);
        var reader = new LayerTarReader(stream, layer);
        await using var ownedReader = reader.ConfigureAwait(false);
        var ordinal = 0;
        while (remaining > 0 && await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } tarEntry)
        {
            var targets = byOrdinal[ordinal++].ToList();
            if (targets.Count == 0)
            {
                continue;
            }

            remaining--;
            if (tarEntry.Length != targets[0].Size || tarEntry.EntryType is TarEntryType.HardLink or TarEntryType.SymbolicLink or TarEntryType.Directory)
            {
                throw new LayerFormatException(LayerCodes.LayerChanged, $"layer {layer.Index} ({layer.Digest}) changed since it was indexed: {targets[0].Path} has {tarEntry.Length} bytes, not {targets[0].Size}. Build the filesystem again.");
            }

            await visit(targets, tarEntry.DataStream ?? Stream.Null, cancellationToken).ConfigureAwait(false);
        }

        if (remaining > 0)
        {
            throw new LayerFormatException(LayerCodes.LayerChanged, $"layer {layer.Index} ({layer.Digest}) ended before {remaining} of the files indexed in it. Build the filesystem again.");
        }
    }

    /// <summary>
    /// Opens the content of a file (a hard link reads its target's content) by re-reading its layer up to it. The
    /// caller disposes the stream. The layer is checked to still hold the same entry at the same place.
    /// </summary>
    public async Task<Stream> OpenReadAsync(FileEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Type != FileEntryType.File)
        {
            throw new ArgumentException($"{entry.Path} is a {entry.Type}, not a file; resolve links first (TryResolve)", nameof(entry));
        }

        var layerStream = await OpenLayerAsync(entry.ContentLayer, cancellationToken).ConfigureAwait(false);
        var reader = new LayerTarReader(layerStream, entry.ContentLayer);
        try
        {
            var ordinal = 0;
            while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } tarEntry)
            {
                if (ordinal++ != entry.ContentOrdinal)
                {
                    continue;
                }

                if (tarEntry.Length != entry.Size || tarEntry.EntryType is TarEntryType.HardLink or TarEntryType.SymbolicLink or TarEntryType.Directory)
                {
                    break;
                }

                return new OwningReadStream(tarEntry.DataStream ?? Stream.Null, reader);
            }

            throw new LayerFormatException(LayerCodes.LayerChanged,
                $"layer {entry.ContentLayer.Index} ({entry.ContentLayer.Digest}) no longer holds the content of {entry.Path} where it was indexed; the layer changed since the filesystem was built. Build it again.");
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens the decompressed tar of one of <see cref="Layers"/>.</summary>
    internal Task<Stream> OpenLayerAsync(LayerInfo layer, CancellationToken cancellationToken) => _openLayer(layer, cancellationToken);

    /// <summary>A tar entry's data stream that disposes its reader (and so the layer stream) when disposed.</summary>
    private sealed class OwningReadStream(Stream inner, LayerTarReader owner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                owner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await owner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}
