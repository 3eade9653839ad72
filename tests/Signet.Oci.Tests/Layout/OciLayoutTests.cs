using System.Collections.Immutable;
using System.Text;
using Signet.Oci.Layout;
using Signet.Oci.Tests.TestSupport;
using Signet.Testing;

namespace Signet.Oci.Tests.Layout;

public sealed class OciLayoutTests
{
    private static Descriptor Entry(int seed, string? tag = null, string? artifactType = null) => new()
    {
        MediaType = MediaTypes.OciManifest,
        Digest = Digest.Compute(BitConverter.GetBytes(seed)),
        Size = 100 + seed,
        ArtifactType = artifactType,
        Annotations = tag is null ? ImmutableSortedDictionary<string, string>.Empty : ImmutableSortedDictionary<string, string>.Empty.Add(Annotations.RefName, tag),
    };

    private static ImageIndex Index(params Descriptor[] entries) =>
        (ImageIndex)ManifestParser.Parse(OciLayout.WriteIndex(entries), MediaTypes.OciIndex, "test");

    [Fact]
    public void SelectEntry_NoTagOneImage_ReturnsIt()
    {
        var index = Index(Entry(1, "v1"), Entry(2, artifactType: "application/spdx+json"));

        Assert.Equal(Entry(1).Digest, OciLayout.SelectEntry(index, null, "oci:x").Digest);
    }

    [Theory]
    [InlineData("sig")]
    [InlineData("att")]
    [InlineData("sbom")]
    public void SelectEntry_NoTagImageWithCosignAttachmentTag_ReturnsTheImage(string suffix)
    {
        var attachment = $"sha256-{Entry(1).Digest.Encoded}.{suffix}";
        var index = Index(Entry(1, "v1"), Entry(2, attachment));

        Assert.Equal(Entry(1).Digest, OciLayout.SelectEntry(index, null, "oci:x").Digest);
        Assert.Equal(Entry(2).Digest, OciLayout.SelectEntry(index, attachment, "oci:x").Digest);
    }

    [Theory]
    [InlineData("sha256-abc.sig")]
    [InlineData("v1.sig")]
    [InlineData("sha256-0000000000000000000000000000000000000000000000000000000000000000.txt")]
    public void IsAttachmentTag_NotTheCosignConvention_IsFalse(string tag) =>
        Assert.False(OciLayout.IsAttachmentTag(Entry(1, tag)));

    [Fact]
    public void SelectEntry_NoTagTwoImages_ThrowsListingTags()
    {
        var e = Assert.Throws<OciFormatException>(() => OciLayout.SelectEntry(Index(Entry(1, "v1"), Entry(2, "v2")), null, "oci:x"));

        Assert.Contains("oci:x holds 2 images; name one as oci:DIR:TAG. Tags: v1, v2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SelectEntry_EmptyIndex_ThrowsHoldsNoImage()
    {
        var e = Assert.Throws<OciFormatException>(() => OciLayout.SelectEntry(Index(), null, "oci:x"));

        Assert.Contains("lists no manifests", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v2", 2)]
    [InlineData("latest", 3)]
    public void SelectEntry_Tag_ReturnsTaggedEntry(string tag, int expected)
    {
        var index = Index(Entry(1, "v1"), Entry(2, "v2"), Entry(3, "latest"));

        Assert.Equal(Entry(expected).Digest, OciLayout.SelectEntry(index, tag, "oci:x").Digest);
    }

    [Fact]
    public void SelectEntry_Digest_ReturnsEntryWithThatDigest()
    {
        var index = Index(Entry(1, "v1"), Entry(2, "v2"));

        Assert.Equal(Entry(2).Digest, OciLayout.SelectEntry(index, Entry(2).Digest.ToString(), "oci:x").Digest);
    }

    [Fact]
    public void SelectEntry_UnknownTag_ThrowsListingTags()
    {
        var e = Assert.Throws<OciFormatException>(() => OciLayout.SelectEntry(Index(Entry(1, "v1")), "v9", "oci:x"));

        Assert.Contains("has no image tagged 'v9'. Tags: v1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SelectEntry_DuplicateTag_ThrowsAmbiguous()
    {
        var e = Assert.Throws<OciFormatException>(() => OciLayout.SelectEntry(Index(Entry(1, "v1"), Entry(2, "v1")), "v1", "oci:x"));

        Assert.Contains("2 index.json entries tagged 'v1'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteIndex_MediaTypes_AreWrittenWithoutEscapes()
    {
        var json = Encoding.UTF8.GetString(OciLayout.WriteIndex([Entry(1, "v1")]));

        Assert.Contains("\"application/vnd.oci.image.index.v1+json\"", json, StringComparison.Ordinal);
        Assert.Contains("\"application/vnd.oci.image.manifest.v1+json\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NonEmptyDirectoryWithoutLayout_Refuses()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("notes.txt"), "mine");

        var e = Assert.Throws<OciFormatException>(() => new OciLayoutDestination(dir.Path, "v1", "oci:dir"));

        Assert.Contains("is not empty and has no 'oci-layout' file", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("oci-layout")));
    }

    [Fact]
    public async Task CommitAsync_SameTagTwice_ReplacesEntryAndKeepsOthers()
    {
        using var dir = new TempDir();
        var first = TinyImage.Create(1);
        var second = TinyImage.Create(2);
        var other = TinyImage.Create(3);

        foreach (var (image, tag) in new[] { (first, "v1"), (other, "stable"), (second, "v1") })
        {
            await using var destination = new OciLayoutDestination(dir.Path, tag, "oci:dir");
            await image.WriteAsync(destination);
        }

        var index = await OciLayout.ReadIndexAsync(new DirectoryLayoutFiles(dir.Path));
        Assert.Equal(2, index.Manifests.Length);
        Assert.Equal(second.Manifest.Digest, OciLayout.SelectEntry(index, "v1", "oci:dir").Digest);
        Assert.Equal(other.Manifest.Digest, OciLayout.SelectEntry(index, "stable", "oci:dir").Digest);
        await using var source = new OciLayoutSource(new DirectoryLayoutFiles(dir.Path), "v1", "oci:dir:v1");
        Assert.Equal(second.Manifest.Digest, (await TinyImage.ReadAllAsync(source)).Digest);
    }

    [Fact]
    public async Task PutBlobAsync_ContentNotMatchingDigest_ThrowsAndStoresNothing()
    {
        using var dir = new TempDir();
        var image = TinyImage.Create(4);
        await using var destination = new OciLayoutDestination(dir.Path, "v1", "oci:dir");
        var wrong = image.Layer.ToArray();
        wrong[10] ^= 1;

        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => destination.PutBlobAsync(image.Manifest.Layers[0], new MemoryStream(wrong)));

        Assert.Equal(image.Manifest.Layers[0].Digest, e.Expected);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(dir.Path, "blobs"), "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("blobs/../../outside")]
    [InlineData("/etc/passwd")]
    public void OpenFile_PathLeavingLayout_Refuses(string path)
    {
        using var dir = new TempDir();

        var e = Assert.Throws<OciFormatException>(() => new DirectoryLayoutFiles(dir.Path).OpenFile(path));

        Assert.Contains("leaves the layout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRootManifestAsync_EntryNotAManifest_RefusesNamingMediaType()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Combine("oci-layout"), [.. OciLayout.LayoutFileContent]);
        File.WriteAllBytes(dir.Combine("index.json"), OciLayout.WriteIndex([Entry(1) with { MediaType = "application/badmedia+json" }]));
        await using var source = new OciLayoutSource(new DirectoryLayoutFiles(dir.Path), null, "oci:bad");

        var e = await Assert.ThrowsAsync<OciFormatException>(() => source.GetRootManifestAsync());

        Assert.Contains("media type 'application/badmedia+json', which is not an image manifest or index", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadIndexAsync_UnsupportedLayoutVersion_Refuses()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("oci-layout"), """{"imageLayoutVersion":"2.0.0"}""");
        File.WriteAllBytes(dir.Combine("index.json"), OciLayout.WriteIndex([]));

        var e = await Assert.ThrowsAsync<OciFormatException>(() => OciLayout.ReadIndexAsync(new DirectoryLayoutFiles(dir.Path)));

        Assert.Contains("imageLayoutVersion '2.0.0' is not supported", e.Message, StringComparison.Ordinal);
    }
}
