using System.Buffers.Binary;
using System.Text;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Binaries;
using Signet.Scanning.Catalogers.Binaries.Go;
using Xunit.Abstractions;

namespace Signet.Scanning.Tests.Catalogers.Binaries;

/// <summary>
/// Go build information in real ELF files: sections cut from real Go binaries (testdata/README.md) put back into a
/// copy of /bin/true by objcopy, and gcc-built programs laying the blob out as the Go linker does (pointer format,
/// stripped section headers).
/// </summary>
public sealed class GoBinaryTests(ITestOutputHelper output)
{
    internal const UnixFileMode Executable = (UnixFileMode)0b111_101_101;

    internal static Task<(IReadOnlyList<Package> Packages, IReadOnlyList<CatalogIssue> Issues)> RunAsync(string path, byte[] content) =>
        CatalogerHarness.RunAsync(new ElfBinaryCataloger(), new Dictionary<string, byte[]> { [path] = content }, modes: _ => Executable);

    internal static string PointerFormatProgram(string version, byte[] modInfo) => $$"""
        struct gostring { const char *data; unsigned long length; };
        static const char version[] = {{ElfTools.CLiteral(Encoding.UTF8.GetBytes(version))}};
        static const char modinfo[] = {{ElfTools.CLiteral(modInfo)}};
        const struct gostring version_header = { version, sizeof version - 1 };
        const struct gostring modinfo_header = { modinfo, sizeof modinfo - 1 };
        struct header { unsigned char magic[14]; unsigned char pointer_size; unsigned char flags; const struct gostring *version; const struct gostring *modinfo; };
        __attribute__((used, aligned(16), section(".go.buildinfo"))) struct header buildinfo = { {{ElfTools.CLiteral(ElfTools.Magic)}}, 8, 0, &version_header, &modinfo_header };
        int main(void) { return 0; }
        """;

    internal static string EmbeddedBlobProgram(byte[] blob) => $$"""
        __attribute__((used, aligned(16), section(".go.buildinfo"))) unsigned char buildinfo[] = {{ElfTools.CLiteral(blob)}};
        int main(void) { return 0; }
        """;

    /// <summary>go.starlark.net, a dependency of kpt and kubectl, has no '/' and so no golang purl namespace.</summary>
    private static void AssertOnlyStarlarkWithoutPurl(IReadOnlyList<CatalogIssue> issues)
    {
        var issue = Assert.Single(issues);
        Assert.Equal(GoBinaryCodes.InvalidPurl, issue.Code);
        Assert.Contains("1 Go module(s) have a path without '/'", issue.Message, StringComparison.Ordinal);
        Assert.Contains(": go.starlark.net.", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_DebianAgeBuildInfo_ListsTheMainPackageWithToolchain()
    {
        var elf = ElfTools.WithSections((".go.buildinfo", ElfTools.TestData("age-1.1.1-1+b3.go.buildinfo")));

        var (packages, issues) = await RunAsync("usr/bin/age", elf);

        Assert.Empty(issues.Select(i => i.ToString()));
        var age = Assert.Single(packages);
        Assert.Equal("filippo.io/age/cmd/age", age.Name);
        Assert.Null(age.Version);
        Assert.Equal("pkg:golang/filippo.io/age/cmd/age", age.Purl?.ToString());
        Assert.Equal("golang", age.Type);
        Assert.Equal("go-binary", age.FoundBy);
        Assert.Equal(new[] { "usr/bin/age" }, age.Evidence);
        Assert.Equal("go1.19.8", age.Properties["go.toolchain"]);
        Assert.Equal("amd64", age.Properties["go.build.GOARCH"]);
        Assert.Equal("true", age.Properties["go.build.-trimpath"]);
        Assert.Empty(age.DependsOn);
    }

    [Fact]
    public async Task Read_KptBuildInfo_ListsMainModuleAndEveryDependencyWithSums()
    {
        var elf = ElfTools.WithSections((".go.buildinfo", ElfTools.TestData("kpt-1.0.0-beta.56.go.buildinfo")));

        var (packages, issues) = await RunAsync("usr/local/bin/kpt", elf);

        AssertOnlyStarlarkWithoutPurl(issues);
        Assert.Null(Assert.Single(packages, p => p.Name == "go.starlark.net").Purl);
        Assert.Equal(106, packages.Count);
        var main = Assert.Single(packages, p => p.Name == "github.com/GoogleContainerTools/kpt");
        Assert.Null(main.Version);
        Assert.Equal("pkg:golang/github.com/GoogleContainerTools/kpt", main.Purl?.ToString());
        Assert.Equal(105, main.DependsOn.Length);
        Assert.Equal("-s -w -X github.com/GoogleContainerTools/kpt/run.version=1.0.0-beta.56 -extldflags \"-z noexecstack\"", main.Properties["go.build.-ldflags"]);
        Assert.Equal("39d7233318deb49883d7f5e94cba96db15a01c0f", main.Properties["go.build.vcs.revision"]);
        Assert.Equal("go1.23.6", main.Properties["go.toolchain"]);
        Assert.DoesNotContain("go.path", main.Properties.Keys);
        Assert.All(packages.Where(p => p != main), p => Assert.NotNull(p.Version));
        Assert.All(packages.Where(p => p != main), p => Assert.StartsWith("h1:", p.Properties["go.sum"], StringComparison.Ordinal));
        Assert.Equal(main.DependsOn.Select(d => (d.Name, d.Version)), packages.Where(p => p != main).Select(p => (p.Name, p.Version)).Order());
        Assert.Equal(packages.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal), packages);
    }

    [Fact]
    public async Task Read_KubectlBuildInfo_LocalReplacementsKeepTheModulePathWithoutVersion()
    {
        var elf = ElfTools.WithSections((".go.buildinfo", ElfTools.TestData("kubectl-1.29.go.buildinfo")));

        var (packages, issues) = await RunAsync("usr/bin/kubectl", elf);

        AssertOnlyStarlarkWithoutPurl(issues);
        Assert.Equal(85, packages.Count);
        var api = Assert.Single(packages, p => p.Name == "k8s.io/api");
        Assert.Null(api.Version);
        Assert.Equal("pkg:golang/k8s.io/api", api.Purl?.ToString());
        Assert.Equal("./staging/src/k8s.io/api", api.Properties["go.replace"]);
        Assert.Equal(8, packages.Count(p => p.Properties.ContainsKey("go.replace")));
        var main = Assert.Single(packages, p => p.Name == "k8s.io/kubernetes");
        Assert.Equal("k8s.io/kubernetes/cmd/kubectl", main.Properties["go.path"]);
        var cobra = Assert.Single(packages, p => p.Name == "github.com/spf13/cobra");
        Assert.Equal("pkg:golang/github.com/spf13/cobra@" + cobra.Version, cobra.Purl?.ToString());
    }

    [Fact]
    public async Task Read_ModuleReplacedByAnotherModule_ListsTheReplacement()
    {
        var modInfo = "path\texample.com/app\nmod\texample.com/app\tv1.2.3\th1:main=\ndep\tgolang.org/x/text\tv0.3.0\th1:old=\n=>\tgithub.com/fork/text\tv0.3.8\th1:new=\nbuild\tGOOS=linux\n";
        var elf = ElfTools.WithSections((".go.buildinfo", ElfTools.InlineBlob("go1.21.5", modInfo)));

        var (packages, issues) = await RunAsync("app", elf);

        Assert.Empty(issues.Select(i => i.ToString()));
        var fork = Assert.Single(packages, p => p.Name == "github.com/fork/text");
        Assert.Equal("v0.3.8", fork.Version);
        Assert.Equal("h1:new=", fork.Properties["go.sum"]);
        Assert.Equal("golang.org/x/text@v0.3.0", fork.Properties["go.replaces"]);
        var main = Assert.Single(packages, p => p.Name == "example.com/app");
        Assert.Equal("pkg:golang/example.com/app@v1.2.3", main.Purl?.ToString());
        Assert.Equal(new[] { new PackageDependency("github.com/fork/text", "v0.3.8") }, main.DependsOn);
    }

    [Fact]
    public async Task Read_PointerFormatBuiltByGcc_ReadsStringsThroughProgramHeaders()
    {
        var modInfo = Encoding.UTF8.GetBytes("path\texample.com/hello\nmod\texample.com/hello\t(devel)\t\ndep\tgolang.org/x/text\tv0.3.7\th1:olpwvP2KacW1ZWvsR7uQhoyTYvKAupfQrRGBFM352Gk=\n");
        var elf = ElfTools.Compile(PointerFormatProgram("go1.16.15", [.. ElfTools.InfoStart, .. modInfo, .. ElfTools.InfoEnd]));

        var (packages, issues) = await RunAsync("usr/bin/hello", elf);

        Assert.Empty(issues.Select(i => i.ToString()));
        Assert.Equal(["example.com/hello", "golang.org/x/text"], packages.Select(p => p.Name));
        Assert.Equal("v0.3.7", packages[1].Version);
        Assert.All(packages, p => Assert.Equal("go1.16.15", p.Properties["go.toolchain"]));
    }

    [Fact]
    public async Task Read_SectionHeadersStripped_FindsTheBlobInTheWritableSegment()
    {
        var elf = ElfTools.Compile(EmbeddedBlobProgram(ElfTools.TestData("kpt-1.0.0-beta.56.go.buildinfo")));
        var withSections = await RunAsync("kpt", elf);

        // As sstrip does: no section header table, only program headers.
        BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(40), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(elf.AsSpan(60), 0);
        var (packages, issues) = await RunAsync("kpt", elf);

        AssertOnlyStarlarkWithoutPurl(issues);
        Assert.Equal(106, packages.Count);
        Assert.Equal(withSections.Packages.Select(p => p.Purl), packages.Select(p => p.Purl));
    }

    /// <summary>
    /// An ELF32 big-endian executable image (as for MIPS or PowerPC, which no tool here can build): one writable
    /// loadable segment at 0x10000 holding a pointer-format header, two Go string headers and their data; no section
    /// headers, so the blob is found by scanning the segment.
    /// </summary>
    private static byte[] BigEndian32PointerFormat(string version, string modInfo)
    {
        const uint Base = 0x10000;
        var image = new byte[4096];
        var span = image.AsSpan();
        "\u007fELF"u8.CopyTo(span);
        image[4] = 1;
        image[5] = 2;
        image[6] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(span[16..], 2);
        BinaryPrimitives.WriteUInt32BigEndian(span[28..], 52);
        BinaryPrimitives.WriteUInt16BigEndian(span[42..], 32);
        BinaryPrimitives.WriteUInt16BigEndian(span[44..], 1);
        BinaryPrimitives.WriteUInt32BigEndian(span[52..], 1);
        BinaryPrimitives.WriteUInt32BigEndian(span[56..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(span[60..], Base);
        BinaryPrimitives.WriteUInt32BigEndian(span[68..], (uint)image.Length);
        BinaryPrimitives.WriteUInt32BigEndian(span[72..], (uint)image.Length);
        BinaryPrimitives.WriteUInt32BigEndian(span[76..], 6);
        ElfTools.Magic.CopyTo(span[0x60..]);
        image[0x60 + 14] = 4;
        image[0x60 + 15] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(span[0x70..], Base + 0x80);
        BinaryPrimitives.WriteUInt32BigEndian(span[0x74..], Base + 0x88);
        var versionBytes = Encoding.UTF8.GetBytes(version);
        byte[] modBytes = [.. ElfTools.InfoStart, .. Encoding.UTF8.GetBytes(modInfo), .. ElfTools.InfoEnd];
        BinaryPrimitives.WriteUInt32BigEndian(span[0x80..], Base + 0xa0);
        BinaryPrimitives.WriteUInt32BigEndian(span[0x84..], (uint)versionBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(span[0x88..], Base + 0xc0);
        BinaryPrimitives.WriteUInt32BigEndian(span[0x8c..], (uint)modBytes.Length);
        versionBytes.CopyTo(span[0xa0..]);
        modBytes.CopyTo(span[0xc0..]);
        return image;
    }

    [Fact]
    public async Task Read_BigEndian32PointerFormatWithoutSections_ReadsThroughTheSegment()
    {
        var elf = BigEndian32PointerFormat("go1.10.8", "path\texample.com/be\nmod\texample.com/be\tv0.1.0\t\ndep\tgithub.com/pkg/errors\tv0.8.1\t\n");

        var (packages, issues) = await RunAsync("usr/bin/be", elf);

        Assert.Empty(issues.Select(i => i.ToString()));
        Assert.Equal(["example.com/be", "github.com/pkg/errors"], packages.Select(p => p.Name));
        Assert.Equal("v0.1.0", packages[0].Version);
        Assert.Equal("go1.10.8", packages[0].Properties["go.toolchain"]);
    }

    [Fact]
    public async Task Read_BigEndian32StringOutsideTheSegment_ReportsGo1001()
    {
        var elf = BigEndian32PointerFormat("go1.10.8", "path\texample.com/be\n");
        BinaryPrimitives.WriteUInt32BigEndian(elf.AsSpan(0x8c), 0x1000);

        var (packages, issues) = await RunAsync("usr/bin/be", elf);

        Assert.Empty(packages);
        var issue = Assert.Single(issues);
        Assert.Equal(GoBinaryCodes.BuildInfoMalformed, issue.Code);
        Assert.Contains("is not within a loadable segment", issue.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("elf32-big")]
    [InlineData("elf32-little")]
    [InlineData("elf64-big")]
    [InlineData("elf64-little")]
    public async Task Read_EveryClassAndByteOrder_FindsTheSection(string target)
    {
        var elf = ElfTools.Relocatable(target, ".go.buildinfo", ElfTools.TestData("kpt-1.0.0-beta.56.go.buildinfo"));

        var (packages, issues) = await RunAsync("kpt.o", elf);

        AssertOnlyStarlarkWithoutPurl(issues);
        Assert.Equal(106, packages.Count);
    }

    [Fact]
    public async Task Read_NoModuleInformation_ListsNothing()
    {
        var elf = ElfTools.WithSections((".go.buildinfo", ElfTools.InlineBlob("go1.17", "", framed: false)));

        var (packages, issues) = await RunAsync("old", elf);

        Assert.Empty(packages);
        Assert.Empty(issues.Select(i => i.ToString()));
    }

    [Fact]
    public async Task Read_VersionLengthPastTheBlob_ReportsGo1001()
    {
        var blob = ElfTools.TestData("age-1.1.1-1+b3.go.buildinfo");
        blob[32] = 0xff;
        blob[33] = 0x7f;
        var elf = ElfTools.WithSections((".go.buildinfo", blob));

        var (packages, issues) = await RunAsync("usr/bin/age", elf);

        Assert.Empty(packages);
        var issue = Assert.Single(issues);
        Assert.Equal(GoBinaryCodes.BuildInfoMalformed, issue.Code);
        Assert.Contains("the toolchain version (16383 bytes) runs past the end", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_EmptyVersion_ReportsGo1001()
    {
        var elf = ElfTools.WithSections((".go.buildinfo", ElfTools.InlineBlob("", "path\tx.io/y\n")));

        var (packages, issues) = await RunAsync("bin", elf);

        Assert.Empty(packages);
        Assert.Equal(GoBinaryCodes.BuildInfoMalformed, Assert.Single(issues).Code);
    }

    [Theory]
    [InlineData(8, "is not in a loadable segment")]
    [InlineData(3, "neither 4 nor 8")]
    public async Task Read_PointerFormatUnreadable_ReportsGo1001(byte pointerSize, string expected)
    {
        // objcopy's added section is not loaded, so no program header maps the pointers it holds.
        var blob = new byte[64];
        ElfTools.Magic.CopyTo(blob, 0);
        blob[14] = pointerSize;
        BinaryPrimitives.WriteUInt64LittleEndian(blob.AsSpan(16), 0x7fff_0000_0000);
        var elf = ElfTools.WithSections((".go.buildinfo", blob));

        var (packages, issues) = await RunAsync("bin", elf);

        Assert.Empty(packages);
        var issue = Assert.Single(issues);
        Assert.Equal(GoBinaryCodes.BuildInfoMalformed, issue.Code);
        Assert.Contains(expected, issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_UnexpectedModInfoLines_ReportsGo1002AndKeepsTheRest()
    {
        var modInfo = "path\texample.com/app\nmod\texample.com/app\tv1.0.0\t\nbogus\u001b[2J line\ndep\tonly-path\n=>\tx.io/y\tv1\t\ndep\texample.com/lib\tv0.1.0\t\nbuild\t\"quoted\"=1\n";
        var elf = ElfTools.WithSections((".go.buildinfo", ElfTools.InlineBlob("go1.22.0", modInfo)));

        var (packages, issues) = await RunAsync("app", elf);

        Assert.Equal(["example.com/app", "example.com/lib"], packages.Select(p => p.Name));
        var issue = Assert.Single(issues);
        Assert.Equal(GoBinaryCodes.ModInfoMalformed, issue.Code);
        Assert.StartsWith("4 line(s)", issue.Message, StringComparison.Ordinal);
        Assert.Contains("line 3: 'bogus\\x1b[2J line'", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_ModulePathWithoutDomain_ReportsGo1003AndKeepsThePackage()
    {
        var elf = ElfTools.WithSections((".go.buildinfo", ElfTools.InlineBlob("go1.22.0", "path\tgo-app-stager\nmod\tgo-app-stager\t(devel)\t\n")));

        var (packages, issues) = await RunAsync("stager", elf);

        var package = Assert.Single(packages);
        Assert.Null(package.Purl);
        Assert.Equal("go-app-stager", package.Name);
        Assert.Equal(GoBinaryCodes.InvalidPurl, Assert.Single(issues).Code);
    }

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"-X a=b -extldflags \\\"-z now\\\"\"", "-X a=b -extldflags \"-z now\"")]
    [InlineData("\"tab\\there\\n\"", "tab\there\n")]
    [InlineData("\"\\x41\\101\\u00e9\\U0001F600\"", "AAé😀")]
    public void TryUnquote_GoLiterals_Decodes(string literal, string expected)
    {
        Assert.True(GoModInfo.TryUnquote(literal, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("\"unterminated")]
    [InlineData("\"bad \\q escape\"")]
    [InlineData("\"inner \" quote\"")]
    [InlineData("\"trailing \\\"")]
    [InlineData("\"\\xZZ\"")]
    [InlineData("\"\\UFFFFFFFF\"")]
    public void TryUnquote_Malformed_Refuses(string literal) => Assert.False(GoModInfo.TryUnquote(literal, out _));

    /// <summary>
    /// A whole real Go executable through the cataloger, as the engine hands it: the one named by SIGNET_GO_BINARY
    /// (measured with kubectl 1.33, 60 MB, and anthoscli, 127 MB, spooled to a temporary file), else Debian's age or a
    /// containernetworking-plugins binary when installed. Says so in the output when none is.
    /// </summary>
    [Fact]
    public async Task Read_WholeRealGoExecutable_ListsItsMainPackage()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("SIGNET_GO_BINARY"), "/usr/bin/age", "/usr/lib/cni/loopback" };
        var path = candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c));
        if (path is null)
        {
            output.WriteLine("skipped: no real Go executable here; set SIGNET_GO_BINARY to one (the test image has /usr/bin/age)");
            return;
        }

        var (packages, issues) = await RunAsync(path.TrimStart('/'), await File.ReadAllBytesAsync(path));

        // Modules such as go.starlark.net have no golang purl (GO1003); nothing else may be reported.
        Assert.All(issues, i => Assert.Equal(GoBinaryCodes.InvalidPurl, i.Code));
        Assert.NotEmpty(packages);
        Assert.All(packages, p => Assert.StartsWith("go1.", p.Properties["go.toolchain"], StringComparison.Ordinal));
        output.WriteLine($"{path}: {string.Join(", ", packages.Select(p => p.Purl))}");
    }
}
