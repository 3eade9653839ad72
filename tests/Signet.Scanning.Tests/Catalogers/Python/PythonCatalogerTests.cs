using System.IO.Compression;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Python;
using Xunit.Abstractions;

namespace Signet.Scanning.Tests.Catalogers.Python;

public sealed class PythonCatalogerTests(ITestOutputHelper output)
{
    private const string Site = "usr/lib/python3/dist-packages";

    private static Task<(IReadOnlyList<Package> Packages, IReadOnlyList<CatalogIssue> Issues)> Run(Dictionary<string, byte[]> files) =>
        CatalogerHarness.RunAsync(new PythonCataloger(), files);

    private static Dictionary<string, byte[]> Files(params (string Path, string Text)[] files) =>
        files.ToDictionary(f => f.Path, f => LanguageTestFiles.Utf8(f.Text), StringComparer.Ordinal);

    [Fact]
    public async Task ReadAsync_RealDebianDistributions_ListsEachWithItsMetadata()
    {
        var (packages, issues) = await Run(LanguageTestFiles.Tree("Python", "dist-packages", Site));

        Assert.Empty(issues);
        Assert.Equal<string>(["Legacy_Tool", "PyNaCl", "six"], packages.Select(p => p.Name));
        var nacl = packages[1];
        Assert.Equal("pkg:pypi/pynacl@1.5.0", nacl.Purl?.ToString());
        Assert.Equal("pypi", nacl.Type);
        Assert.Equal("python-installed", nacl.FoundBy);
        Assert.Equal<string>(["Apache License 2.0"], nacl.Licenses);
        Assert.Equal("The PyNaCl developers <cryptography-dev@python.org>", nacl.Supplier);
        Assert.Equal<PackageDependency>([new PackageDependency("cffi")], nacl.DependsOn);
        Assert.Equal<string>([$"{Site}/PyNaCl-1.5.0.dist-info/METADATA", $"{Site}/PyNaCl-1.5.0.dist-info/RECORD"], nacl.Evidence);
        var record = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Catalogers/Python/testdata/dist-packages/PyNaCl-1.5.0.dist-info/RECORD"));
        Assert.Equal(record.Select(l => l.Split(',')[0]).Distinct().Count(), nacl.InstalledFiles.Length); // Debian's RECORD lists the .so twice
        Assert.Contains($"{Site}/nacl/__init__.py", nacl.InstalledFiles);
        Assert.Equal(nacl.InstalledFiles.Order(StringComparer.Ordinal), nacl.InstalledFiles);

        var six = packages[2];
        Assert.Equal("pkg:pypi/six@1.16.0", six.Purl?.ToString());
        Assert.Equal<string>(["MIT"], six.Licenses);
        Assert.Equal<string>([$"{Site}/six-1.16.0.egg-info/PKG-INFO"], six.Evidence);
        Assert.Empty(six.InstalledFiles);
    }

    [Fact]
    public async Task ReadAsync_StandaloneEggInfoFile_UsesClassifiersWhenLicenseIsUnknown()
    {
        var (packages, _) = await Run(LanguageTestFiles.Tree("Python", "dist-packages", Site));

        var legacy = packages[0];
        Assert.Equal("pkg:pypi/legacy-tool@0.9", legacy.Purl?.ToString());
        Assert.Equal("0.9", legacy.Version);
        Assert.Equal<string>(["BSD License", "GPL-2.0-or-later"], legacy.Licenses);
        Assert.Equal("Ada Example <ada@example.invalid>", legacy.Supplier);
        Assert.Equal<string>([$"{Site}/Legacy_Tool-0.9.egg-info"], legacy.Evidence);
    }

    [Fact]
    public async Task ReadAsync_LicenseExpression_IsPreferredOverLicenseAndClassifiers()
    {
        var (packages, _) = await Run(Files(("app/x-1.dist-info/METADATA", "Metadata-Version: 2.4\nName: x\nVersion: 1\nLicense: MIT License\nLicense-Expression: MIT OR Apache-2.0\nClassifier: License :: OSI Approved :: MIT License\n")));

        Assert.Equal<string>(["MIT OR Apache-2.0"], Assert.Single(packages).Licenses);
    }

    [Fact]
    public async Task ReadAsync_RequiresDist_KeepsNamesAndSkipsExtras()
    {
        var metadata = "Name: a\nVersion: 2\nRequires-Dist: Foo_Bar[security] (>=1.0)\nRequires-Dist: baz>=2; python_version < \"3.8\"\nRequires-Dist: docs-tool; extra == \"docs\"\nRequires-Dist: qux ; os_name == 'nt' and extra=='test'\nRequires-Dist: zope.interface\n";
        var (packages, issues) = await Run(Files(("a-2.dist-info/METADATA", metadata)));

        Assert.Empty(issues);
        Assert.Equal<PackageDependency>([new PackageDependency("Foo_Bar"), new PackageDependency("baz"), new PackageDependency("zope.interface")], Assert.Single(packages).DependsOn);
    }

    [Fact]
    public async Task ReadAsync_MaintainerOnly_IsTheSupplier()
    {
        var (packages, _) = await Run(Files(("a-2.dist-info/METADATA", "Name: a\nVersion: 2\nMaintainer-email: Team <team@example.invalid>\n")));

        Assert.Equal("Team <team@example.invalid>", Assert.Single(packages).Supplier);
    }

    [Fact]
    public async Task ReadAsync_RecordWithScriptsAndQuotes_ResolvesPathsFromSitePackages()
    {
        var record = "../../../bin/tool,sha256=x,10\n\"pkg/a,b.py\",sha256=y,1\n/etc/tool.conf,,\npkg/__init__.py,,\n";
        var (packages, issues) = await Run(Files(
            ("usr/local/lib/python3.11/site-packages/tool-1.0.dist-info/METADATA", "Name: tool\nVersion: 1.0\n"),
            ("usr/local/lib/python3.11/site-packages/tool-1.0.dist-info/RECORD", record)));

        Assert.Empty(issues);
        Assert.Equal<string>(
            ["etc/tool.conf", "usr/local/bin/tool", "usr/local/lib/python3.11/site-packages/pkg/__init__.py", "usr/local/lib/python3.11/site-packages/pkg/a,b.py"],
            Assert.Single(packages).InstalledFiles);
    }

    [Fact]
    public async Task ReadAsync_EggInfoInstalledFiles_AreRelativeToTheEggInfo()
    {
        var (packages, _) = await Run(Files(
            ("lib/site/old-1.egg-info/PKG-INFO", "Name: old\nVersion: 1\n"),
            ("lib/site/old-1.egg-info/installed-files.txt", "../old/__init__.py\nPKG-INFO\n")));

        var old = Assert.Single(packages);
        Assert.Equal<string>(["lib/site/old-1.egg-info/PKG-INFO", "lib/site/old-1.egg-info/installed-files.txt"], old.Evidence);
        Assert.Equal<string>(["lib/site/old-1.egg-info/PKG-INFO", "lib/site/old/__init__.py"], old.InstalledFiles);
    }

    [Fact]
    public async Task ReadAsync_RecordWithoutMetadata_ListsNothing()
    {
        var (packages, issues) = await Run(Files(("site/x-1.dist-info/RECORD", "x.py,,\n")));

        Assert.Empty(packages);
        Assert.Empty(issues);
    }

    [Theory]
    [InlineData("usr/lib/python3/dist-packages/a-1.dist-info/METADATA", true)]
    [InlineData("a-1.dist-info/RECORD", true)]
    [InlineData("site/a-1.egg-info/PKG-INFO", true)]
    [InlineData("site/a-1.egg-info/installed-files.txt", true)]
    [InlineData("site/a-1.egg-info", true)]
    [InlineData("site/a-1-py3.11.egg/EGG-INFO/PKG-INFO", true)]
    [InlineData("site/a-1-py3.11.egg", true)]
    [InlineData("site/a-1.dist-info/WHEEL", false)]
    [InlineData("site/a-1.dist-info/top_level.txt", false)]
    [InlineData("site/a-1.egg-info/top_level.txt", false)]
    [InlineData("site/METADATA", false)]
    public void Wants_ByPath_TakesMetadataAndFileLists(string path, bool wanted)
    {
        var context = new CatalogContext(ScanKind.Image, null, _ => { });
        Assert.Equal(wanted, new PythonCataloger().Wants(new CatalogFile { Path = path, Size = 10, Mode = UnixFileMode.UserRead }, context));
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    [Fact]
    public async Task ReadAsync_ZippedEgg_ReadsItsPkgInfo()
    {
        var pkgInfo = LanguageTestFiles.Read("Python", "dist-packages/six-1.16.0.egg-info/PKG-INFO");
        var egg = Zip(("six.py", "x = 1\n"u8.ToArray()), ("EGG-INFO/PKG-INFO", pkgInfo));

        var (packages, issues) = await CatalogerHarness.RunAsync(new PythonCataloger(), new Dictionary<string, byte[]> { ["site/six-1.16.0-py3.11.egg"] = egg });

        Assert.Empty(issues);
        var six = Assert.Single(packages);
        Assert.Equal("pkg:pypi/six@1.16.0", six.Purl?.ToString());
        Assert.Equal<string>(["site/six-1.16.0-py3.11.egg"], six.Evidence);
        Assert.Equal<string>(["MIT"], six.Licenses);
    }

    [Theory]
    [InlineData("not a zip at all", "not a readable zip")]
    [InlineData("", "holds no EGG-INFO/PKG-INFO")]
    public async Task ReadAsync_BrokenEgg_ReportsPY1007(string content, string problem)
    {
        var bytes = content.Length == 0 ? Zip(("six.py", "x = 1\n"u8.ToArray())) : LanguageTestFiles.Utf8(content);

        var (packages, issues) = await CatalogerHarness.RunAsync(new PythonCataloger(), new Dictionary<string, byte[]> { ["site/a-1.egg"] = bytes });

        Assert.Empty(packages);
        var issue = Assert.Single(issues);
        Assert.Equal(PythonCodes.MalformedEgg, issue.Code);
        Assert.Contains(problem, issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAsync_MutatedEgg_NeverThrows()
    {
        var egg = Zip(("EGG-INFO/PKG-INFO", LanguageTestFiles.Read("Python", "dist-packages/six-1.16.0.egg-info/PKG-INFO")));
        LanguageFuzz.NeverThrows(new PythonCataloger(), new Dictionary<string, byte[]> { ["site/six.egg"] = egg }, ScanKind.Image, 1000);
    }

    [Fact]
    public async Task ReadAsync_NoVersion_ReportsPY1001AndSkips()
    {
        var (packages, issues) = await Run(Files(("s/a-1.dist-info/METADATA", "Name: a\nSummary: no version\n")));

        Assert.Empty(packages);
        var issue = Assert.Single(issues);
        Assert.Equal(PythonCodes.MissingNameOrVersion, issue.Code);
        Assert.Equal("s/a-1.dist-info/METADATA", issue.Path);
        Assert.Contains("no Version", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_MalformedHeaderLine_ReportsPY1002AndKeepsTheRest()
    {
        var (packages, issues) = await Run(Files(("s/a-1.dist-info/METADATA", "Name: a\nthis is not a header\nVersion: 1\n")));

        Assert.Equal("1", Assert.Single(packages).Version);
        var issue = Assert.Single(issues);
        Assert.Equal(PythonCodes.MalformedHeader, issue.Code);
        Assert.Contains("line 2", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_RequirementWithoutName_ReportsPY1002()
    {
        var (packages, issues) = await Run(Files(("s/a-1.dist-info/METADATA", "Name: a\nVersion: 1\nRequires-Dist: >=1.0\n")));

        Assert.Empty(Assert.Single(packages).DependsOn);
        Assert.Equal(PythonCodes.MalformedHeader, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task ReadAsync_RecordClimbingAboveTheRoot_ReportsPY1003()
    {
        var (packages, issues) = await Run(Files(
            ("s/a-1.dist-info/METADATA", "Name: a\nVersion: 1\n"),
            ("s/a-1.dist-info/RECORD", "a.py,,\n../../../etc/passwd,,\n\"unterminated,,\n")));

        Assert.Equal<string>(["s/a.py"], Assert.Single(packages).InstalledFiles);
        var issue = Assert.Single(issues);
        Assert.Equal(PythonCodes.MalformedRecord, issue.Code);
        Assert.Contains("line 2", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_VersionTooLongForAPurl_ReportsPY1004AndKeepsThePackage()
    {
        var (packages, issues) = await Run(Files(("s/a-1.dist-info/METADATA", $"Name: a\nVersion: {new string('1', 9000)}\n")));

        Assert.Null(Assert.Single(packages).Purl);
        Assert.Equal(PythonCodes.InvalidPurl, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task ReadAsync_MetadataOverTheBound_ReportsCAT1001()
    {
        var issues = new List<CatalogIssue>();
        var context = new CatalogContext(ScanKind.Image, null, issues.Add);
        var session = new PythonCataloger().Start(context);
        var file = new CatalogFile { Path = "s/a-1.dist-info/METADATA", Size = PythonCataloger.MaxMetadataBytes + 1, Mode = UnixFileMode.UserRead };

        await session.ReadAsync(file, Stream.Null, CancellationToken.None);

        Assert.Empty(session.Finish());
        Assert.Equal(CatalogCodes.TooLarge, Assert.Single(issues).Code);
    }

    [Fact]
    public void ReadAsync_MutatedRealFiles_NeverThrows() =>
        LanguageFuzz.NeverThrows(new PythonCataloger(), LanguageTestFiles.Tree("Python", "dist-packages", Site), ScanKind.Image);

    /// <summary>An extra check on the host's own Debian packages; the committed copies above are the main test.</summary>
    [Fact]
    public async Task ReadAsync_HostDistPackages_ReadsEveryOneWithoutIssues()
    {
        const string host = "/usr/lib/python3/dist-packages";
        var metadata = Directory.Exists(host)
            ? Directory.EnumerateDirectories(host, "*.dist-info").Select(d => Path.Combine(d, "METADATA"))
                .Concat(Directory.EnumerateDirectories(host, "*.egg-info").Select(d => Path.Combine(d, "PKG-INFO")))
                .Where(File.Exists)
                .ToList()
            : [];
        if (metadata.Count == 0)
        {
            output.WriteLine($"skipped: {host} holds no dist-info or egg-info metadata on this host (not Debian with python3 packages)");
            return;
        }

        var (packages, issues) = await Run(metadata.ToDictionary(p => p.TrimStart('/'), File.ReadAllBytes, StringComparer.Ordinal));

        Assert.Empty(issues);
        Assert.Equal(metadata.Count, packages.Count);
        Assert.All(packages, p => Assert.NotNull(p.Purl));
    }
}
