using System.Text.Json;

namespace Signet.Scanning.Tests.Sbom;

public sealed class SpdxWriterTests
{
    [Fact]
    public void Write_SameInputTwice_SameBytes()
    {
        Assert.Equal(SbomSamples.Spdx(SbomSamples.Image, SbomSamples.Rich()), SbomSamples.Spdx(SbomSamples.Image, SbomSamples.Rich()));
    }

    [Fact]
    public void Write_ShuffledInput_SameBytes()
    {
        var expected = SbomSamples.Spdx(SbomSamples.Image, SbomSamples.Rich());
        for (var seed = 1; seed <= 5; seed++)
        {
            var shuffled = SbomSamples.Rich().ToArray();
            new Random(seed).Shuffle(shuffled);
            Assert.Equal(expected, SbomSamples.Spdx(SbomSamples.Image, shuffled));
        }
    }

    [Fact]
    public void Write_CreationInfoAndNamespace()
    {
        var document = SbomSamples.Parse(SbomSamples.Spdx(SbomSamples.Image, SbomSamples.Rich()));
        var other = SbomSamples.Parse(SbomSamples.Spdx(SbomSamples.Image, SbomSamples.Rich().Skip(1)));

        Assert.Equal("SPDX-2.3", document.GetProperty("spdxVersion").GetString());
        Assert.Equal("SPDXRef-DOCUMENT", document.GetProperty("SPDXID").GetString());
        Assert.Equal("registry.example.com/team/app:1.0", document.GetProperty("name").GetString());
        Assert.Equal("2023-11-14T22:13:20Z", document.GetProperty("creationInfo").GetProperty("created").GetString());
        Assert.Equal(["Tool: signet-1.2.3"], document.GetProperty("creationInfo").GetProperty("creators").EnumerateArray().Select(c => c.GetString()));
        var ns = document.GetProperty("documentNamespace").GetString()!;
        Assert.Matches("^https://spdx.org/spdxdocs/signet-image-registry.example.com-team-app-1.0-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", ns);
        Assert.NotEqual(ns, other.GetProperty("documentNamespace").GetString());
        Assert.Equal(["SPDXRef-DocumentRoot-Image"], document.GetProperty("documentDescribes").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public void Write_ImagePackage_ContainerWithDigestAndOciPurl()
    {
        var document = SbomSamples.Parse(SbomSamples.Spdx(SbomSamples.Image, SbomSamples.Rich()));
        var image = document.GetProperty("packages")[0];
        var digest = SbomSamples.Image.ManifestDigest!.Value;

        Assert.Equal("SPDXRef-DocumentRoot-Image", image.GetProperty("SPDXID").GetString());
        Assert.Equal("CONTAINER", image.GetProperty("primaryPackagePurpose").GetString());
        Assert.Equal(digest.ToString(), image.GetProperty("versionInfo").GetString());
        Assert.Equal(digest.Encoded, image.GetProperty("checksums")[0].GetProperty("checksumValue").GetString());
        Assert.StartsWith("pkg:oci/app@sha256:", image.GetProperty("externalRefs")[0].GetProperty("referenceLocator").GetString(), StringComparison.Ordinal);
        Assert.Contains($"signet:image:configDigest={SbomSamples.Image.ConfigDigest}", Annotations(image));
    }

    [Fact]
    public void Write_Package_FieldsFromPackage()
    {
        var document = SbomSamples.Parse(SbomSamples.Spdx(SbomSamples.Image, SbomSamples.Rich()));
        var libc = SbomSamples.SpdxPackage(document, "pkg:deb/debian/libc6@");

        Assert.Matches("^SPDXRef-Package-deb-libc6-[0-9a-f]{16}$", libc.GetProperty("SPDXID").GetString());
        Assert.Equal("libc6", libc.GetProperty("name").GetString());
        Assert.Equal("2.36-9+deb12u4", libc.GetProperty("versionInfo").GetString());
        Assert.Equal("NOASSERTION", libc.GetProperty("downloadLocation").GetString());
        Assert.False(libc.GetProperty("filesAnalyzed").GetBoolean());
        Assert.Equal("NOASSERTION", libc.GetProperty("licenseConcluded").GetString());
        Assert.Equal("GPL-2.0-or-later AND LGPL-2.1-or-later", libc.GetProperty("licenseDeclared").GetString());
        Assert.Equal("Organization: GNU Libc Maintainers (debian-glibc@lists.debian.org)", libc.GetProperty("supplier").GetString());
        Assert.Equal("PACKAGE-MANAGER", libc.GetProperty("externalRefs")[0].GetProperty("referenceCategory").GetString());
        Assert.Equal("acquired package info from deb-cataloger: var/lib/dpkg/status, var/lib/dpkg/info/libc6:amd64.list", libc.GetProperty("sourceInfo").GetString());
        var annotations = Annotations(libc);
        Assert.Contains($"signet:layer:digest={SbomSamples.BaseLayer.Digest}", annotations);
        Assert.Contains($"signet:layer:diffID={SbomSamples.BaseLayer.DiffId}", annotations);
        Assert.Contains("signet:source:name=glibc", annotations);
        Assert.Contains("signet:package:arch=amd64", annotations);
        Assert.DoesNotContain(annotations, a => a.StartsWith("signet:evidence:", StringComparison.Ordinal));
        Assert.Equal("Tool: signet-1.2.3", libc.GetProperty("annotations")[0].GetProperty("annotator").GetString());
    }

    [Fact]
    public void Write_FreeTextLicense_LicenseRefWithExtractedText()
    {
        var document = SbomSamples.Parse(SbomSamples.Spdx(SbomSamples.Image, SbomSamples.Rich()));
        var extracted = document.GetProperty("hasExtractedLicensingInfos").EnumerateArray()
            .ToDictionary(e => e.GetProperty("extractedText").GetString()!, e => e.GetProperty("licenseId").GetString()!);

        Assert.Equal(["ASL 2.0", "SEE LICENSE IN LICENSE.md"], extracted.Keys.Order(StringComparer.Ordinal));
        Assert.Matches("^LicenseRef-ASL-2.0-[0-9a-f]{16}$", extracted["ASL 2.0"]);
        Assert.Equal(extracted["ASL 2.0"], SbomSamples.SpdxPackage(document, "pkg:rpm/").GetProperty("licenseDeclared").GetString());
        Assert.Equal($"ISC AND {extracted["SEE LICENSE IN LICENSE.md"]}", SbomSamples.SpdxPackage(document, "pkg:npm/%40scope/util@").GetProperty("licenseDeclared").GetString());
        Assert.Equal("(MIT OR Apache-2.0)", SbomSamples.SpdxPackage(document, "pkg:npm/app@").GetProperty("licenseDeclared").GetString());
        Assert.Equal("Apache-2.0+ AND BSD-3-Clause", SbomSamples.SpdxPackage(document, "pkg:composer/").GetProperty("licenseDeclared").GetString());
    }

    [Fact]
    public void Write_NoLicenseOrSupplier_NoAssertion()
    {
        var package = SbomSamples.Make("gem", null, "rake", "13.0.6", "specifications/rake-13.0.6.gemspec");
        var rake = SbomSamples.SpdxPackage(SbomSamples.Parse(SbomSamples.Spdx(SbomSamples.Image, [package])), "pkg:gem/rake@");

        Assert.Equal("NOASSERTION", rake.GetProperty("licenseDeclared").GetString());
        Assert.Equal("NOASSERTION", rake.GetProperty("supplier").GetString());
    }

    [Fact]
    public void Write_Relationships_DescribesContainsDependsOn()
    {
        var document = SbomSamples.Parse(SbomSamples.Spdx(SbomSamples.Image, SbomSamples.Rich()));
        string Id(string purl) => SbomSamples.SpdxPackage(document, purl).GetProperty("SPDXID").GetString()!;
        var relationships = document.GetProperty("relationships").EnumerateArray()
            .Select(r => (r.GetProperty("spdxElementId").GetString(), r.GetProperty("relationshipType").GetString(), r.GetProperty("relatedSpdxElement").GetString()))
            .ToList();

        Assert.Equal(("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-DocumentRoot-Image"), relationships[0]);
        Assert.Contains(("SPDXRef-DocumentRoot-Image", "CONTAINS", "SPDXRef-OperatingSystem"), relationships);
        Assert.Equal(SbomSamples.Rich().Length + 1, relationships.Count(r => r.Item2 == "CONTAINS"));
        Assert.Contains((Id("pkg:npm/%40scope/util@"), "DEPENDS_ON", Id("pkg:npm/lodash@3.10.1")), relationships);
        Assert.Contains((Id("pkg:deb/debian/curl@"), "DEPENDS_ON", Id("pkg:deb/debian/libcurl4@")), relationships);
        Assert.Equal(8, relationships.Count(r => r.Item2 == "DEPENDS_ON"));
    }

    [Fact]
    public void Write_OperatingSystemPackage()
    {
        var document = SbomSamples.Parse(SbomSamples.Spdx(SbomSamples.Image, []));
        var os = document.GetProperty("packages")[1];

        Assert.Equal("SPDXRef-OperatingSystem", os.GetProperty("SPDXID").GetString());
        Assert.Equal("OPERATING_SYSTEM", os.GetProperty("primaryPackagePurpose").GetString());
        Assert.Equal("debian", os.GetProperty("name").GetString());
        Assert.Equal("12", os.GetProperty("versionInfo").GetString());
        Assert.False(document.TryGetProperty("hasExtractedLicensingInfos", out _));
    }

    [Fact]
    public void Write_SourceTree_DirectoryRootWithoutVersion()
    {
        var document = SbomSamples.Parse(SbomSamples.Spdx(SbomSamples.SourceTree, SbomSamples.Rich().Select(p => p with { Layer = null })));
        var root = document.GetProperty("packages")[0];

        Assert.Equal("SPDXRef-DocumentRoot-Directory", root.GetProperty("SPDXID").GetString());
        Assert.Equal("SOURCE", root.GetProperty("primaryPackagePurpose").GetString());
        Assert.False(root.TryGetProperty("versionInfo", out _));
        Assert.False(root.TryGetProperty("externalRefs", out _));
        Assert.StartsWith("https://spdx.org/spdxdocs/signet-dir--src-project-", document.GetProperty("documentNamespace").GetString(), StringComparison.Ordinal);
    }

    private static List<string> Annotations(JsonElement package) =>
        package.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("comment").GetString()!).ToList();
}
