using System.Text;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.DotNet;
using Signet.Scanning.Tests.Catalogers.Npm;

namespace Signet.Scanning.Tests.Catalogers.DotNet;

public sealed class NuGetLockfileCatalogerTests
{
    private const string Path = "src/SampleApp/packages.lock.json";
    private static readonly NuGetLockfileCataloger Cataloger = new();

    private static Task<(IReadOnlyList<Package> Packages, IReadOnlyList<CatalogIssue> Issues)> RunAsync(byte[] content, ScanKind kind = ScanKind.SourceTree) =>
        CatalogerHarness.RunAsync(Cataloger, new Dictionary<string, byte[]> { [Path] = content }, kind);

    [Fact]
    public async Task Run_RealLockfile_ListsResolvedPackagesWithResolvedDependencies()
    {
        var (packages, issues) = await RunAsync(DotNetDepsCatalogerTests.Read("packages.lock.json"));

        Assert.Empty(issues);
        Assert.Equal(
            [
                "Microsoft.Data.Sqlite@10.0.14", "Microsoft.Data.Sqlite.Core@10.0.14", "SQLitePCLRaw.bundle_e_sqlite3@3.0.3", "SQLitePCLRaw.config.e_sqlite3@3.0.3",
                "SQLitePCLRaw.core@3.0.3", "SQLitePCLRaw.provider.e_sqlite3@3.0.3", "SourceGear.sqlite3@3.50.4.5", "YamlDotNet@16.3.0",
            ],
            packages.Select(p => $"{p.Name}@{p.Version}"));

        // The lockfile says SQLitePCLRaw.core 2.1.13 (the range's floor); 3.0.3 is what was resolved.
        var sqlite = packages[0];
        Assert.Equal<PackageDependency>(
            [new("Microsoft.Data.Sqlite.Core", "10.0.14"), new("SQLitePCLRaw.bundle_e_sqlite3", "3.0.3"), new("SQLitePCLRaw.core", "3.0.3")],
            sqlite.DependsOn);
        Assert.Equal("pkg:nuget/Microsoft.Data.Sqlite@10.0.14", sqlite.Purl?.ToString());
        Assert.Equal("nuget-lockfile", sqlite.FoundBy);
        Assert.Equal("Direct", sqlite.Properties["nuget.dependency-type"]);
        Assert.Equal("net10.0", sqlite.Properties["nuget.target-frameworks"]);
        Assert.StartsWith("muyroan6", sqlite.Properties["nuget.content-hash"], StringComparison.Ordinal);
        Assert.Equal("Transitive", packages.Single(p => p.Name == "YamlDotNet").Properties["nuget.dependency-type"]);
    }

    [Fact]
    public async Task Run_ImageScan_IgnoresLockfiles()
    {
        var (packages, issues) = await RunAsync(DotNetDepsCatalogerTests.Read("packages.lock.json"), ScanKind.Image);
        Assert.Empty(packages);
        Assert.Empty(issues);
    }

    [Fact]
    public async Task Run_SamePackageInTwoFrameworks_ListedOnceDirectWins()
    {
        var json = """
            {"version":2,"dependencies":{
              "net8.0":{"A":{"type":"Transitive","resolved":"1.0.0","dependencies":{"B":"[1.0.0, )"}},"B":{"type":"Transitive","resolved":"1.0.0"}},
              "net10.0":{"A":{"type":"Direct","resolved":"1.0.0","dependencies":{"B":"[1.0.0, )"}},"B":{"type":"CentralTransitive","resolved":"2.0.0"}}}}
            """;
        var (packages, issues) = await RunAsync(Encoding.UTF8.GetBytes(json));

        Assert.Empty(issues);
        Assert.Equal(["A@1.0.0", "B@1.0.0", "B@2.0.0"], packages.Select(p => $"{p.Name}@{p.Version}"));
        Assert.Equal("Direct", packages[0].Properties["nuget.dependency-type"]);
        Assert.Equal("net10.0,net8.0", packages[0].Properties["nuget.target-frameworks"]);
        Assert.Equal<PackageDependency>([new("B", "1.0.0"), new("B", "2.0.0")], packages[0].DependsOn);
    }

    [Theory]
    [InlineData("{\"version\":1,")]
    [InlineData("\"text\"")]
    public async Task Run_NotJsonObject_ReportsNet1003(string text)
    {
        var (packages, issues) = await RunAsync(Encoding.UTF8.GetBytes(text));
        Assert.Empty(packages);
        Assert.Equal(DotNetCodes.LockfileInvalid, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Run_EntryWithoutResolvedVersion_ReportsNet1003AndKeepsTheOthers()
    {
        var json = """{"version":1,"dependencies":{"net10.0":{"A":{"type":"Direct"},"B":{"type":"Direct","resolved":"1.0.0"},"P":{"type":"Project"}}}}""";
        var (packages, issues) = await RunAsync(Encoding.UTF8.GetBytes(json));

        Assert.Equal("B", Assert.Single(packages).Name);
        var issue = Assert.Single(issues);
        Assert.Equal(DotNetCodes.LockfileInvalid, issue.Code);
        Assert.Contains("'A'", issue.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"dependencies":{}}""")]
    [InlineData("""{"version":3,"dependencies":{}}""")]
    [InlineData("""{"version":"1","dependencies":{}}""")]
    public async Task Run_UnsupportedVersion_ReportsNet1004(string json)
    {
        var (packages, issues) = await RunAsync(Encoding.UTF8.GetBytes(json));
        Assert.Empty(packages);
        Assert.Equal(DotNetCodes.LockfileVersionUnsupported, Assert.Single(issues).Code);
    }

    [Fact]
    public void Parse_OverTheEntryBound_ReportsNet1005AndListsTheFirst()
    {
        var issues = new List<CatalogIssue>();
        var file = new CatalogFile { Path = Path, Size = 0, Mode = UnixFileMode.UserRead };
        var packages = NuGetLockfileCataloger.Parse(
            file, DotNetDepsCatalogerTests.Read("packages.lock.json"), new CatalogContext(ScanKind.SourceTree, null, issues.Add), "nuget-lockfile", maxEntries: 2);

        Assert.Equal(["Microsoft.Data.Sqlite", "SQLitePCLRaw.bundle_e_sqlite3"], packages.Select(p => p.Name).Order(StringComparer.Ordinal));
        var issue = Assert.Single(issues);
        Assert.Equal(DotNetCodes.TooManyEntries, issue.Code);
        Assert.Contains("more than 2 libraries", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MutatedRealFile_NeverThrows()
    {
        var file = new CatalogFile { Path = Path, Size = 0, Mode = UnixFileMode.UserRead };
        ParserFuzz.NeverThrows(DotNetDepsCatalogerTests.Read("packages.lock.json"), (bytes, context) => NuGetLockfileCataloger.Parse(file, bytes, context, "nuget-lockfile"));
    }
}
