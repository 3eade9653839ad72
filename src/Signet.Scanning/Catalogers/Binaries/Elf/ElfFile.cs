using System.Buffers.Binary;
using System.Text;

namespace Signet.Scanning.Catalogers.Binaries.Elf;

/// <summary>
/// A bounded reader of the parts of an ELF file (System V gABI, "ELF header", "Sections", "Program header") that
/// build metadata lives in: the header, the section header table with names, and the program header table for
/// mapping virtual addresses to file offsets. ELF32 and ELF64, either byte order. Every offset, size and count read
/// from the file is range-checked against the file length before it is used; violations raise
/// <see cref="ElfFormatException"/>.
/// </summary>
internal sealed class ElfFile
{
    /// <summary>The most section headers read (the gABI allows more through extended numbering; no real binary has them).</summary>
    public const int MaxSections = 65536;

    /// <summary>The most program headers read.</summary>
    public const int MaxSegments = 65535;

    /// <summary>The most bytes of the section name string table read.</summary>
    public const int MaxNameTableBytes = 1024 * 1024;

    /// <summary>The longest section name kept; longer names are cut there.</summary>
    public const int MaxNameLength = 256;

    public const uint SectionTypeNoBits = 8;
    public const uint SegmentTypeLoad = 1;
    public const uint SegmentFlagExecute = 1;
    public const uint SegmentFlagWrite = 2;

    private const ushort ExtendedNumbering = 0xffff;

    private readonly Stream _stream;

    private ElfFile(Stream stream, bool is64, bool bigEndian)
    {
        _stream = stream;
        Is64 = is64;
        BigEndian = bigEndian;
    }

    /// <summary>ELFCLASS64 (else ELFCLASS32).</summary>
    public bool Is64 { get; }

    /// <summary>ELFDATA2MSB (else ELFDATA2LSB).</summary>
    public bool BigEndian { get; }

    /// <summary>The file length in bytes.</summary>
    public long Length => _stream.Length;

    public IReadOnlyList<ElfSection> Sections { get; private set; } = [];

    public IReadOnlyList<ElfSegment> Segments { get; private set; } = [];

    /// <summary>Whether <paramref name="prefix"/> starts with the ELF magic <c>\x7fELF</c>.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> prefix) => prefix.StartsWith("\u007fELF"u8);

    /// <summary>Reads the header and both tables of the ELF file in the seekable <paramref name="stream"/>, which it does not own.</summary>
    /// <exception cref="ElfFormatException">The header or a table is malformed or out of range.</exception>
    public static ElfFile Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.Length < 16)
        {
            throw new ElfFormatException($"the file is {stream.Length} bytes, shorter than the 16-byte ELF identification");
        }

        var ident = ReadRange(stream, 0, 16, "the ELF identification");
        if (!HasMagic(ident))
        {
            throw new ElfFormatException("the file does not start with the ELF magic \\x7fELF");
        }

        var is64 = ident[4] switch
        {
            1 => false,
            2 => true,
            _ => throw new ElfFormatException($"the ELF class byte is {ident[4]}, neither 1 (32-bit) nor 2 (64-bit)"),
        };
        var bigEndian = ident[5] switch
        {
            1 => false,
            2 => true,
            _ => throw new ElfFormatException($"the ELF data encoding byte is {ident[5]}, neither 1 (little-endian) nor 2 (big-endian)"),
        };

        var elf = new ElfFile(stream, is64, bigEndian);
        elf.ReadTables();
        return elf;
    }

    /// <summary>The first section called <paramref name="name"/>, or null.</summary>
    public ElfSection? FindSection(string name)
    {
        foreach (var section in Sections)
        {
            if (string.Equals(section.Name, name, StringComparison.Ordinal))
            {
                return section;
            }
        }

        return null;
    }

    /// <summary>Up to <paramref name="maxBytes"/> bytes of a section's content, from its start.</summary>
    /// <exception cref="ElfFormatException">The section has no content in the file (NOBITS) or extends beyond the file.</exception>
    public byte[] ReadSection(ElfSection section, int maxBytes)
    {
        if (section.Type == SectionTypeNoBits)
        {
            throw new ElfFormatException($"section {section.Name} occupies no bytes in the file (SHT_NOBITS)");
        }

        CheckRange(section.Offset, section.Size, $"section {section.Name}");
        return ReadRange(_stream, (long)section.Offset, (int)Math.Min(section.Size, (ulong)maxBytes), $"section {section.Name}");
    }

    /// <summary>
    /// Up to <paramref name="count"/> bytes at virtual address <paramref name="address"/>, from the loadable segment that
    /// maps it (fewer when the segment's file image ends first); null when no loadable segment maps the address.
    /// </summary>
    /// <exception cref="ElfFormatException">The mapping segment extends beyond the file.</exception>
    public byte[]? ReadVirtual(ulong address, int count)
    {
        for (var index = 0; index < Segments.Count; index++)
        {
            var segment = Segments[index];
            if (segment.Type != SegmentTypeLoad || address < segment.VirtualAddress || address - segment.VirtualAddress >= segment.FileSize)
            {
                continue;
            }

            CheckRange(segment.Offset, segment.FileSize, $"loadable segment {index}");
            var delta = address - segment.VirtualAddress;
            var available = Math.Min((ulong)count, segment.FileSize - delta);
            return ReadRange(_stream, (long)(segment.Offset + delta), (int)available, $"loadable segment {index}");
        }

        return null;
    }

    /// <summary>Up to <paramref name="count"/> bytes of a segment's file image, from its start.</summary>
    /// <exception cref="ElfFormatException">The segment extends beyond the file.</exception>
    public byte[] ReadSegment(ElfSegment segment, int count)
    {
        CheckRange(segment.Offset, segment.FileSize, "a loadable segment");
        return ReadRange(_stream, (long)segment.Offset, (int)Math.Min(segment.FileSize, (ulong)count), "a loadable segment");
    }

    /// <summary>Reads an address-sized value (4 or 8 bytes) in the file's byte order.</summary>
    public ulong ReadAddress(ReadOnlySpan<byte> bytes, int size) => size == 4 ? ReadUInt32(bytes) : ReadUInt64(bytes);

    private static byte[] ReadRange(Stream stream, long offset, int count, string what)
    {
        if (offset < 0 || count < 0 || offset > stream.Length - count)
        {
            throw new ElfFormatException($"{what} ({count} bytes at offset {offset}) lies outside the {stream.Length}-byte file");
        }

        var buffer = new byte[count];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        return buffer;
    }

    private void CheckRange(ulong offset, ulong size, string what)
    {
        var length = (ulong)_stream.Length;
        if (offset > length || size > length - offset)
        {
            throw new ElfFormatException($"{what} ({size} bytes at offset {offset}) extends beyond the {length}-byte file");
        }
    }

    private void ReadTables()
    {
        var headerSize = Is64 ? 64 : 52;
        var header = ReadRange(_stream, 0, headerSize, "the ELF header");
        var programOffset = Is64 ? ReadUInt64(header.AsSpan(32)) : ReadUInt32(header.AsSpan(28));
        var sectionOffset = Is64 ? ReadUInt64(header.AsSpan(40)) : ReadUInt32(header.AsSpan(32));
        var at = Is64 ? 54 : 42;
        var programEntrySize = ReadUInt16(header.AsSpan(at));
        int programCount = ReadUInt16(header.AsSpan(at + 2));
        var sectionEntrySize = ReadUInt16(header.AsSpan(at + 4));
        long sectionCount = ReadUInt16(header.AsSpan(at + 6));
        var nameIndex = (uint)ReadUInt16(header.AsSpan(at + 8));

        if (sectionOffset != 0)
        {
            if (sectionEntrySize < (Is64 ? 64 : 40))
            {
                throw new ElfFormatException($"the section header entry size is {sectionEntrySize} bytes, smaller than a section header");
            }

            if (sectionCount == 0 || nameIndex == ExtendedNumbering || programCount == ExtendedNumbering)
            {
                // Extended numbering (gABI): the real counts sit in section header 0.
                var first = ReadSectionHeader(ReadTable(sectionOffset, 1, sectionEntrySize, "section header 0"), 0);
                sectionCount = sectionCount == 0 ? (long)Math.Min(first.Size, MaxSections + 1UL) : sectionCount;
                nameIndex = nameIndex == ExtendedNumbering ? first.Link : nameIndex;
                programCount = programCount == ExtendedNumbering ? (int)Math.Min(first.Info, MaxSegments + 1U) : programCount;
            }

            if (sectionCount > MaxSections)
            {
                throw new ElfFormatException($"the section header table has {sectionCount} entries, more than the {MaxSections} read");
            }

            Sections = ReadSections(sectionOffset, (int)sectionCount, sectionEntrySize, nameIndex);
        }

        if (programOffset != 0 && programCount > 0)
        {
            if (programEntrySize < (Is64 ? 56 : 32))
            {
                throw new ElfFormatException($"the program header entry size is {programEntrySize} bytes, smaller than a program header");
            }

            if (programCount > MaxSegments)
            {
                throw new ElfFormatException($"the program header table has {programCount} entries, more than the {MaxSegments} read");
            }

            var table = ReadTable(programOffset, programCount, programEntrySize, "the program header table");
            var segments = new ElfSegment[programCount];
            for (var index = 0; index < programCount; index++)
            {
                segments[index] = ReadProgramHeader(table.AsSpan(index * programEntrySize, programEntrySize));
            }

            Segments = segments;
        }
    }

    private byte[] ReadTable(ulong offset, int count, int entrySize, string what)
    {
        var size = (ulong)count * (ulong)entrySize;
        CheckRange(offset, size, what);
        return ReadRange(_stream, (long)offset, (int)size, what);
    }

    private ElfSection[] ReadSections(ulong offset, int count, int entrySize, uint nameIndex)
    {
        var table = ReadTable(offset, count, entrySize, "the section header table");
        var sections = new ElfSection[count];
        for (var index = 0; index < count; index++)
        {
            sections[index] = ReadSectionHeader(table, index * entrySize);
        }

        if (nameIndex == 0 || nameIndex >= count)
        {
            return sections;
        }

        var nameTable = sections[nameIndex];
        if (nameTable.Type == SectionTypeNoBits)
        {
            throw new ElfFormatException($"the section name table (section {nameIndex}) occupies no bytes in the file");
        }

        CheckRange(nameTable.Offset, nameTable.Size, $"the section name table (section {nameIndex})");
        var names = ReadRange(_stream, (long)nameTable.Offset, (int)Math.Min(nameTable.Size, MaxNameTableBytes), "the section name table");
        for (var index = 0; index < count; index++)
        {
            sections[index] = sections[index] with { Name = NameAt(names, sections[index].NameOffset) };
        }

        return sections;
    }

    private static string NameAt(byte[] names, uint offset)
    {
        if (offset >= names.Length)
        {
            return string.Empty;
        }

        var rest = names.AsSpan((int)offset);
        var end = rest.IndexOf((byte)0);
        var name = end < 0 ? rest : rest[..end];
        return Encoding.Latin1.GetString(name[..Math.Min(name.Length, MaxNameLength)]);
    }

    private ElfSection ReadSectionHeader(byte[] table, int at)
    {
        var entry = table.AsSpan(at);
        return Is64
            ? new ElfSection(string.Empty, ReadUInt32(entry), ReadUInt32(entry[4..]), ReadUInt64(entry[16..]), ReadUInt64(entry[24..]), ReadUInt64(entry[32..]), ReadUInt32(entry[40..]), ReadUInt32(entry[44..]))
            : new ElfSection(string.Empty, ReadUInt32(entry), ReadUInt32(entry[4..]), ReadUInt32(entry[12..]), ReadUInt32(entry[16..]), ReadUInt32(entry[20..]), ReadUInt32(entry[24..]), ReadUInt32(entry[28..]));
    }

    private ElfSegment ReadProgramHeader(ReadOnlySpan<byte> entry) => Is64
        ? new ElfSegment(ReadUInt32(entry), ReadUInt32(entry[4..]), ReadUInt64(entry[8..]), ReadUInt64(entry[16..]), ReadUInt64(entry[32..]))
        : new ElfSegment(ReadUInt32(entry), ReadUInt32(entry[24..]), ReadUInt32(entry[4..]), ReadUInt32(entry[8..]), ReadUInt32(entry[16..]));

    private ushort ReadUInt16(ReadOnlySpan<byte> bytes) => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);

    private uint ReadUInt32(ReadOnlySpan<byte> bytes) => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    private ulong ReadUInt64(ReadOnlySpan<byte> bytes) => BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes);
}

/// <summary>One section header: its name (from the section name table), type, address and place in the file.</summary>
internal sealed record ElfSection(string Name, uint NameOffset, uint Type, ulong Address, ulong Offset, ulong Size, uint Link, uint Info);

/// <summary>One program header: its type, flags and the file range mapped at <see cref="VirtualAddress"/>.</summary>
internal readonly record struct ElfSegment(uint Type, uint Flags, ulong Offset, ulong VirtualAddress, ulong FileSize);
