using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Binaries;
using Signet.Scanning.Catalogers.Binaries.Elf;
using Signet.Scanning.Catalogers.Binaries.Go;
using Signet.Scanning.Catalogers.Binaries.Rust;

namespace Signet.Scanning.Tests.Catalogers.Binaries;

/// <summary>
/// Real ELF files with Go and Rust metadata, with fields overwritten by hostile values (offsets, sizes, counts,
/// varint lengths, pointers) and truncated: reading them gives packages or issues, never an exception.
/// </summary>
public sealed class BinaryFuzzTests
{
    private static readonly CatalogFile File = new() { Path = "fuzz", Size = 0, Mode = GoBinaryTests.Executable };

    /// <summary>Writes 1, 2, 4 or 8 hostile bytes at places inside <paramref name="regions"/> (or anywhere), then maybe truncates.</summary>
    private static Gen<byte[]> FieldMutations(byte[] original, (int Start, int Length)[] regions) =>
        from writes in Gen.ListOf(
            from region in Gen.Elements([.. regions, (0, original.Length)])
            from delta in Gen.Choose(0, Math.Max(0, region.Item2 - 1))
            from width in Gen.Elements(1, 2, 4, 8)
            from value in Gen.OneOf(Gen.Elements(0UL, 1UL, 0x7fUL, 0x80UL, 0xffffUL, 0xffffffffUL, ulong.MaxValue, 0x7fff_ffff_ffff_ffffUL), Gen.Choose(0, int.MaxValue).Select(v => (ulong)v))
            select (Position: region.Item1 + delta, Width: width, Value: value))
        where writes.Count is > 0 and <= 6
        from keep in Gen.Frequency((4, Gen.Constant(original.Length)), (1, Gen.Choose(0, original.Length)))
        select Apply(original, writes, keep);

    private static byte[] Apply(byte[] original, IEnumerable<(int Position, int Width, ulong Value)> writes, int keep)
    {
        var copy = (byte[])original.Clone();
        Span<byte> value = stackalloc byte[8];
        foreach (var (position, width, written) in writes)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(value, written);
            value[..Math.Min(width, copy.Length - position)].CopyTo(copy.AsSpan(position));
        }

        return copy[..keep];
    }

    /// <summary>The ELF header, both tables and the named section of a real file: where mutations hurt most.</summary>
    private static (int Start, int Length)[] HotRegions(byte[] elf, string section)
    {
        var file = ElfFile.Read(new MemoryStream(elf));
        var sectionTable = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(40));
        var programTable = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(32));
        var target = file.FindSection(section)!;
        return
        [
            (0, 64),
            (programTable, 56 * file.Segments.Count),
            (sectionTable, 64 * file.Sections.Count),
            ((int)target.Offset, (int)Math.Min(target.Size, 64)),
        ];
    }

    private static bool ReadsWithoutThrowing(byte[] elf)
    {
        var issues = new List<CatalogIssue>();
        var packages = ElfBinaryReader.Read(new MemoryStream(elf, writable: false), File, new CatalogContext(ScanKind.Image, null, issues.Add));
        return packages.All(p => p.Name.Length > 0 && p.Evidence.Length == 1) && issues.All(i => i.Message.Length > 0);
    }

    [Fact]
    public void Read_MutatedInlineGoBinary_NeverThrows()
    {
        var elf = ElfTools.WithSections((".go.buildinfo", ElfTools.TestData("kubectl-1.29.go.buildinfo")));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(800), Prop.ForAll(FieldMutations(elf, HotRegions(elf, ".go.buildinfo")).ToArbitrary(), ReadsWithoutThrowing));
    }

    [Fact]
    public void Read_MutatedPointerFormatGoBinary_NeverThrows()
    {
        var modInfo = Encoding.UTF8.GetBytes("path\texample.com/hello\nmod\texample.com/hello\tv1.0.0\t\ndep\tgolang.org/x/text\tv0.3.7\t\n");
        var elf = ElfTools.Compile(GoBinaryTests.PointerFormatProgram("go1.16.15", [.. ElfTools.InfoStart, .. modInfo, .. ElfTools.InfoEnd]));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(FieldMutations(elf, HotRegions(elf, ".go.buildinfo")).ToArbitrary(), ReadsWithoutThrowing));
    }

    [Fact]
    public void Read_MutatedStrippedGoBinary_NeverThrows()
    {
        var elf = ElfTools.Compile(GoBinaryTests.EmbeddedBlobProgram(ElfTools.TestData("age-1.1.1-1+b3.go.buildinfo")));
        var regions = HotRegions(elf, ".go.buildinfo");
        BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(40), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(elf.AsSpan(60), 0);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(FieldMutations(elf, regions).ToArbitrary(), ReadsWithoutThrowing));
    }

    [Fact]
    public void Read_MutatedAuditJson_NeverThrows()
    {
        // One real ELF with room in .dep-v0; each case writes its compressed JSON there and sets the section size.
        var elf = ElfTools.WithSections((RustAuditPackages.SectionName, new byte[16 * 1024]));
        var section = ElfFile.Read(new MemoryStream(elf)).FindSection(RustAuditPackages.SectionName)!;
        var index = ElfFile.Read(new MemoryStream(elf)).Sections.ToList().IndexOf(section);
        var sizeField = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(40)) + (64 * index) + 32;
        var json = Encoding.UTF8.GetBytes(RustAuditTests.DependencyList);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(FieldMutations(json, [(0, json.Length)]).ToArbitrary(), mutated =>
        {
            var compressed = ElfTools.Zlib(mutated);
            var copy = (byte[])elf.Clone();
            compressed.CopyTo(copy, (int)section.Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(sizeField), (ulong)compressed.Length);
            return ReadsWithoutThrowing(copy);
        }));
    }

    [Fact]
    public void Parse_MutatedModInfo_NeverThrows()
    {
        var text = Encoding.UTF8.GetBytes("path\tx.io/a\nmod\tx.io/a\t(devel)\t\ndep\ty.io/b\tv1.0.0\th1:abc=\n=>\t./b\t(devel)\t\nbuild\t-ldflags=\"-X \\\"a=b\\\" \\u00e9\"\n");

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), Prop.ForAll(FieldMutations(text, [(0, text.Length)]).ToArbitrary(), mutated =>
            GoModInfo.Parse(Encoding.UTF8.GetString(mutated)).Dependencies.All(d => d.Path.Length > 0)));
    }
}
