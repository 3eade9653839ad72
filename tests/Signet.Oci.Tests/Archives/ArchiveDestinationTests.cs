using System.Text;
using System.Text.Json;
using Signet.Oci.Archives;
using Signet.Oci.Content;
using Signet.Oci.Layout;
using Signet.Oci.Tests.TestSupport;
using Signet.Testing;

namespace Signet.Oci.Tests.Archives;

public sealed class ArchiveDestinationTests
{
    private static async Task<string> WriteAsync(TempDir dir, ArchiveFormat format, string? tag, TinyImage image)
    {
        var path = dir.Combine(format == ArchiveFormat.Docker ? "docker.tar" : "oci.tar");
        await using var destination = new ArchiveDestination(path, tag, format, $"archive:{path}");
        await image.WriteAsync(destination);
        return path;
    }

    private static string EntryText(string archive, string name)
    {
        var index = TarIndex.Open(archive, "test");
        Assert.True(index.TryResolve(name, out var entry), $"{name} should be in {archive}");
        using var stream = index.OpenEntry(entry);
        return Encoding.UTF8.GetString(TestBytes.ReadAll(stream));
    }

    [Theory]
    [InlineData(ArchiveFormat.Docker)]
    [InlineData(ArchiveFormat.Oci)]
    public async Task CommitAsync_ThenRead_KeepsManifestDigest(ArchiveFormat format)
    {
        using var dir = new TempDir();
        var image = TinyImage.Create(1);
        var path = await WriteAsync(dir, format, "app:v1", image);

        IImageSource source = format == ArchiveFormat.Docker
            ? await DockerArchiveSource.OpenAsync(path, null, "docker-archive:test")
            : new OciLayoutSource(new TarLayoutFiles(TarIndex.Open(path, "oci-archive:test"), "oci-archive:test"), "app:v1", "oci-archive:test");
        await using var disposeSource = source;

        var root = await TinyImage.ReadAllAsync(source);
        Assert.Equal(image.Manifest.Digest, root.Digest);
        Assert.Equal(image.Manifest.Raw.ToArray(), root.Raw.ToArray());
        Assert.Equal([Path.GetFileName(path)], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("app:v1", "app:v1", "docker.io/library/app:v1", "v1")]
    [InlineData("registry.example:5000/team/app", "registry.example:5000/team/app:latest", "registry.example:5000/team/app:latest", "latest")]
    [InlineData("docker.io/library/alpine:3.20", "alpine:3.20", "docker.io/library/alpine:3.20", "3.20")]
    public async Task CommitAsync_DockerFormat_WritesTagsAsDockerSaveDoes(string tag, string repoTag, string containerdName, string refName)
    {
        using var dir = new TempDir();
        var image = TinyImage.Create(2);
        var path = await WriteAsync(dir, ArchiveFormat.Docker, tag, image);

        using var manifest = JsonDocument.Parse(EntryText(path, "manifest.json"));
        using var index = JsonDocument.Parse(EntryText(path, "index.json"));

        var entry = Assert.Single(manifest.RootElement.EnumerateArray());
        Assert.Equal(repoTag, Assert.Single(entry.GetProperty("RepoTags").EnumerateArray()).GetString());
        Assert.Equal($"blobs/sha256/{image.Manifest.Config.Digest.Encoded}", entry.GetProperty("Config").GetString());
        Assert.Equal($"blobs/sha256/{image.Manifest.Layers[0].Digest.Encoded}", Assert.Single(entry.GetProperty("Layers").EnumerateArray()).GetString());
        var annotations = Assert.Single(index.RootElement.GetProperty("manifests").EnumerateArray()).GetProperty("annotations");
        Assert.Equal(containerdName, annotations.GetProperty(Annotations.ContainerdImageName).GetString());
        Assert.Equal(refName, annotations.GetProperty(Annotations.RefName).GetString());
        Assert.DoesNotContain("\\u", EntryText(path, "index.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_DockerArchiveSelectedByRepoTag_FindsImage()
    {
        using var dir = new TempDir();
        var image = TinyImage.Create(3);
        var path = await WriteAsync(dir, ArchiveFormat.Docker, "team/app:v2", image);

        foreach (var reference in new[] { "team/app:v2", "docker.io/team/app:v2", "@0" })
        {
            await using var source = await DockerArchiveSource.OpenAsync(path, reference, "docker-archive:test");
            Assert.Equal(image.Manifest.Digest, (await source.GetRootManifestAsync()).Digest);
        }

        var e = await Assert.ThrowsAsync<OciFormatException>(() => DockerArchiveSource.OpenAsync(path, "@1", "docker-archive:test"));
        Assert.Contains("'@1' is not an image position; use @0 to @0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_WithoutCommit_LeavesNoFile()
    {
        using var dir = new TempDir();
        var image = TinyImage.Create(4);

        await using (var destination = new ArchiveDestination(dir.Combine("x.tar"), "v1", ArchiveFormat.Oci, "oci-archive:x.tar"))
        {
            await destination.PutBlobAsync(image.Manifest.Layers[0], new MemoryStream(image.Layer));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task PutBlobAsync_ContentNotMatchingDigest_ThrowsAndLeavesNoFile()
    {
        using var dir = new TempDir();
        var image = TinyImage.Create(5);
        var wrong = image.Layer.ToArray();
        wrong[^1] ^= 1;

        await using (var destination = new ArchiveDestination(dir.Combine("x.tar"), "v1", ArchiveFormat.Docker, "docker-archive:x.tar"))
        {
            var e = await Assert.ThrowsAsync<DigestMismatchException>(() => destination.PutBlobAsync(image.Manifest.Layers[0], new MemoryStream(wrong)));
            Assert.Equal(image.Manifest.Layers[0].Digest, e.Expected);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Constructor_MissingDirectory_ThrowsNamingIt()
    {
        using var dir = new TempDir();

        var e = Assert.Throws<DirectoryNotFoundException>(() => new ArchiveDestination(dir.Combine("no/such/x.tar"), null, ArchiveFormat.Oci, "oci-archive:x"));

        Assert.Contains("does not exist; create it first", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_PathIsDirectory_Refuses()
    {
        using var dir = new TempDir();

        var e = Assert.Throws<OciFormatException>(() => new ArchiveDestination(dir.Path, null, ArchiveFormat.Oci, "oci-archive:dir"));

        Assert.Contains("is a directory", e.Message, StringComparison.Ordinal);
    }

}
