namespace Signet.Scanning.Os;

/// <summary>
/// Read access to single files of a root filesystem (an image's layered filesystem, a directory), by path relative to
/// the root without a leading '/', e.g. <c>etc/os-release</c>. Symbolic links are resolved inside the root.
/// </summary>
public interface IFileLookup
{
    /// <summary>
    /// The first <paramref name="maxLength"/> bytes at most of the regular file at <paramref name="path"/>; null when
    /// there is no such file.
    /// </summary>
    byte[]? Read(string path, int maxLength);
}
