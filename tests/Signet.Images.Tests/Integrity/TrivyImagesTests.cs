using Signet.Images.Integrity;
using Signet.Images.Tests.TestSupport;
using Signet.Oci;
using Signet.Testing;

namespace Signet.Images.Tests.Integrity;

/// <summary>
/// The real images of ../shared/data/trivy-images (aquasecurity/trivy fanal test data): a gzip-compressed legacy
/// `docker save` of alpine:3.10, a tiny valid OCI layout, one selected by tag, and four deliberately broken layouts.
/// </summary>
public sealed class TrivyImagesTests
{
    private const string AlpineConfig = "sha256:af341ccd2df8b0e2d67cf8dd32e087bfda4e5756ebd1c76bbf3efa0dc246590e";
    private const string AlpineDiffId = "sha256:531743b7098cb2aaf615641007a129173f63ed86ca32fe7b5a246a1c47286028";
    private const string TestOciManifest = "sha256:afb744871f99e0ff8e6f253244836ed34c5d805fdb096d3a205ffaf5e9073cab";

    private static string Data(string name) => TestData.Require(Path.Combine("trivy-images", name));

    [Theory]
    [InlineData("")]
    [InlineData(":alpine:3.10")]
    [InlineData(":docker.io/library/alpine:3.10")]
    [InlineData(":@0")]
    public async Task VerifyAsync_Alpine310GzipDockerSave_PassesAndChecksDiffId(string selector)
    {
        using var transports = TestImages.Transports();

        var report = await TestImages.VerifyAsync(transports, $"docker-archive:{Data("alpine-310.tar.gz")}{selector}");

        TestImages.AssertPassed(report);
        var config = Assert.Single(report.Objects, o => o.Kind == ObjectKind.Config);
        Assert.Equal(AlpineConfig, config.Digest.ToString());
        Assert.Equal("linux/amd64", config.Platform);
        var layer = Assert.Single(report.Objects, o => o.Kind == ObjectKind.Layer);
        Assert.True(layer.Passed);
        Assert.Equal(AlpineDiffId, layer.DiffId.ToString());
        Assert.Equal(AlpineDiffId, layer.ActualDiffId.ToString());
        Assert.Equal(5_818_880, layer.UncompressedSize);
        Assert.Equal(5_818_880, report.BytesUncompressed);
    }

    [Fact]
    public async Task OpenSourceAsync_Alpine310UnknownTag_FailsNamingTheTags()
    {
        using var transports = TestImages.Transports();

        var e = await Assert.ThrowsAsync<OciFormatException>(() => TestImages.RootAsync(transports, $"docker-archive:{Data("alpine-310.tar.gz")}:alpine:3.11"));

        Assert.Contains("has no image tagged 'alpine:3.11'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Tags: alpine:3.10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CopyAsync_Alpine310ToLayoutAndDockerArchive_KeepsSynthesisedDigest()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var root = await TestImages.RootAsync(transports, $"docker-archive:{Data("alpine-310.tar.gz")}");

        var toLayout = await TestImages.CopyAsync(transports, $"docker-archive:{Data("alpine-310.tar.gz")}", $"oci:{dir.Combine("alpine")}:3.10");
        var toArchive = await TestImages.CopyAsync(transports, $"oci:{dir.Combine("alpine")}:3.10", $"docker-archive:{dir.Combine("alpine.tar")}:alpine:3.10");

        Assert.Equal(MediaTypes.DockerManifest, root.MediaType);
        Assert.Equal(root.Digest, toLayout.RootDigest);
        Assert.Equal(root.Digest, toArchive.RootDigest);
        TestImages.AssertPassed(await TestImages.VerifyAsync(transports, $"docker-archive:{dir.Combine("alpine.tar")}:alpine:3.10"));
    }

    [Theory]
    [InlineData("test.oci", "")]
    [InlineData("test.oci", ":" + TestOciManifest)]
    [InlineData("test_image_tag.oci", ":0.0.1")]
    [InlineData("test_image_tag.oci", "")]
    public async Task VerifyAsync_TrivyOciLayout_Passes(string layout, string selector)
    {
        using var transports = TestImages.Transports();

        var report = await TestImages.VerifyAsync(transports, $"oci:{Data(layout)}{selector}");

        TestImages.AssertPassed(report);
        Assert.Equal(TestOciManifest, report.RootDigest.ToString());
        Assert.Equal(3, report.Objects.Length);
        var layer = Assert.Single(report.Objects, o => o.Kind == ObjectKind.Layer);
        Assert.NotNull(layer.ActualDiffId);
        Assert.Equal(layer.DiffId, layer.ActualDiffId);
    }

    [Fact]
    public async Task VerifyAsync_TrivyImageTagUnknownTag_FailsNamingTheTags()
    {
        using var transports = TestImages.Transports();

        var report = await TestImages.VerifyAsync(transports, $"oci:{Data("test_image_tag.oci")}:0.0.2");

        var failure = Assert.Single(report.Failures);
        Assert.Equal(IntegrityCodes.Malformed, failure.Code);
        Assert.Contains("has no image tagged '0.0.2'. Tags: 0.0.1", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>The four broken layouts: what each breaks, the code, and words the message must contain.</summary>
    public static TheoryData<string, string, string> BrokenLayouts => new()
    {
        // index.json is the text "foobar".
        { "test_bad_index_json.oci", IntegrityCodes.Malformed, "index.json is not valid JSON" },

        // index.json is a directory.
        { "test_index_json_dir.oci", IntegrityCodes.Malformed, "'index.json' is a directory, not a file" },

        // The only entry has media type application/badmedia+json and a digest whose blob does not exist.
        { "test_invalid_oci_image.oci", IntegrityCodes.Malformed, "application/badmedia+json" },

        // index.json is "{}": no schemaVersion, no manifests.
        { "test_no_valid_manifests.oci", IntegrityCodes.Malformed, "index.json" },
    };

    [Theory]
    [MemberData(nameof(BrokenLayouts))]
    public async Task VerifyAsync_TrivyBrokenLayout_FailsWithClearMessage(string layout, string code, string expected)
    {
        using var transports = TestImages.Transports();

        var report = await TestImages.VerifyAsync(transports, $"oci:{Data(layout)}");

        Assert.False(report.Passed);
        Assert.Null(report.RootDigest);
        var failure = Assert.Single(report.Failures);
        Assert.Equal(code, failure.Code);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.Contains(layout, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Require_MissingSharedData_FailsNamingTheFile()
    {
        var e = Record.Exception(() => TestData.Require("trivy-images/no-such-image.tar"));

        // Without SIGNET_TEST_DATA the message names the variable; with it, the missing file.
        Assert.True(e is FileNotFoundException or InvalidOperationException, $"unexpected {e?.GetType()}");
        Assert.Contains(TestData.Root is null ? TestData.Variable : "no-such-image.tar", e!.Message, StringComparison.Ordinal);
    }
}
