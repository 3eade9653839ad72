using System.Text.Json;
using Microsoft.Data.Sqlite;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Rpm;
using Signet.Scanning.Os;
using Signet.Testing;

namespace Signet.Scanning.Tests.Catalogers.Rpm;

/// <summary>
/// The rpm cataloger over the three real go-rpmdb databases (shared data, through SIGNET_TEST_DATA) at the places rpm
/// keeps them, and over damaged databases: one stable RPM code per part that fails.
/// </summary>
public sealed class RpmCatalogerTests
{
    private static readonly LinuxDistribution Mariner2 = new() { Id = "mariner", VersionId = "2.0", Source = "etc/os-release" };

    private static Task<(IReadOnlyList<Package> Packages, IReadOnlyList<CatalogIssue> Issues)> RunAsync(string path, byte[] content, LinuxDistribution? distribution = null) =>
        CatalogerHarness.RunAsync(new RpmCataloger(), new Dictionary<string, byte[]> { [path] = content }, distribution: distribution);

    private static string[] SpoolDirectories() =>
        Directory.GetDirectories(Path.GetTempPath(), "signet-rpmdb-cataloger-*");

    [Fact]
    public async Task Catalog_NdbSle15_EqualsTheExpectedListWithVendorNamespace()
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(TestData.Require("go-rpmdb/expected-sle15-bci-ndb.json")));
        var want = expected.RootElement.GetProperty("packages").EnumerateArray()
            .Select(p => $"{p.GetProperty("name").GetString()} {p.GetProperty("version").GetString()}-{p.GetProperty("release").GetString()}")
            .Order(StringComparer.Ordinal);

        var (packages, issues) = await RunAsync("usr/lib/sysimage/rpm/Packages.db", File.ReadAllBytes(RpmDatabaseTests.NdbPath));

        Assert.Empty(issues);
        Assert.Equal(want, packages.Select(p => $"{p.Name} {p.Version}").Order(StringComparer.Ordinal));
        var bash = Assert.Single(packages, p => p.Name == "bash");
        Assert.StartsWith("pkg:rpm/suse/bash@", bash.Purl?.ToString(), StringComparison.Ordinal);
        Assert.Contains("bin/bash", bash.InstalledFiles);
        Assert.Equal(["usr/lib/sysimage/rpm/Packages.db"], bash.Evidence.AsEnumerable());
        Assert.Equal("rpm-db", bash.FoundBy);
        Assert.All(packages, p => Assert.Equal(p.InstalledFiles.Order(StringComparer.Ordinal), p.InstalledFiles));
    }

    [Fact]
    public async Task Catalog_SqliteMariner_Gives129PackagesAndRemovesItsSpoolFile()
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(TestData.Require("go-rpmdb/expected-cbl-mariner-2.0-names.json")));
        var names = expected.RootElement.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).Order(StringComparer.Ordinal);
        var before = SpoolDirectories();

        var (packages, issues) = await RunAsync("var/lib/rpm/rpmdb.sqlite", File.ReadAllBytes(RpmDatabaseTests.SqlitePath), Mariner2);

        Assert.Empty(issues);
        Assert.Equal(names, packages.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(before, SpoolDirectories());
        var curl = Assert.Single(packages, p => p.Name == "curl");
        Assert.Equal("7.76.0-6.cm2", curl.Version);
        Assert.Equal("pkg:rpm/mariner/curl@7.76.0-6.cm2?arch=x86_64&distro=mariner-2.0", curl.Purl?.ToString());
        Assert.Equal(new PackageSource("curl", "7.76.0-6.cm2"), curl.Source);
        Assert.Equal(("Microsoft Corporation", "326023", "curl-7.76.0-6.cm2.src.rpm"), (curl.Supplier, curl.Properties["installed-size"], curl.Properties["rpm.sourcerpm"]));
        Assert.Equal(["MIT"], curl.Licenses.AsEnumerable());
        Assert.Contains("usr/bin/curl", curl.InstalledFiles);
        var withEpoch = Assert.Single(packages, p => p.Name == "ca-certificates-base");
        Assert.Equal("1:2.0.0-1.cm2", withEpoch.Version);
        Assert.Equal("pkg:rpm/mariner/ca-certificates-base@2.0.0-1.cm2?arch=noarch&distro=mariner-2.0&epoch=1", withEpoch.Purl?.ToString());
        Assert.Equal("1:2.0.0-1.cm2", withEpoch.Source?.Version);
    }

    [Fact]
    public async Task Catalog_BerkeleyDbLibuuid_EqualsTheReaderWithoutGpgPubkeys()
    {
        var want = RpmDatabase.ReadPackages(RpmDatabaseTests.BerkeleyDbPath, RpmDatabaseFormat.BerkeleyDb)
            .Where(p => p.Name != "gpg-pubkey")
            .Select(p => $"{p.Name} {(p.Epoch is null ? "" : $"{p.Epoch}:")}{p.Version}-{p.Release}")
            .Order(StringComparer.Ordinal);

        var (packages, issues) = await RunAsync("var/lib/rpm/Packages", File.ReadAllBytes(RpmDatabaseTests.BerkeleyDbPath));

        Assert.Empty(issues);
        Assert.Equal(want, packages.Select(p => $"{p.Name} {p.Version}").Order(StringComparer.Ordinal));
        Assert.DoesNotContain(packages, p => p.Name == "gpg-pubkey");
        var libuuid = Assert.Single(packages, p => p.Name == "libuuid");
        Assert.Equal("pkg:rpm/redhat/libuuid@2.32.1-42.el8_8?arch=x86_64", libuuid.Purl?.ToString());
        Assert.Equal(new PackageSource("util-linux", "2.32.1-42.el8_8"), libuuid.Source);
        Assert.Equal(("Red Hat, Inc.", "x86_64"), (libuuid.Supplier, libuuid.Properties["arch"]));
        Assert.Contains("usr/lib64/libuuid.so.1", libuuid.InstalledFiles);
    }

    [Fact]
    public async Task Catalog_Layers_TakesTheFirstInstalledFileStillPresentElseTheDatabase()
    {
        var files = new Dictionary<string, (byte[], int)> { ["var/lib/rpm/Packages"] = (File.ReadAllBytes(RpmDatabaseTests.BerkeleyDbPath), 3) };
        var tree = new Dictionary<string, int> { ["usr/lib64/libuuid.so.1"] = 1 };

        var (packages, _) = await LayeredCatalogRun.RunAsync(new RpmCataloger(), files, tree);

        Assert.Equal(1, Assert.Single(packages, p => p.Name == "libuuid").Layer?.Index);
        Assert.All(packages.Where(p => p.Name != "libuuid"), p => Assert.Equal(3, p.Layer?.Index));
    }

    [Fact]
    public async Task Catalog_SameDatabaseAtTwoPlaces_ListsEachPackageOnceFromTheFirstPath()
    {
        var content = File.ReadAllBytes(RpmDatabaseTests.NdbPath);
        var files = new Dictionary<string, byte[]> { ["usr/share/rpm/Packages.db"] = content, ["usr/lib/sysimage/rpm/Packages.db"] = content };

        var (packages, _) = await CatalogerHarness.RunAsync(new RpmCataloger(), files);

        Assert.Equal(35, packages.Count);
        Assert.All(packages, p => Assert.Equal("usr/lib/sysimage/rpm/Packages.db", p.Evidence[0]));
    }

    [Theory]
    [InlineData("var/lib/rpm/Packages", true)]
    [InlineData("var/lib/rpm/Packages.db", true)]
    [InlineData("var/lib/rpm/rpmdb.sqlite", true)]
    [InlineData("usr/lib/sysimage/rpm/rpmdb.sqlite", true)]
    [InlineData("usr/share/rpm/Packages", true)]
    [InlineData("var/lib/rpm/Name", false)]
    [InlineData("var/lib/rpm/rpmdb.sqlite-wal", false)]
    [InlineData("opt/var/lib/rpm/Packages", false)]
    [InlineData("var/lib/rpm/sub/Packages", false)]
    public void Wants_Path_OnlyDatabasesAtRpmsPlaces(string path, bool wanted) =>
        Assert.Equal(wanted, new RpmCataloger().Wants(
            new CatalogFile { Path = path, Size = 10, Mode = UnixFileMode.UserRead }, new CatalogContext(ScanKind.Image, null, _ => { })));

    [Theory]
    [InlineData("Red Hat, Inc.", "redhat")]
    [InlineData("SUSE LLC <https://www.suse.com/>", "suse")]
    [InlineData("openSUSE", "opensuse")]
    [InlineData("Fedora Project", "fedora")]
    [InlineData("Microsoft Corporation", "mariner")]
    [InlineData("Acme Widgets", null)]
    [InlineData(null, null)]
    public void NamespaceOfVendor_Vendor_GivesTheFamily(string? vendor, string? expected) =>
        Assert.Equal(expected, RpmCataloger.NamespaceOfVendor(vendor));

    [Theory]
    [InlineData("util-linux-2.32.1-42.el8_8.src.rpm", null, "util-linux", "2.32.1-42.el8_8")]
    [InlineData("shadow-utils-4.6-17.el8.nosrc.rpm", 2, "shadow-utils", "2:4.6-17.el8")]
    [InlineData("noversion.src.rpm", null, null, null)]
    [InlineData("a--1.src.rpm", null, null, null)]
    [InlineData("name-1-.src.rpm", null, null, null)]
    [InlineData("not-an-rpm", null, null, null)]
    public void ParseSourceRpm_FileName_GivesNameAndVersion(string sourceRpm, int? epoch, string? name, string? version) =>
        Assert.Equal(name is null ? null : new PackageSource(name, version), RpmCataloger.ParseSourceRpm(sourceRpm, epoch));

    [Fact]
    public async Task Catalog_BadHeaderAndRowWithoutBlob_ReportsRpm1001AndRpm1004AndKeepsTheGoodPackage()
    {
        using var ndb = File.OpenRead(RpmDatabaseTests.NdbPath);
        var good = NdbReader.ReadBlobs(ndb, "sle15").First();
        var database = MakeSqlite(good, [0, 0, 0, 1, 0, 0, 0, 0], null, good);

        var (packages, issues) = await RunAsync("var/lib/rpm/rpmdb.sqlite", database);

        Assert.Single(packages);
        Assert.Equal([RpmCodes.Header, RpmCodes.Sqlite], issues.Select(i => i.Code));
        Assert.Contains("#1 in var/lib/rpm/rpmdb.sqlite", issues[0].Message, StringComparison.Ordinal);
        Assert.Contains("after its first 2 headers", issues[1].Message, StringComparison.Ordinal);
        Assert.Contains("rpm SQLite database var/lib/rpm/rpmdb.sqlite: row 2", issues[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_NotASqliteDatabase_ReportsRpm1004()
    {
        var before = SpoolDirectories();

        var (packages, issues) = await RunAsync("var/lib/rpm/rpmdb.sqlite", "this is not a database file, only some text."u8.ToArray());

        Assert.Empty(packages);
        Assert.Equal((RpmCodes.Sqlite, "var/lib/rpm/rpmdb.sqlite"), (Assert.Single(issues).Code, issues[0].Path));
        Assert.Equal(before, SpoolDirectories());
    }

    [Fact]
    public async Task Catalog_TruncatedBerkeleyDb_ReportsRpm1002()
    {
        var (packages, issues) = await RunAsync("var/lib/rpm/Packages", File.ReadAllBytes(RpmDatabaseTests.BerkeleyDbPath)[..8192]);

        Assert.Empty(packages);
        Assert.Equal(RpmCodes.BerkeleyDb, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Catalog_NdbWithoutMagic_ReportsRpm1003()
    {
        var content = File.ReadAllBytes(RpmDatabaseTests.NdbPath);
        content[0] ^= 0xff;

        var (packages, issues) = await RunAsync("var/lib/rpm/Packages.db", content);

        Assert.Empty(packages);
        Assert.Equal(RpmCodes.Ndb, Assert.Single(issues).Code);
        Assert.Contains("'RpmP'", issues[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_DatabaseLargerThanTheBound_ReportsCat1001WithoutReading()
    {
        var issues = new List<CatalogIssue>();
        var session = new RpmCataloger().Start(new CatalogContext(ScanKind.Image, null, issues.Add));
        var file = new CatalogFile { Path = "var/lib/rpm/rpmdb.sqlite", Size = RpmCataloger.MaxDatabaseBytes + 1, Mode = UnixFileMode.UserRead };

        await session.ReadAsync(file, Stream.Null, CancellationToken.None);

        Assert.Empty(session.Finish());
        Assert.Equal((CatalogCodes.TooLarge, "var/lib/rpm/rpmdb.sqlite"), (Assert.Single(issues).Code, issues[0].Path));
    }

    [Fact]
    public void Exception_DefaultConstructors_CarryTheHeaderCode()
    {
        Assert.Equal(RpmCodes.Header, new RpmDatabaseFormatException().Code);
        Assert.Equal(RpmCodes.Header, new RpmDatabaseFormatException("m").Code);
        Assert.Equal(RpmCodes.Header, new RpmDatabaseFormatException("m", new IOException()).Code);
        Assert.Equal(RpmCodes.Ndb, new RpmDatabaseFormatException(RpmCodes.Ndb, "m", new IOException()).Code);
    }

    [Fact]
    public void Catalog_MutatedBerkeleyDb_NeverThrows() =>
        LayeredCatalogRun.FuzzNeverThrows(new RpmCataloger(), "var/lib/rpm/Packages", File.ReadAllBytes(RpmDatabaseTests.BerkeleyDbPath), 300);

    [Fact]
    public void Catalog_MutatedNdb_NeverThrows() =>
        LayeredCatalogRun.FuzzNeverThrows(new RpmCataloger(), "var/lib/rpm/Packages.db", File.ReadAllBytes(RpmDatabaseTests.NdbPath), 150);

    [Fact]
    public void Catalog_MutatedSqlite_NeverThrowsAndLeavesNoSpoolFile()
    {
        var before = SpoolDirectories();

        LayeredCatalogRun.FuzzNeverThrows(new RpmCataloger(), "var/lib/rpm/rpmdb.sqlite", File.ReadAllBytes(RpmDatabaseTests.SqlitePath), 25);

        Assert.Equal(before, SpoolDirectories());
    }

    /// <summary>An rpm-style SQLite database (rpm's lib/backend/sqlite.c table Packages(hnum, blob)) with the given rows.</summary>
    private static byte[] MakeSqlite(params byte[]?[] blobs)
    {
        var directory = Directory.CreateTempSubdirectory("signet-rpm-test-");
        try
        {
            var path = Path.Combine(directory.FullName, "rpmdb.sqlite");
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
            {
                connection.Open();
                using var create = connection.CreateCommand();
                create.CommandText = "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB)";
                create.ExecuteNonQuery();
                foreach (var blob in blobs)
                {
                    using var insert = connection.CreateCommand();
                    insert.CommandText = "INSERT INTO Packages (blob) VALUES ($blob)";
                    insert.Parameters.AddWithValue("$blob", (object?)blob ?? DBNull.Value);
                    insert.ExecuteNonQuery();
                }
            }

            return File.ReadAllBytes(path);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
