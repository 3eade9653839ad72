using Signet.Images.Copy;
using Signet.Images.Integrity;
using Signet.Images.Tests.TestSupport;
using Signet.Images.Transports;
using Signet.Oci;
using Signet.Oci.Layout;
using Signet.Testing;
using Signet.Testing.Registry;

namespace Signet.Images.Tests.Copy;

/// <summary>Copies between every transport, through a real Distribution registry, keeping manifest and index digests.</summary>
public sealed class RoundTripTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    private string Registry => fixture.Registry.Host;

    [Fact]
    public async Task CopyAsync_BuilderImageThroughEveryTransport_KeepsManifestDigest()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var built = await TestImages.BuildLayoutAsync(dir.Combine("built"), "v1", seed: 1, second: LayerCompression.Zstd);
        string[] chain =
        [
            $"oci:{dir.Combine("built")}:v1",
            $"docker-archive:{dir.Combine("image.docker.tar")}:roundtrip/app:v1",
            $"oci-archive:{dir.Combine("image.oci.tar")}:v1",
            $"docker://{Registry}/roundtrip/every:v1",
            $"oci:{dir.Combine("back")}:v1",
        ];

        for (var i = 1; i < chain.Length; i++)
        {
            var copied = await TestImages.CopyAsync(transports, chain[i - 1], chain[i]);

            Assert.Equal(built.Digest, copied.RootDigest);
            Assert.Equal(built.Digest, (await TestImages.RootAsync(transports, chain[i])).Digest);
            TestImages.AssertPassed(await TestImages.VerifyAsync(transports, chain[i]));
        }

        var back = (ImageManifest)await TestImages.RootAsync(transports, chain[^1]);
        Assert.Equal(built.Raw.ToArray(), back.Raw.ToArray());
    }

    [Fact]
    public async Task CopyAsync_RegistryToLayoutToDockerArchiveToRegistry_KeepsDigest()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var built = await TestImages.BuildLayoutAsync(dir.Combine("built"), "v1", seed: 2);
        await TestImages.CopyAsync(transports, $"oci:{dir.Combine("built")}:v1", $"docker://{Registry}/roundtrip/origin:v1");

        await TestImages.CopyAsync(transports, $"docker://{Registry}/roundtrip/origin:v1", $"oci:{dir.Combine("layout")}:v1");
        await TestImages.CopyAsync(transports, $"oci:{dir.Combine("layout")}:v1", $"docker-archive:{dir.Combine("saved.tar")}:roundtrip/origin:v1");
        var copied = await TestImages.CopyAsync(transports, $"docker-archive:{dir.Combine("saved.tar")}", $"docker://{Registry}/roundtrip/returned:v1");

        Assert.Equal(built.Digest, copied.RootDigest);
        Assert.Equal(built.Digest, (await TestImages.RootAsync(transports, $"docker://{Registry}/roundtrip/returned:v1")).Digest);
        Assert.Equal(built.Digest, (await TestImages.RootAsync(transports, $"docker://{Registry}/roundtrip/returned@{built.Digest}")).Digest);
        TestImages.AssertPassed(await TestImages.VerifyAsync(transports, $"docker://{Registry}/roundtrip/returned:v1"));
    }

    [Fact]
    public async Task CopyAsync_IndexWithAllPlatforms_KeepsIndexDigest()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (index, amd64, arm64) = await TestImages.BuildIndexLayoutAsync(dir.Combine("multi"), "multi");
        var all = new CopyOptions { Platforms = PlatformSelection.Every };

        var pushed = await TestImages.CopyAsync(transports, $"oci:{dir.Combine("multi")}:multi", $"docker://{Registry}/roundtrip/multi:v1", all);
        var pulled = await TestImages.CopyAsync(transports, $"docker://{Registry}/roundtrip/multi:v1", $"oci:{dir.Combine("pulled")}:v1", all);
        var archived = await TestImages.CopyAsync(transports, $"oci:{dir.Combine("pulled")}:v1", $"oci-archive:{dir.Combine("multi.tar")}:v1", all);

        Assert.Equal(index.Digest, pushed.RootDigest);
        Assert.Equal(index.Digest, pulled.RootDigest);
        Assert.Equal(index.Digest, archived.RootDigest);
        Assert.Equal(3, pulled.Manifests);
        var root = Assert.IsType<ImageIndex>(await TestImages.RootAsync(transports, $"oci-archive:{dir.Combine("multi.tar")}:v1"));
        Assert.Equal(index.Raw.ToArray(), root.Raw.ToArray());
        var report = await TestImages.VerifyAsync(transports, $"oci:{dir.Combine("pulled")}:v1", PlatformSelection.Every);
        TestImages.AssertPassed(report);
        var manifests = report.Objects.Where(o => o.Kind == ObjectKind.Manifest).Select(o => o.Digest!.Value).ToHashSet();
        Assert.Equal(new HashSet<Digest> { amd64.Digest, arm64.Digest }, manifests);
        Assert.Contains(report.Objects, o => o.Kind == ObjectKind.Layer && o.Platform == "linux/arm64/v8");
    }

    [Fact]
    public async Task CopyAsync_IndexWithoutAllPlatforms_PicksHostPlatform()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (_, amd64, arm64) = await TestImages.BuildIndexLayoutAsync(dir.Combine("multi"), "multi");
        var expected = PlatformSelection.HostPlatform.Architecture == "arm64" ? arm64 : amd64;

        var copied = await TestImages.CopyAsync(transports, $"oci:{dir.Combine("multi")}:multi", $"docker://{Registry}/roundtrip/host:v1");

        Assert.Equal("amd64", PlatformSelection.HostPlatform.Architecture);
        Assert.Equal(expected.Digest, copied.RootDigest);
        var root = Assert.IsType<ImageManifest>(await TestImages.RootAsync(transports, $"docker://{Registry}/roundtrip/host:v1"));
        Assert.Equal(expected.Raw.ToArray(), root.Raw.ToArray());
    }

    [Fact]
    public async Task CopyAsync_IndexWithPlatformArm64_PicksArm64Manifest()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var (_, _, arm64) = await TestImages.BuildIndexLayoutAsync(dir.Combine("multi"), "multi");
        var options = new CopyOptions { Platforms = new PlatformSelection { Platform = Platform.Parse("linux/arm64") } };

        var copied = await TestImages.CopyAsync(transports, $"oci:{dir.Combine("multi")}:multi", $"docker-archive:{dir.Combine("arm64.tar")}:app:arm64", options);

        Assert.Equal(arm64.Digest, copied.RootDigest);
        TestImages.AssertPassed(await TestImages.VerifyAsync(transports, $"docker-archive:{dir.Combine("arm64.tar")}:app:arm64"));
    }

    [Fact]
    public async Task CopyAsync_IndexToDockerArchiveWithAllPlatforms_RefusesAndLeavesNoFile()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        await TestImages.BuildIndexLayoutAsync(dir.Combine("multi"), "multi");
        Directory.CreateDirectory(dir.Combine("out"));
        var target = Path.Combine(dir.Combine("out"), "multi.tar");

        var e = await Assert.ThrowsAsync<NotSupportedException>(() =>
            TestImages.CopyAsync(transports, $"oci:{dir.Combine("multi")}:multi", $"docker-archive:{target}", new CopyOptions { Platforms = PlatformSelection.Every }));

        Assert.Contains("cannot hold a multi-platform index", e.Message, StringComparison.Ordinal);
        Assert.Contains("--platform", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Combine("out")));
    }

    [Fact]
    public async Task CommitAsync_DockerArchiveGivenIndex_RefusesWithClearMessage()
    {
        using var dir = new TempDir();
        var (index, _, _) = await TestImages.BuildIndexLayoutAsync(dir.Combine("multi"), "multi");
        Directory.CreateDirectory(dir.Combine("out"));

        await using (var destination = new Oci.Archives.ArchiveDestination(Path.Combine(dir.Combine("out"), "x.tar"), "app:v1", Oci.Archives.ArchiveFormat.Docker, "docker-archive:x.tar"))
        {
            Assert.False(destination.Capabilities.Indexes);
            var e = await Assert.ThrowsAsync<OciFormatException>(() => destination.CommitAsync(index));
            Assert.Contains("single-platform", e.Message, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Combine("out")));
    }

    [Fact]
    public async Task CopyAsync_WithReferrersLayoutToRegistryToLayout_CopiesReferrer()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var subject = await TestImages.BuildLayoutAsync(dir.Combine("signed"), "v1", seed: 3);
        var referrer = await TestImages.AddReferrerAsync(dir.Combine("signed"), "v1", subject);
        var options = new CopyOptions { WithReferrers = true };

        var pushed = await TestImages.CopyAsync(transports, $"oci:{dir.Combine("signed")}:v1", $"docker://{Registry}/roundtrip/signed:v1", options);
        var pulled = await TestImages.CopyAsync(transports, $"docker://{Registry}/roundtrip/signed:v1", $"oci:{dir.Combine("pulled")}:v1", options);

        Assert.Equal(subject.Digest, pushed.RootDigest);
        Assert.Equal(subject.Digest, pulled.RootDigest);
        Assert.Equal(2, pulled.Manifests);
        await using var source = await transports.OpenSourceAsync(ImageName.Parse($"oci:{dir.Combine("pulled")}:v1"));
        var found = new List<Descriptor>();
        await foreach (var d in source.GetReferrersAsync(subject.Digest))
        {
            found.Add(d);
        }

        var only = Assert.Single(found);
        Assert.Equal(referrer.Digest, only.Digest);
        Assert.Equal("application/spdx+json", only.ArtifactType);
        var copiedReferrer = await source.GetManifestAsync(only);
        Assert.Equal(referrer.Raw.ToArray(), copiedReferrer.Raw.ToArray());
        var index = await OciLayout.ReadIndexAsync(new DirectoryLayoutFiles(dir.Combine("pulled")));
        Assert.Equal(2, index.Manifests.Length);
    }

    [Fact]
    public async Task CopyAsync_WithoutReferrers_CopiesOnlyTheImage()
    {
        using var dir = new TempDir();
        using var transports = TestImages.Transports();
        var subject = await TestImages.BuildLayoutAsync(dir.Combine("signed"), "v1", seed: 4);
        await TestImages.AddReferrerAsync(dir.Combine("signed"), "v1", subject);

        var copied = await TestImages.CopyAsync(transports, $"oci:{dir.Combine("signed")}:v1", $"oci:{dir.Combine("plain")}:v1");

        Assert.Equal(1, copied.Manifests);
        var index = await OciLayout.ReadIndexAsync(new DirectoryLayoutFiles(dir.Combine("plain")));
        Assert.Equal(subject.Digest, Assert.Single(index.Manifests).Digest);
    }
}
