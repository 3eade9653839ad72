using Signet.Images.Transports;
using Signet.Oci;
using Signet.Registry;
using Signet.Scanning.Catalogers;
using Signet.Scanning.FileSystem;
using Signet.Scanning.Sbom;
using Signet.Scanning.Trees;
using Signet.Testing;

namespace Signet.Scanning.Tests.Sbom;

/// <summary>
/// The SBOM of a real image (Trivy's alpine 3.10 `docker save` archive, SIGNET_TEST_DATA/trivy-images): the subject,
/// layers, distribution and the 14 apk packages come from the image through the layered filesystem and the catalog
/// engine, attributed to the image's real base layer; both documents validate against their schemas.
/// </summary>
public sealed class RealImageSbomTests
{
    [Fact]
    public async Task Write_Alpine310Archive_SubjectFromImageAndSchemaValid()
    {
        var name = $"docker-archive:{TestData.Require("trivy-images/alpine-310.tar.gz")}";
        using var transports = new ImageTransports(() => new RegistryClient(new RegistryClientOptions { MaxAttempts = 1 }));
        var source = await transports.OpenSourceAsync(ImageName.Parse(name));
        await using var owned = source;
        var image = await ImageFileSystem.OpenImageAsync(source);
        var scan = await CatalogEngine.ScanAsync(new ImageFileTree(image.FileSystem, name), ScanKind.Image);
        var subject = new SbomSubject
        {
            Name = name,
            Kind = ScanKind.Image,
            ManifestDigest = image.ManifestDigest,
            ConfigDigest = image.Config?.Digest,
            Platform = new Platform { Os = image.Config!.Os!, Architecture = image.Config.Architecture! },
            Layers = [.. image.FileSystem.Layers],
            Distribution = scan.Distribution,
        };
        Assert.Equal(14, scan.Packages.Count);
        Assert.Contains(scan.Packages, p => p.Purl?.ToString() == "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=alpine-3.10.4");

        var cyclonedx = SbomSamples.CycloneDx(subject, scan.Packages);
        var spdx = SbomSamples.Spdx(subject, scan.Packages);

        var bom = SbomSamples.Parse(cyclonedx);
        var metadata = bom.GetProperty("metadata").GetProperty("component");
        Assert.Equal(image.ManifestDigest.ToString(), metadata.GetProperty("version").GetString());
        var properties = CycloneDxWriterTests.Properties(metadata);
        Assert.Equal("linux/amd64", properties["signet:image:platform"]);
        Assert.Equal(image.FileSystem.Layers[0].DiffId.ToString(), properties["signet:image:layer:0:diffID"]);
        var os = bom.GetProperty("components")[0];
        Assert.Equal("alpine", os.GetProperty("name").GetString());
        Assert.StartsWith("3.10.", os.GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.Equal(image.FileSystem.Layers[0].Digest.ToString(), CycloneDxWriterTests.Properties(bom.GetProperty("components")[1])["signet:layer:digest"]);
        var cyclonedxResult = await SchemaValidationTests.ValidateAsync(SchemaValidationTests.CycloneDx, cyclonedx);
        Assert.True(cyclonedxResult.ExitCode == 0, cyclonedxResult.ToString());
        var spdxResult = await SchemaValidationTests.ValidateAsync(SchemaValidationTests.Spdx, spdx);
        Assert.True(spdxResult.ExitCode == 0, spdxResult.ToString());
    }
}
