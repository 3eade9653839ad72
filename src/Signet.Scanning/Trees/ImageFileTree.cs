using System.Diagnostics.CodeAnalysis;
using Signet.Scanning.Catalogers;
using Signet.Scanning.FileSystem;

namespace Signet.Scanning.Trees;

/// <summary>The merged filesystem of an image as a tree to catalog: one pass per layer for all wanted files.</summary>
public sealed class ImageFileTree(LayeredFileSystem fileSystem, string name) : IFileTree
{
    public string Name { get; } = name;

    public IReadOnlyList<LayerInfo> Layers => fileSystem.Layers;

    public IEnumerable<CatalogFile> Files => fileSystem.Entries.Where(e => e.Type == FileEntryType.File).Select(ToFile);

    public bool TryResolveFile(string path, [MaybeNullWhen(false)] out CatalogFile file)
    {
        file = fileSystem.TryResolve(path, out var entry) && entry.Type == FileEntryType.File ? ToFile(entry) : null;
        return file is not null;
    }

    public LayerInfo? LayerOf(string path) => fileSystem.TryGetEntry(path, out var entry) ? entry.Layer : null;

    public Task ReadFilesAsync(
        IReadOnlyCollection<CatalogFile> files, Func<IReadOnlyList<CatalogFile>, Stream, CancellationToken, Task> visit, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(visit);
        var byPath = files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var entries = files.Select(f => fileSystem.TryGetEntry(f.Path, out var entry) ? entry : throw new ArgumentException($"{f.Path} is not a file of {Name}", nameof(files)));
        return fileSystem.ReadFilesAsync(
            entries,
            (targets, content, token) => visit([.. targets.Select(t => byPath[t.Path])], content, token),
            parallelism,
            cancellationToken);
    }

    private static CatalogFile ToFile(FileEntry entry) => new() { Path = entry.Path, Size = entry.Size, Mode = entry.Mode, Layer = entry.Layer };
}
