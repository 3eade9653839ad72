using System.Text.Json;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Sbom;

namespace Signet.Scanning.Tests.Sbom;

public sealed class CycloneDxWriterTests
{
    [Fact]
    public void Write_SameInputTwice_SameBytes()
    {
        Assert.Equal(SbomSamples.CycloneDx(SbomSamples.Image, SbomSamples.Rich()), SbomSamples.CycloneDx(SbomSamples.Image, SbomSamples.Rich()));
    }

    [Fact]
    public void Write_ShuffledInput_SameBytes()
    {
        var expected = SbomSamples.CycloneDx(SbomSamples.Image, SbomSamples.Rich());
        for (var seed = 1; seed <= 5; seed++)
        {
            var shuffled = SbomSamples.Rich().ToArray();
            new Random(seed).Shuffle(shuffled);
            Assert.Equal(expected, SbomSamples.CycloneDx(SbomSamples.Image, shuffled));
        }
    }

    [Fact]
    public void Write_ComponentsSortedByPurl()
    {
        var bom = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, SbomSamples.Rich()));
        var purls = bom.GetProperty("components").EnumerateArray().Skip(1).Select(c => c.GetProperty("purl").GetString()!).ToList();

        Assert.Equal(purls.Order(StringComparer.Ordinal), purls);
        Assert.Equal("operating-system", bom.GetProperty("components")[0].GetProperty("type").GetString());
    }

    [Fact]
    public void Write_SerialNumber_DerivedFromContent()
    {
        var first = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, SbomSamples.Rich()));
        var fewer = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, SbomSamples.Rich().Skip(1)));
        var later = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, SbomSamples.Rich(), SbomSamples.Options with { Timestamp = SbomSamples.Timestamp.AddDays(1) }));

        var serial = first.GetProperty("serialNumber").GetString()!;
        Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", serial);
        Assert.NotEqual(serial, fewer.GetProperty("serialNumber").GetString());
        Assert.NotEqual(serial, later.GetProperty("serialNumber").GetString());
    }

    [Fact]
    public void Write_Timestamp_UtcToTheSecond()
    {
        var options = SbomSamples.Options with { Timestamp = new DateTimeOffset(2024, 2, 29, 13, 4, 5, 678, TimeSpan.FromHours(2)) };
        var bom = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, [], options));

        Assert.Equal("2024-02-29T11:04:05Z", bom.GetProperty("metadata").GetProperty("timestamp").GetString());
    }

    [Fact]
    public void Write_Image_MetadataComponentIsContainerWithOciPurl()
    {
        var bom = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, SbomSamples.Rich()));
        var metadata = bom.GetProperty("metadata");
        var component = metadata.GetProperty("component");
        var digest = SbomSamples.Image.ManifestDigest!.Value;

        Assert.Equal("container", component.GetProperty("type").GetString());
        Assert.Equal("registry.example.com/team/app:1.0", component.GetProperty("name").GetString());
        Assert.Equal(digest.ToString(), component.GetProperty("version").GetString());
        Assert.Equal(
            $"pkg:oci/app@sha256:{digest.Encoded}?arch=amd64&repository_url=registry.example.com%2Fteam%2Fapp&tag=1.0",
            component.GetProperty("purl").GetString());
        Assert.Equal(digest.Encoded, component.GetProperty("hashes")[0].GetProperty("content").GetString());
        var properties = Properties(component);
        Assert.Equal(SbomSamples.Image.ConfigDigest.ToString(), properties["signet:image:configDigest"]);
        Assert.Equal("linux/amd64", properties["signet:image:platform"]);
        Assert.Equal(SbomSamples.BaseLayer.DiffId.ToString(), properties["signet:image:layer:0:diffID"]);
        Assert.Equal("RUN npm ci", properties["signet:image:layer:1:createdBy"]);
        var tool = metadata.GetProperty("tools").GetProperty("components")[0];
        Assert.Equal("signet", tool.GetProperty("name").GetString());
        Assert.Equal("1.2.3", tool.GetProperty("version").GetString());
    }

    [Fact]
    public void Write_ImageNameNotAReference_NoPurl()
    {
        var subject = SbomSamples.Image with { Name = "Not A Reference!" };
        var component = SbomSamples.Parse(SbomSamples.CycloneDx(subject, [])).GetProperty("metadata").GetProperty("component");

        Assert.False(component.TryGetProperty("purl", out _));
        Assert.Equal("Not A Reference!", component.GetProperty("name").GetString());
    }

    [Fact]
    public void Write_SourceTree_FileComponentWithoutVersion()
    {
        var bom = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.SourceTree, SbomSamples.Rich().Select(p => p with { Layer = null })));
        var component = bom.GetProperty("metadata").GetProperty("component");

        Assert.Equal("file", component.GetProperty("type").GetString());
        Assert.Equal("/src/project", component.GetProperty("name").GetString());
        Assert.False(component.TryGetProperty("version", out _));
        Assert.Equal("source-tree", Properties(component)["signet:subject:kind"]);
        Assert.DoesNotContain(bom.GetProperty("components").EnumerateArray(), c => c.GetProperty("type").GetString() == "operating-system");
        Assert.DoesNotContain(bom.GetProperty("components").EnumerateArray(), c => Properties(c).ContainsKey("signet:layer:digest"));
    }

    [Theory]
    [InlineData("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12")]
    [InlineData("pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4")]
    [InlineData("pkg:rpm/redhat/openssl-libs@1:3.0.7-24.el9")]
    [InlineData("pkg:pypi/requests@2.28.1")]
    [InlineData("pkg:npm/%40scope/util@2.0.0")]
    [InlineData("pkg:nuget/Newtonsoft.Json@13.0.1")]
    [InlineData("pkg:golang/github.com/spf13/cobra@v1.8.0")]
    [InlineData("pkg:cargo/serde@1.0.193")]
    [InlineData("pkg:maven/org.apache.commons/commons-lang3@3.12.0")]
    [InlineData("pkg:gem/rake@13.0.6")]
    [InlineData("pkg:composer/vendor/name@1.0.0")]
    public void Write_EveryEcosystem_ComponentWithPurl(string purl)
    {
        var bom = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, SbomSamples.Rich()));
        var component = bom.GetProperty("components").EnumerateArray().Single(c => c.TryGetProperty("purl", out var p) && p.GetString() == purl);

        Assert.Equal("library", component.GetProperty("type").GetString());
        Assert.StartsWith(purl[4..purl.IndexOf('/', StringComparison.Ordinal)] + "-", component.GetProperty("bom-ref").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Package_LayerEvidenceSourceAndFacts()
    {
        var bom = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, SbomSamples.Rich()));
        var libc = SbomSamples.Component(bom, "pkg:deb/debian/libc6@");
        var properties = Properties(libc);

        Assert.Equal("deb-cataloger", properties["signet:foundBy"]);
        Assert.Equal("0", properties["signet:layer:index"]);
        Assert.Equal(SbomSamples.BaseLayer.Digest.ToString(), properties["signet:layer:digest"]);
        Assert.Equal(SbomSamples.BaseLayer.DiffId.ToString(), properties["signet:layer:diffID"]);
        Assert.Equal(SbomSamples.BaseLayer.CreatedBy, properties["signet:layer:createdBy"]);
        Assert.Equal("glibc", properties["signet:source:name"]);
        Assert.Equal("2.36-9+deb12u4", properties["signet:source:version"]);
        Assert.Equal("var/lib/dpkg/status", properties["signet:evidence:0"]);
        Assert.Equal("var/lib/dpkg/info/libc6:amd64.list", properties["signet:evidence:1"]);
        Assert.Equal("amd64", properties["signet:package:arch"]);
        Assert.Equal(
            ["var/lib/dpkg/status", "var/lib/dpkg/info/libc6:amd64.list"],
            libc.GetProperty("evidence").GetProperty("occurrences").EnumerateArray().Select(o => o.GetProperty("location").GetString()));
        Assert.Equal("GNU Libc Maintainers", libc.GetProperty("supplier").GetProperty("name").GetString());
        Assert.Equal("GNU Libc Maintainers <debian-glibc@lists.debian.org>", libc.GetProperty("publisher").GetString());
        Assert.False(Properties(SbomSamples.Component(bom, "pkg:npm/app@")).ContainsKey("signet:layer:diffID"));
    }

    [Fact]
    public void Write_OperatingSystemComponent_FromDistribution()
    {
        var bom = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, SbomSamples.Rich()));
        var os = bom.GetProperty("components")[0];

        Assert.Equal("operating-system", os.GetProperty("bom-ref").GetString());
        Assert.Equal("debian", os.GetProperty("name").GetString());
        Assert.Equal("12", os.GetProperty("version").GetString());
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", os.GetProperty("description").GetString());
        Assert.Equal("bookworm", Properties(os)["signet:os:codename"]);
        Assert.Equal("debian-12", Properties(os)["signet:os:distro"]);
    }

    [Theory]
    [InlineData("pkg:apk/alpine/musl@", "{\"license\":{\"id\":\"MIT\"}}")]
    [InlineData("pkg:deb/debian/libc6@", "{\"license\":{\"id\":\"GPL-2.0-or-later\"}}|{\"license\":{\"id\":\"LGPL-2.1-or-later\"}}")]
    [InlineData("pkg:npm/app@", "{\"expression\":\"(MIT OR Apache-2.0)\"}")]
    [InlineData("pkg:cargo/serde@", "{\"expression\":\"MIT OR Apache-2.0\"}")]
    [InlineData("pkg:rpm/redhat/openssl-libs@", "{\"license\":{\"name\":\"ASL 2.0\"}}")]
    [InlineData("pkg:npm/%40scope/util@", "{\"license\":{\"id\":\"ISC\"}}|{\"license\":{\"name\":\"SEE LICENSE IN LICENSE.md\"}}")]
    [InlineData("pkg:composer/vendor/name@", "{\"expression\":\"Apache-2.0+ AND BSD-3-Clause\"}")]
    public void Write_Licenses_IdExpressionOrName(string purl, string expected)
    {
        var bom = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, SbomSamples.Rich()));
        var licenses = SbomSamples.Component(bom, purl).GetProperty("licenses").EnumerateArray().Select(l => l.GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));

        Assert.Equal(expected.Replace(" ", "", StringComparison.Ordinal), string.Join('|', licenses));
    }

    [Fact]
    public void Write_ExpressionMixedWithFreeText_AllNames()
    {
        var package = SbomSamples.Make("npm", null, "mixed", "1.0.0", "node_modules/mixed/package.json", licenses: ["MIT OR ISC", "Custom terms"]);
        var bom = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, [package]));
        var names = bom.GetProperty("components")[1].GetProperty("licenses").EnumerateArray().Select(l => l.GetProperty("license").GetProperty("name").GetString());

        Assert.Equal(["Custom terms", "MIT OR ISC"], names);
    }

    [Fact]
    public void Write_Dependencies_ResolvedToNearestTreeAndPinnedVersion()
    {
        var bom = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, SbomSamples.Rich()));
        string Ref(string purl) => SbomSamples.Component(bom, purl).GetProperty("bom-ref").GetString()!;
        var graph = bom.GetProperty("dependencies").EnumerateArray().ToDictionary(
            d => d.GetProperty("ref").GetString()!,
            d => d.GetProperty("dependsOn").EnumerateArray().Select(x => x.GetString()!).ToList());

        Assert.Equal([Ref("pkg:npm/%40scope/util@"), Ref("pkg:npm/lodash@4.17.21")], graph[Ref("pkg:npm/app@")].Order(StringComparer.Ordinal));
        Assert.Equal([Ref("pkg:npm/lodash@3.10.1")], graph[Ref("pkg:npm/%40scope/util@")]);
        Assert.Equal(
            [Ref("pkg:pypi/charset-normalizer@"), Ref("pkg:pypi/urllib3@1.26.18")],
            graph[Ref("pkg:pypi/requests@")].Order(StringComparer.Ordinal));
        Assert.Equal(
            [Ref("pkg:deb/debian/libc6@"), Ref("pkg:deb/debian/libcurl4@")],
            graph[Ref("pkg:deb/debian/curl@")].Order(StringComparer.Ordinal));
        Assert.Empty(graph[Ref("pkg:npm/lodash@4.17.21")]);
    }

    [Fact]
    public void Write_Dependencies_SubjectDependsOnOsAndTopLevel()
    {
        var bom = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, SbomSamples.Rich()));
        string Ref(string purl) => SbomSamples.Component(bom, purl).GetProperty("bom-ref").GetString()!;
        var graph = bom.GetProperty("dependencies").EnumerateArray().ToDictionary(
            d => d.GetProperty("ref").GetString()!,
            d => d.GetProperty("dependsOn").EnumerateArray().Select(x => x.GetString()!).ToList());

        var subject = graph["subject"];
        Assert.Contains("operating-system", subject);
        Assert.Contains(Ref("pkg:npm/app@"), subject);
        Assert.Contains(Ref("pkg:pypi/requests@"), subject);
        Assert.Contains(Ref("pkg:pypi/urllib3@2.0.7"), subject);
        Assert.DoesNotContain(Ref("pkg:npm/lodash@4.17.21"), subject);
        Assert.DoesNotContain(Ref("pkg:deb/debian/curl@"), subject);
        Assert.Equal(
            [Ref("pkg:apk/alpine/musl@"), Ref("pkg:deb/debian/curl@"), Ref("pkg:rpm/redhat/openssl-libs@")],
            graph["operating-system"].Order(StringComparer.Ordinal));
        Assert.Equal(bom.GetProperty("components").GetArrayLength() + 1, graph.Count);
    }

    [Fact]
    public void Write_DependencyCycle_EveryPackageReachableFromSubject()
    {
        Package[] cycle =
        [
            SbomSamples.Make("npm", null, "a", "1.0.0", "node_modules/a/package.json", dependsOn: [new PackageDependency("b")]),
            SbomSamples.Make("npm", null, "b", "1.0.0", "node_modules/b/package.json", dependsOn: [new PackageDependency("a")]),
        ];
        var bom = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image with { Distribution = null }, cycle));
        var subject = bom.GetProperty("dependencies")[0];

        Assert.Equal("subject", subject.GetProperty("ref").GetString());
        Assert.Equal([bom.GetProperty("components")[0].GetProperty("bom-ref").GetString()], subject.GetProperty("dependsOn").EnumerateArray().Select(x => x.GetString()));
    }

    [Fact]
    public void Write_DependencyPinnedToMissingVersion_Unresolved()
    {
        Package[] packages =
        [
            SbomSamples.Make("npm", null, "a", "1.0.0", "node_modules/a/package.json", dependsOn: [new PackageDependency("b", "9.9.9")]),
            SbomSamples.Make("npm", null, "b", "1.0.0", "node_modules/b/package.json"),
        ];
        var bom = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, packages));

        Assert.All(bom.GetProperty("dependencies").EnumerateArray().Skip(2), d => Assert.Equal(0, d.GetProperty("dependsOn").GetArrayLength()));
    }

    [Fact]
    public void Write_DuplicatePackages_UniqueBomRefs()
    {
        var package = SbomSamples.Make("gem", null, "rake", "13.0.6", "specifications/rake-13.0.6.gemspec");
        var bom = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, [package, package, package with { Purl = null }]));
        var refs = bom.GetProperty("components").EnumerateArray().Skip(1).Select(c => c.GetProperty("bom-ref").GetString()!).ToList();

        Assert.Equal(3, refs.Distinct(StringComparer.Ordinal).Count());
        Assert.Single(refs, r => r.EndsWith("-2", StringComparison.Ordinal));
        Assert.All(refs, r => Assert.Matches("^gem-rake-[0-9a-f]{16}(-2)?$", r));
    }

    [Fact]
    public void Write_PackageWithoutPurlOrVersion_NameOnly()
    {
        var package = SbomSamples.Make("npm", null, "x", null, "node_modules/x/package.json") with { Purl = null };
        var component = SbomSamples.Parse(SbomSamples.CycloneDx(SbomSamples.Image, [package])).GetProperty("components")[1];

        Assert.Equal("x", component.GetProperty("name").GetString());
        Assert.False(component.TryGetProperty("purl", out _));
        Assert.False(component.TryGetProperty("version", out _));
        Assert.False(component.TryGetProperty("licenses", out _));
    }

    [Fact]
    public void Write_UnusualCharacters_EscapedValidJson()
    {
        var package = SbomSamples.Make("npm", null, "x", "1.0.0", "node_modules/x/package.json") with { Supplier = "A \"quoted\" <b@c> \u0001 \ud800" };
        var bytes = SbomSamples.CycloneDx(SbomSamples.Image, [package]);
        var supplier = SbomSamples.Parse(bytes).GetProperty("components")[1].GetProperty("publisher").GetString();

        Assert.StartsWith("A \"quoted\" <b@c> \u0001 ", supplier, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_LeavesStreamOpen()
    {
        using var output = new MemoryStream();
        CycloneDxWriter.Write(SbomSamples.Image, [], output, SbomSamples.Options);

        Assert.True(output.CanWrite);
        Assert.Equal((byte)'\n', output.ToArray()[^1]);
    }

    internal static Dictionary<string, string> Properties(JsonElement component) =>
        component.GetProperty("properties").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("value").GetString()!);
}
