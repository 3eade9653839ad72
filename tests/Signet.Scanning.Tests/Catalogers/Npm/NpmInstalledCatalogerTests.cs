using System.Text;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Npm;

namespace Signet.Scanning.Tests.Catalogers.Npm;

public sealed class NpmInstalledCatalogerTests
{
    private static readonly NpmInstalledCataloger Cataloger = new();

    private static Task<(IReadOnlyList<Package> Packages, IReadOnlyList<CatalogIssue> Issues)> RunAsync(Dictionary<string, byte[]> files) =>
        CatalogerHarness.RunAsync(Cataloger, files);

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Run_RealNodeModules_ListsEachInstalledPackage()
    {
        var (packages, issues) = await RunAsync(new()
        {
            ["srv/app/package.json"] = NpmTestData.Read("installed/project-root.package.json"),
            ["srv/app/node_modules/debug/package.json"] = NpmTestData.Read("installed/debug.package.json"),
            ["srv/app/node_modules/debug/test/fixtures/package.json"] = NpmTestData.Read("installed/p-map.package.json"),
            ["srv/app/node_modules/@sigstore/protobuf-specs/package.json"] = NpmTestData.Read("installed/sigstore-protobuf-specs.package.json"),
            ["srv/app/node_modules/debug/node_modules/p-map/package.json"] = NpmTestData.Read("installed/p-map.package.json"),
            ["usr/lib/node_modules/npm/package.json"] = NpmTestData.Read("installed/npm.package.json"),
        });

        Assert.Empty(issues);
        Assert.Equal(
            ["@sigstore/protobuf-specs@0.5.2", "debug@4.4.3", "npm@11.19.1", "p-map@7.1.1"],
            packages.Select(p => $"{p.Name}@{p.Version}"));
        var debug = packages.Single(p => p.Name == "debug");
        Assert.Equal("pkg:npm/debug@4.4.3", debug.Purl?.ToString());
        Assert.Equal("npm-installed", debug.FoundBy);
        Assert.Equal("npm", debug.Type);
        Assert.Equal<string>(["srv/app/node_modules/debug/package.json"], debug.Evidence);
        Assert.Equal<string>(["MIT"], debug.Licenses);
        Assert.Equal("Josh Junon (https://github.com/qix-)", debug.Supplier);
        Assert.Equal<PackageDependency>([new PackageDependency("ms")], debug.DependsOn);

        var specs = packages.Single(p => p.Name == "@sigstore/protobuf-specs");
        Assert.Equal("pkg:npm/%40sigstore/protobuf-specs@0.5.2", specs.Purl?.ToString());
        Assert.Equal<string>(["Apache-2.0"], specs.Licenses);
        Assert.Empty(specs.DependsOn);

        var pMap = packages.Single(p => p.Name == "p-map");
        Assert.Equal("Sindre Sorhus <sindresorhus@gmail.com>", pMap.Supplier);
        Assert.Equal<string>(["srv/app/node_modules/debug/node_modules/p-map/package.json"], pMap.Evidence);

        var npm = packages.Single(p => p.Name == "npm");
        Assert.Equal<string>(["Artistic-2.0"], npm.Licenses);
        Assert.Equal("GitHub Inc.", npm.Supplier);
        Assert.Equal(65, npm.DependsOn.Length);
        Assert.Equal(npm.DependsOn.Select(d => d.Name).Order(StringComparer.Ordinal), npm.DependsOn.Select(d => d.Name));
    }

    [Fact]
    public async Task Run_DebianModuleDirectories_ListsThemAsNpmPackages()
    {
        var (packages, issues) = await RunAsync(new()
        {
            ["usr/share/nodejs/debug/package.json"] = NpmTestData.Read("installed/debug.package.json"),
            ["usr/lib/nodejs/@sigstore/protobuf-specs/package.json"] = NpmTestData.Read("installed/sigstore-protobuf-specs.package.json"),
            ["usr/lib/x86_64-linux-gnu/nodejs/p-map/package.json"] = NpmTestData.Read("installed/p-map.package.json"),
        });

        Assert.Empty(issues);
        Assert.Equal(["@sigstore/protobuf-specs", "debug", "p-map"], packages.Select(p => p.Name));
    }

    [Theory]
    [InlineData("node_modules/ms/package.json", true)]
    [InlineData("app/node_modules/@scope/name/package.json", true)]
    [InlineData("app/node_modules/.pnpm/ms@2.1.3/node_modules/ms/package.json", true)]
    [InlineData("usr/share/nodejs/ms/package.json", true)]
    [InlineData("usr/share/nodejs/@types/node/package.json", true)]
    [InlineData("usr/lib/nodejs/ms/package.json", true)]
    [InlineData("usr/lib/aarch64-linux-gnu/nodejs/ms/package.json", true)]
    [InlineData("app/package.json", false)]
    [InlineData("package.json", false)]
    [InlineData("node_modules/package.json", false)]
    [InlineData("node_modules/@scope/package.json", false)]
    [InlineData("node_modules/.cache/package.json", false)]
    [InlineData("node_modules/ms/test/package.json", false)]
    [InlineData("app/my_node_modules/ms/package.json", false)]
    [InlineData("node_modules/ms/package.json.bak", false)]
    [InlineData("usr/share/nodejs/package.json", false)]
    [InlineData("usr/share/doc/nodejs/ms/package.json", false)]
    [InlineData("usr/lib/a/b/nodejs/ms/package.json", false)]
    [InlineData("@scope/name/package.json", false)]
    public void Wants_Path_MatchesInstalledPackageDirectories(string path, bool wanted)
    {
        var context = new CatalogContext(ScanKind.Image, null, _ => { });
        Assert.Equal(wanted, Cataloger.Wants(new CatalogFile { Path = path, Size = 10, Mode = UnixFileMode.UserRead }, context));
    }

    [Theory]
    [InlineData("""{"name":"a","version":"1","license":{"type":"BSD-3-Clause","url":"x"}}""", "BSD-3-Clause")]
    [InlineData("""{"name":"a","version":"1","licenses":[{"type":"MIT"},{"type":"Apache-2.0"}]}""", "Apache-2.0|MIT")]
    [InlineData("""{"name":"a","version":"1","licenses":["ISC"," ISC "],"license":"(MIT OR GPL-2.0)"}""", "(MIT OR GPL-2.0)|ISC")]
    [InlineData("""{"name":"a","version":"1","license":["MIT",{"type":"BSD"},3,null]}""", "BSD|MIT")]
    [InlineData("""{"name":"a","version":"1","license":42}""", "")]
    public async Task Run_LicenseForms_AreAllRead(string json, string expected)
    {
        var (packages, _) = await RunAsync(new() { ["node_modules/a/package.json"] = Json(json) });
        Assert.Equal(expected, string.Join('|', Assert.Single(packages).Licenses));
    }

    [Theory]
    [InlineData("""{"name":"a","version":"1","maintainers":[{"email":"m@x"},"Second <s@x>"]}""", "m@x")]
    [InlineData("""{"name":"a","version":"1","author":{"url":"u"},"maintainers":[7,{"name":"Only Name"}]}""", "Only Name")]
    [InlineData("""{"name":"a","version":"1","author":" ","maintainers":"not a list"}""", null)]
    public async Task Run_NoAuthor_SupplierIsFirstMaintainer(string json, string? expected)
    {
        var (packages, _) = await RunAsync(new() { ["node_modules/a/package.json"] = Json(json) });
        Assert.Equal(expected, Assert.Single(packages).Supplier);
    }

    [Theory]
    [InlineData("""{"name":"a"}""")]
    [InlineData("""{"version":"1.0.0"}""")]
    [InlineData("""{"name":"","version":"1.0.0"}""")]
    [InlineData("""{"name":"a","version":1}""")]
    public async Task Run_NoNameOrVersion_SkippedWithoutIssue(string json)
    {
        var (packages, issues) = await RunAsync(new() { ["node_modules/a/package.json"] = Json(json) });
        Assert.Empty(packages);
        Assert.Empty(issues);
    }

    [Theory]
    [InlineData("{\"name\":\"a\",")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public async Task Run_NotAJsonObject_ReportsNpm1001(string text)
    {
        var (packages, issues) = await RunAsync(new() { ["node_modules/a/package.json"] = Json(text) });
        Assert.Empty(packages);
        var issue = Assert.Single(issues);
        Assert.Equal(NpmCodes.ManifestInvalid, issue.Code);
        Assert.Equal("node_modules/a/package.json", issue.Path);
    }

    [Fact]
    public async Task Run_ByteOrderMark_IsSkipped()
    {
        var (packages, issues) = await RunAsync(new() { ["node_modules/a/package.json"] = [0xEF, 0xBB, 0xBF, .. Json("""{"name":"a","version":"1.0.0"}""")] });
        Assert.Empty(issues);
        Assert.Equal("1.0.0", Assert.Single(packages).Version);
    }

    [Fact]
    public async Task Run_NameThatCannotFormAPurl_KeptWithoutPurlAndReportsNpm1005()
    {
        var (packages, issues) = await RunAsync(new() { ["node_modules/x/package.json"] = Json("""{"name":"@scope/","version":"1.0.0"}""") });
        Assert.Null(Assert.Single(packages).Purl);
        Assert.Equal(NpmCodes.PurlInvalid, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Run_ManifestOverLimit_ReportsCat1001()
    {
        var (packages, issues) = await RunAsync(new() { ["node_modules/a/package.json"] = new byte[NpmInstalledCataloger.MaxManifestBytes + 1] });
        Assert.Empty(packages);
        Assert.Equal(CatalogCodes.TooLarge, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Run_DeeplyNestedJson_ReportsNpm1001()
    {
        var text = $"{{\"name\":\"a\",\"version\":\"1\",\"x\":{new string('[', 300)}{new string(']', 300)}}}";
        var (packages, issues) = await RunAsync(new() { ["node_modules/a/package.json"] = Json(text) });
        Assert.Empty(packages);
        Assert.Equal(NpmCodes.ManifestInvalid, Assert.Single(issues).Code);
    }

    [Fact]
    public void Parse_MutatedRealManifests_NeverThrows()
    {
        var file = new CatalogFile { Path = "node_modules/debug/package.json", Size = 0, Mode = UnixFileMode.UserRead };
        foreach (var name in (string[])["installed/debug.package.json", "installed/p-map.package.json"])
        {
            ParserFuzz.NeverThrows(NpmTestData.Read(name), (bytes, context) => NpmInstalledCataloger.Parse(file, bytes, context, "npm-installed"));
        }
    }
}
