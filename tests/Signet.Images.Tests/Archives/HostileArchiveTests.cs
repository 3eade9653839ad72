using System.Text;
using Signet.Images.Copy;
using Signet.Images.Integrity;
using Signet.Images.Tests.TestSupport;
using Signet.Images.Transports;
using Signet.Oci;
using Signet.Oci.Archives;
using Signet.Testing;

namespace Signet.Images.Tests.Archives;

/// <summary>
/// docker-archives whose manifest.json or links point outside the archive: refused with a message naming the path,
/// and a copy from them writes nothing anywhere but (at most) the destination directory.
/// </summary>
public sealed class HostileArchiveTests
{
    /// <summary>
    /// Writes a legacy docker-archive holding a valid one-layer image (config.json, layer.tar) plus
    /// <paramref name="links"/>, whose manifest.json names <paramref name="config"/> and <paramref name="layer"/>.
    /// </summary>
    private static async Task<string> WriteArchiveAsync(string path, string config, string layer, params (string Name, string Target)[] links)
    {
        var layerTar = await TarAsync(async tar => await tar.WriteFileAsync("etc/hostile", "x"u8.ToArray()));
        var configJson = Encoding.UTF8.GetBytes(
            $"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{{}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{Digest.Compute(layerTar)}\"]}}}}");
        var manifest = Encoding.UTF8.GetBytes($"[{{\"Config\":\"{config}\",\"RepoTags\":[\"hostile:v1\"],\"Layers\":[\"{layer}\"]}}]");
        var archive = await TarAsync(async tar =>
        {
            await tar.WriteFileAsync("config.json", configJson);
            await tar.WriteDirectoryAsync("layers");
            await tar.WriteFileAsync("layers/layer.tar", layerTar);
            foreach (var (name, target) in links)
            {
                await tar.WriteSymbolicLinkAsync(name, target);
            }

            await tar.WriteFileAsync("manifest.json", manifest);
        });
        await File.WriteAllBytesAsync(path, archive);
        return path;
    }

    private static async Task<byte[]> TarAsync(Func<TarStreamWriter, Task> write)
    {
        using var buffer = new MemoryStream();
        await using (var tar = new TarStreamWriter(buffer, leaveOpen: true))
        {
            await write(tar);
            await tar.FinishAsync();
        }

        return buffer.ToArray();
    }

    [Fact]
    public async Task OpenSourceAsync_WellFormedLegacyArchive_Verifies()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var archive = await WriteArchiveAsync(dir.Combine("good.tar"), "config.json", "layers/layer.tar", ("layers/alias.tar", "layer.tar"));

        TestImages.AssertPassed(await TestImages.VerifyAsync(transports, $"docker-archive:{archive}:hostile:v1"));
    }

    [Fact]
    public async Task OpenSourceAsync_LayerThroughInArchiveSymlink_Verifies()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var archive = await WriteArchiveAsync(dir.Combine("good.tar"), "config.json", "alias/layer.tar", ("alias", "layers"));

        TestImages.AssertPassed(await TestImages.VerifyAsync(transports, $"docker-archive:{archive}"));
    }

    public static TheoryData<string, string, (string, string)[], string> Hostile => new()
    {
        { "../x", "layers/layer.tar", [], "manifest.json names '../x', which leaves the archive" },
        { "config.json", "../x", [], "manifest.json names '../x', which leaves the archive" },
        { "config.json", "layers/../../x", [], "which leaves the archive" },
        { "/etc/passwd", "layers/layer.tar", [], "manifest.json names '/etc/passwd', which leaves the archive" },
        { "config.json", "/etc/passwd", [], "manifest.json names '/etc/passwd', which leaves the archive" },
        { "config.json", "evil.tar", [("evil.tar", "/etc/passwd")], "leads to an absolute path outside the archive through symbolic link 'evil.tar' -> '/etc/passwd'" },
        { "config.json", "evil.tar", [("evil.tar", "../../../../etc/passwd")], "escapes the archive root through symbolic link 'evil.tar'" },
        { "config.json", "up/layer.tar", [("up", "..")], "escapes the archive root through symbolic link 'up' -> '..'" },
        { "config.json", "layers/evil.tar", [("layers/evil.tar", "../../outside.tar")], "escapes the archive root" },
        { "evil.json", "layers/layer.tar", [("evil.json", "/etc/passwd")], "leads to an absolute path outside the archive" },
        { "config.json", "loop.tar", [("loop.tar", "loop2.tar"), ("loop2.tar", "loop.tar")], "link hops" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task OpenSourceAsync_HostileArchive_RefusesNamingThePath(string config, string layer, (string, string)[] links, string expected)
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var archive = await WriteArchiveAsync(dir.Combine("hostile.tar"), config, layer, links);

        var e = await Assert.ThrowsAsync<OciFormatException>(() => transports.OpenSourceAsync(ImageName.Parse($"docker-archive:{archive}")));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(archive, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task CopyAsync_HostileArchiveToLayout_WritesNothingOutsideTheDestination(string config, string layer, (string, string)[] links, string expected)
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var archive = await WriteArchiveAsync(dir.Combine("hostile.tar"), config, layer, links);
        var parent = dir.Combine("parent");
        Directory.CreateDirectory(parent);
        await File.WriteAllTextAsync(Path.Combine(parent, "x"), "untouched");
        var before = TestImages.Snapshot(dir.Path);

        // As the CLI does: the source is opened first, so nothing at all is written.
        var e = await Assert.ThrowsAsync<OciFormatException>(() => TestImages.CopyAsync(transports, $"docker-archive:{archive}", $"oci:{Path.Combine(parent, "dest")}:v1"));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Equal(before, TestImages.Snapshot(dir.Path));
        Assert.Equal("untouched", await File.ReadAllTextAsync(Path.Combine(parent, "x")));
    }

    [Fact]
    public async Task CopyAsync_HostileArchiveWithDestinationOpenedFirst_WritesOnlyInsideDestination()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var archive = await WriteArchiveAsync(dir.Combine("hostile.tar"), "config.json", "evil.tar", ("evil.tar", "../../outside.tar"));
        var parent = dir.Combine("parent");
        Directory.CreateDirectory(parent);
        var before = TestImages.Snapshot(dir.Path);
        var destinationName = ImageName.Parse($"oci:{Path.Combine(parent, "dest")}:v1");

        await using (var destination = transports.OpenDestination(destinationName))
        {
            await Assert.ThrowsAsync<OciFormatException>(async () =>
            {
                await using var source = await transports.OpenSourceAsync(ImageName.Parse($"docker-archive:{archive}"));
                await ImageCopier.CopyAsync(source, destination, new CopyOptions());
            });
        }

        var after = TestImages.Snapshot(dir.Path).Where(p => !p.StartsWith($"parent{Path.DirectorySeparatorChar}dest", StringComparison.Ordinal)).ToList();
        Assert.Equal(before, after);
        Assert.Equal(["oci-layout"], Directory.EnumerateFileSystemEntries(Path.Combine(parent, "dest")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("docker-archive")]
    [InlineData("oci-archive")]
    public async Task CopyAsync_HostileArchiveToArchive_LeavesNoPartialFile(string transport)
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var archive = await WriteArchiveAsync(dir.Combine("hostile.tar"), "config.json", "evil.tar", ("evil.tar", "/etc/passwd"));
        var parent = dir.Combine("out");
        Directory.CreateDirectory(parent);
        var destinationName = ImageName.Parse($"{transport}:{Path.Combine(parent, "image.tar")}");

        await using (var destination = transports.OpenDestination(destinationName))
        {
            await Assert.ThrowsAsync<OciFormatException>(async () =>
            {
                await using var source = await transports.OpenSourceAsync(ImageName.Parse($"docker-archive:{archive}"));
                await ImageCopier.CopyAsync(source, destination, new CopyOptions());
            });
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
    }

    [Fact]
    public async Task OpenSourceAsync_OciStyleArchiveWithBlobSymlinkOutside_RefusesBlob()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var layout = dir.Combine("image");
        var manifest = await TestImages.BuildLayoutAsync(layout, "v1", seed: 70);
        var signet = dir.Combine("signet.tar");
        await TestImages.CopyAsync(transports, $"oci:{layout}:v1", $"oci-archive:{signet}:v1");

        // Rewrite the archive with the second layer's blob replaced by a link out of the archive.
        var index = TarIndex.Open(signet, "test");
        var hostile = dir.Combine("hostile.tar");
        await using (var output = File.Create(hostile))
        await using (var tar = new TarStreamWriter(output))
        {
            foreach (var entry in index.Entries.Where(e => e.Type == TarIndexEntryType.File))
            {
                if (entry.Name == $"blobs/sha256/{manifest.Layers[1].Digest.Encoded}")
                {
                    await tar.WriteSymbolicLinkAsync(entry.Name, "../../../../etc/passwd");
                    continue;
                }

                await using var content = index.OpenEntry(entry);
                await tar.WriteFileAsync(entry.Name, entry.Length, content);
            }

            await tar.FinishAsync();
        }

        var report = await TestImages.VerifyAsync(transports, $"oci-archive:{hostile}:v1");

        Assert.False(report.Passed);
        var failure = Assert.Single(report.Failures);
        Assert.Equal(IntegrityCodes.Malformed, failure.Code);
        Assert.Equal(manifest.Layers[1].Digest, failure.Digest);
        Assert.Contains("escapes the archive root", failure.Message, StringComparison.Ordinal);
    }
}
