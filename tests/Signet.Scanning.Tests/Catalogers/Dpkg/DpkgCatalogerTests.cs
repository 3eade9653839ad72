using System.Diagnostics;
using System.Text;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Dpkg;
using Signet.Scanning.Os;

namespace Signet.Scanning.Tests.Catalogers.Dpkg;

/// <summary>
/// The dpkg cataloger over this Debian host's real database (compared with dpkg-query), a distroless status.d made
/// here, real copyright files (testdata/README.md) and malformed input.
/// </summary>
public sealed class DpkgCatalogerTests
{
    private static readonly LinuxDistribution Debian12 = new() { Id = "debian", VersionId = "12", Source = "etc/os-release" };

    private static byte[] Testdata(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Catalogers", "Dpkg", "testdata", name));

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static Task<(IReadOnlyList<Package> Packages, IReadOnlyList<CatalogIssue> Issues)> RunAsync(Dictionary<string, byte[]> files, LinuxDistribution? distribution = null) =>
        CatalogerHarness.RunAsync(new DpkgCataloger(), files, distribution: distribution);

    private static string DpkgQuery(params string[] arguments)
    {
        var start = new ProcessStartInfo("dpkg-query") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dpkg-query {string.Join(' ', arguments)} failed: {process.StandardError.ReadToEnd()}");
        return output;
    }

    [Fact]
    public async Task Catalog_HostDpkgDatabaseWithListsAndCopyrights_EqualsDpkgQuery()
    {
        var files = new Dictionary<string, byte[]> { ["var/lib/dpkg/status"] = File.ReadAllBytes("/var/lib/dpkg/status") };
        foreach (var list in Directory.EnumerateFiles("/var/lib/dpkg/info", "*.list"))
        {
            files[$"var/lib/dpkg/info/{Path.GetFileName(list)}"] = File.ReadAllBytes(list);
        }

        foreach (var copyright in Directory.EnumerateFiles("/usr/share/doc", "copyright", SearchOption.AllDirectories))
        {
            files[copyright.TrimStart('/')] = File.ReadAllBytes(copyright);
        }

        var expected = DpkgQuery("-W", "-f=${db:Status-Status} ${Package} ${Version}\n")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith("installed ", StringComparison.Ordinal))
            .Select(line => line["installed ".Length..])
            .ToHashSet();

        var (packages, issues) = await RunAsync(files, Debian12);

        Assert.Empty(issues);
        Assert.True(expected.Count > 50, $"dpkg-query listed only {expected.Count} installed packages");
        Assert.Equal(expected.Order(StringComparer.Ordinal), packages.Select(p => $"{p.Name} {p.Version}").ToHashSet().Order(StringComparer.Ordinal));
        var bash = Assert.Single(packages, p => p.Name == "bash");
        var fields = DpkgQuery("-W", "-f=${Version}|${Architecture}|${Maintainer}|${Installed-Size}|${source:Package}", "bash").Split('|');
        Assert.Equal($"pkg:deb/debian/bash@{fields[0].Replace("+", "%2B", StringComparison.Ordinal)}?arch={fields[1]}&distro=debian-12", bash.Purl?.ToString());
        Assert.Equal((fields[2], fields[1], (long.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture) * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (bash.Supplier, bash.Properties["arch"], bash.Properties["installed-size"]));
        Assert.Equal(fields[4], bash.Source?.Name);
        Assert.Contains(new PackageDependency("libc6"), bash.DependsOn);
        Assert.Contains("bin/bash", bash.InstalledFiles);
        Assert.Equal(["var/lib/dpkg/status", "usr/share/doc/bash/copyright", "var/lib/dpkg/info/bash.list"], bash.Evidence.AsEnumerable());
        Assert.Contains("GPL-3+", bash.Licenses);
        Assert.True(packages.Count(p => !p.Licenses.IsEmpty) > packages.Count / 2, "most Debian packages have a machine-readable copyright file");
        Assert.Equal("dpkg-db", bash.FoundBy);
        Assert.All(packages, p => Assert.Equal(p.InstalledFiles.Order(StringComparer.Ordinal), p.InstalledFiles));
        Assert.Contains(packages, p => p.Evidence.Any(e => e.Contains(':', StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Catalog_SameInputTwice_GivesEqualPackages()
    {
        var files = new Dictionary<string, byte[]> { ["var/lib/dpkg/status"] = File.ReadAllBytes("/var/lib/dpkg/status") };

        var (first, _) = await RunAsync(files);
        var (second, _) = await RunAsync(files);

        Assert.Equal(first.Select(p => (p.Name, p.Version, p.Purl?.ToString(), string.Join(',', p.DependsOn))), second.Select(p => (p.Name, p.Version, p.Purl?.ToString(), string.Join(',', p.DependsOn))));
    }

    [Fact]
    public async Task Catalog_DistrolessStatusDirectory_ReadsEachFileAndItsCopyright()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["var/lib/dpkg/status.d/base-passwd"] = Utf8("Package: base-passwd\nVersion: 3.6.1\nArchitecture: amd64\nMaintainer: Colin Watson <cjwatson@debian.org>\nInstalled-Size: 243\nDepends: libc6 (>= 2.34), libdebconfclient0 (>= 0.145)\nDescription: Debian base system master password and group files\n"),
            ["var/lib/dpkg/status.d/base-passwd.md5sums"] = Utf8("0b1f2e3c  usr/sbin/update-passwd\n"),
            ["var/lib/dpkg/status.d/base-files"] = Utf8("Package: base-files\nVersion: 12.4+deb12u11\nArchitecture: amd64\nStatus: install ok installed\n"),
            ["var/lib/dpkg/status.d/removed"] = Utf8("Package: removed\nVersion: 1.0\nStatus: deinstall ok config-files\n"),
            ["usr/share/doc/base-passwd/copyright"] = Testdata("base-passwd.copyright"),
            ["usr/share/doc/base-files/copyright"] = Testdata("base-files.copyright"),
        };

        var (packages, issues) = await RunAsync(files);

        Assert.Empty(issues);
        Assert.Equal(["base-files", "base-passwd"], packages.Select(p => p.Name));
        var passwd = packages[1];
        Assert.Equal("pkg:deb/debian/base-passwd@3.6.1?arch=amd64", passwd.Purl?.ToString());
        Assert.Equal(["GPL-2", "public-domain"], passwd.Licenses.AsEnumerable());
        Assert.Equal(["var/lib/dpkg/status.d/base-passwd", "usr/share/doc/base-passwd/copyright"], passwd.Evidence.AsEnumerable());
        Assert.Equal([new PackageDependency("libc6"), new PackageDependency("libdebconfclient0")], passwd.DependsOn.AsEnumerable());
        Assert.Equal("248832", passwd.Properties["installed-size"]);
        Assert.Empty(packages[0].Licenses);
        Assert.Equal("pkg:deb/debian/base-files@12.4%2Bdeb12u11?arch=amd64", packages[0].Purl?.ToString());
    }

    [Fact]
    public async Task Catalog_StatusAndFileLists_TakesLayerFromTheListAndStatesFromTheThirdWord()
    {
        var files = new Dictionary<string, (byte[], int)>
        {
            ["var/lib/dpkg/status"] = (Utf8(
                "Package: curl\nStatus: hold ok installed\nVersion: 7.88.1-10+deb12u5\nArchitecture: amd64\nSource: curl\n\n" +
                "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nArchitecture: amd64\nSource: glibc (2.36-9+deb12u4)\n\n" +
                "Package: half\nStatus: install reinstreq half-installed\nVersion: 1\n\n" +
                "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\n" +
                "Package: nofile\nStatus: install ok installed\nVersion: 2:1.0-1\nArchitecture: all\n"), 3),
            ["var/lib/dpkg/info/curl.list"] = (Utf8("/.\n/usr\n/usr/bin\n/usr/bin/curl\n"), 2),
            ["var/lib/dpkg/info/libc6:amd64.list"] = (Utf8("/.\n/lib\n/lib/x86_64-linux-gnu/libc.so.6\n"), 0),
            ["var/lib/dpkg/info/libc6.list"] = (Utf8("/wrong-arch-less-list\n"), 1),
        };

        var (packages, issues) = await LayeredCatalogRun.RunAsync(new DpkgCataloger(), files);

        Assert.Empty(issues);
        Assert.Equal(["curl", "libc6", "nofile"], packages.Select(p => p.Name));
        Assert.Equal([2, 0, 3], packages.Select(p => p.Layer?.Index));
        Assert.Equal(["usr", "usr/bin", "usr/bin/curl"], packages[0].InstalledFiles.AsEnumerable());
        Assert.Equal(new PackageSource("curl", "7.88.1-10+deb12u5"), packages[0].Source);
        Assert.Equal(new PackageSource("glibc", "2.36-9+deb12u4"), packages[1].Source);
        Assert.Equal(["var/lib/dpkg/status", "var/lib/dpkg/info/libc6:amd64.list"], packages[1].Evidence.AsEnumerable());
        Assert.Null(packages[2].Source);
        Assert.Equal("pkg:deb/debian/nofile@2:1.0-1?arch=all", packages[2].Purl?.ToString());
    }

    [Fact]
    public async Task Catalog_KnownDistribution_UsesItsIdAndQualifier()
    {
        var ubuntu = new LinuxDistribution { Id = "ubuntu", VersionId = "22.04", Source = "etc/os-release" };
        var files = new Dictionary<string, byte[]> { ["var/lib/dpkg/status"] = Utf8("Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.11.dfsg-2ubuntu9\nArchitecture: arm64\n") };

        var (packages, _) = await RunAsync(files, ubuntu);

        Assert.Equal("pkg:deb/ubuntu/zlib1g@1:1.2.11.dfsg-2ubuntu9?arch=arm64&distro=ubuntu-22.04", Assert.Single(packages).Purl?.ToString());
    }

    [Theory]
    [InlineData("libc6 (>= 2.36), libgcc-s1", "libc6,libgcc-s1")]
    [InlineData("default-mta | mail-transport-agent, perl:any (>= 5.10)", "default-mta,perl")]
    [InlineData("python3:any, libfoo [amd64] <!nocheck>", "python3,libfoo")]
    [InlineData(" , (>= 1), BAD", "")]
    public void DependencyNames_Field_GivesFirstAlternativesWithoutConstraints(string field, string expected) =>
        Assert.Equal(expected, string.Join(',', DpkgCataloger.DependencyNames(field)));

    [Theory]
    [InlineData("var/lib/dpkg/status", true)]
    [InlineData("var/lib/dpkg/status.d/tzdata", true)]
    [InlineData("var/lib/dpkg/status.d/tzdata.md5sums", false)]
    [InlineData("var/lib/dpkg/status.d/sub/tzdata", false)]
    [InlineData("var/lib/dpkg/info/bash.list", true)]
    [InlineData("var/lib/dpkg/info/bash.md5sums", false)]
    [InlineData("usr/share/doc/bash/copyright", true)]
    [InlineData("usr/share/doc/bash/examples/copyright", false)]
    [InlineData("srv/chroot/var/lib/dpkg/status", false)]
    [InlineData("lib/dpkg/status", false)]
    [InlineData("var/lib/dpkg/status-old", false)]
    public void Wants_Path_OnlyTheStandardPlaces(string path, bool wanted) =>
        Assert.Equal(wanted, new DpkgCataloger().Wants(
            new CatalogFile { Path = path, Size = 10, Mode = UnixFileMode.UserRead }, new CatalogContext(ScanKind.Image, null, _ => { })));

    [Fact]
    public async Task Catalog_MalformedParagraphs_ReportsDpkg1001AndKeepsTheOthers()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["var/lib/dpkg/status"] = Utf8(
                " leading continuation\nPackage: a1\nStatus: install ok installed\nVersion: 1\n\n" +
                "Package: good\nStatus: install ok installed\nVersion: 1\n\n" +
                "Package: b2\nno colon here\nStatus: install ok installed\nVersion: 1\n\n" +
                "Package: c3\nPackage: c3\nStatus: install ok installed\nVersion: 1\n"),
        };

        var (packages, issues) = await RunAsync(files);

        Assert.Equal("good", Assert.Single(packages).Name);
        var issue = Assert.Single(issues);
        Assert.Equal((DpkgCodes.MalformedEntry, "var/lib/dpkg/status"), (issue.Code, issue.Path));
        Assert.Contains("3 entries", issue.Message, StringComparison.Ordinal);
        Assert.Contains("line 1 continues a field", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_InstalledEntryWithoutVersionOrValidName_ReportsDpkg1002()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["var/lib/dpkg/status"] = Utf8(
                "Package: noversion\nStatus: install ok installed\n\nPackage: Bad Name\nStatus: install ok installed\nVersion: 1\n\n" +
                "Package: spaced\nStatus: install ok installed\nVersion: 1 2\n\nPackage: ok\nStatus: install ok installed\nVersion: 1\n"),
        };

        var (packages, issues) = await RunAsync(files);

        Assert.Equal("ok", Assert.Single(packages).Name);
        var issue = Assert.Single(issues);
        Assert.Equal(DpkgCodes.MissingField, issue.Code);
        Assert.Contains("3 installed entries", issue.Message, StringComparison.Ordinal);
        Assert.Contains("first at line 1", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_MoreEntriesThanTheBound_ReportsDpkg1003()
    {
        var text = new StringBuilder();
        for (var i = 0; i <= DpkgCataloger.MaxEntries; i++)
        {
            text.Append("Package: p").Append(i).Append("\nStatus: install ok installed\nVersion: 1\n\n");
        }

        var (packages, issues) = await RunAsync(new Dictionary<string, byte[]> { ["var/lib/dpkg/status"] = Utf8(text.ToString()) });

        Assert.Equal(DpkgCataloger.MaxEntries, packages.Count);
        Assert.Equal(DpkgCodes.TooManyEntries, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Catalog_FileListWithRelativeLines_ReportsDpkg1004AndKeepsAbsolutePaths()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["var/lib/dpkg/status"] = Utf8("Package: tool\nStatus: install ok installed\nVersion: 1\n"),
            ["var/lib/dpkg/info/tool.list"] = Utf8("/.\n/usr/bin/tool\nusr/bin/relative\n/\n"),
        };

        var (packages, issues) = await RunAsync(files);

        Assert.Equal(["usr/bin/tool"], Assert.Single(packages).InstalledFiles.AsEnumerable());
        var issue = Assert.Single(issues);
        Assert.Equal((DpkgCodes.MalformedFileList, "var/lib/dpkg/info/tool.list"), (issue.Code, issue.Path));
        Assert.Contains("2 lines", issue.Message, StringComparison.Ordinal);
        Assert.Contains("first at line 3", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_MalformedMachineReadableCopyright_ReportsDpkg1005AndKeepsTheGoodParagraphs()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["var/lib/dpkg/status"] = Utf8("Package: tool\nStatus: install ok installed\nVersion: 1\n"),
            ["usr/share/doc/tool/copyright"] = Utf8("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: MIT\n\nFiles: x\nthis line is not a field\nLicense: Evil\n"),
        };

        var (packages, issues) = await RunAsync(files);

        Assert.Equal(["MIT"], Assert.Single(packages).Licenses.AsEnumerable());
        Assert.Equal((DpkgCodes.MalformedCopyright, "usr/share/doc/tool/copyright"), (Assert.Single(issues).Code, issues[0].Path));
    }

    [Fact]
    public async Task Catalog_CopyrightRepeatingAField_KeepsTheParagraphAsElfutilsNeeds()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["var/lib/dpkg/status"] = Utf8("Package: libelf1\nStatus: install ok installed\nVersion: 0.188-2.1\n"),
            ["usr/share/doc/libelf1/copyright"] = Utf8(
                "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n" +
                "Files: *\nComment: first\n note\nLicense: GPL-2+ or LGPL-3+\nComment: second\n  continued\n\nLicense: GPL-2+\n text\n"),
        };

        var (packages, issues) = await RunAsync(files);

        Assert.Empty(issues);
        Assert.Equal(["GPL-2+", "GPL-2+ or LGPL-3+"], Assert.Single(packages).Licenses.AsEnumerable());
    }

    [Fact]
    public async Task Catalog_StatusRepeatingAField_ReportsDpkg1001AsDpkgRefusesIt()
    {
        var (packages, issues) = await RunAsync(new Dictionary<string, byte[]> { ["var/lib/dpkg/status"] = Utf8("Package: a1\nStatus: install ok installed\nVersion: 1\nVersion: 2\n") });

        Assert.Empty(packages);
        Assert.Contains("repeats the field 'Version'", Assert.Single(issues).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_FreeTextCopyrightWithLicenseLines_GivesNoLicenses()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["var/lib/dpkg/status"] = Utf8("Package: tool\nStatus: install ok installed\nVersion: 1\n"),
            ["usr/share/doc/tool/copyright"] = Utf8("This is tool, written by someone.\n\nLicense: GPL-3\n"),
        };

        var (packages, issues) = await RunAsync(files);

        Assert.Empty(issues);
        Assert.Empty(Assert.Single(packages).Licenses);
    }

    [Fact]
    public async Task Catalog_InvalidUtf8AndNulBytes_NeverThrows()
    {
        var files = new Dictionary<string, byte[]> { ["var/lib/dpkg/status"] = [0xff, 0xfe, 0, (byte)'\n', (byte)':', 0x80, (byte)'\n', (byte)' '] };

        var (packages, issues) = await RunAsync(files);

        Assert.Empty(packages);
        Assert.Equal(DpkgCodes.MalformedEntry, Assert.Single(issues).Code);
    }

    [Fact]
    public void Catalog_MutatedHostStatus_NeverThrows()
    {
        var status = File.ReadAllBytes("/var/lib/dpkg/status")[..16384];
        LayeredCatalogRun.FuzzNeverThrows(new DpkgCataloger(), "var/lib/dpkg/status", status, 300);
    }

    [Fact]
    public void Catalog_MutatedCopyright_NeverThrows() =>
        LayeredCatalogRun.FuzzNeverThrows(new DpkgCataloger(), "usr/share/doc/base-passwd/copyright", Testdata("base-passwd.copyright"), 300);
}
