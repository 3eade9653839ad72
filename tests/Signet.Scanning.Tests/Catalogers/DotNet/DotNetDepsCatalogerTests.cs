using System.Text;
using System.Text.Json.Nodes;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.DotNet;
using Signet.Scanning.Purls;
using Signet.Scanning.Tests.Catalogers.Npm;

namespace Signet.Scanning.Tests.Catalogers.DotNet;

public sealed class DotNetDepsCatalogerTests
{
    private const string Path = "app/SampleApp.deps.json";
    private static readonly DotNetDepsCataloger Cataloger = new();

    internal static byte[] Read(string name) => File.ReadAllBytes(System.IO.Path.Combine(AppContext.BaseDirectory, "Catalogers", "DotNet", "testdata", name));

    private static Task<(IReadOnlyList<Package> Packages, IReadOnlyList<CatalogIssue> Issues)> RunAsync(byte[] content) =>
        CatalogerHarness.RunAsync(Cataloger, new Dictionary<string, byte[]> { [Path] = content });

    [Fact]
    public async Task Run_RealFrameworkDependentApp_ListsRuntimeLibrariesAndProjects()
    {
        var (packages, issues) = await RunAsync(Read("SampleApp.deps.json"));

        Assert.Empty(issues);
        Assert.Equal(
            [
                "Microsoft.Data.Sqlite.Core/10.0.14", "SQLitePCLRaw.config.e_sqlite3/3.0.3", "SQLitePCLRaw.core/3.0.3",
                "SQLitePCLRaw.provider.e_sqlite3/3.0.3", "SampleApp/1.0.0", "SampleLib/2.1.0", "SourceGear.sqlite3/3.50.4.5", "YamlDotNet/16.3.0",
            ],
            packages.Select(p => $"{p.Name}/{p.Version}"));

        var yaml = packages.Single(p => p.Name == "YamlDotNet");
        Assert.Equal("pkg:nuget/YamlDotNet@16.3.0", yaml.Purl?.ToString());
        Assert.Equal("dotnet-deps", yaml.FoundBy);
        Assert.Equal("nuget", yaml.Type);
        Assert.Equal<string>([Path], yaml.Evidence);
        Assert.Equal("package", yaml.Properties["dotnet.library-type"]);
        Assert.Equal("yamldotnet/16.3.0", yaml.Properties["dotnet.path"]);
        Assert.StartsWith("sha512-SgMOdxbz8X65", yaml.Properties["dotnet.sha512"], StringComparison.Ordinal);

        // Microsoft.Data.Sqlite and SQLitePCLRaw.bundle_e_sqlite3 have no runtime asset: skipped, and the edges through
        // them lead to what they depend on.
        var app = packages.Single(p => p.Name == "SampleApp");
        Assert.Equal("project", app.Properties["dotnet.library-type"]);
        Assert.False(app.Properties.ContainsKey("dotnet.sha512"));
        Assert.Equal<PackageDependency>(
            [
                new("Microsoft.Data.Sqlite.Core", "10.0.14"), new("SQLitePCLRaw.config.e_sqlite3", "3.0.3"), new("SQLitePCLRaw.core", "3.0.3"),
                new("SampleLib", "2.1.0"), new("SourceGear.sqlite3", "3.50.4.5"),
            ],
            app.DependsOn);
        Assert.Equal<PackageDependency>([new PackageDependency("YamlDotNet", "16.3.0")], packages.Single(p => p.Name == "SampleLib").DependsOn);
    }

    [Fact]
    public async Task Run_RealSelfContainedApp_ListsTheRuntimePackWithoutItsPrefix()
    {
        var (packages, issues) = await RunAsync(Read("SampleApp.self-contained.deps.json"));

        Assert.Empty(issues);
        var runtime = packages.Single(p => p.Name == "Microsoft.NETCore.App.Runtime.linux-x64");
        Assert.Equal("10.0.12", runtime.Version);
        Assert.Equal("runtimepack", runtime.Properties["dotnet.library-type"]);
        Assert.Equal("pkg:nuget/Microsoft.NETCore.App.Runtime.linux-x64@10.0.12", runtime.Purl?.ToString());
        Assert.Contains(new PackageDependency("Microsoft.NETCore.App.Runtime.linux-x64", "10.0.12"), packages.Single(p => p.Name == "SampleApp").DependsOn);
        Assert.Contains(packages, p => p.Name == "SourceGear.sqlite3");
        Assert.Equal(9, packages.Count);
    }

    [Fact]
    public async Task Run_RuntimeTargetMissing_ListsEveryPackageAndProjectWithoutDependencies()
    {
        var json = JsonNode.Parse(Read("SampleApp.deps.json"))!;
        json["runtimeTarget"]!["name"] = ".NETCoreApp,Version=v9.0";
        json["libraries"]!["Some.Reference/1.0.0"] = new JsonObject { ["type"] = "referenceassembly" };

        var (packages, issues) = await RunAsync(Encoding.UTF8.GetBytes(json.ToJsonString()));

        Assert.Empty(issues);
        Assert.Equal(10, packages.Count);
        Assert.Contains(packages, p => p.Name == "Microsoft.Data.Sqlite");
        Assert.DoesNotContain(packages, p => p.Name == "Some.Reference");
        Assert.All(packages, p => Assert.Empty(p.DependsOn));
    }

    [Theory]
    [InlineData("{\"libraries\":")]
    [InlineData("[]")]
    [InlineData("{\"libraries\":[]}")]
    public async Task Run_NotADepsDocument_ReportsNet1001(string text)
    {
        var (packages, issues) = await RunAsync(Encoding.UTF8.GetBytes(text));
        Assert.Empty(packages);
        Assert.Equal(DotNetCodes.DepsInvalid, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Run_NoLibraries_ListsNothing()
    {
        var (packages, issues) = await RunAsync("""{"runtimeTarget":{"name":"x"},"targets":{"x":{}}}"""u8.ToArray());
        Assert.Empty(packages);
        Assert.Empty(issues);
    }

    [Theory]
    [InlineData("NoVersion")]
    [InlineData("/1.0.0")]
    [InlineData("Name/")]
    [InlineData("Name/1.0.0/extra")]
    public async Task Run_LibraryKeyNotNameSlashVersion_ReportsNet1002AndKeepsTheOthers(string key)
    {
        var json = "{\"libraries\":{\"" + key + "\":{\"type\":\"package\"},\"Good/1.0.0\":{\"type\":\"package\"}}}";
        var (packages, issues) = await RunAsync(Encoding.UTF8.GetBytes(json));

        Assert.Equal("Good", Assert.Single(packages).Name);
        var issue = Assert.Single(issues);
        Assert.Equal(DotNetCodes.LibraryKeyInvalid, issue.Code);
        Assert.Contains(key, issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NameThatCannotFormAPurl_KeptWithoutPurlAndReportsNet1006()
    {
        var json = "{\"libraries\":{\"" + new string('a', PackageUrl.MaxLength) + "/1.0.0\":{\"type\":\"package\"}}}";
        var (packages, issues) = await RunAsync(Encoding.UTF8.GetBytes(json));
        Assert.Null(Assert.Single(packages).Purl);
        Assert.Equal(DotNetCodes.PurlInvalid, Assert.Single(issues).Code);
    }

    [Fact]
    public void Parse_OverTheLibraryBound_ReportsNet1005AndListsTheFirst()
    {
        var issues = new List<CatalogIssue>();
        var file = new CatalogFile { Path = Path, Size = 0, Mode = UnixFileMode.UserRead };
        var packages = DotNetDepsCataloger.Parse(file, Read("SampleApp.deps.json"), new CatalogContext(ScanKind.Image, null, issues.Add), "dotnet-deps", maxEntries: 3);

        Assert.Equal(["Microsoft.Data.Sqlite.Core", "SampleApp"], packages.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(DotNetCodes.TooManyEntries, Assert.Single(issues).Code);
    }

    [Theory]
    [InlineData("app/SampleApp.deps.json", true)]
    [InlineData("SampleApp.deps.json", true)]
    [InlineData("app/.deps.json", false)]
    [InlineData("app/SampleApp.runtimeconfig.json", false)]
    [InlineData("app/SampleApp.deps.json.bak", false)]
    public void Wants_Path_MatchesDepsFiles(string path, bool wanted)
    {
        var context = new CatalogContext(ScanKind.Image, null, _ => { });
        Assert.Equal(wanted, Cataloger.Wants(new CatalogFile { Path = path, Size = 10, Mode = UnixFileMode.UserRead }, context));
    }

    [Fact]
    public void Parse_MutatedRealFile_NeverThrows()
    {
        var file = new CatalogFile { Path = Path, Size = 0, Mode = UnixFileMode.UserRead };
        ParserFuzz.NeverThrows(Read("SampleApp.deps.json"), (bytes, context) => DotNetDepsCataloger.Parse(file, bytes, context, "dotnet-deps"));
    }
}
