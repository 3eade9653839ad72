using System.Text.Json;
using Signet.Images.Integrity;
using Signet.Images.Tests.TestSupport;
using Signet.Oci;
using Signet.Oci.Layout;
using Signet.Testing;
using Signet.Testing.Registry;
using Signet.Testing.Tools;

namespace Signet.Images.Tests.Interop;

/// <summary>
/// Real skopeo (run as a process) reads what Signet writes, and Signet reads and verifies what skopeo writes: layouts,
/// both archive kinds, a Docker v2s2 push to a real registry and zstd-recompressed layers.
/// </summary>
public sealed class SkopeoInteropTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    private string Registry => fixture.Registry.Host;

    private static Task<string> Skopeo(params string[] arguments) => Tool.RunAsync("skopeo", ["--insecure-policy", .. arguments]);

    private static async Task<(ImageManifest Manifest, ImageConfig Config)> BuildAsync(string layout, int seed)
    {
        var manifest = await TestImages.BuildLayoutAsync(layout, "v1", seed, LayerCompression.Gzip);
        var config = ManifestParser.ParseConfig(await File.ReadAllBytesAsync(Path.Combine(layout, OciLayout.BlobPath(manifest.Config.Digest))), "test");
        return (manifest, config);
    }

    private static async Task<ImageConfig> ConfigAsync(Images.Transports.ImageTransports transports, string name)
    {
        await using var source = await transports.OpenSourceAsync(Images.Transports.ImageName.Parse(name));
        var manifest = (ImageManifest)await source.GetRootManifestAsync();
        await using var stream = await source.OpenBlobAsync(manifest.Config);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return ManifestParser.ParseConfig(buffer.ToArray(), name);
    }

    [Fact]
    public async Task SkopeoInspect_SignetOciLayout_SeesSameBytesAndDigest()
    {
        using var dir = new TempDir();
        var (built, _) = await BuildAsync(dir.Combine("built"), seed: 31);

        var raw = await Skopeo("inspect", "--raw", $"oci:{dir.Combine("built")}:v1");
        using var inspected = JsonDocument.Parse(await Skopeo("inspect", $"oci:{dir.Combine("built")}:v1"));

        Assert.Equal(System.Text.Encoding.UTF8.GetString(built.Raw.Span), raw.TrimEnd('\n'));
        Assert.Equal(built.Digest.ToString(), inspected.RootElement.GetProperty("Digest").GetString());
        Assert.Equal("amd64", inspected.RootElement.GetProperty("Architecture").GetString());
        Assert.Equal("signet-test-31", inspected.RootElement.GetProperty("Labels").GetProperty("org.opencontainers.image.title").GetString());
    }

    [Theory]
    [InlineData("oci")]
    [InlineData("oci-archive")]
    public async Task SkopeoCopy_FromSignetOciOutput_KeepsDigestAndVerifies(string transport)
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (built, _) = await BuildAsync(dir.Combine("built"), seed: 32);
        var written = transport == "oci" ? $"oci:{dir.Combine("signet")}:v1" : $"oci-archive:{dir.Combine("signet.tar")}:v1";
        await TestImages.CopyAsync(transports, $"oci:{dir.Combine("built")}:v1", written);

        await Skopeo("copy", "--quiet", written, $"oci:{dir.Combine("skopeo")}:v1");

        var report = await TestImages.VerifyAsync(transports, $"oci:{dir.Combine("skopeo")}:v1");
        TestImages.AssertPassed(report);
        Assert.Equal(built.Digest, report.RootDigest);
    }

    [Fact]
    public async Task SkopeoCopy_FromSignetDockerArchive_KeepsConfigAndVerifies()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (built, config) = await BuildAsync(dir.Combine("built"), seed: 33);
        await TestImages.CopyAsync(transports, $"oci:{dir.Combine("built")}:v1", $"docker-archive:{dir.Combine("signet.tar")}:team/app:v1");

        using var inspected = JsonDocument.Parse(await Skopeo("inspect", $"docker-archive:{dir.Combine("signet.tar")}:team/app:v1"));
        await Skopeo("copy", "--quiet", $"docker-archive:{dir.Combine("signet.tar")}:team/app:v1", $"oci:{dir.Combine("skopeo")}:v1");

        // skopeo reads docker-archive layers as uncompressed tars (their digests are the DiffIDs) and, converting the
        // Docker manifest to OCI, re-serialises the config: manifest and config digests are new, the DiffIDs are not.
        Assert.Equal(config.DiffIds.Select(d => d.ToString()), inspected.RootElement.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()));
        var report = await TestImages.VerifyAsync(transports, $"oci:{dir.Combine("skopeo")}:v1");
        TestImages.AssertPassed(report);
        Assert.NotEqual(built.Digest, report.RootDigest);
        Assert.Equal(config.DiffIds, report.Objects.Where(o => o.Kind == ObjectKind.Layer).Select(o => o.ActualDiffId!.Value));
        Assert.Equal(config.DiffIds.AsEnumerable(), (await ConfigAsync(transports, $"oci:{dir.Combine("skopeo")}:v1")).DiffIds.AsEnumerable());
    }

    [Fact]
    public async Task SkopeoCopy_ToRegistryFromSignetDockerArchive_Verifies()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (built, _) = await BuildAsync(dir.Combine("built"), seed: 34);
        await TestImages.CopyAsync(transports, $"oci:{dir.Combine("built")}:v1", $"docker-archive:{dir.Combine("signet.tar")}");

        await Skopeo("copy", "--quiet", "--dest-tls-verify=false", $"docker-archive:{dir.Combine("signet.tar")}", $"docker://{Registry}/skopeo/from-archive:v1");

        var report = await TestImages.VerifyAsync(transports, $"docker://{Registry}/skopeo/from-archive:v1");
        TestImages.AssertPassed(report);
        Assert.Equal(built.Config.Digest, report.Objects.Single(o => o.Kind == ObjectKind.Config).Digest);
    }

    [Fact]
    public async Task VerifyAsync_SkopeoOciArchive_KeepsDigestAndPasses()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (built, _) = await BuildAsync(dir.Combine("built"), seed: 35);

        await Skopeo("copy", "--quiet", $"oci:{dir.Combine("built")}:v1", $"oci-archive:{dir.Combine("skopeo.tar")}:v1");

        var report = await TestImages.VerifyAsync(transports, $"oci-archive:{dir.Combine("skopeo.tar")}:v1");
        TestImages.AssertPassed(report);
        Assert.Equal(built.Digest, report.RootDigest);
        var copied = await TestImages.CopyAsync(transports, $"oci-archive:{dir.Combine("skopeo.tar")}:v1", $"oci:{dir.Combine("signet")}:v1");
        Assert.Equal(built.Digest, copied.RootDigest);
    }

    [Fact]
    public async Task VerifyAsync_SkopeoDockerArchive_ChecksEveryDiffIdAndCopies()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (built, config) = await BuildAsync(dir.Combine("built"), seed: 36);

        await Skopeo("copy", "--quiet", $"oci:{dir.Combine("built")}:v1", $"docker-archive:{dir.Combine("skopeo.tar")}:team/app:v1");

        foreach (var name in new[] { $"docker-archive:{dir.Combine("skopeo.tar")}", $"docker-archive:{dir.Combine("skopeo.tar")}:team/app:v1", $"docker-archive:{dir.Combine("skopeo.tar")}:@0" })
        {
            var report = await TestImages.VerifyAsync(transports, name);
            TestImages.AssertPassed(report);
            Assert.Equal(config.DiffIds, report.Objects.Where(o => o.Kind == ObjectKind.Layer).Select(o => o.ActualDiffId!.Value));
        }

        var copied = await TestImages.CopyAsync(transports, $"docker-archive:{dir.Combine("skopeo.tar")}", $"oci:{dir.Combine("signet")}:v1");
        TestImages.AssertPassed(await TestImages.VerifyAsync(transports, $"oci:{dir.Combine("signet")}:v1"));
        Assert.Equal(built.Config.Digest, ((ImageManifest)await TestImages.RootAsync(transports, $"oci:{dir.Combine("signet")}:v1")).Config.Digest);
        Assert.NotEqual(default, copied.RootDigest);
    }

    [Fact]
    public async Task VerifyAsync_SkopeoV2s2Push_PassesAndRoundTripsDigest()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        await BuildAsync(dir.Combine("built"), seed: 37);

        await Skopeo("copy", "--quiet", "--format", "v2s2", "--dest-tls-verify=false", $"oci:{dir.Combine("built")}:v1", $"docker://{Registry}/skopeo/v2s2:v1");

        var root = await TestImages.RootAsync(transports, $"docker://{Registry}/skopeo/v2s2:v1");
        Assert.Equal(MediaTypes.DockerManifest, root.MediaType);
        TestImages.AssertPassed(await TestImages.VerifyAsync(transports, $"docker://{Registry}/skopeo/v2s2:v1"));
        await TestImages.CopyAsync(transports, $"docker://{Registry}/skopeo/v2s2:v1", $"oci:{dir.Combine("pulled")}:v1");
        await TestImages.CopyAsync(transports, $"oci:{dir.Combine("pulled")}:v1", $"docker-archive:{dir.Combine("saved.tar")}:skopeo/v2s2:v1");
        var back = await TestImages.CopyAsync(transports, $"docker-archive:{dir.Combine("saved.tar")}", $"docker://{Registry}/skopeo/v2s2-back:v1");
        Assert.Equal(root.Digest, back.RootDigest);
        using var inspected = JsonDocument.Parse(await Skopeo("inspect", "--tls-verify=false", $"docker://{Registry}/skopeo/v2s2-back:v1"));
        Assert.Equal(root.Digest.ToString(), inspected.RootElement.GetProperty("Digest").GetString());
    }

    [Fact]
    public async Task VerifyAsync_SkopeoZstdRecompressed_ChecksDiffIdsThroughZstd()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (_, config) = await BuildAsync(dir.Combine("built"), seed: 38);

        await Skopeo("copy", "--quiet", "--dest-compress-format", "zstd", "--dest-compress", $"oci:{dir.Combine("built")}:v1", $"oci:{dir.Combine("zstd")}:v1");

        var root = (ImageManifest)await TestImages.RootAsync(transports, $"oci:{dir.Combine("zstd")}:v1");
        Assert.All(root.Layers, l => Assert.Equal(MediaTypes.OciLayerZstd, l.MediaType));
        var report = await TestImages.VerifyAsync(transports, $"oci:{dir.Combine("zstd")}:v1");
        TestImages.AssertPassed(report);
        Assert.Equal(config.DiffIds, report.Objects.Where(o => o.Kind == ObjectKind.Layer).Select(o => o.ActualDiffId!.Value));
        var copied = await TestImages.CopyAsync(transports, $"oci:{dir.Combine("zstd")}:v1", $"docker://{Registry}/skopeo/zstd:v1");
        Assert.Equal(root.Digest, copied.RootDigest);
    }
}
