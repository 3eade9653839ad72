using System.Text;
using Signet.Images.Building;
using Signet.Images.Copy;
using Signet.Images.Integrity;
using Signet.Images.Transports;
using Signet.Oci;
using Signet.Oci.Layout;
using Signet.Registry;

namespace Signet.Images.Tests.TestSupport;

/// <summary>Small deterministic images built in process with <see cref="ImageBuilder"/>, and shortcuts to copy and verify them.</summary>
internal static class TestImages
{
    public static readonly Platform Amd64 = new() { Os = "linux", Architecture = "amd64" };
    public static readonly Platform Arm64 = new() { Os = "linux", Architecture = "arm64", Variant = "v8" };

    /// <summary>A two-layer image (gzip + the given second compression) whose content depends on <paramref name="seed"/>.</summary>
    public static ImageBuilder Builder(int seed, LayerCompression second = LayerCompression.Gzip, Platform? platform = null)
    {
        var builder = new ImageBuilder()
            .AddLayer(
                [
                    new LayerFile("etc/os-release", Encoding.UTF8.GetBytes($"ID=signet-test\nVERSION_ID={seed}\n")),
                    new LayerFile("bin/hello", Payload(4096 + seed, seed), 0b111_101_101),
                ],
                LayerCompression.Gzip,
                "ADD base")
            .AddLayer([new LayerFile($"app/data-{seed}.bin", Payload(70_000, seed + 1))], second, "ADD app")
            .WithLabel("org.opencontainers.image.title", $"signet-test-{seed}")
            .WithCmd("/bin/hello");
        return platform is null ? builder : builder.WithPlatform(platform);
    }

    /// <summary>Builds an image into an OCI layout directory under <paramref name="tag"/>.</summary>
    public static async Task<ImageManifest> BuildLayoutAsync(string directory, string? tag, int seed = 1, LayerCompression second = LayerCompression.Gzip, Platform? platform = null)
    {
        await using var destination = new OciLayoutDestination(directory, tag, $"oci:{directory}");
        return await Builder(seed, second, platform).WriteAsync(destination);
    }

    /// <summary>
    /// Builds a linux/amd64 and a linux/arm64/v8 image into one layout (tags amd64, arm64) and an OCI index over both
    /// assembled by hand (tag <paramref name="tag"/>); returns the index and its two manifests.
    /// </summary>
    public static async Task<(ImageIndex Index, ImageManifest Amd64, ImageManifest Arm64)> BuildIndexLayoutAsync(string directory, string tag)
    {
        var amd64 = await BuildLayoutAsync(directory, "amd64", seed: 10, platform: Amd64);
        var arm64 = await BuildLayoutAsync(directory, "arm64", seed: 20, platform: Arm64);
        var raw = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[" +
            $"{{\"mediaType\":\"{MediaTypes.OciManifest}\",\"digest\":\"{arm64.Digest}\",\"size\":{arm64.Raw.Length},\"platform\":{{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}}}}," +
            $"{{\"mediaType\":\"{MediaTypes.OciManifest}\",\"digest\":\"{amd64.Digest}\",\"size\":{amd64.Raw.Length},\"platform\":{{\"architecture\":\"amd64\",\"os\":\"linux\"}}}}" +
            "]}");
        var index = (ImageIndex)ManifestParser.Parse(raw, MediaTypes.OciIndex, "test index");
        await using var destination = new OciLayoutDestination(directory, tag, $"oci:{directory}:{tag}");
        await destination.CommitAsync(index);
        return (index, amd64, arm64);
    }

    /// <summary>
    /// Adds to the layout an artifact manifest (SBOM-like, empty config, one text layer) whose subject is
    /// <paramref name="subject"/>, stored as an untagged index.json entry as OCI layouts keep referrers.
    /// </summary>
    public static async Task<ImageManifest> AddReferrerAsync(string directory, string? tag, ImageManifest subject)
    {
        var emptyConfig = "{}"u8.ToArray();
        var sbom = Encoding.UTF8.GetBytes($"{{\"sbom\":\"for {subject.Digest}\"}}");
        var config = Descriptor.For(MediaTypes.OciEmpty, emptyConfig);
        var layer = Descriptor.For("application/spdx+json", sbom);
        var raw = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\",\"artifactType\":\"application/spdx+json\"," +
            $"\"config\":{{\"mediaType\":\"{config.MediaType}\",\"digest\":\"{config.Digest}\",\"size\":{config.Size}}}," +
            $"\"layers\":[{{\"mediaType\":\"{layer.MediaType}\",\"digest\":\"{layer.Digest}\",\"size\":{layer.Size}}}]," +
            $"\"subject\":{{\"mediaType\":\"{subject.MediaType}\",\"digest\":\"{subject.Digest}\",\"size\":{subject.Raw.Length}}}," +
            "\"annotations\":{\"org.opencontainers.image.created\":\"2024-01-01T00:00:00Z\"}}");
        var referrer = (ImageManifest)ManifestParser.Parse(raw, MediaTypes.OciManifest, "test referrer");
        await using var destination = new OciLayoutDestination(directory, tag, $"oci:{directory}");
        await destination.PutBlobAsync(config, new MemoryStream(emptyConfig));
        await destination.PutBlobAsync(layer, new MemoryStream(sbom));
        await destination.PutManifestAsync(referrer);
        await destination.CommitAsync(subject);
        return referrer;
    }

    /// <summary>Transports whose registry client reaches loopback registries anonymously over HTTP.</summary>
    public static ImageTransports Transports() => new(() => new RegistryClient(new RegistryClientOptions { MaxAttempts = 1 }));

    public static async Task<CopyResult> CopyAsync(ImageTransports transports, string from, string to, CopyOptions? options = null)
    {
        var source = ImageName.Parse(from);
        var destinationName = ImageName.Parse(to);
        await using var opened = await transports.OpenSourceAsync(source);
        await using var destination = transports.OpenDestination(destinationName, source);
        return await ImageCopier.CopyAsync(opened, destination, options ?? new CopyOptions());
    }

    public static async Task<IntegrityReport> VerifyAsync(ImageTransports transports, string name, PlatformSelection? platforms = null)
    {
        await using var source = await transports.OpenSourceAsync(ImageName.Parse(name));
        return await IntegrityVerifier.VerifyAsync(source, new IntegrityOptions { Platforms = platforms ?? PlatformSelection.Host });
    }

    public static async Task<ManifestDocument> RootAsync(ImageTransports transports, string name)
    {
        await using var source = await transports.OpenSourceAsync(ImageName.Parse(name));
        return await source.GetRootManifestAsync();
    }

    /// <summary>A readable description of a failed report, for assertion messages.</summary>
    public static string Describe(IntegrityReport report) =>
        string.Join("\n", report.Objects.Select(o => $"{o.Kind} {o.Digest} {o.Code ?? "ok"} {o.Message}"));

    public static void AssertPassed(IntegrityReport report)
    {
        Assert.True(report.Passed, $"{report.Image} should verify:\n{Describe(report)}");
    }

    /// <summary>Bytes that compress somewhat, different per seed.</summary>
    public static byte[] Payload(int length, int seed)
    {
        var random = new Random(seed);
        var data = new byte[length];
        for (var i = 0; i < length; i++)
        {
            data[i] = random.Next(4) == 0 ? (byte)random.Next(256) : (byte)('a' + (i % 23));
        }

        return data;
    }

    /// <summary>A snapshot of every file under a directory (relative path, length, last write), to assert nothing changed.</summary>
    public static IReadOnlyList<string> Snapshot(string directory) =>
        [.. Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories)
            .Select(p => $"{Path.GetRelativePath(directory, p)} {(File.Exists(p) ? new FileInfo(p).Length : -1)}")
            .Order(StringComparer.Ordinal)];
}
