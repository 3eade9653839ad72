using System.Buffers.Binary;
using System.Text;
using Signet.Scanning.Catalogers.Binaries.Elf;

namespace Signet.Scanning.Catalogers.Binaries.Go;

/// <summary>The two strings the Go linker embeds in a binary: the toolchain version and the module information text.</summary>
/// <param name="GoVersion">The toolchain version (<c>go1.21.5</c>).</param>
/// <param name="ModInfo">The module information without its framing sentinels; empty when the binary was built outside module mode and carries none.</param>
internal sealed record GoRawBuildInfo(string GoVersion, string ModInfo);

/// <summary>
/// Finds and decodes the Go build information blob of an ELF file, as Go's <c>debug/buildinfo</c> does: the 32-byte
/// header <c>"\xff Go buildinf:"</c>, pointer size and flags, 16-byte aligned, at the start of section
/// <c>.go.buildinfo</c> or, when sections are stripped, within the first 64 KiB of the first writable, non-executable
/// loadable segment. Go 1.18+ writes the two strings inline after the header as varint-length strings (flag bit 2);
/// older linkers write two pointers to Go string headers, read through the program headers.
/// </summary>
internal static class GoBuildInfoReader
{
    /// <summary>How far into the section or segment the header is searched for, as Go does.</summary>
    public const int SearchBytes = 64 * 1024;

    /// <summary>The longest version or module information string read.</summary>
    public const int MaxStringBytes = 4 * 1024 * 1024;

    public const string SectionName = ".go.buildinfo";

    private const int HeaderSize = 32;
    private const int Alignment = 16;
    private const byte FlagBigEndian = 1;
    private const byte FlagInline = 2;
    private const int SentinelLength = 16;

    private static readonly byte[] Magic = [0xff, .. " Go buildinf:"u8];

    /// <summary>The build information of <paramref name="elf"/>, or null when it has none (not a Go binary).</summary>
    /// <exception cref="GoBuildInfoFormatException">The blob is there but cannot be decoded.</exception>
    /// <exception cref="ElfFormatException">A section or segment it needs lies outside the file.</exception>
    public static GoRawBuildInfo? Read(ElfFile elf)
    {
        ArgumentNullException.ThrowIfNull(elf);
        var section = elf.FindSection(SectionName);
        Func<int, byte[]> read;
        var phase = 0;
        if (section is not null && section.Type != ElfFile.SectionTypeNoBits)
        {
            read = count => elf.ReadSection(section, count);
        }
        else if (FirstDataSegment(elf) is { } segment)
        {
            // The header is aligned in the address space, not necessarily relative to the segment start.
            read = count => elf.ReadSegment(segment, count);
            phase = (int)(segment.VirtualAddress % Alignment);
        }
        else
        {
            return null;
        }

        var window = read(SearchBytes);
        var start = FindHeader(window, phase);
        if (start < 0)
        {
            return null;
        }

        var header = window.AsSpan(start, HeaderSize).ToArray();
        var pointerSize = header[14];
        var flags = header[15];
        byte[] version;
        byte[] modInfo;
        if ((flags & FlagInline) != 0)
        {
            var inline = new InlineStrings(read, window, start + HeaderSize);
            version = inline.Next("toolchain version");
            modInfo = inline.Next("module information");
        }
        else
        {
            if (pointerSize is not (4 or 8))
            {
                throw new GoBuildInfoFormatException($"the build information header gives a pointer size of {pointerSize}, neither 4 nor 8");
            }

            var bigEndian = (flags & FlagBigEndian) != 0;
            version = ReadPointed(elf, header.AsSpan(16), pointerSize, bigEndian, "toolchain version");
            modInfo = ReadPointed(elf, header.AsSpan(16 + pointerSize), pointerSize, bigEndian, "module information");
        }

        if (version.Length == 0)
        {
            throw new GoBuildInfoFormatException("the build information holds an empty toolchain version");
        }

        return new GoRawBuildInfo(Encoding.UTF8.GetString(version), Encoding.UTF8.GetString(StripSentinels(modInfo)));
    }

    private static ElfSegment? FirstDataSegment(ElfFile elf)
    {
        foreach (var segment in elf.Segments)
        {
            if (segment.Type == ElfFile.SegmentTypeLoad && (segment.Flags & (ElfFile.SegmentFlagExecute | ElfFile.SegmentFlagWrite)) == ElfFile.SegmentFlagWrite)
            {
                return segment;
            }
        }

        return null;
    }

    private static int FindHeader(byte[] window, int phase)
    {
        for (var at = (Alignment - phase) % Alignment; at <= window.Length - HeaderSize; at += Alignment)
        {
            if (window.AsSpan(at, Magic.Length).SequenceEqual(Magic))
            {
                return at;
            }
        }

        return -1;
    }

    private static byte[] ReadPointed(ElfFile elf, ReadOnlySpan<byte> pointer, int size, bool bigEndian, string what)
    {
        var address = ReadWord(pointer, size, bigEndian);
        var stringHeader = elf.ReadVirtual(address, 2 * size);
        if (stringHeader is null || stringHeader.Length < 2 * size)
        {
            throw new GoBuildInfoFormatException(
                $"the {what} string header at address 0x{address:x} is not in a loadable segment (a position-independent binary of Go before 1.18 keeps it in relocations)");
        }

        var dataAddress = ReadWord(stringHeader, size, bigEndian);
        var length = ReadWord(stringHeader.AsSpan(size), size, bigEndian);
        if (length > MaxStringBytes)
        {
            throw new GoBuildInfoFormatException($"the {what} is {length} bytes long, more than the {MaxStringBytes} read");
        }

        var data = length == 0 ? [] : elf.ReadVirtual(dataAddress, (int)length);
        if (data is null || (ulong)data.Length < length)
        {
            throw new GoBuildInfoFormatException($"the {what} ({length} bytes at address 0x{dataAddress:x}) is not within a loadable segment");
        }

        return data;
    }

    private static ulong ReadWord(ReadOnlySpan<byte> bytes, int size, bool bigEndian) => (size, bigEndian) switch
    {
        (4, false) => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        (4, true) => BinaryPrimitives.ReadUInt32BigEndian(bytes),
        (_, false) => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        _ => BinaryPrimitives.ReadUInt64BigEndian(bytes),
    };

    /// <summary>The module text is framed by two 16-byte sentinels (cmd/go modload infoStart/infoEnd); without them there is none.</summary>
    private static ReadOnlySpan<byte> StripSentinels(byte[] modInfo) =>
        modInfo.Length >= (2 * SentinelLength) + 1 && modInfo[^(SentinelLength + 1)] == (byte)'\n'
            ? modInfo.AsSpan(SentinelLength, modInfo.Length - (2 * SentinelLength))
            : [];

    /// <summary>
    /// The varint-length strings after a Go 1.18+ header, read from the search window and, when a string runs past it,
    /// from a longer read of the same region, never more than two maximal strings.
    /// </summary>
    private sealed class InlineStrings(Func<int, byte[]> read, byte[] window, int position)
    {
        private byte[] _buffer = window;
        private int _requested = SearchBytes;
        private int _position = position;

        public byte[] Next(string what)
        {
            Ensure(_position + 10);
            ulong length = 0;
            var shift = 0;
            var used = 0;
            while (true)
            {
                if (_position + used >= _buffer.Length || used == 10)
                {
                    throw new GoBuildInfoFormatException($"the length of the {what} is not a complete varint");
                }

                var b = _buffer[_position + used++];
                length |= (ulong)(b & 0x7f) << shift;
                shift += 7;
                if (b < 0x80)
                {
                    break;
                }
            }

            if (length > MaxStringBytes)
            {
                throw new GoBuildInfoFormatException($"the {what} is {length} bytes long, more than the {MaxStringBytes} read");
            }

            var start = _position + used;
            Ensure(start + (int)length);
            if (start + (int)length > _buffer.Length)
            {
                throw new GoBuildInfoFormatException($"the {what} ({length} bytes) runs past the end of the build information");
            }

            _position = start + (int)length;
            return _buffer.AsSpan(start, (int)length).ToArray();
        }

        private void Ensure(int end)
        {
            if (end > _buffer.Length && _buffer.Length >= _requested)
            {
                _requested = end;
                _buffer = read(end);
            }
        }
    }
}

/// <summary>A Go build information blob was found but cannot be decoded; the message names the field and the check.</summary>
internal sealed class GoBuildInfoFormatException : FormatException
{
    public GoBuildInfoFormatException()
    {
    }

    public GoBuildInfoFormatException(string message)
        : base(message)
    {
    }

    public GoBuildInfoFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
