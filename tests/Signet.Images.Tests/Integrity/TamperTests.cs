using Signet.Images.Integrity;
using Signet.Images.Tests.TestSupport;
using Signet.Oci;
using Signet.Oci.Archives;
using Signet.Testing;
using Signet.Testing.Registry;
using Signet.Testing.Tools;

namespace Signet.Images.Tests.Integrity;

/// <summary>
/// Damaged images in every transport: each failure is reported (never thrown) with its stable INT code, a message
/// naming the blob, and <see cref="IntegrityReport.Passed"/> false (the CLI's non-zero exit); the other objects are
/// still checked.
/// </summary>
public sealed class TamperTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    private static async Task<(string Layout, ImageManifest Manifest)> BuildAsync(TempDir dir, int seed)
    {
        var layout = dir.Combine("image");
        return (layout, await TestImages.BuildLayoutAsync(layout, "v1", seed));
    }

    private static ObjectCheck AssertSingleFailure(IntegrityReport report, ObjectKind kind, string code, Digest digest)
    {
        Assert.False(report.Passed);
        var failure = Assert.Single(report.Failures);
        Assert.True(failure.Kind == kind && failure.Code == code, $"expected {kind} {code}, got:\n{TestImages.Describe(report)}");
        Assert.Equal(digest, failure.Digest);
        Assert.Contains(digest.ToString(), failure.Message, StringComparison.Ordinal);
        return failure;
    }

    [Fact]
    public async Task VerifyAsync_LayoutLayerByteFlipped_ReportsDigestMismatchAndChecksTheRest()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (layout, manifest) = await BuildAsync(dir, 51);
        var layer = manifest.Layers[1];
        Tamper.FlipByte(Tamper.BlobFile(layout, layer.Digest), layer.Size / 2);

        var report = await TestImages.VerifyAsync(transports, $"oci:{layout}:v1");

        AssertSingleFailure(report, ObjectKind.Layer, IntegrityCodes.DigestMismatch, layer.Digest);
        Assert.Contains(report.Objects, o => o.Kind == ObjectKind.Layer && o.Digest == manifest.Layers[0].Digest && o.Passed && o.ActualDiffId is not null);
        Assert.Contains(report.Objects, o => o.Kind == ObjectKind.Config && o.Passed);
    }

    [Fact]
    public async Task VerifyAsync_DockerArchiveLayerByteFlipped_ReportsDigestMismatch()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (layout, manifest) = await BuildAsync(dir, 52);
        var archive = dir.Combine("image.tar");
        await TestImages.CopyAsync(transports, $"oci:{layout}:v1", $"docker-archive:{archive}:tamper/app:v1");
        var layer = manifest.Layers[0];
        Assert.True(TarIndex.Open(archive, "test").TryResolve($"blobs/sha256/{layer.Digest.Encoded}", out var entry));
        Tamper.FlipByte(archive, entry.DataOffset + (entry.Length / 2));

        var report = await TestImages.VerifyAsync(transports, $"docker-archive:{archive}");

        AssertSingleFailure(report, ObjectKind.Layer, IntegrityCodes.DigestMismatch, layer.Digest);
    }

    [Fact]
    public async Task VerifyAsync_LegacyDockerArchiveLayerByteFlipped_ReportsDigestMismatchOfDiffId()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (layout, _) = await BuildAsync(dir, 53);
        var archive = dir.Combine("skopeo.tar");
        await Tool.RunAsync("skopeo", "--insecure-policy", "copy", "--quiet", $"oci:{layout}:v1", $"docker-archive:{archive}:tamper/app:v1");
        var root = (ImageManifest)await TestImages.RootAsync(transports, $"docker-archive:{archive}");
        var layer = root.Layers[1];
        var entry = TarIndex.Open(archive, "test").Entries.Single(e => e.Type == TarIndexEntryType.File && e.Length == layer.Size && e.Name.EndsWith(".tar", StringComparison.Ordinal));
        Tamper.FlipByte(archive, entry.DataOffset + 700);

        var report = await TestImages.VerifyAsync(transports, $"docker-archive:{archive}");

        Assert.Equal(MediaTypes.DockerLayer, layer.MediaType);
        AssertSingleFailure(report, ObjectKind.Layer, IntegrityCodes.DigestMismatch, layer.Digest);
    }

    [Fact]
    public async Task VerifyAsync_RegistryStoredBlobByteFlipped_ReportsDigestMismatch()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (layout, manifest) = await BuildAsync(dir, 54);
        var image = $"docker://{fixture.Registry.Host}/tamper/stored:v1";
        await TestImages.CopyAsync(transports, $"oci:{layout}:v1", image);
        var layer = manifest.Layers[1];
        Tamper.FlipByte(fixture.Registry.BlobDataPath(layer.Digest.ToString()), 10);

        var report = await TestImages.VerifyAsync(transports, image);

        AssertSingleFailure(report, ObjectKind.Layer, IntegrityCodes.DigestMismatch, layer.Digest);
    }

    [Fact]
    public async Task VerifyAsync_RegistryStoredConfigByteFlipped_ReportsConfigDigestMismatch()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (layout, manifest) = await BuildAsync(dir, 55);
        var image = $"docker://{fixture.Registry.Host}/tamper/config:v1";
        await TestImages.CopyAsync(transports, $"oci:{layout}:v1", image);
        Tamper.FlipByte(fixture.Registry.BlobDataPath(manifest.Config.Digest.ToString()), 3);

        var report = await TestImages.VerifyAsync(transports, image);

        AssertSingleFailure(report, ObjectKind.Config, IntegrityCodes.DigestMismatch, manifest.Config.Digest);
    }

    [Fact]
    public async Task VerifyAsync_TruncatedLayer_ReportsSizeMismatch()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (layout, manifest) = await BuildAsync(dir, 56);
        var layer = manifest.Layers[1];
        using (var file = new FileStream(Tamper.BlobFile(layout, layer.Digest), FileMode.Open, FileAccess.Write))
        {
            file.SetLength(layer.Size - 100);
        }

        var report = await TestImages.VerifyAsync(transports, $"oci:{layout}:v1");

        var failure = AssertSingleFailure(report, ObjectKind.Layer, IntegrityCodes.SizeMismatch, layer.Digest);
        Assert.Contains($"size {layer.Size - 100}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_MissingLayer_ReportsMissing()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (layout, manifest) = await BuildAsync(dir, 57);
        File.Delete(Tamper.BlobFile(layout, manifest.Layers[0].Digest));

        var report = await TestImages.VerifyAsync(transports, $"oci:{layout}:v1");

        var failure = AssertSingleFailure(report, ObjectKind.Layer, IntegrityCodes.Missing, manifest.Layers[0].Digest);
        Assert.Contains("is missing", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_MissingConfig_ReportsMissingAndStillChecksLayerDigests()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (layout, manifest) = await BuildAsync(dir, 58);
        File.Delete(Tamper.BlobFile(layout, manifest.Config.Digest));

        var report = await TestImages.VerifyAsync(transports, $"oci:{layout}:v1");

        AssertSingleFailure(report, ObjectKind.Config, IntegrityCodes.Missing, manifest.Config.Digest);
        Assert.Equal(2, report.Objects.Count(o => o.Kind == ObjectKind.Layer && o.Passed));
    }

    [Fact]
    public async Task VerifyAsync_DiffIdCountDiffersFromLayers_ReportsLayerCountMismatch()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (layout, manifest) = await BuildAsync(dir, 59);
        var config = Tamper.ConfigWithDiffIds(layout, manifest, [Digest.Compute("only one"u8).ToString()]);
        var crafted = await Tamper.WriteImageAsync(layout, "crafted", config, Tamper.Layers(layout, manifest));

        var report = await TestImages.VerifyAsync(transports, $"oci:{layout}:crafted");

        var failure = AssertSingleFailure(report, ObjectKind.Config, IntegrityCodes.LayerCountMismatch, crafted.Config.Digest);
        Assert.Contains("lists 1 diff_ids", failure.Message, StringComparison.Ordinal);
        Assert.Contains("has 2 layers", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_WrongDiffIdInSelfConsistentImage_ReportsDiffIdMismatch()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (layout, manifest) = await BuildAsync(dir, 60);
        var original = await TestImages.VerifyAsync(transports, $"oci:{layout}:v1");
        var diffIds = original.Objects.Where(o => o.Kind == ObjectKind.Layer).Select(o => o.DiffId!.Value.ToString()).ToList();
        var forged = Digest.Compute("not the layer"u8);
        diffIds[1] = forged.ToString();
        var crafted = await Tamper.WriteImageAsync(layout, "crafted", Tamper.ConfigWithDiffIds(layout, manifest, diffIds), Tamper.Layers(layout, manifest));

        var report = await TestImages.VerifyAsync(transports, $"oci:{layout}:crafted");

        var failure = AssertSingleFailure(report, ObjectKind.Layer, IntegrityCodes.DiffIdMismatch, crafted.Layers[1].Digest);
        Assert.Equal(forged, failure.DiffId);
        Assert.NotEqual(forged, failure.ActualDiffId);
        Assert.Contains(forged.ToString(), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_UncompressedLayerWithWrongDiffId_ReportsDiffIdMismatch()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (layout, manifest) = await BuildAsync(dir, 61);
        var tar = Tamper.Gunzip(Tamper.ReadBlob(layout, manifest.Layers[0].Digest));
        var forged = Digest.Compute("forged"u8);
        var crafted = await Tamper.WriteImageAsync(layout, "crafted", Tamper.ConfigWithDiffIds(layout, manifest, [forged.ToString()]), [(MediaTypes.OciLayer, tar)]);

        var report = await TestImages.VerifyAsync(transports, $"oci:{layout}:crafted");

        AssertSingleFailure(report, ObjectKind.Layer, IntegrityCodes.DiffIdMismatch, crafted.Layers[0].Digest);
    }

    public static TheoryData<string> CorruptGzip => ["flip", "truncate", "garbage"];

    [Theory]
    [MemberData(nameof(CorruptGzip))]
    public async Task VerifyAsync_CorruptGzipWhoseDigestMatches_ReportsDecompressionFailure(string damage)
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (layout, manifest) = await BuildAsync(dir, 62);
        var layers = Tamper.Layers(layout, manifest);
        var gzip = layers[1].Content.ToArray();
        byte[] corrupt = damage switch
        {
            "flip" => Flip(gzip, gzip.Length / 2),
            "truncate" => gzip[..(gzip.Length / 2)],
            _ => [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0xff, .. TestImages.Payload(3000, 9)],
        };
        layers[1] = (layers[1].MediaType, corrupt);
        var config = Tamper.ReadBlob(layout, manifest.Config.Digest);
        var crafted = await Tamper.WriteImageAsync(layout, "crafted", config, layers);

        var report = await TestImages.VerifyAsync(transports, $"oci:{layout}:crafted");

        var failure = AssertSingleFailure(report, ObjectKind.Layer, IntegrityCodes.Decompression, crafted.Layers[1].Digest);
        Assert.Contains("gzip", failure.Message, StringComparison.Ordinal);

        static byte[] Flip(byte[] bytes, int at)
        {
            bytes[at] ^= 0xff;
            return bytes;
        }
    }

    [Theory]
    [InlineData("docker-archive")]
    [InlineData("oci-archive")]
    public async Task CopyAsync_TamperedSourceToArchive_FailsAndLeavesNoFile(string transport)
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (layout, manifest) = await BuildAsync(dir, 63);
        Tamper.FlipByte(Tamper.BlobFile(layout, manifest.Layers[1].Digest), 40);
        Directory.CreateDirectory(dir.Combine("out"));

        var e = await Assert.ThrowsAsync<DigestMismatchException>(() =>
            TestImages.CopyAsync(transports, $"oci:{layout}:v1", $"{transport}:{Path.Combine(dir.Combine("out"), "image.tar")}"));

        Assert.Equal(manifest.Layers[1].Digest, e.Expected);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Combine("out")));
    }

    [Fact]
    public async Task CopyAsync_TamperedSourceToLayout_FailsAndStoresNoBadBlob()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (layout, manifest) = await BuildAsync(dir, 64);
        Tamper.FlipByte(Tamper.BlobFile(layout, manifest.Layers[1].Digest), 40);

        await Assert.ThrowsAsync<DigestMismatchException>(() => TestImages.CopyAsync(transports, $"oci:{layout}:v1", $"oci:{dir.Combine("out")}:v1"));

        Assert.False(File.Exists(Tamper.BlobFile(dir.Combine("out"), manifest.Layers[1].Digest)));
        Assert.False(File.Exists(Path.Combine(dir.Combine("out"), "index.json")));
        Assert.DoesNotContain(Directory.EnumerateFiles(dir.Combine("out"), "*", SearchOption.AllDirectories), f => f.EndsWith(".partial", StringComparison.Ordinal));
    }
}
