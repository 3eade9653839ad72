using System.Globalization;
using System.Text;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Npm;

namespace Signet.Scanning.Tests.Catalogers.Npm;

public sealed class NpmLockfileCatalogerTests
{
    private static readonly NpmLockfileCataloger Cataloger = new();

    private static Task<(IReadOnlyList<Package> Packages, IReadOnlyList<CatalogIssue> Issues)> RunAsync(string path, byte[] content, ScanKind kind = ScanKind.SourceTree) =>
        CatalogerHarness.RunAsync(Cataloger, new Dictionary<string, byte[]> { [path] = content }, kind);

    private static Task<(IReadOnlyList<Package> Packages, IReadOnlyList<CatalogIssue> Issues)> RunAsync(string path, string content) =>
        RunAsync(path, Encoding.UTF8.GetBytes(content));

    [Theory]
    [InlineData("package-lock.v1.json", "package-lock.json")]
    [InlineData("package-lock.v2.json", "package-lock.json")]
    [InlineData("package-lock.v3.json", "npm-shrinkwrap.json")]
    [InlineData("pnpm-lock.v5.yaml", "pnpm-lock.yaml")]
    [InlineData("pnpm-lock.v6.yaml", "pnpm-lock.yaml")]
    [InlineData("pnpm-lock.v9.yaml", "pnpm-lock.yaml")]
    public async Task Run_RealLockfile_ListsPackagesNestedVersionsAndDevFlag(string testFile, string name)
    {
        var path = $"web/{name}";
        var (packages, issues) = await RunAsync(path, NpmTestData.Read($"lockfiles/{testFile}"));

        Assert.Empty(issues);
        Assert.Equal(
            ["@sigstore/protobuf-specs@0.3.2", "debug@2.6.9", "ms@2.0.0", "ms@2.1.3", "semver@7.6.3"],
            packages.Select(p => $"{p.Name}@{p.Version}"));
        Assert.Equal<PackageDependency>([new("ms", "2.0.0")], packages[1].DependsOn);
        Assert.Equal(["false", "false", "false", "false", "true"], packages.Select(p => p.Properties["npm.dev"]));
        Assert.Equal("pkg:npm/%40sigstore/protobuf-specs@0.3.2", packages[0].Purl?.ToString());
        Assert.StartsWith("sha512-c6B0ehIWxMI8", packages[0].Properties["npm.integrity"], StringComparison.Ordinal);
        Assert.All(packages, p => Assert.Equal("npm-lockfile", p.FoundBy));
        Assert.All(packages, p => Assert.Equal<string>([path], p.Evidence));
        Assert.Equal(
            testFile.StartsWith("package-lock.v", StringComparison.Ordinal) && testFile != "package-lock.v1.json" ? ["Apache-2.0", "MIT", "MIT", "MIT", "ISC"] : ["", "", "", "", ""],
            packages.Select(p => string.Join('|', p.Licenses)));
    }

    [Fact]
    public async Task Run_RealYarnLock_ResolvesRangesThroughEntryHeaders()
    {
        var (packages, issues) = await RunAsync("yarn.lock", NpmTestData.Read("lockfiles/yarn.lock"));

        Assert.Empty(issues);
        Assert.Equal(["@sigstore/protobuf-specs@0.3.3", "debug@4.4.3", "ms@2.1.3", "semver@7.6.3"], packages.Select(p => $"{p.Name}@{p.Version}"));
        Assert.Equal<PackageDependency>([new("ms", "2.1.3")], packages[1].DependsOn);
        Assert.Equal("https://registry.yarnpkg.com/ms/-/ms-2.1.3.tgz#574c8138ce1d2b5861f0b44579dbadd60c6615b2", packages[2].Properties["npm.resolved"]);
        Assert.All(packages, p => Assert.False(p.Properties.ContainsKey("npm.dev")));
    }

    [Theory]
    [InlineData("package-lock.json", ScanKind.SourceTree, true)]
    [InlineData("web/app/yarn.lock", ScanKind.SourceTree, true)]
    [InlineData("pnpm-lock.yaml", ScanKind.SourceTree, true)]
    [InlineData("npm-shrinkwrap.json", ScanKind.SourceTree, true)]
    [InlineData("package-lock.json", ScanKind.Image, false)]
    [InlineData("yarn.lock", ScanKind.RootFilesystem, false)]
    [InlineData("node_modules/.package-lock.json", ScanKind.SourceTree, false)]
    [InlineData("node_modules/x/package-lock.json", ScanKind.SourceTree, false)]
    [InlineData("app/node_modules/x/yarn.lock", ScanKind.SourceTree, false)]
    [InlineData("package.json", ScanKind.SourceTree, false)]
    public void Wants_LockfileNameAndKind(string path, ScanKind kind, bool wanted)
    {
        var context = new CatalogContext(kind, null, _ => { });
        Assert.Equal(wanted, Cataloger.Wants(new CatalogFile { Path = path, Size = 10, Mode = UnixFileMode.UserRead }, context));
    }

    [Fact]
    public async Task Run_PackageLockLinksWorkspacesAndAliases_ResolvedAsNpmInstallsThem()
    {
        var json = """
            {"lockfileVersion":3,"packages":{
              "":{"name":"root","version":"1.0.0"},
              "node_modules/lib":{"resolved":"packages/lib","link":true},
              "packages/lib":{"name":"lib","version":"2.0.0","dependencies":{"alias":"npm:real@^3"}},
              "node_modules/alias":{"name":"real","version":"3.1.0","dev":true},
              "node_modules/user":{"version":"1.0.0","dependencies":{"lib":"*","missing":"*"},"optionalDependencies":{"alias":"*"}}}}
            """;
        var (packages, issues) = await RunAsync("package-lock.json", json);

        Assert.Empty(issues);
        Assert.Equal(["lib@2.0.0", "real@3.1.0", "user@1.0.0"], packages.Select(p => $"{p.Name}@{p.Version}"));
        Assert.Equal<PackageDependency>([new("alias", "3.1.0")], packages[0].DependsOn);
        Assert.Equal<PackageDependency>([new("alias", "3.1.0"), new("lib", "2.0.0"), new("missing")], packages[2].DependsOn);
        Assert.Equal("true", packages[1].Properties["npm.dev"]);
    }

    [Fact]
    public async Task Run_PackageLockV1Alias_ListsTheRealPackage()
    {
        var json = """{"lockfileVersion":1,"dependencies":{"a":{"version":"npm:@scope/real@1.2.3","requires":{"b":"^1"}},"b":{"version":"1.0.0"}}}""";
        var (packages, issues) = await RunAsync("package-lock.json", json);

        Assert.Empty(issues);
        Assert.Equal(["@scope/real@1.2.3", "b@1.0.0"], packages.Select(p => $"{p.Name}@{p.Version}"));
        Assert.Equal<PackageDependency>([new("b", "1.0.0")], packages[0].DependsOn);
    }

    [Fact]
    public async Task Run_SameVersionDevInOnePlaceOnly_IsNotDev()
    {
        var json = """{"lockfileVersion":3,"packages":{"node_modules/ms":{"version":"2.0.0","dev":true},"node_modules/a/node_modules/ms":{"version":"2.0.0"}}}""";
        var (packages, _) = await RunAsync("package-lock.json", json);
        Assert.Equal("false", Assert.Single(packages).Properties["npm.dev"]);
    }

    [Theory]
    [InlineData("package-lock.json", "{\"lockfileVersion\":3,")]
    [InlineData("package-lock.json", "[]")]
    [InlineData("yarn.lock", "# yarn lockfile v1\n\nms@^2:\n  version \"2.1.3\"\n    stray \"x\"\n")]
    [InlineData("yarn.lock", "  version \"1.0.0\"\n")]
    [InlineData("yarn.lock", "ms@^2\n")]
    [InlineData("pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages: [a\n")]
    [InlineData("pnpm-lock.yaml", "- a\n- b\n")]
    [InlineData("pnpm-lock.yaml", "? [a, b]\n: c\n")]
    public async Task Run_NotValidForItsFormat_ReportsNpm1002(string name, string content)
    {
        var (packages, issues) = await RunAsync(name, content);
        Assert.Empty(packages);
        var issue = Assert.Single(issues);
        Assert.Equal(NpmCodes.LockfileInvalid, issue.Code);
        Assert.Contains("skipped", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_YarnLockBadLine_NamesTheLine()
    {
        var (_, issues) = await RunAsync("yarn.lock", "# yarn lockfile v1\n\nms@^2:\n  version \"2.1.3\"\n    stray \"x\"\n");
        Assert.Contains("line 5", Assert.Single(issues).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PnpmLockNestedTooDeep_ReportsNpm1002()
    {
        var (packages, issues) = await RunAsync("pnpm-lock.yaml", "lockfileVersion: '9.0'\nx: " + new string('[', 100) + new string(']', 100) + "\n");
        Assert.Empty(packages);
        Assert.Contains("deeper than 64", Assert.Single(issues).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("package-lock.json", """{"lockfileVersion":4,"packages":{}}""")]
    [InlineData("package-lock.json", """{"packages":{}}""")]
    [InlineData("package-lock.json", """{"lockfileVersion":"3","packages":{}}""")]
    [InlineData("yarn.lock", "__metadata:\n  version: 6\n\n\"ms@npm:^2.1.3\":\n  version: 2.1.3\n")]
    [InlineData("pnpm-lock.yaml", "lockfileVersion: '10.0'\npackages: {}\n")]
    [InlineData("pnpm-lock.yaml", "lockfileVersion: '4'\n")]
    [InlineData("pnpm-lock.yaml", "packages: {}\n")]
    public async Task Run_UnsupportedFormatVersion_ReportsNpm1003(string name, string content)
    {
        var (packages, issues) = await RunAsync(name, content);
        Assert.Empty(packages);
        Assert.Equal(NpmCodes.LockfileVersionUnsupported, Assert.Single(issues).Code);
    }

    [Theory]
    [InlineData("yarn.lock", "p{0}@1:\n  version \"1.0.0\"\n")]
    [InlineData("pnpm-lock.yaml", "  /p{0}@1.0.0: {{}}\n")]
    public void Parse_OverTheEntryBound_ReportsNpm1004AndListsTheFirst(string name, string entry)
    {
        var text = new StringBuilder(name == "yarn.lock" ? "# yarn lockfile v1\n" : "lockfileVersion: '6.0'\npackages:\n");
        for (var i = 0; i < 101; i++)
        {
            text.AppendFormat(CultureInfo.InvariantCulture, entry, i);
        }

        var issues = new List<CatalogIssue>();
        var file = new CatalogFile { Path = name, Size = text.Length, Mode = UnixFileMode.UserRead };
        var packages = NpmLockfileCataloger.Parse(file, Encoding.UTF8.GetBytes(text.ToString()), new CatalogContext(ScanKind.SourceTree, null, issues.Add), "npm-lockfile", maxEntries: 100);

        Assert.Equal(100, packages.Count);
        var issue = Assert.Single(issues);
        Assert.Equal(NpmCodes.TooManyEntries, issue.Code);
        Assert.Contains("more than 100 packages", issue.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("package-lock.json", """{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0"},"node_modules/b":{"resolved":"x"},"weird":{"version":"1.0.0"}}}""", "node_modules/b|weird")]
    [InlineData("package-lock.json", """{"lockfileVersion":1,"dependencies":{"a":{"version":"1.0.0"},"b":{"dependencies":{}}}}""", "b")]
    [InlineData("yarn.lock", "a@^1:\n  version \"1.0.0\"\n\nb@^1:\n  resolved \"x\"\n", "b@^1")]
    [InlineData("pnpm-lock.yaml", "lockfileVersion: '6.0'\npackages:\n  /a@1.0.0: {}\n  /nonsense: {}\n  /b@: {}\n", "/b@|/nonsense")]
    public async Task Run_EntryWithoutVersion_ReportsNpm1006AndKeepsTheOthers(string name, string content, string skipped)
    {
        var (packages, issues) = await RunAsync(name, content);

        Assert.Equal("a", Assert.Single(packages).Name);
        Assert.All(issues, i => Assert.Equal(NpmCodes.EntryInvalid, i.Code));
        Assert.Equal(skipped.Split('|'), issues.Select(i => i.Message.Split('\'')[1]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Run_PnpmLockAliasesAndPeers_ResolvedWithoutExpandingYamlAliases()
    {
        var yaml = """
            lockfileVersion: '9.0'
            importers:
              .:
                dependencies:
                  a: {specifier: ^1, version: 1.0.0(b@2.0.0)}
                devDependencies:
                  d: {specifier: ^1, version: link:../d}
            packages:
              a@1.0.0: {resolution: &r {integrity: sha512-x}}
              b@2.0.0: {resolution: *r}
              c@3.0.0: {}
            snapshots:
              a@1.0.0(b@2.0.0):
                dependencies:
                  b: 2.0.0
                  c-alias: c@3.0.0
              b@2.0.0: {}
              c@3.0.0: {}
            """;
        var (packages, issues) = await RunAsync("pnpm-lock.yaml", yaml);

        Assert.Empty(issues);
        Assert.Equal(["a@1.0.0", "b@2.0.0", "c@3.0.0"], packages.Select(p => $"{p.Name}@{p.Version}"));
        Assert.Equal<PackageDependency>([new("b", "2.0.0"), new("c", "3.0.0")], packages[0].DependsOn);
        Assert.All(packages, p => Assert.Equal("false", p.Properties["npm.dev"]));
        Assert.Equal("sha512-x", packages[0].Properties["npm.integrity"]);
        Assert.False(packages[1].Properties.ContainsKey("npm.integrity"));
    }

    [Fact]
    public async Task Run_PnpmLockV5PeerSuffixes_AreNotPartOfVersions()
    {
        var yaml = "lockfileVersion: 5.4\npackages:\n  /@s/a/1.0.0_react@17.0.2:\n    dependencies:\n      b: 2.0.0_react@17.0.2\n      c: /real-c/3.0.0\n    dev: true\n";
        var (packages, issues) = await RunAsync("pnpm-lock.yaml", yaml);

        Assert.Empty(issues);
        var package = Assert.Single(packages);
        Assert.Equal("@s/a@1.0.0", $"{package.Name}@{package.Version}");
        Assert.Equal<PackageDependency>([new("b", "2.0.0"), new("real-c", "3.0.0")], package.DependsOn);
        Assert.Equal("true", package.Properties["npm.dev"]);
    }

    [Theory]
    [InlineData("package-lock.v1.json", "package-lock.json")]
    [InlineData("package-lock.v3.json", "package-lock.json")]
    [InlineData("yarn.lock", "yarn.lock")]
    [InlineData("pnpm-lock.v5.yaml", "pnpm-lock.yaml")]
    [InlineData("pnpm-lock.v9.yaml", "pnpm-lock.yaml")]
    public void Parse_MutatedRealLockfile_NeverThrows(string testFile, string name)
    {
        var file = new CatalogFile { Path = name, Size = 0, Mode = UnixFileMode.UserRead };
        ParserFuzz.NeverThrows(NpmTestData.Read($"lockfiles/{testFile}"), (bytes, context) => NpmLockfileCataloger.Parse(file, bytes, context, "npm-lockfile"));
    }
}
