using Signet.Oci.Layout;

namespace Signet.Oci.Archives;

/// <summary>The files of an image layout stored in a tar archive (oci-archive, OCI-style docker-archive).</summary>
public sealed class TarLayoutFiles : ILayoutFiles
{
    private readonly TarIndex _index;

    public TarLayoutFiles(TarIndex index, string location)
    {
        _index = index;
        Location = location;
    }

    public string Location { get; }

    public bool FileExists(string relativePath) => _index.TryResolve(relativePath, out _);

    public long? FileLength(string relativePath) => _index.TryResolve(relativePath, out var entry) ? entry.Length : null;

    public Stream? OpenFile(string relativePath) => _index.TryResolve(relativePath, out var entry) ? _index.OpenEntry(entry) : null;
}
