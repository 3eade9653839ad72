using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Apk;
using Signet.Scanning.Os;
using Signet.Testing;

namespace Signet.Scanning.Tests.Catalogers.Apk;

/// <summary>
/// The apk cataloger over the real Alpine 3.10.4 database of trivy-images/alpine-310.tar.gz (shared data, read
/// through SIGNET_TEST_DATA and extracted here with System.Formats.Tar), and malformed databases.
/// </summary>
public sealed class ApkCatalogerTests
{
    private const string DatabasePath = "lib/apk/db/installed";

    private static readonly LinuxDistribution Alpine3104 = new() { Id = "alpine", VersionId = "3.10.4", Source = "etc/os-release" };

    /// <summary>
    /// The 14 packages of the image. Trivy's golden alpine-310.json.golden lists the same 14 names, but was made from a
    /// 3.10.2 image: its busybox 1.30.1-r2 and libcrypto1.1/libssl1.1 1.1.1c-r0 differ from this 3.10.4 tarball's.
    /// </summary>
    private static readonly string[] Expected =
    [
        "alpine-baselayout 3.1.2-r0", "alpine-keys 2.1-r2", "apk-tools 2.10.4-r2", "busybox 1.30.1-r3",
        "ca-certificates-cacert 20190108-r0", "libc-utils 0.7.1-r0", "libcrypto1.1 1.1.1d-r2", "libssl1.1 1.1.1d-r2",
        "libtls-standalone 2.9.1-r0", "musl 1.1.22-r3", "musl-utils 1.1.22-r3", "scanelf 1.2.3-r0", "ssl_client 1.30.1-r3",
        "zlib 1.2.11-r1",
    ];

    private static readonly Lazy<byte[]> RealDatabase = new(ExtractDatabase);

    /// <summary>lib/apk/db/installed from the image's only layer (docker save: ID/layer.tar inside the gzip tar).</summary>
    private static byte[] ExtractDatabase()
    {
        using var archive = new TarReader(new GZipStream(File.OpenRead(TestData.Require("trivy-images/alpine-310.tar.gz")), CompressionMode.Decompress));
        while (archive.GetNextEntry() is { } entry)
        {
            if (!entry.Name.EndsWith("/layer.tar", StringComparison.Ordinal))
            {
                continue;
            }

            using var layer = new TarReader(entry.DataStream!);
            while (layer.GetNextEntry() is { } file)
            {
                if (file.Name.TrimStart('.', '/') == DatabasePath)
                {
                    using var content = new MemoryStream();
                    file.DataStream!.CopyTo(content);
                    return content.ToArray();
                }
            }
        }

        throw new InvalidDataException("alpine-310.tar.gz has no lib/apk/db/installed");
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static Task<(IReadOnlyList<Package> Packages, IReadOnlyList<CatalogIssue> Issues)> RunAsync(string database, LinuxDistribution? distribution = null) =>
        CatalogerHarness.RunAsync(new ApkCataloger(), new Dictionary<string, byte[]> { [DatabasePath] = Utf8(database) }, distribution: distribution);

    [Fact]
    public async Task Catalog_Alpine310Image_Gives14PackagesWithResolvedDependencies()
    {
        var (packages, issues) = await CatalogerHarness.RunAsync(new ApkCataloger(), new Dictionary<string, byte[]> { [DatabasePath] = RealDatabase.Value }, distribution: Alpine3104);

        Assert.Empty(issues);
        Assert.Equal(Expected, packages.Select(p => $"{p.Name} {p.Version}").Order(StringComparer.Ordinal));
        var musl = Assert.Single(packages, p => p.Name == "musl");
        Assert.Equal("pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=alpine-3.10.4", musl.Purl?.ToString());
        Assert.Equal(["MIT"], musl.Licenses.AsEnumerable());
        Assert.Equal(new PackageSource("musl", "1.1.22-r3"), musl.Source);
        Assert.Equal("Timo Teräs <timo.teras@iki.fi>", musl.Supplier);
        Assert.Equal(["lib/ld-musl-x86_64.so.1", "lib/libc.musl-x86_64.so.1"], musl.InstalledFiles.AsEnumerable());
        Assert.Equal(("x86_64", "598016"), (musl.Properties["arch"], musl.Properties["installed-size"]));
        Assert.Equal([DatabasePath], musl.Evidence.AsEnumerable());
        Assert.Equal("apk-db", musl.FoundBy);
        Assert.Empty(musl.DependsOn);
        string Dependencies(string name) => string.Join(' ', Assert.Single(packages, p => p.Name == name).DependsOn.Select(d => d.Name));
        Assert.Equal("libcrypto1.1 libssl1.1 musl zlib", Dependencies("apk-tools"));
        Assert.Equal("busybox musl", Dependencies("alpine-baselayout"));
        Assert.Equal("musl", Dependencies("busybox"));
        Assert.Equal("ca-certificates-cacert libcrypto1.1 libssl1.1 musl", Dependencies("libtls-standalone"));
        Assert.Equal("musl-utils", Dependencies("libc-utils"));
        Assert.Contains("bin/busybox", Assert.Single(packages, p => p.Name == "busybox").InstalledFiles);
    }

    [Fact]
    public async Task Catalog_Layers_TakesTheFirstInstalledFileStillPresentElseTheDatabase()
    {
        var files = new Dictionary<string, (byte[], int)> { [DatabasePath] = (RealDatabase.Value, 2) };
        var tree = new Dictionary<string, int> { ["lib/ld-musl-x86_64.so.1"] = 1, ["lib/libc.musl-x86_64.so.1"] = 0 };

        var (packages, _) = await LayeredCatalogRun.RunAsync(new ApkCataloger(), files, tree);

        Assert.Equal(1, Assert.Single(packages, p => p.Name == "musl").Layer?.Index);
        Assert.Equal(2, Assert.Single(packages, p => p.Name == "zlib").Layer?.Index);
    }

    [Fact]
    public async Task Catalog_SameInputTwice_GivesEqualPackages()
    {
        var files = new Dictionary<string, byte[]> { [DatabasePath] = RealDatabase.Value };

        var (first, _) = await CatalogerHarness.RunAsync(new ApkCataloger(), files);
        var (second, _) = await CatalogerHarness.RunAsync(new ApkCataloger(), files);

        Assert.Equal(
            first.Select(p => (p.Name, p.Purl?.ToString(), string.Join(',', p.DependsOn), string.Join(',', p.InstalledFiles))),
            second.Select(p => (p.Name, p.Purl?.ToString(), string.Join(',', p.DependsOn), string.Join(',', p.InstalledFiles))));
    }

    [Fact]
    public async Task Catalog_WolfiWithoutRoot_UsesTheDistributionNamespaceAndRootFiles()
    {
        var wolfi = new LinuxDistribution { Id = "wolfi", VersionId = "20230201", Source = "etc/os-release" };

        var (packages, _) = await RunAsync("P:glibc\nV:2.39-r1\nA:aarch64\nR:top-level-file\nF:usr/lib/\nR:libc.so.6\nR:../escape\nR:..\nR:.\n", wolfi);

        var glibc = Assert.Single(packages);
        Assert.Equal("pkg:apk/wolfi/glibc@2.39-r1?arch=aarch64&distro=wolfi-20230201", glibc.Purl?.ToString());
        Assert.Equal(["top-level-file", "usr/lib/libc.so.6"], glibc.InstalledFiles.AsEnumerable());
    }

    [Fact]
    public async Task Catalog_UnknownDistribution_UsesAlpineWithoutDistro()
    {
        var (packages, _) = await RunAsync("P:zlib\nV:1.2.11-r1\nA:x86_64\n");

        Assert.Equal("pkg:apk/alpine/zlib@1.2.11-r1?arch=x86_64", Assert.Single(packages).Purl?.ToString());
    }

    [Fact]
    public async Task Catalog_DependencyTokens_ResolvesProvidesAndDropsConflictsAndUnresolvedVirtuals()
    {
        var (packages, issues) = await RunAsync(
            "P:app\nV:1-r0\nD:!conflicting libfoo>=1.2 cmd:sh so:libmissing.so.1 pc:zlib missing-pkg~2 tagged@edge /bin/false\n\n" +
            "P:libfoo\nV:1.3-r0\n\nP:sh-provider\nV:1-r0\np:cmd:sh=1 /bin/false pc:zlib=1.2\n\nP:tagged\nV:1-r0\n");

        Assert.Empty(issues);
        Assert.Equal("libfoo missing-pkg sh-provider tagged", string.Join(' ', packages[0].DependsOn.Select(d => d.Name)));
    }

    [Theory]
    [InlineData("lib/apk/db/installed", true)]
    [InlineData("usr/lib/apk/db/installed", true)]
    [InlineData("var/lib/apk/db/installed", false)]
    [InlineData("lib/apk/db/installed.old", false)]
    [InlineData("lib/apk/db/scripts.tar", false)]
    public void Wants_Path_OnlyTheDatabase(string path, bool wanted) =>
        Assert.Equal(wanted, new ApkCataloger().Wants(
            new CatalogFile { Path = path, Size = 10, Mode = UnixFileMode.UserRead }, new CatalogContext(ScanKind.Image, null, _ => { })));

    [Fact]
    public async Task Catalog_BothDatabasePaths_ListsEachPackageOnce()
    {
        var files = new Dictionary<string, byte[]> { [DatabasePath] = Utf8("P:zlib\nV:1-r0\n"), ["usr/lib/apk/db/installed"] = Utf8("P:zlib\nV:1-r0\n\nP:musl\nV:1-r0\n") };

        var (packages, _) = await CatalogerHarness.RunAsync(new ApkCataloger(), files);

        Assert.Equal(["zlib", "musl"], packages.Select(p => p.Name));
        Assert.Equal(DatabasePath, packages[0].Evidence[0]);
    }

    [Fact]
    public async Task Catalog_LinesThatAreNotKeyValue_ReportsApk1001AndKeepsTheOthers()
    {
        var (packages, issues) = await RunAsync("P:bad\nV:1-r0\nnot a field\n\nP:good\nV:1-r0\n\nX\nP:worse\n");

        Assert.Equal("good", Assert.Single(packages).Name);
        var issue = Assert.Single(issues);
        Assert.Equal((ApkCodes.MalformedEntry, DatabasePath), (issue.Code, issue.Path));
        Assert.Contains("2 entries", issue.Message, StringComparison.Ordinal);
        Assert.Contains("first at line 1: line 3 is not 'K:value'", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_EntriesWithoutNameOrVersion_ReportsApk1002()
    {
        var (packages, issues) = await RunAsync("P:noversion\n\nV:1-r0\nA:x86_64\n\nP:\nV:1\n\nP:ok\nV:1-r0\n");

        Assert.Equal("ok", Assert.Single(packages).Name);
        var issue = Assert.Single(issues);
        Assert.Equal(ApkCodes.MissingField, issue.Code);
        Assert.Contains("3 entries", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_MoreEntriesThanTheBound_ReportsApk1003()
    {
        var text = new StringBuilder();
        for (var i = 0; i <= ApkCataloger.MaxEntries; i++)
        {
            text.Append("P:p").Append(i).Append("\nV:1-r0\n\n");
        }

        var (packages, issues) = await RunAsync(text.ToString());

        Assert.Equal(ApkCataloger.MaxEntries, packages.Count);
        Assert.Equal(ApkCodes.TooManyEntries, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Catalog_InvalidPurlName_KeepsThePackageAndReportsThePurlCode()
    {
        var (packages, issues) = await RunAsync("P:zlib\nV:1-r0\nA:x86_64\n", new LinuxDistribution { Id = "", Source = "test" });

        Assert.Null(Assert.Single(packages).Purl);
        Assert.StartsWith("PURL", Assert.Single(issues).Code, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_MutatedRealDatabase_NeverThrows() =>
        LayeredCatalogRun.FuzzNeverThrows(new ApkCataloger(), DatabasePath, RealDatabase.Value, 300);
}
