using Signet.Images.Transports;
using Signet.Registry;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Apk;
using Signet.Scanning.Catalogers.Dpkg;
using Signet.Scanning.Catalogers.Rpm;
using Signet.Scanning.FileSystem;
using Signet.Scanning.Trees;
using Signet.Testing;

namespace Signet.Scanning.Tests.Catalogers;

/// <summary>The three OS catalogers through the catalog engine over the real docker-save image trivy-images/alpine-310.tar.gz (shared data).</summary>
public sealed class OsCatalogersImageTests
{
    [Fact]
    public async Task ScanAsync_Alpine310Image_FindsThe14ApkPackagesInItsOnlyLayer()
    {
        using var transports = new ImageTransports(() => new RegistryClient(new RegistryClientOptions { MaxAttempts = 1 }));
        await using var source = await transports.OpenSourceAsync(ImageName.Parse($"docker-archive:{TestData.Require("trivy-images/alpine-310.tar.gz")}"));
        var fileSystem = await ImageFileSystem.OpenAsync(source);

        var result = await CatalogEngine.ScanAsync(new ImageFileTree(fileSystem, "alpine-310"), ScanKind.Image, [new DpkgCataloger(), new ApkCataloger(), new RpmCataloger()]);

        Assert.Empty(result.Issues);
        Assert.Equal("alpine-3.10.4", result.Distribution?.DistroQualifier);
        Assert.Equal(14, result.Packages.Count);
        Assert.All(result.Packages, p => Assert.Equal(("apk", "apk-db", 0), (p.Type, p.FoundBy, p.Layer?.Index)));
        Assert.Equal("pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=alpine-3.10.4", Assert.Single(result.Packages, p => p.Name == "musl").Purl?.ToString());
    }
}
