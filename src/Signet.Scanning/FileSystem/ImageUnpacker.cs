using Signet.Images;

namespace Signet.Scanning.FileSystem;

/// <summary>What <see cref="ImageUnpacker.UnpackAsync"/> wrote.</summary>
public sealed record UnpackResult
{
    public required int Directories { get; init; }

    public required int Files { get; init; }

    public required int SymbolicLinks { get; init; }

    /// <summary>Devices and FIFOs, listed in the image but not created (that needs privileges and is never needed to scan).</summary>
    public required int Skipped { get; init; }

    public required long Bytes { get; init; }
}

/// <summary>
/// Writes the merged root filesystem of a <see cref="LayeredFileSystem"/> into an empty directory. Safe against
/// hostile layers: every path comes from the normalised index (no '..', no absolute names), directories are created
/// before anything inside them and only from index entries that are directories, files are created with
/// <see cref="FileMode.CreateNew"/> (which never follows a symbolic link) and symbolic links are written verbatim,
/// last, and never followed. Hard links become independent copies of their content. Ownership and times are not
/// restored; modes are (setuid, setgid and sticky included), except on Windows.
/// </summary>
public static class ImageUnpacker
{
    /// <summary>Unpacks into <paramref name="directory"/>, which must not exist or be empty.</summary>
    /// <exception cref="IOException">The directory is not empty, or a path turned out not to be a plain directory.</exception>
    public static async Task<UnpackResult> UnpackAsync(
        LayeredFileSystem fileSystem, string directory, TransferProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var root = Path.GetFullPath(directory);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new IOException($"{root} is not empty; unpack into a new or empty directory so that nothing in it can redirect the writes.");
        }

        Directory.CreateDirectory(root);
        var entries = fileSystem.Entries.ToList();
        var files = entries.Where(e => e.Type == FileEntryType.File).ToList();
        foreach (var file in files)
        {
            progress?.AddWork(file.Size);
        }

        var directories = 0;
        foreach (var entry in entries.Where(e => e.Type == FileEntryType.Directory))
        {
            var path = Target(root, entry);
            CheckParent(root, path);
            Directory.CreateDirectory(path);
            directories++;
        }

        long bytes = 0;
        await fileSystem.ReadFilesAsync(
            files,
            async (targets, content, token) =>
            {
                var first = Target(root, targets[0]);
                await WriteFileAsync(root, first, content, progress, token).ConfigureAwait(false);
                bytes += targets[0].Size;
                foreach (var copy in targets.Skip(1))
                {
                    var source = File.OpenRead(first);
                    await using (source.ConfigureAwait(false))
                    {
                        await WriteFileAsync(root, Target(root, copy), source, null, token).ConfigureAwait(false);
                    }
                }
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);

        var links = 0;
        foreach (var entry in entries.Where(e => e.Type == FileEntryType.SymbolicLink))
        {
            var path = Target(root, entry);
            CheckParent(root, path);
            File.CreateSymbolicLink(path, entry.LinkTarget!);
            links++;
        }

        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in files)
            {
                File.SetUnixFileMode(Target(root, file), file.Mode);
            }

            // Deepest first, so that a read-only directory is closed only after everything inside it was written.
            foreach (var entry in entries.Where(e => e.Type == FileEntryType.Directory).Reverse())
            {
                File.SetUnixFileMode(Target(root, entry), entry.Mode);
            }
        }

        return new UnpackResult
        {
            Directories = directories,
            Files = files.Count,
            SymbolicLinks = links,
            Skipped = entries.Count(e => e.Type == FileEntryType.Other),
            Bytes = bytes,
        };
    }

    private static async Task WriteFileAsync(string root, string path, Stream content, TransferProgress? progress, CancellationToken cancellationToken)
    {
        CheckParent(root, path);
        var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        await using (output.ConfigureAwait(false))
        {
            var buffer = new byte[81920];
            int n;
            while ((n = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                progress?.Advance(n);
            }
        }
    }

    private static string Target(string root, FileEntry entry)
    {
        var path = Path.GetFullPath(Path.Combine(root, entry.Path));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new IOException($"refusing to write {entry.Path}: it resolves to {path}, outside {root}.");
        }

        return path;
    }

    /// <summary>Every directory between the root and <paramref name="path"/> must be a real directory, not a link.</summary>
    private static void CheckParent(string root, string path)
    {
        for (var parent = Path.GetDirectoryName(path); parent is not null && parent.Length > root.Length; parent = Path.GetDirectoryName(parent))
        {
            var info = new DirectoryInfo(parent);
            if (!info.Exists || info.LinkTarget is not null)
            {
                throw new IOException($"refusing to write {path}: its parent {parent} is not a plain directory inside {root}.");
            }
        }
    }
}
