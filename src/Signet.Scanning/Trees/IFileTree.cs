using System.Diagnostics.CodeAnalysis;
using Signet.Scanning.Catalogers;
using Signet.Scanning.FileSystem;

namespace Signet.Scanning.Trees;

/// <summary>
/// A root filesystem or source tree that catalogers scan: an image's merged layers (<see cref="ImageFileTree"/>) or a
/// directory on disk (<see cref="DirectoryFileTree"/>). Lists its regular files, resolves links inside its root, and
/// reads many files in one pass.
/// </summary>
public interface IFileTree
{
    /// <summary>What the tree is, for messages (<c>oci:layout:v1</c>, <c>dir:/srv/rootfs</c>).</summary>
    string Name { get; }

    /// <summary>The layers, base first; empty for a directory.</summary>
    IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>The regular files (hard links included), in ordinal path order.</summary>
    IEnumerable<CatalogFile> Files { get; }

    /// <summary>The regular file at <paramref name="path"/>, following symbolic links without leaving the root.</summary>
    bool TryResolveFile(string path, [MaybeNullWhen(false)] out CatalogFile file);

    /// <summary>The layer that last wrote <paramref name="path"/> (not following links); null when absent or the tree has no layers.</summary>
    LayerInfo? LayerOf(string path);

    /// <summary>
    /// Reads <paramref name="files"/> (each once), handing <paramref name="visit"/> the files that share one content
    /// (hard links) and a forward-only stream of it, valid during the call. Calls may overlap up to
    /// <paramref name="parallelism"/>.
    /// </summary>
    Task ReadFilesAsync(
        IReadOnlyCollection<CatalogFile> files, Func<IReadOnlyList<CatalogFile>, Stream, CancellationToken, Task> visit, int parallelism, CancellationToken cancellationToken);
}
