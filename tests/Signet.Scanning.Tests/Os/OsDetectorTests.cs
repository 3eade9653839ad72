using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Signet.Scanning.Os;
using TestData = Signet.Testing.TestData;

namespace Signet.Scanning.Tests.Os;

public sealed class OsDetectorTests
{
    [Fact]
    public void Detect_DebianBookworm_ReadsOsRelease()
    {
        var os = OsDetector.Detect(Fixture("debian-bookworm"));

        Assert.Equal(
            new LinuxDistribution { Id = "debian", VersionId = "12", PrettyName = "Debian GNU/Linux 12 (bookworm)", Codename = "bookworm", Source = "etc/os-release" },
            os);
        Assert.Equal("debian-12", os!.DistroQualifier);
    }

    [Fact]
    public void Detect_DebianSidWithUsrLibOsReleaseOnly_HasCodenameAndNoVersion()
    {
        var os = OsDetector.Detect(Fixture("debian-sid"))!;

        Assert.Equal(("debian", null, "trixie", "usr/lib/os-release"), (os.Id, os.VersionId, os.Codename, os.Source));
        Assert.Equal("debian", os.DistroQualifier);
    }

    [Fact]
    public void Detect_DebianTestingOsReleaseWithoutCodename_TakesItFromDebianVersion()
    {
        var files = new MapLookup(new()
        {
            ["etc/os-release"] = "PRETTY_NAME=\"Debian GNU/Linux bookworm/sid\"\nNAME=\"Debian GNU/Linux\"\nID=debian\n"u8.ToArray(),
            ["etc/debian_version"] = "bookworm/sid\n"u8.ToArray(),
        });

        var os = OsDetector.Detect(files)!;
        Assert.Equal(("debian", null, "bookworm", "etc/os-release"), (os.Id, os.VersionId, os.Codename, os.Source));
    }

    [Fact]
    public void Detect_Ubi9_ReadsQuotedOsReleaseAndCodenameFromVersion()
    {
        var os = OsDetector.Detect(Fixture("ubi9"))!;

        Assert.Equal(("rhel", "9.3", "Plow", "Red Hat Enterprise Linux 9.3 (Plow)"), (os.Id, os.VersionId, os.Codename, os.PrettyName));
        Assert.Equal("rhel-9.3", os.DistroQualifier);
    }

    [Fact]
    public void Detect_RockyWithoutOsRelease_ReadsRockyReleaseBeforeRedHatRelease()
    {
        var os = OsDetector.Detect(Fixture("rocky9"))!;

        Assert.Equal(("rocky", "9.3", "Blue Onyx", "etc/rocky-release"), (os.Id, os.VersionId, os.Codename, os.Source));
    }

    [Fact]
    public void Detect_CentOs7_TakesTheMajorVersionAsOsReleaseDoes()
    {
        var os = OsDetector.Detect(Fixture("centos7"))!;

        Assert.Equal(("centos", "7", "Core", "etc/centos-release"), (os.Id, os.VersionId, os.Codename, os.Source));
    }

    [Fact]
    public void Detect_UbuntuLsbRelease_WinsOverItsDebianVersion()
    {
        var os = OsDetector.Detect(Fixture("ubuntu-jammy"))!;

        Assert.Equal(("ubuntu", "22.04", "jammy", "Ubuntu 22.04.4 LTS", "etc/lsb-release"), (os.Id, os.VersionId, os.Codename, os.PrettyName, os.Source));
    }

    [Fact]
    public void Detect_DebianVersionOnly_GivesMajorVersion()
    {
        var os = OsDetector.Detect(new MapLookup(new() { ["etc/debian_version"] = "12.11\n"u8.ToArray() }))!;

        Assert.Equal(("debian", "12", "etc/debian_version", "debian-12"), (os.Id, os.VersionId, os.Source, os.DistroQualifier));
    }

    [Fact]
    public void Detect_RealAlpine310Image_ReadsOsReleaseAndAlpineRelease()
    {
        var files = AlpineImageFiles();

        var os = OsDetector.Detect(new MapLookup(files))!;
        Assert.Equal(("alpine", "3.10.4", "Alpine Linux v3.10", "etc/os-release", "alpine-3.10.4"), (os.Id, os.VersionId, os.PrettyName, os.Source, os.DistroQualifier));

        files.Remove("etc/os-release");
        var fromAlpineRelease = OsDetector.Detect(new MapLookup(files))!;
        Assert.Equal(("alpine", "3.10.4", "etc/alpine-release"), (fromAlpineRelease.Id, fromAlpineRelease.VersionId, fromAlpineRelease.Source));
    }

    [Fact]
    public void Detect_NoReleaseFiles_UsesPackageEvidenceOrIsUnknown()
    {
        var empty = new MapLookup([]);

        Assert.Null(OsDetector.Detect(empty));
        Assert.Null(OsDetector.Detect(empty, [new OsPackageEvidence("deb", "libc6", "2.36-9+deb12u4")]));
        var debian = OsDetector.Detect(empty, [new OsPackageEvidence("deb", "libc6", "2.36-9"), new OsPackageEvidence("deb", "base-files", "12.4+deb12u5")])!;
        Assert.Equal(("debian", "12", "package:deb/base-files"), (debian.Id, debian.VersionId, debian.Source));
    }

    [Theory]
    [InlineData("apk", "alpine-release", "3.19.1-r0", "alpine-3.19.1")]
    [InlineData("rpm", "redhat-release", "9.3-0.5.el9", "rhel-9.3")]
    [InlineData("rpm", "rocky-release", "9.3-1.2.el9", "rocky-9.3")]
    public void FromPackages_ReleasePackage_GivesDistro(string type, string name, string version, string distro)
    {
        Assert.Equal(distro, OsDetector.FromPackages([new OsPackageEvidence(type, name, version)])!.DistroQualifier);
    }

    [Fact]
    public void Detect_OsReleaseWithoutId_FallsThroughToTheNextFile()
    {
        var files = new MapLookup(new()
        {
            ["etc/os-release"] = "NAME=\"Something\"\n"u8.ToArray(),
            ["usr/lib/os-release"] = "ID=alpine\nVERSION_ID=3.20.0\n"u8.ToArray(),
        });

        Assert.Equal(("alpine", "usr/lib/os-release"), (OsDetector.Detect(files)!.Id, OsDetector.Detect(files)!.Source));
    }

    [Fact]
    public void Detect_IdBeyondTheReadLimit_IsNotSeen()
    {
        var padding = "# " + new string('x', OsDetector.MaxReleaseFileLength) + "\n";
        var files = new MapLookup(new() { ["etc/os-release"] = Encoding.UTF8.GetBytes(padding + "ID=debian\n") });

        Assert.Null(OsDetector.Detect(files));
        Assert.Equal([OsDetector.MaxReleaseFileLength], files.RequestedLengths.Distinct());
    }

    [Fact]
    public void ParseVariables_ShellQuoting_IsUnquoted()
    {
        var variables = OsDetector.ParseVariables(
            "# comment\nA=\"say \\\"hi\\\" \\$HOME\"\nB='single \\ quoted'\nC=plain trailing\nD=\"unterminated\nE=a\"b c\"'d'\nnot an assignment\n1X=bad\n");

        Assert.Equal("say \"hi\" $HOME", variables["A"]);
        Assert.Equal("single \\ quoted", variables["B"]);
        Assert.Equal("plain", variables["C"]);
        Assert.Equal("ab cd", variables["E"]);
        Assert.Equal(["A", "B", "C", "E"], variables.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Detect_RandomAndMutatedReleaseFiles_NeverThrowsAndIdIsLowercase()
    {
        var published = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Os", "testdata", "ubi9", "etc", "os-release"));
        var contents = Gen.OneOf(
            ArbMap.Default.GeneratorFor<byte[]>().Where(b => b is not null),
            from position in Gen.Choose(0, published.Length - 1)
            from value in ArbMap.Default.GeneratorFor<byte>()
            select published.Select((b, i) => i == position ? value : b).ToArray());
        var paths = Gen.Elements("etc/os-release", "etc/lsb-release", "etc/alpine-release", "etc/redhat-release", "etc/debian_version");

        Prop.ForAll(contents.ToArbitrary(), paths.ToArbitrary(), (content, path) =>
        {
            var os = OsDetector.Detect(new MapLookup(new() { [path] = content }));
            Assert.True(os is null || (os.Source == path && os.Id.Equals(os.Id.ToLowerInvariant(), StringComparison.Ordinal)));
        }).QuickCheckThrowOnFailure();
    }

    private static MapLookup Fixture(string name)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "Os", "testdata", name);
        return new MapLookup(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes));
    }

    /// <summary>etc/alpine-release and etc/os-release from the layers of the docker-save tarball, the last layer winning.</summary>
    private static Dictionary<string, byte[]> AlpineImageFiles()
    {
        var files = new Dictionary<string, byte[]>();
        using var gzip = new GZipStream(File.OpenRead(TestData.Require("trivy-images/alpine-310.tar.gz")), CompressionMode.Decompress);
        using var image = new TarReader(gzip);
        while (image.GetNextEntry() is { } entry)
        {
            if (!entry.Name.EndsWith("/layer.tar", StringComparison.Ordinal) || entry.DataStream is null)
            {
                continue;
            }

            using var layer = new TarReader(entry.DataStream);
            while (layer.GetNextEntry() is { } file)
            {
                if (file.Name is "etc/alpine-release" or "etc/os-release" && file.DataStream is not null)
                {
                    using var content = new MemoryStream();
                    file.DataStream.CopyTo(content);
                    files[file.Name] = content.ToArray();
                }
            }
        }

        Assert.Equal(["etc/alpine-release", "etc/os-release"], files.Keys.Order(StringComparer.Ordinal));
        return files;
    }

    /// <summary>Files of a root filesystem by path; records the read limits asked for.</summary>
    private sealed class MapLookup(Dictionary<string, byte[]> files) : IFileLookup
    {
        public List<int> RequestedLengths { get; } = [];

        public byte[]? Read(string path, int maxLength)
        {
            RequestedLengths.Add(maxLength);
            return files.TryGetValue(path, out var bytes) ? bytes[..Math.Min(bytes.Length, maxLength)] : null;
        }
    }
}
