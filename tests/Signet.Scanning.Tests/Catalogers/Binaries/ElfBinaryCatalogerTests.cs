using System.Buffers.Binary;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Binaries;
using Signet.Scanning.Catalogers.Binaries.Elf;
using Signet.Scanning.Catalogers.Binaries.Go;
using Signet.Scanning.Catalogers.Binaries.Rust;
using Signet.Scanning.Trees;

namespace Signet.Scanning.Tests.Catalogers.Binaries;

/// <summary>What the ELF cataloger reads, the bounds it keeps and the codes of malformed ELF files.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class ElfBinaryCatalogerTests
{
    private static readonly CatalogContext Context = new(ScanKind.Image, null, _ => { });

    [Theory]
    [InlineData(0b111_101_101, 4096, true)]
    [InlineData(0b001_000_000, 1 << 20, true)]
    [InlineData(0b110_100_100, 1 << 20, false)]
    [InlineData(0b111_101_101, 4095, false)]
    public void Wants_ExecutablesOfAtLeast4KiB(int mode, long size, bool expected)
    {
        var file = new CatalogFile { Path = "usr/lib/x86_64-linux-gnu/libfoo.so.1", Size = size, Mode = (UnixFileMode)mode };

        Assert.Equal(expected, new ElfBinaryCataloger().Wants(file, Context));
    }

    [Fact]
    public async Task Read_ScriptOrPlainExecutable_ListsNothingAndReportsNothing()
    {
        var script = Encoding.UTF8.GetBytes("#!/bin/sh\n" + new string('#', 8192));
        var files = new Dictionary<string, byte[]> { ["usr/bin/script"] = script, ["bin/true"] = await File.ReadAllBytesAsync(ElfTools.BaseExecutable) };

        var (packages, issues) = await CatalogerHarness.RunAsync(new ElfBinaryCataloger(), files, modes: _ => GoBinaryTests.Executable);

        Assert.Empty(packages);
        Assert.Empty(issues.Select(i => i.ToString()));
    }

    [Fact]
    public async Task Read_NotElf_ReadsOnlyFourBytes()
    {
        var session = new ElfBinaryCataloger().Start(Context);
        var file = new CatalogFile { Path = "usr/bin/script", Size = 1 << 20, Mode = GoBinaryTests.Executable };
        await using var content = new MemoryStream(Encoding.UTF8.GetBytes("#!/bin/sh\n" + new string('#', (1 << 20) - 10)));

        await session.ReadAsync(file, content, CancellationToken.None);

        Assert.Equal(4, content.Position);
        Assert.Empty(session.Finish());
    }

    [Fact]
    public async Task Read_ElfOverTheBound_ReportsCat1001AfterReadingOnlyTheMagic()
    {
        var issues = new List<CatalogIssue>();
        var session = new ElfBinaryCataloger().Start(new CatalogContext(ScanKind.Image, null, issues.Add));
        var file = new CatalogFile { Path = "usr/bin/huge", Size = ElfBinaryCataloger.MaxSize + 1, Mode = GoBinaryTests.Executable };
        await using var content = new MemoryStream([0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1]);

        await session.ReadAsync(file, content, CancellationToken.None);

        Assert.Equal(4, content.Position);
        Assert.Equal(CatalogCodes.TooLarge, Assert.Single(issues).Code);
        Assert.Empty(session.Finish());
    }

    [Fact]
    public async Task Read_SpoolOverTheMemoryBound_ReadsFromTheTemporaryFile()
    {
        var elf = ElfTools.WithSections((".go.buildinfo", ElfTools.TestData("age-1.1.1-1+b3.go.buildinfo")));
        var padded = new byte[CatalogContent.MaxInMemorySpool + 4096];
        elf.CopyTo(padded, 0);

        var (packages, issues) = await GoBinaryTests.RunAsync("usr/bin/age", padded);

        Assert.Empty(issues.Select(i => i.ToString()));
        Assert.Equal("filippo.io/age/cmd/age", Assert.Single(packages).Name);
    }

    public static TheoryData<string, int, byte[], string> Malformations => new()
    {
        { "class", 4, [3], "ELF class byte is 3" },
        { "byte order", 5, [0], "data encoding byte is 0" },
        { "section table offset", 40, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0], "extends beyond" },
        { "section entry size", 58, [8, 0], "smaller than a section header" },
        { "program table offset", 32, [0, 0, 0, 0, 0, 0, 0, 0x80], "extends beyond" },
        { "program entry size", 54, [4, 0], "smaller than a program header" },
        { "section count", 60, [0, 0], "more than the 65536 read" },
    };

    [Theory]
    [MemberData(nameof(Malformations))]
    public async Task Read_HostileHeader_ReportsElf1001(string field, int offset, byte[] value, string expected)
    {
        var elf = await File.ReadAllBytesAsync(ElfTools.BaseExecutable);
        value.CopyTo(elf, offset);
        if (field == "section count")
        {
            // Extended numbering: section 0's size gives the count; make it huge.
            var table = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(40));
            BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(table + 32), ulong.MaxValue);
        }

        var (packages, issues) = await GoBinaryTests.RunAsync("usr/bin/true", elf);

        Assert.Empty(packages);
        var issue = Assert.Single(issues);
        Assert.Equal(ElfCodes.Malformed, issue.Code);
        Assert.Contains(expected, issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TruncatedExecutable_ReportsElf1001()
    {
        var elf = await File.ReadAllBytesAsync(ElfTools.BaseExecutable);

        var (packages, issues) = await GoBinaryTests.RunAsync("usr/bin/true", elf[..8192]);

        Assert.Empty(packages);
        Assert.Equal(ElfCodes.Malformed, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Read_SectionBeyondTheFile_ReportsElf1001()
    {
        var elf = ElfTools.WithSections((".go.buildinfo", ElfTools.TestData("age-1.1.1-1+b3.go.buildinfo")));
        var index = ElfFile.Read(new MemoryStream(elf)).Sections.ToList().FindIndex(s => s.Name == ".go.buildinfo");
        var table = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(40));
        BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(table + (64 * index) + 32), (ulong)elf.Length);

        var (packages, issues) = await GoBinaryTests.RunAsync("usr/bin/age", elf);

        Assert.Empty(packages);
        var issue = Assert.Single(issues);
        Assert.Equal(ElfCodes.Malformed, issue.Code);
        Assert.Contains("section .go.buildinfo", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanAsync_DirectoryTree_ReadsOnlyExecutablesAndListsTheGoBinary()
    {
        var root = Directory.CreateTempSubdirectory("signet-elf-tree-");
        try
        {
            var executable = (UnixFileMode)0b111_101_101;
            var elf = ElfTools.WithSections((".go.buildinfo", ElfTools.TestData("age-1.1.1-1+b3.go.buildinfo")));
            Directory.CreateDirectory(Path.Combine(root.FullName, "usr/bin"));
            Directory.CreateDirectory(Path.Combine(root.FullName, "usr/lib"));
            await File.WriteAllBytesAsync(Path.Combine(root.FullName, "usr/bin/age"), elf);
            await File.WriteAllBytesAsync(Path.Combine(root.FullName, "usr/lib/age.copy"), elf);
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "usr/bin/script"), "#!/bin/sh\n" + new string('#', 8192));
            File.SetUnixFileMode(Path.Combine(root.FullName, "usr/bin/age"), executable);
            File.SetUnixFileMode(Path.Combine(root.FullName, "usr/bin/script"), executable);
            File.SetUnixFileMode(Path.Combine(root.FullName, "usr/lib/age.copy"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

            var result = await CatalogEngine.ScanAsync(DirectoryFileTree.Open(root.FullName, "dir:test"), ScanKind.RootFilesystem, [new ElfBinaryCataloger()]);

            Assert.Empty(result.Issues);
            var age = Assert.Single(result.Packages);
            Assert.Equal("pkg:golang/filippo.io/age/cmd/age", age.Purl?.ToString());
            Assert.Equal(new[] { "usr/bin/age" }, age.Evidence);
            Assert.Equal(2, result.FilesRead);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void ErrorCodesDoc_EveryBinaryCode_HasASection()
    {
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "error-codes.md"));
        var codes = new[] { typeof(ElfCodes), typeof(GoBinaryCodes), typeof(RustAuditCodes) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Equal(8, codes.Count);
        Assert.Equal(codes.Order(StringComparer.Ordinal), Heading().Matches(doc).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal));
        Assert.True(doc.IndexOf("## ELF binary codes (ELF)", StringComparison.Ordinal) < doc.IndexOf("## Cataloging codes (CAT)", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^### ((?:ELF|GO|RUST)\d{4}):", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
