using Signet.Images.Integrity;
using Signet.Images.Tests.TestSupport;
using Signet.Oci;
using Signet.Oci.Layout;
using Signet.Testing;
using Signet.Testing.Tools;

namespace Signet.Images.Tests.Interop;

/// <summary>
/// Layouts written by real umoci: its manifests have no mediaType field, and `umoci insert` writes layer tars with no
/// padding after the last file and no end-of-archive blocks.
/// </summary>
public sealed class UmociInteropTests
{
    private static Task<string> Umoci(params string[] arguments) => Tool.RunAsync("umoci", arguments);

    /// <summary>init/new (v0), insert a file (v1), unpack, change the rootfs and repack (v2).</summary>
    private static async Task<string> BuildUmociLayoutAsync(TempDir dir)
    {
        var layout = dir.Combine("umoci");
        await Umoci("init", "--layout", layout);
        await Umoci("new", "--image", $"{layout}:v0");
        await Umoci("new", "--image", $"{layout}:v1");
        await File.WriteAllTextAsync(dir.Combine("hello.txt"), "hello from umoci\n");
        await Umoci("insert", "--image", $"{layout}:v1", dir.Combine("hello.txt"), "/etc/hello.txt");
        await Umoci("unpack", "--rootless", "--image", $"{layout}:v1", dir.Combine("bundle"));
        await File.WriteAllBytesAsync(Path.Combine(dir.Combine("bundle"), "rootfs", "data.bin"), TestImages.Payload(50_000, 7));
        await Umoci("repack", "--image", $"{layout}:v2", dir.Combine("bundle"));
        return layout;
    }

    [Fact]
    public async Task VerifyAsync_UmociLayout_PassesForEveryTag()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var layout = await BuildUmociLayoutAsync(dir);

        foreach (var (tag, layers) in new[] { ("v1", 1), ("v2", 2) })
        {
            var report = await TestImages.VerifyAsync(transports, $"oci:{layout}:{tag}");

            TestImages.AssertPassed(report);
            Assert.Equal(layers, report.Objects.Count(o => o.Kind == ObjectKind.Layer));
            Assert.All(report.Objects.Where(o => o.Kind == ObjectKind.Layer), l => Assert.Equal(l.DiffId, l.ActualDiffId));
        }
    }

    [Fact]
    public async Task GetRootManifestAsync_UmociManifestWithoutMediaType_TakesDescriptorMediaType()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var layout = await BuildUmociLayoutAsync(dir);

        var root = await TestImages.RootAsync(transports, $"oci:{layout}:v2");

        Assert.Null(root.DeclaredMediaType);
        Assert.Equal(MediaTypes.OciManifest, root.MediaType);
        Assert.IsType<ImageManifest>(root);
    }

    [Fact]
    public async Task VerifyAsync_UmociInsertLayer_HasNoTarEndBlocksAndStillPasses()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var layout = await BuildUmociLayoutAsync(dir);
        var root = (ImageManifest)await TestImages.RootAsync(transports, $"oci:{layout}:v1");
        var layer = Path.Combine(layout, OciLayout.BlobPath(root.Layers[0].Digest));
        await using (var gzip = new System.IO.Compression.GZipStream(File.OpenRead(layer), System.IO.Compression.CompressionMode.Decompress))
        using (var tar = new MemoryStream())
        {
            await gzip.CopyToAsync(tar);
            Assert.NotEqual(0, tar.Length % 1024); // no end-of-archive blocks (nor padding)
        }

        var report = await TestImages.VerifyAsync(transports, $"oci:{layout}:v1");

        TestImages.AssertPassed(report);
    }

    [Theory]
    [InlineData("oci-archive:{0}/out.tar:v2")]
    [InlineData("docker-archive:{0}/out.tar:umoci/app:v2")]
    [InlineData("oci:{0}/out:v2")]
    public async Task CopyAsync_UmociLayoutToEachTransport_KeepsDigestAndVerifies(string destination)
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var layout = await BuildUmociLayoutAsync(dir);
        var root = await TestImages.RootAsync(transports, $"oci:{layout}:v2");
        var target = string.Format(System.Globalization.CultureInfo.InvariantCulture, destination, dir.Path);

        var copied = await TestImages.CopyAsync(transports, $"oci:{layout}:v2", target);

        Assert.Equal(root.Digest, copied.RootDigest);
        var report = await TestImages.VerifyAsync(transports, target);
        TestImages.AssertPassed(report);
        Assert.Equal(root.Digest, report.RootDigest);
    }

    [Fact]
    public async Task VerifyAsync_UmociLayoutWithoutTag_RefusesNamingTheTags()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var layout = await BuildUmociLayoutAsync(dir);

        var report = await TestImages.VerifyAsync(transports, $"oci:{layout}");

        Assert.False(report.Passed);
        var failure = Assert.Single(report.Failures);
        Assert.Equal(IntegrityCodes.Malformed, failure.Code);
        Assert.Contains("holds 3 images", failure.Message, StringComparison.Ordinal);
        Assert.Contains("v0, v1, v2", failure.Message, StringComparison.Ordinal);
    }
}
