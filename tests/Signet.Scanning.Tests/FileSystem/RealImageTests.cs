using System.Security.Cryptography;
using Signet.Images.Transports;
using Signet.Registry;
using Signet.Scanning.FileSystem;
using Signet.Testing;
using Signet.Testing.Tools;

namespace Signet.Scanning.Tests.FileSystem;

/// <summary>
/// Images built by scripts/build-test-images.sh (found through <c>SIGNET_TEST_IMAGES</c>, which scripts/test.sh sets;
/// the tests fail, never skip, without it) and the docker-save tars of ../shared/data, compared with umoci's unpack.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RealImageTests
{
    private const string ImagesVariable = "SIGNET_TEST_IMAGES";

    private static string BuiltImages() =>
        Environment.GetEnvironmentVariable(ImagesVariable) is { Length: > 0 } root && File.Exists(Path.Combine(root, "summary.json"))
            ? root
            : throw new InvalidOperationException($"{ImagesVariable} is not set or has no summary.json: run through scripts/test.sh or export {ImagesVariable}=$(scripts/build-test-images.sh)");

    private static ImageTransports Transports() => new(() => new RegistryClient(new RegistryClientOptions { MaxAttempts = 1 }));

    private static async Task<(LayeredFileSystem FileSystem, IAsyncDisposable Source)> OpenAsync(ImageTransports transports, string image)
    {
        var source = await transports.OpenSourceAsync(ImageName.Parse(image));
        return (await ImageFileSystem.OpenAsync(source), source);
    }

    /// <summary>One line per path: type, permission bits (with setuid, setgid, sticky), link target or content hash.</summary>
    private static List<string> Listing(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(path =>
            {
                var relative = Path.GetRelativePath(root, path);
                var info = new FileInfo(path);
                if (info.LinkTarget is { } target)
                {
                    return $"{relative} link {target}";
                }

                var mode = Convert.ToString((int)File.GetUnixFileMode(path), 8);
                return Directory.Exists(path)
                    ? $"{relative} dir {mode}"
                    : $"{relative} file {mode} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}";
            })
            .Order(StringComparer.Ordinal)
            .ToList();

    [Theory]
    [InlineData("oci:oci:multilayer")]
    [InlineData("oci:oci-zstd:multilayer")]
    [InlineData("docker-archive:archives/multilayer.docker.tar:lab/multilayer:v1")]
    public async Task UnpackAsync_MultilayerImage_MatchesUmociUnpack(string reference)
    {
        var images = BuiltImages();
        using var dir = new TempDir();
        await Tool.RunAsync("umoci", "raw", "unpack", "--rootless", "--image", Path.Combine(images, "oci") + ":multilayer", dir.Combine("umoci"));
        using var transports = Transports();
        var (fs, source) = await OpenAsync(transports, reference.Replace(":archives/", $":{images}/archives/", StringComparison.Ordinal).Replace("oci:oci", $"oci:{images}/oci", StringComparison.Ordinal));
        await using var owned = source;

        var result = await ImageUnpacker.UnpackAsync(fs, dir.Combine("signet"));

        var expected = Listing(dir.Combine("umoci"));
        Assert.Equal(expected, Listing(dir.Combine("signet")));
        Assert.Contains("usr/local/bin/suid file 4755", expected.Single(l => l.StartsWith("usr/local/bin/suid ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("tmp dir 1777", expected);
        Assert.DoesNotContain(expected, l => l.StartsWith("etc/secret.txt", StringComparison.Ordinal) || l.StartsWith("data/dir1", StringComparison.Ordinal) || l.Contains("old1.txt", StringComparison.Ordinal));
        Assert.Equal(expected.Count(l => l.Contains(" file ", StringComparison.Ordinal)), result.Files);
    }

    [Fact]
    public async Task OpenAsync_MultilayerImage_AttributesEachPathToItsLastLayer()
    {
        var images = BuiltImages();
        using var transports = Transports();
        var (fs, source) = await OpenAsync(transports, $"oci:{images}/oci:multilayer");
        await using var owned = source;

        Assert.Equal(6, fs.Layers.Count);
        Assert.True(fs.TryGetEntry("etc/motd", out var motd));
        Assert.Equal(1, motd.Layer.Index);
        Assert.Contains("modify /etc/motd", motd.Layer.CreatedBy, StringComparison.Ordinal);
        Assert.NotNull(motd.Layer.DiffId);
        Assert.True(fs.TryGetEntry("etc/passwd", out var passwd));
        Assert.Equal(0, passwd.Layer.Index);
        Assert.True(fs.TryGetEntry("data/hard3", out var hard3));
        Assert.Equal(5, hard3.Layer.Index);
        Assert.True(fs.TryResolve("data/motd.rel", out var resolved));
        Assert.Equal("etc/motd", resolved.Path);
        Assert.False(fs.TryGetEntry("etc/secret.txt", out _));
        await using var random = await fs.OpenReadAsync(fs.Entries.Single(e => e.Path == "random.bin"));
        Assert.Equal(4 * 1024 * 1024, await CountAsync(random));
    }

    [Fact]
    public async Task OpenAsync_DockerSaveAlpine310_ReadsAlpineRelease()
    {
        var archive = TestData.Require("trivy-images/alpine-310.tar.gz");
        using var transports = Transports();
        var (fs, source) = await OpenAsync(transports, $"docker-archive:{archive}");
        await using var owned = source;

        Assert.True(fs.TryResolve("/etc/alpine-release", out var release));
        await using var content = await fs.OpenReadAsync(release);
        using var reader = new StreamReader(content);
        Assert.StartsWith("3.10.", await reader.ReadToEndAsync(), StringComparison.Ordinal);
        Assert.True(fs.TryResolve("bin/sh", out var shell));
        Assert.Equal("bin/busybox", shell.Path);
    }

    private static async Task<long> CountAsync(Stream stream)
    {
        var buffer = new byte[65536];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            total += n;
        }

        return total;
    }
}
