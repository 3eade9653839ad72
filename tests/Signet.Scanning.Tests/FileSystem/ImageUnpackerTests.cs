using System.Security.Cryptography;
using System.Text;
using Signet.Images;
using Signet.Images.Transports;
using Signet.Oci;
using Signet.Registry;
using Signet.Scanning.FileSystem;
using Signet.Testing;

namespace Signet.Scanning.Tests.FileSystem;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ImageUnpackerTests
{
    private static TestLayer Layer() => new();

    [Fact]
    public async Task UnpackAsync_HostileLinks_WritesThemVerbatimAndNothingOutside()
    {
        using var dir = new TempDir();
        var fs = await TestLayer.BuildAsync(
            Layer().Symlink("escape", "..").Symlink("etc/evil", "/../../../../tmp").File("etc/passwd", "p"),
            Layer().File("escape", "replaced the link").File("etc/evil", "now a file", (UnixFileMode)0b100_100_100));

        var result = await ImageUnpacker.UnpackAsync(fs, dir.Combine("root"));

        Assert.Equal(["root"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
        Assert.Equal("replaced the link", await File.ReadAllTextAsync(dir.Combine("root", "escape")));
        Assert.Equal((UnixFileMode)0b100_100_100, File.GetUnixFileMode(dir.Combine("root", "etc", "evil")));
        Assert.Equal(3, result.Files);
    }

    [Fact]
    public async Task UnpackAsync_LinksPointingOutside_AreNotFollowed()
    {
        using var dir = new TempDir();
        var fs = await TestLayer.BuildAsync(Layer().Symlink("up", "../../outside").Symlink("abs", "/etc/passwd").Directory("ro", (UnixFileMode)0b101_101_101).File("ro/f", "x"));

        await ImageUnpacker.UnpackAsync(fs, dir.Combine("root"));

        Assert.Equal("../../outside", new FileInfo(dir.Combine("root", "up")).LinkTarget);
        Assert.Equal("/etc/passwd", new FileInfo(dir.Combine("root", "abs")).LinkTarget);
        Assert.Equal("x", await File.ReadAllTextAsync(dir.Combine("root", "ro", "f")));
        Assert.Equal((UnixFileMode)0b101_101_101, File.GetUnixFileMode(dir.Combine("root", "ro")));
        Assert.False(File.Exists(Path.Combine(dir.Path, "..", "outside")));
    }

    [Fact]
    public async Task UnpackAsync_HardLinks_AreCopiesWithTheSameContent()
    {
        using var dir = new TempDir();
        var fs = await TestLayer.BuildAsync(Layer().File("a", "shared").HardLink("b", "a"), Layer().HardLink("c", "b"));

        var result = await ImageUnpacker.UnpackAsync(fs, dir.Combine("root"));

        Assert.All(["a", "b", "c"], name => Assert.Equal("shared", File.ReadAllText(dir.Combine("root", name))));
        Assert.Equal(3, result.Files);
        Assert.Equal(6, result.Bytes);
    }

    [Fact]
    public async Task UnpackAsync_NonEmptyDirectory_IsRefused()
    {
        using var dir = new TempDir();
        File.CreateSymbolicLink(dir.Combine("etc"), "/etc");
        var fs = await TestLayer.BuildAsync(Layer().File("etc/x", "x"));

        var error = await Assert.ThrowsAsync<IOException>(() => ImageUnpacker.UnpackAsync(fs, dir.Path));

        Assert.Contains("is not empty", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists("/etc/x"));
    }

    [Fact]
    public async Task UnpackAsync_ReportsProgress()
    {
        using var dir = new TempDir();
        var fs = await TestLayer.BuildAsync(Layer().File("a", "12345").File("b", "678"));
        var progress = new TransferProgress();

        await ImageUnpacker.UnpackAsync(fs, dir.Combine("root"), progress);

        Assert.Equal(8, progress.TotalBytes);
        Assert.Equal(8, progress.DoneBytes);
    }

    [Fact]
    public async Task OpenAsync_IndexPointingToAnIndex_IsRefusedAsNotAnImage()
    {
        using var dir = new TempDir();
        var layout = dir.Combine("layout");
        Directory.CreateDirectory(Path.Combine(layout, "blobs", "sha256"));
        await File.WriteAllTextAsync(Path.Combine(layout, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        var inner = Blob(layout, $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":[]}}");
        var outer = Blob(layout, $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":[{{\"mediaType\":\"{MediaTypes.OciIndex}\",\"digest\":\"{inner.Digest}\",\"size\":{inner.Size},\"platform\":{{\"os\":\"linux\",\"architecture\":\"amd64\"}}}}]}}");
        await File.WriteAllTextAsync(Path.Combine(layout, "index.json"), $"{{\"schemaVersion\":2,\"manifests\":[{{\"mediaType\":\"{MediaTypes.OciIndex}\",\"digest\":\"{outer.Digest}\",\"size\":{outer.Size},\"annotations\":{{\"org.opencontainers.image.ref.name\":\"v1\"}}}}]}}");
        using var transports = new ImageTransports(() => new RegistryClient(new RegistryClientOptions { MaxAttempts = 1 }));
        await using var source = await transports.OpenSourceAsync(ImageName.Parse($"oci:{layout}:v1"));

        var error = await Assert.ThrowsAsync<LayerFormatException>(() => ImageFileSystem.OpenAsync(source, new PlatformSelection { Platform = new Platform { Os = "linux", Architecture = "amd64" } }));

        Assert.Equal(LayerCodes.NotAnImage, error.Code);
    }

    private static (Digest Digest, long Size) Blob(string layout, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var digest = Digest.Compute(bytes);
        File.WriteAllBytes(Path.Combine(layout, "blobs", "sha256", Convert.ToHexStringLower(SHA256.HashData(bytes))), bytes);
        return (digest, bytes.Length);
    }
}
