using System.Text.Json;
using Signet.Images.Transports;
using Signet.Registry;
using Signet.Scanning.Catalogers;
using Signet.Scanning.FileSystem;
using Signet.Scanning.Sbom;
using Signet.Scanning.Tests.Sbom;
using Signet.Scanning.Trees;

namespace Signet.Scanning.Tests.Images;

/// <summary>
/// The `contents` image of scripts/build-test-images.sh (debootstrap + apt + npm + a .NET app + a layer that purges a
/// deb and whites out an npm package), scanned through every cataloger and compared with the ground truth the build
/// recorded with the real tools (dpkg-query --admindir, npm ls, the Go build info of the binaries).
/// </summary>
public sealed class ContentsImageTests
{
    public static TheoryData<string> References => ["oci", "docker-archive"];

    [Theory]
    [MemberData(nameof(References))]
    public async Task Scan_ContentsImage_EqualsTheGroundTruth(string transport)
    {
        var contents = Signet.Testing.Images.TestImages.Contents();
        var reference = transport == "oci" ? contents.OciReference : contents.DockerArchiveReference;

        var (scan, layers) = await ScanImageAsync(reference);

        Assert.Empty(scan.Issues);
        Assert.Equal("debian-12", scan.Distribution!.DistroQualifier);
        var debs = scan.Packages.Where(p => p.Type == "deb").Select(p => $"{p.Name} {p.Version}").Order(StringComparer.Ordinal);
        Assert.Equal(contents.DpkgPackages().Select(d => $"{d.Package} {d.Version}").Order(StringComparer.Ordinal), debs);
        Assert.Equal(5, layers);

        var expected = contents.Expected();
        var purged = expected.GetProperty("dpkg").GetProperty("purged").GetProperty("name").GetString()!;
        Assert.Contains(contents.DpkgPackagesLayer2(), d => d.Package == purged);
        Assert.DoesNotContain(scan.Packages, p => p.Type == "deb" && p.Name == purged);
        var age = scan.Packages.Single(p => p.Type == "deb" && p.Name == "age");
        Assert.Equal(1, age.Layer!.Index);
        Assert.Equal(0, scan.Packages.Single(p => p.Type == "deb" && p.Name == "base-files").Layer!.Index);

        var npm = scan.Packages.Where(p => p.Type == "npm" && p.Evidence[0].StartsWith("opt/app/", StringComparison.Ordinal)).Select(p => $"{p.Name}@{p.Version}").ToList();
        Assert.Contains("lodash@4.17.20", npm);
        Assert.Contains("@isaacs/cliui@8.0.2", npm);
        Assert.DoesNotContain(npm, p => p.StartsWith("minimist@", StringComparison.Ordinal));

        var goDep = expected.GetProperty("go")[1].GetProperty("buildInfo").GetProperty("deps")[0];
        var go = scan.Packages.Single(p => p.Type == "golang" && p.Name == "golang.org/x/sys");
        Assert.Equal(goDep.GetProperty("version").GetString(), go.Version);
        Assert.Equal("pkg:golang/golang.org/x/sys@" + go.Version, go.Purl!.ToString());
        Assert.Contains(scan.Packages, p => p.Type == "golang" && p.Evidence[0] == "usr/bin/age");

        var pythonDirs = expected.GetProperty("python").GetProperty("metadataDirs").EnumerateArray().Select(d => d.GetString()!).ToList();
        Assert.Equal(pythonDirs.Count, scan.Packages.Count(p => p.Type == "pypi"));
        Assert.Contains(scan.Packages, p => p.Purl?.ToString() == "pkg:pypi/requests@2.28.1");

        var nuget = expected.GetProperty("dotnet").GetProperty("packages")[0];
        var yaml = scan.Packages.Single(p => p.Type == "nuget" && p.Name == nuget.GetProperty("name").GetString());
        Assert.Equal(nuget.GetProperty("version").GetString(), yaml.Version);
        Assert.Equal(3, yaml.Layer!.Index);
    }

    [Fact]
    public async Task Scan_RootfsDirectory_ListsTheSamePackagesAsTheImage()
    {
        var contents = Signet.Testing.Images.TestImages.Contents();
        var (image, _) = await ScanImageAsync(contents.OciReference);

        var directory = await CatalogEngine.ScanAsync(DirectoryFileTree.Open(contents.RootfsPath, "dir:contents"), ScanKind.RootFilesystem);

        Assert.Equal(Purls(image), Purls(directory));
        Assert.All(directory.Packages, p => Assert.Null(p.Layer));
    }

    [Fact]
    public async Task Sbom_ContentsImage_BothFormatsAreSchemaValidAndDeterministic()
    {
        var contents = Signet.Testing.Images.TestImages.Contents();
        using var transports = Transports();
        await using var source = await transports.OpenSourceAsync(ImageName.Parse(contents.OciReference));
        var image = await ImageFileSystem.OpenImageAsync(source);
        var scan = await CatalogEngine.ScanAsync(new ImageFileTree(image.FileSystem, contents.OciReference), ScanKind.Image);
        var again = await CatalogEngine.ScanAsync(new ImageFileTree(image.FileSystem, contents.OciReference), ScanKind.Image);
        var subject = new SbomSubject
        {
            Name = contents.OciReference,
            Kind = ScanKind.Image,
            ManifestDigest = image.ManifestDigest,
            ConfigDigest = image.Config?.Digest,
            Platform = image.Config?.Platform,
            Layers = [.. image.FileSystem.Layers],
            Distribution = scan.Distribution,
        };

        foreach (var format in new[] { SchemaValidationTests.CycloneDx, SchemaValidationTests.Spdx })
        {
            var first = Write(format, subject, scan.Packages);
            Assert.Equal(first, Write(format, subject, again.Packages));
            var result = await SchemaValidationTests.ValidateAsync(format, first);
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        using var bom = JsonDocument.Parse(Write(SchemaValidationTests.CycloneDx, subject, scan.Packages));
        Assert.Equal(scan.Packages.Count + 1, bom.RootElement.GetProperty("components").GetArrayLength());
    }

    private static byte[] Write(string format, SbomSubject subject, IEnumerable<Package> packages) =>
        format == SchemaValidationTests.CycloneDx ? SbomSamples.CycloneDx(subject, packages) : SbomSamples.Spdx(subject, packages);

    private static List<string> Purls(CatalogResult result) =>
        [.. result.Packages.Select(p => p.Purl?.ToString() ?? $"{p.Type}/{p.Name}@{p.Version}").Order(StringComparer.Ordinal)];

    private static ImageTransports Transports() => new(() => new RegistryClient(new RegistryClientOptions { MaxAttempts = 1 }));

    private static async Task<(CatalogResult Scan, int Layers)> ScanImageAsync(string reference)
    {
        using var transports = Transports();
        await using var source = await transports.OpenSourceAsync(ImageName.Parse(reference));
        var fileSystem = await ImageFileSystem.OpenAsync(source);
        return (await CatalogEngine.ScanAsync(new ImageFileTree(fileSystem, reference), ScanKind.Image), fileSystem.Layers.Count);
    }
}
