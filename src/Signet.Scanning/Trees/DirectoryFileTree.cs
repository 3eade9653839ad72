using System.Diagnostics.CodeAnalysis;
using Signet.Scanning.Catalogers;
using Signet.Scanning.FileSystem;

namespace Signet.Scanning.Trees;

/// <summary>
/// A directory on disk as a tree to catalog (<c>dir:PATH</c> root filesystems, <c>signet sbom fs PATH</c> source trees).
/// It is listed once without following any link, so a link never leads the scan outside the root; links are resolved
/// inside the root as a chrooted process would. Files of length 0 are never opened, so a FIFO or device cannot block
/// the scan. The directory is expected not to change while it is scanned: a file that does is reported, not trusted.
/// </summary>
public sealed class DirectoryFileTree : IFileTree
{
    private readonly string _root;
    private readonly Dictionary<string, (FileEntryType Type, string? LinkTarget, CatalogFile? File)> _entries;
    private readonly int _maxLinkHops;

    private DirectoryFileTree(string root, string name, Dictionary<string, (FileEntryType, string?, CatalogFile?)> entries, int maxLinkHops)
    {
        _root = root;
        Name = name;
        _entries = entries;
        _maxLinkHops = maxLinkHops;
    }

    public string Name { get; }

    public IReadOnlyList<LayerInfo> Layers => [];

    public IEnumerable<CatalogFile> Files => _entries.Values.Where(e => e.File is not null).Select(e => e.File!).OrderBy(f => f.Path, StringComparer.Ordinal);

    /// <summary>Lists the directory <paramref name="root"/>; <paramref name="skipDirectoryNames"/> are not entered (e.g. <c>.git</c>).</summary>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="LayerFormatException">The tree has more entries than <see cref="LayeredFileSystemLimits.MaxEntries"/>.</exception>
    public static DirectoryFileTree Open(string root, string name, IReadOnlySet<string>? skipDirectoryNames = null, LayeredFileSystemLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        limits ??= LayeredFileSystemLimits.Default;
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"{name}: {full} is not a directory; give the root of a filesystem or a source tree.");
        }

        var entries = new Dictionary<string, (FileEntryType, string?, CatalogFile?)>(StringComparer.Ordinal);
        var pending = new Stack<(DirectoryInfo Directory, string Relative)>();
        pending.Push((new DirectoryInfo(full), string.Empty));
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0, ReturnSpecialDirectories = false };
        while (pending.Count > 0)
        {
            var (directory, relative) = pending.Pop();
            foreach (var info in directory.EnumerateFileSystemInfos("*", options))
            {
                var path = relative.Length == 0 ? info.Name : $"{relative}/{info.Name}";
                if (entries.Count >= limits.MaxEntries)
                {
                    throw new LayerFormatException(LayerCodes.TooManyEntries, $"{name} has more than {limits.MaxEntries} entries; scan a smaller tree.");
                }

                if (info.LinkTarget is { } target)
                {
                    entries[path] = (FileEntryType.SymbolicLink, target, null);
                }
                else if (info is DirectoryInfo child)
                {
                    entries[path] = (FileEntryType.Directory, null, null);
                    if (skipDirectoryNames?.Contains(info.Name) != true)
                    {
                        pending.Push((child, path));
                    }
                }
                else if (info is FileInfo file)
                {
                    entries[path] = (FileEntryType.File, null, new CatalogFile { Path = path, Size = file.Length, Mode = file.UnixFileMode });
                }
            }
        }

        return new DirectoryFileTree(full, name, entries, limits.MaxLinkHops);
    }

    public bool TryResolveFile(string path, [MaybeNullWhen(false)] out CatalogFile file)
    {
        ArgumentNullException.ThrowIfNull(path);
        var resolved = PathResolver.Resolve(path, p => _entries.TryGetValue(p, out var e) ? (e.Type, e.LinkTarget) : null, _maxLinkHops);
        file = resolved is not null && _entries.TryGetValue(resolved, out var entry) ? entry.File : null;
        return file is not null;
    }

    public LayerInfo? LayerOf(string path) => null;

    public async Task ReadFilesAsync(
        IReadOnlyCollection<CatalogFile> files, Func<IReadOnlyList<CatalogFile>, Stream, CancellationToken, Task> visit, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(visit);
        await Parallel.ForEachAsync(
            files.DistinctBy(f => f.Path, StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            async (file, token) =>
            {
                if (file.Size == 0)
                {
                    await visit([file], Stream.Null, token).ConfigureAwait(false);
                    return;
                }

                var stream = new FileStream(Path.Combine(_root, file.Path), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan | FileOptions.Asynchronous);
                await using (stream.ConfigureAwait(false))
                {
                    await visit([file], stream, token).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
    }
}
