using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Ruby;

namespace Signet.Scanning.Tests.Catalogers.Ruby;

public sealed class RubyCatalogerTests
{
    private const string Gems = "usr/local/bundle";

    private static Task<(IReadOnlyList<Package> Packages, IReadOnlyList<CatalogIssue> Issues)> Gemspec(string text, string path = "var/lib/gems/3.1.0/specifications/x-1.gemspec") =>
        CatalogerHarness.RunAsync(new GemspecCataloger(), new Dictionary<string, byte[]>(StringComparer.Ordinal) { [path] = LanguageTestFiles.Utf8(text) });

    [Fact]
    public async Task Gemspec_Samples_ListEachGem()
    {
        var (packages, issues) = await CatalogerHarness.RunAsync(new GemspecCataloger(), LanguageTestFiles.Tree("Ruby", "gems", Gems));

        Assert.Empty(issues);
        Assert.Equal<string?>(["pkg:gem/json@2.6.3", "pkg:gem/nokogiri@1.15.4", "pkg:gem/rake@13.0.6"], packages.Select(p => p.Purl?.ToString()));
        var (json, nokogiri, rake) = (packages[0], packages[1], packages[2]);
        Assert.Equal<string>(["BSD-2-Clause", "Ruby"], json.Licenses);
        Assert.Equal("true", json.Properties["gem.default"]);
        Assert.Equal("Florian Example", json.Supplier);
        Assert.Equal<PackageDependency>([new("racc")], nokogiri.DependsOn);
        Assert.Equal<string>([$"{Gems}/specifications/nokogiri-1.15.4-x86_64-linux.gemspec"], nokogiri.Evidence);
        Assert.Empty(nokogiri.Properties);
        Assert.Equal("Hiroshi Example, Eric Sample, Jos\u00e9 Test", rake.Supplier);
        Assert.Equal<string>(["MIT"], rake.Licenses);
        Assert.Empty(rake.DependsOn);
        Assert.All(packages, p => Assert.Equal("ruby-gemspec", p.FoundBy));
        Assert.All(packages, p => Assert.Equal("gem", p.Type));
    }

    [Fact]
    public async Task Gemspec_OldStyleOnlyPlainDependencies_CountsThem()
    {
        var text = "Gem::Specification.new do |s|\n  s.name = %q{old}\n  s.version = '0.1'\n  s.add_dependency(%q<crack>, [\">= 0.1.1\"])\n  s.add_dependency \"rack\", \">= 1\"\nend\n";
        var (packages, issues) = await Gemspec(text);

        Assert.Empty(issues);
        var old = Assert.Single(packages);
        Assert.Equal("pkg:gem/old@0.1", old.Purl?.ToString());
        Assert.Equal<PackageDependency>([new("crack"), new("rack")], old.DependsOn);
    }

    [Theory]
    [InlineData("var/lib/gems/3.1.0/specifications/rake-13.0.6.gemspec", true)]
    [InlineData("usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.3.gemspec", true)]
    [InlineData("specifications/a-1.gemspec", true)]
    [InlineData("src/app/app.gemspec", false)]
    [InlineData("var/lib/gems/3.1.0/gems/rake-13.0.6/rake.gemspec", false)]
    [InlineData("var/lib/gems/3.1.0/specifications/readme.txt", false)]
    public void Gemspec_Wants_InstalledSpecificationsOnly(string path, bool wanted)
    {
        var context = new CatalogContext(ScanKind.Image, null, _ => { });
        Assert.Equal(wanted, new GemspecCataloger().Wants(new CatalogFile { Path = path, Size = 10, Mode = UnixFileMode.UserRead }, context));
    }

    [Fact]
    public async Task Gemspec_NoSpecificationBlock_ReportsGEM1001()
    {
        var (packages, issues) = await Gemspec("puts 'hello'\n");

        Assert.Empty(packages);
        Assert.Equal(RubyCodes.NotAGemspec, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Gemspec_VersionNotALiteral_ReportsGEM1003AndGEM1002()
    {
        var (packages, issues) = await Gemspec("Gem::Specification.new do |s|\n  s.name = \"x\"\n  s.version = X::VERSION\nend\n");

        Assert.Empty(packages);
        Assert.Equal([RubyCodes.MalformedValue, RubyCodes.MissingNameOrVersion], issues.Select(i => i.Code));
        Assert.Contains("line 3", issues[0].Message, StringComparison.Ordinal);
        Assert.Contains("no literal version", issues[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gemspec_UnterminatedString_ReportsGEM1003()
    {
        var (packages, issues) = await Gemspec("Gem::Specification.new do |s|\n  s.name = \"x\"\n  s.version = \"1\"\n  s.licenses = [\"MIT\n");

        Assert.Empty(Assert.Single(packages).Licenses);
        Assert.Equal(RubyCodes.MalformedValue, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Gemspec_VersionTooLongForAPurl_ReportsGEM1004()
    {
        var (packages, issues) = await Gemspec($"Gem::Specification.new do |s|\n  s.name = \"x\"\n  s.version = \"{new string('1', 9000)}\"\nend\n");

        Assert.Null(Assert.Single(packages).Purl);
        Assert.Equal(RubyCodes.InvalidPurl, Assert.Single(issues).Code);
    }

    [Fact]
    public void Gemspec_MutatedSamples_NeverThrow() =>
        LanguageFuzz.NeverThrows(new GemspecCataloger(), LanguageTestFiles.Tree("Ruby", "gems", Gems), ScanKind.Image, 500);

    private static Dictionary<string, byte[]> Lock(string text) => new(StringComparer.Ordinal) { ["app/Gemfile.lock"] = LanguageTestFiles.Utf8(text) };

    [Fact]
    public async Task GemfileLock_Sample_ListsSpecsWithPlatformsAndLockedDependencies()
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["app/Gemfile.lock"] = LanguageTestFiles.Read("Ruby", "Gemfile.lock") };
        var (packages, issues) = await CatalogerHarness.RunAsync(new GemfileLockCataloger(), files, ScanKind.SourceTree);

        Assert.Empty(issues);
        Assert.Equal(
            ["mini_portile2 2.8.4 ", "nokogiri 1.15.4 ", "nokogiri 1.15.4 x86_64-linux", "racc 1.7.1 ", "rack 3.0.8 ", "rake 13.0.6 "],
            packages.Select(p => $"{p.Name} {p.Version} {p.Properties.GetValueOrDefault("platform")}"));
        Assert.Equal("pkg:gem/nokogiri@1.15.4", packages[2].Purl?.ToString());
        Assert.Equal<PackageDependency>([new("mini_portile2", "2.8.4"), new("racc", "1.7.1")], packages[1].DependsOn);
        Assert.All(packages, p => Assert.Equal("ruby-gemfile-lock", p.FoundBy));
    }

    [Fact]
    public async Task GemfileLock_SpecWithoutVersion_ReportsGEM1005()
    {
        var (packages, issues) = await CatalogerHarness.RunAsync(new GemfileLockCataloger(), Lock("GEM\n  specs:\n    good (1.0)\n    broken\n    open (1.0\n"), ScanKind.SourceTree);

        Assert.Equal("good", Assert.Single(packages).Name);
        var issue = Assert.Single(issues);
        Assert.Equal(RubyCodes.MalformedGemfileLock, issue.Code);
        Assert.Contains("line 4", issue.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ScanKind.Image, false)]
    [InlineData(ScanKind.RootFilesystem, false)]
    [InlineData(ScanKind.SourceTree, true)]
    public void GemfileLock_Wants_SourceTreesOnly(ScanKind kind, bool wanted)
    {
        var context = new CatalogContext(kind, null, _ => { });
        Assert.Equal(wanted, new GemfileLockCataloger().Wants(new CatalogFile { Path = "app/Gemfile.lock", Size = 10, Mode = UnixFileMode.UserRead }, context));
    }

    [Fact]
    public void GemfileLock_MutatedSample_NeverThrows() =>
        LanguageFuzz.NeverThrows(new GemfileLockCataloger(), new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["Gemfile.lock"] = LanguageTestFiles.Read("Ruby", "Gemfile.lock") });
}
