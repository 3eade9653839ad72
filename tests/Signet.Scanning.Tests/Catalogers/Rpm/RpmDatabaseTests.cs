using System.Text.Json;
using Signet.Scanning.Catalogers.Rpm;
using Signet.Testing;

namespace Signet.Scanning.Tests.Catalogers.Rpm;

/// <summary>The three real go-rpmdb databases (shared data go-rpmdb/, read through SIGNET_TEST_DATA) give the expected packages.</summary>
public sealed class RpmDatabaseTests
{
    internal static string BerkeleyDbPath => TestData.Require("go-rpmdb/testdata/libuuid/Packages");

    internal static string NdbPath => TestData.Require("go-rpmdb/testdata/sle15-bci/Packages.db");

    internal static string SqlitePath => TestData.Require("go-rpmdb/testdata/cbl-mariner-2.0/rpmdb.sqlite");

    [Fact]
    public void ReadPackages_BerkeleyDbLibuuid_FindsLibuuid()
    {
        var packages = RpmDatabase.ReadPackages(BerkeleyDbPath, RpmDatabaseFormat.BerkeleyDb);

        var libuuid = Assert.Single(packages, p => p.Name == "libuuid");
        Assert.Equal(("2.32.1", "42.el8_8", "x86_64"), (libuuid.Version, libuuid.Release, libuuid.Arch));
        Assert.Null(libuuid.Epoch);
        Assert.Equal("util-linux-2.32.1-42.el8_8.src.rpm", libuuid.SourceRpm);
        Assert.Equal("BSD", libuuid.License);
        Assert.Equal("Red Hat, Inc.", libuuid.Vendor);
        Assert.Equal(35104, libuuid.Size);
        Assert.Contains("/usr/lib64/libuuid.so.1", libuuid.Files);
        Assert.All(libuuid.Files, file => Assert.StartsWith("/", file, StringComparison.Ordinal));
    }

    [Fact]
    public void ReadPackages_NdbSle15_EqualsTheFullExpectedList()
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(TestData.Require("go-rpmdb/expected-sle15-bci-ndb.json")));
        var want = expected.RootElement.GetProperty("packages").EnumerateArray().Select(p => (
            p.GetProperty("name").GetString()!,
            p.GetProperty("epoch").ValueKind == JsonValueKind.Null ? (int?)null : p.GetProperty("epoch").GetInt32(),
            p.GetProperty("version").GetString()!,
            p.GetProperty("release").GetString()!,
            p.GetProperty("arch").GetString(),
            p.GetProperty("sourceRpm").GetString(),
            p.GetProperty("license").GetString(),
            p.GetProperty("vendor").GetString(),
            (long?)p.GetProperty("size").GetInt64())).ToList();

        var packages = RpmDatabase.ReadPackages(NdbPath, RpmDatabaseFormat.Ndb);

        Assert.Equal(35, want.Count);
        Assert.Equal(want, packages.Select(p => (p.Name, p.Epoch, p.Version, p.Release, p.Arch, p.SourceRpm, p.License, p.Vendor, p.Size)).ToList());
        Assert.Contains(packages, p => $"{p.Name}-{p.Version}-{p.Release}" == "filesystem-15.0-11.3.2");
        Assert.Contains("/bin/bash", Assert.Single(packages, p => p.Name == "bash").Files);
    }

    [Fact]
    public void ReadPackages_SqliteMariner_Gives129ExpectedNamesAndCurl()
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(TestData.Require("go-rpmdb/expected-cbl-mariner-2.0-names.json")));
        var names = expected.RootElement.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).Order(StringComparer.Ordinal).ToList();

        var packages = RpmDatabase.ReadPackages(SqlitePath, RpmDatabaseFormat.Sqlite);

        Assert.Equal(129, packages.Count);
        Assert.Equal(names, packages.Select(p => p.Name).Order(StringComparer.Ordinal).ToList());
        var curl = Assert.Single(packages, p => p.Name == "curl");
        Assert.Equal(("7.76.0", "6.cm2", "x86_64"), (curl.Version, curl.Release, curl.Arch));
        Assert.Equal("curl-7.76.0-6.cm2.src.rpm", curl.SourceRpm);
        Assert.Equal(("MIT", "Microsoft Corporation", 326023L), (curl.License, curl.Vendor, curl.Size));
        Assert.Contains("/usr/bin/curl", curl.Files);
        var withEpoch = Assert.Single(packages, p => p.Name == "ca-certificates-base");
        Assert.Equal((1, "2.0.0", "1.cm2"), (withEpoch.Epoch, withEpoch.Version, withEpoch.Release));
        Assert.Equal(3, packages.Count(p => p.Epoch is not null));
    }

    [Fact]
    public void ReadPackages_Sqlite_LeavesTheFileUnchanged()
    {
        var copy = Path.Combine(Directory.CreateTempSubdirectory("signet-rpmdb-").FullName, "rpmdb.sqlite");
        File.Copy(SqlitePath, copy);
        var before = File.ReadAllBytes(copy);

        RpmDatabase.ReadPackages(copy, RpmDatabaseFormat.Sqlite);

        Assert.Equal(before, File.ReadAllBytes(copy));
        Assert.Equal(["rpmdb.sqlite"], Directory.GetFiles(Path.GetDirectoryName(copy)!).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("var/lib/rpm/Packages", RpmDatabaseFormat.BerkeleyDb)]
    [InlineData("usr/lib/sysimage/rpm/Packages.db", RpmDatabaseFormat.Ndb)]
    [InlineData("var/lib/rpm/rpmdb.sqlite", RpmDatabaseFormat.Sqlite)]
    [InlineData("var/lib/rpm/Name", null)]
    public void FormatOf_FileName_GivesTheContainer(string path, RpmDatabaseFormat? expected) =>
        Assert.Equal(expected, RpmDatabase.FormatOf(path));
}
