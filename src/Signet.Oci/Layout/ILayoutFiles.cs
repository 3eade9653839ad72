namespace Signet.Oci.Layout;

/// <summary>Read access to the files of an image layout, whether a directory or a tar archive of one.</summary>
public interface ILayoutFiles
{
    /// <summary>Where the files are, for messages.</summary>
    string Location { get; }

    /// <summary>True when a regular file exists at the layout-relative path.</summary>
    bool FileExists(string relativePath);

    /// <summary>Opens a regular file at the layout-relative path, or returns null when there is none.</summary>
    Stream? OpenFile(string relativePath);

    /// <summary>The length of a regular file, or null when there is none.</summary>
    long? FileLength(string relativePath);
}

/// <summary>An image layout directory on disk.</summary>
public sealed class DirectoryLayoutFiles : ILayoutFiles
{
    private readonly string _root;

    public DirectoryLayoutFiles(string root)
    {
        _root = Path.GetFullPath(root);
    }

    public string Location => _root;

    public bool FileExists(string relativePath) => File.Exists(Resolve(relativePath));

    public long? FileLength(string relativePath)
    {
        var info = new FileInfo(Resolve(relativePath));
        return info.Exists ? info.Length : null;
    }

    public Stream? OpenFile(string relativePath)
    {
        var path = Resolve(relativePath);
        if (Directory.Exists(path))
        {
            throw new OciFormatException($"image layout {_root}: '{relativePath}' is a directory, not a file");
        }

        return File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan)
            : null;
    }

    private string Resolve(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(_root, relativePath));
        return full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new OciFormatException($"image layout {_root}: path '{relativePath}' leaves the layout");
    }
}
