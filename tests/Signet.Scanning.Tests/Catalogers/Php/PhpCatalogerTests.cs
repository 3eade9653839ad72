using Signet.Oci;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Php;
using Signet.Scanning.FileSystem;

namespace Signet.Scanning.Tests.Catalogers.Php;

public sealed class PhpCatalogerTests
{
    private const string Installed = "srv/app/vendor/composer/installed.json";

    private static Dictionary<string, byte[]> One(string path, byte[] bytes) => new(StringComparer.Ordinal) { [path] = bytes };

    private static Task<(IReadOnlyList<Package> Packages, IReadOnlyList<CatalogIssue> Issues)> RunInstalled(string text) =>
        CatalogerHarness.RunAsync(new ComposerInstalledCataloger(), One(Installed, LanguageTestFiles.Utf8(text)));

    [Fact]
    public async Task Installed_Composer2_ListsPackagesWithDevFlagsAndInstallPaths()
    {
        var (packages, issues) = await CatalogerHarness.RunAsync(new ComposerInstalledCataloger(), One(Installed, LanguageTestFiles.Read("Php", "installed-v2.json")));

        Assert.Empty(issues);
        Assert.Equal<string?>(
            ["pkg:composer/monolog/monolog@3.5.0", "pkg:composer/phpunit/phpunit@10.5.3", "pkg:composer/psr/log@3.0.0", "pkg:composer/symfony/polyfill-ctype@v1.28.0"],
            packages.Select(p => p.Purl?.ToString()));
        var monolog = packages[0];
        Assert.Equal("monolog/monolog", monolog.Name);
        Assert.Equal("composer", monolog.Type);
        Assert.Equal("php-composer-installed", monolog.FoundBy);
        Assert.Equal<string>(["MIT"], monolog.Licenses);
        Assert.Equal("Jordi Example <jordi@example.invalid>", monolog.Supplier);
        Assert.Equal<PackageDependency>([new("psr/log", "3.0.0")], monolog.DependsOn);
        Assert.Equal("srv/app/vendor/monolog/monolog", monolog.Properties["composer.install-path"]);
        Assert.False(monolog.Properties.ContainsKey("composer.dev"));
        Assert.Equal<string>([Installed], monolog.Evidence);
        Assert.Equal("true", packages[1].Properties["composer.dev"]);
        Assert.Equal<string>(["BSD-3-Clause"], packages[1].Licenses);
        Assert.Equal("PHP-FIG", packages[2].Supplier);
        Assert.Equal("v1.28.0", packages[3].Version);
    }

    [Fact]
    public async Task Installed_Composer1Array_ListsPackagesUnderVendor()
    {
        var (packages, issues) = await CatalogerHarness.RunAsync(new ComposerInstalledCataloger(), One(Installed, LanguageTestFiles.Read("Php", "installed-v1.json")));

        Assert.Empty(issues);
        Assert.Equal(["guzzlehttp/psr7", "psr/http-message"], packages.Select(p => p.Name));
        Assert.Equal<PackageDependency>([new("psr/http-message", "1.1"), new("ralouphie/getallheaders")], packages[0].DependsOn);
        Assert.Equal("srv/app/vendor/guzzlehttp/psr7", packages[0].Properties["composer.install-path"]);
    }

    [Fact]
    public async Task Installed_ComposerJsonInALayer_GivesThePackageItsLayerAndEvidence()
    {
        var upper = new LayerInfo { Index = 1, Digest = Digest.Compute("upper"u8) };
        var lower = new LayerInfo { Index = 0, Digest = Digest.Compute("lower"u8) };
        var issues = new List<CatalogIssue>();
        var context = new CatalogContext(ScanKind.Image, null, issues.Add, path => path == "srv/app/vendor/psr/log/composer.json" ? upper : null);
        var session = new ComposerInstalledCataloger().Start(context);
        var bytes = LanguageTestFiles.Read("Php", "installed-v2.json");
        await using (var content = new MemoryStream(bytes))
        {
            await session.ReadAsync(new CatalogFile { Path = Installed, Size = bytes.Length, Mode = UnixFileMode.UserRead, Layer = lower }, content, CancellationToken.None);
        }

        var packages = session.Finish();

        Assert.Empty(issues);
        var log = packages.Single(p => p.Name == "psr/log");
        Assert.Same(upper, log.Layer);
        Assert.Equal<string>([Installed, "srv/app/vendor/psr/log/composer.json"], log.Evidence);
        Assert.Same(lower, packages.Single(p => p.Name == "monolog/monolog").Layer);
    }

    [Theory]
    [InlineData("vendor/composer/installed.json", true)]
    [InlineData("var/www/vendor/composer/installed.json", true)]
    [InlineData("var/www/vendor/composer/installed.php", false)]
    [InlineData("var/www/composer/installed.json", false)]
    public void Installed_Wants_InstalledJsonOnly(string path, bool wanted)
    {
        var context = new CatalogContext(ScanKind.Image, null, _ => { });
        Assert.Equal(wanted, new ComposerInstalledCataloger().Wants(new CatalogFile { Path = path, Size = 10, Mode = UnixFileMode.UserRead }, context));
    }

    [Fact]
    public async Task Installed_NotJson_ReportsPHP1001()
    {
        var (packages, issues) = await RunInstalled("{\"packages\": [");

        Assert.Empty(packages);
        var issue = Assert.Single(issues);
        Assert.Equal(PhpCodes.NotJson, issue.Code);
        Assert.Equal(Installed, issue.Path);
    }

    [Fact]
    public async Task Installed_NotUtf8_ReportsPHP1001()
    {
        var (packages, issues) = await CatalogerHarness.RunAsync(new ComposerInstalledCataloger(), One(Installed, [.. "[{\"name\": \"a/b\", \"version\": \"1\", \"license\": [\""u8, 0x9F, .. "\"]}]"u8]));

        Assert.Empty(packages);
        var issue = Assert.Single(issues);
        Assert.Equal(PhpCodes.NotJson, issue.Code);
        Assert.Contains("not UTF-8", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installed_TooDeep_ReportsPHP1001()
    {
        var (_, issues) = await RunInstalled(new string('[', 100) + new string(']', 100));

        Assert.Equal(PhpCodes.NotJson, Assert.Single(issues).Code);
    }

    [Theory]
    [InlineData("{\"dev\": true}")]
    [InlineData("\"text\"")]
    [InlineData("{\"packages\": {}}")]
    public async Task Installed_NoPackageList_ReportsPHP1002(string json)
    {
        var (packages, issues) = await RunInstalled(json);

        Assert.Empty(packages);
        Assert.Equal(PhpCodes.UnexpectedShape, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Installed_EntriesWithoutNameOrVersion_ReportPHP1003()
    {
        var (packages, issues) = await RunInstalled("[{\"name\": \"a/b\", \"version\": \"1\"}, {\"name\": \"c/d\"}, {\"version\": 2}, 7]");

        Assert.Equal("a/b", Assert.Single(packages).Name);
        var issue = Assert.Single(issues);
        Assert.Equal(PhpCodes.MissingNameOrVersion, issue.Code);
        Assert.Contains("3 package entries", issue.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nonamespace")]
    [InlineData("vendor/")]
    public async Task Installed_NameNotVendorPackage_ReportsPHP1004(string name)
    {
        var (packages, issues) = await RunInstalled($"[{{\"name\": \"{name}\", \"version\": \"1\"}}]");

        Assert.Null(Assert.Single(packages).Purl);
        Assert.Equal(PhpCodes.InvalidPurl, Assert.Single(issues).Code);
    }

    [Fact]
    public void Installed_MutatedSamples_NeverThrow()
    {
        LanguageFuzz.NeverThrows(new ComposerInstalledCataloger(), One(Installed, LanguageTestFiles.Read("Php", "installed-v2.json")), ScanKind.Image);
        LanguageFuzz.NeverThrows(new ComposerInstalledCataloger(), One(Installed, LanguageTestFiles.Read("Php", "installed-v1.json")), ScanKind.Image);
    }

    [Fact]
    public async Task Lock_Sample_ListsPackagesAndDevPackages()
    {
        var (packages, issues) = await CatalogerHarness.RunAsync(new ComposerLockCataloger(), One("app/composer.lock", LanguageTestFiles.Read("Php", "composer.lock")), ScanKind.SourceTree);

        Assert.Empty(issues);
        Assert.Equal<string?>(["pkg:composer/mockery/mockery@1.6.7", "pkg:composer/psr/container@2.0.2", "pkg:composer/symfony/console@v6.4.1"], packages.Select(p => p.Purl?.ToString()));
        Assert.Equal("true", packages[0].Properties["composer.dev"]);
        Assert.Empty(packages[1].Properties);
        Assert.Equal<PackageDependency>([new("psr/container", "2.0.2"), new("symfony/deprecation-contracts")], packages[2].DependsOn);
        Assert.All(packages, p => Assert.Equal("php-composer-lock", p.FoundBy));
        Assert.All(packages, p => Assert.Equal<string>(["app/composer.lock"], p.Evidence));
    }

    [Fact]
    public async Task Lock_RootArray_ReportsPHP1002()
    {
        var (_, issues) = await CatalogerHarness.RunAsync(new ComposerLockCataloger(), One("composer.lock", "[]"u8.ToArray()), ScanKind.SourceTree);

        Assert.Equal(PhpCodes.UnexpectedShape, Assert.Single(issues).Code);
    }

    [Theory]
    [InlineData(ScanKind.Image, false)]
    [InlineData(ScanKind.RootFilesystem, false)]
    [InlineData(ScanKind.SourceTree, true)]
    public void Lock_Wants_SourceTreesOnly(ScanKind kind, bool wanted)
    {
        var context = new CatalogContext(kind, null, _ => { });
        Assert.Equal(wanted, new ComposerLockCataloger().Wants(new CatalogFile { Path = "app/composer.lock", Size = 10, Mode = UnixFileMode.UserRead }, context));
    }

    [Fact]
    public void Lock_MutatedSample_NeverThrows() =>
        LanguageFuzz.NeverThrows(new ComposerLockCataloger(), One("composer.lock", LanguageTestFiles.Read("Php", "composer.lock")));
}
