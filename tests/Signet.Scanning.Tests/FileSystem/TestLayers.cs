using System.Formats.Tar;
using System.Text;
using Signet.Oci;
using Signet.Scanning.FileSystem;

namespace Signet.Scanning.Tests.FileSystem;

/// <summary>Layer tars written in the test with the base library's <see cref="TarWriter"/> (PAX format).</summary>
internal sealed class TestLayer
{
    private readonly List<TarEntry> _entries = [];

    public TestLayer File(string name, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)), Mode = mode });
        return this;
    }

    public TestLayer Directory(string name, UnixFileMode mode = (UnixFileMode)0b111_101_101)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode });
        return this;
    }

    public TestLayer Symlink(string name, string target)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = (UnixFileMode)0b111_111_111 });
        return this;
    }

    public TestLayer HardLink(string name, string target)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target });
        return this;
    }

    public TestLayer Whiteout(string path)
    {
        var slash = path.LastIndexOf('/');
        return File(slash < 0 ? ".wh." + path : path[..(slash + 1)] + ".wh." + path[(slash + 1)..], string.Empty);
    }

    public TestLayer Opaque(string directory) => File(directory + "/.wh..wh..opq", string.Empty);

    public byte[] ToArray()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in _entries)
            {
                entry.DataStream?.Seek(0, SeekOrigin.Begin);
                writer.WriteEntry(entry);
            }
        }

        return tar.ToArray();
    }

    /// <summary>Indexes the layers (base first); the layer digests are the SHA-256 of the tars.</summary>
    public static Task<LayeredFileSystem> BuildAsync(params TestLayer[] layers) => BuildAsync(layers.Select(l => l.ToArray()).ToArray());

    public static Task<LayeredFileSystem> BuildAsync(byte[][] tars, LayeredFileSystemLimits? limits = null)
    {
        var infos = tars.Select((tar, i) =>
        {
            var digest = Digest.Compute(tar);
            return new LayerInfo { Index = i, Digest = digest, DiffId = digest, CreatedBy = $"layer {i}" };
        }).ToList();
        return LayeredFileSystem.BuildAsync(infos, (layer, _) => Task.FromResult<Stream>(new MemoryStream(tars[layer.Index], writable: false)), limits);
    }

    public static async Task<string> ReadAsync(LayeredFileSystem fileSystem, string path)
    {
        Assert.True(fileSystem.TryResolve(path, out var entry), $"{path} does not resolve");
        await using var stream = await fileSystem.OpenReadAsync(entry);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
