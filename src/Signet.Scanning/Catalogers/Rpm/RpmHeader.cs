using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;

namespace Signet.Scanning.Catalogers.Rpm;

/// <summary>
/// Parses a package header blob as rpm stores it in its databases (rpm docs/manual/format.md, "Header structure"
/// without the 8-byte magic): big-endian index count and data length, then 16-byte index entries (tag, type, offset,
/// count) and the data store. Every offset and count is checked against the data store before it is read.
/// </summary>
internal static class RpmHeader
{
    /// <summary>rpm's own limits (lib/header.c): at most 0xffff index entries and 256 MiB of data.</summary>
    internal const int MaxIndexEntries = 0xffff;
    internal const int MaxDataLength = 0x0fffffff;

    private const int EntrySize = 16;
    private const int TagName = 1000;
    private const int TagVersion = 1001;
    private const int TagRelease = 1002;
    private const int TagEpoch = 1003;
    private const int TagSize = 1009;
    private const int TagVendor = 1011;
    private const int TagLicense = 1014;
    private const int TagArch = 1022;
    private const int TagOldFileNames = 1027;
    private const int TagSourceRpm = 1044;
    private const int TagDirIndexes = 1116;
    private const int TagBaseNames = 1117;
    private const int TagDirNames = 1118;
    private const int TagLongSize = 5009;

    private const uint TypeInt32 = 4;
    private const uint TypeInt64 = 5;
    private const uint TypeString = 6;
    private const uint TypeStringArray = 8;
    private const uint TypeI18nString = 9;
    private const uint MaxType = 9;

    private readonly record struct Entry(int Tag, uint Type, int Offset, int Count);

    /// <summary>Reads the package fields from one header blob; <paramref name="source"/> names it in errors.</summary>
    public static RpmPackage Parse(ReadOnlySpan<byte> blob, string source)
    {
        if (blob.Length < 8)
        {
            throw Fail(source, $"the blob is {blob.Length} bytes, shorter than the 8-byte index count and data length");
        }

        var indexCount = BinaryPrimitives.ReadInt32BigEndian(blob);
        var dataLength = BinaryPrimitives.ReadInt32BigEndian(blob[4..]);
        if (indexCount < 1 || indexCount > MaxIndexEntries)
        {
            throw Fail(source, $"index entry count {indexCount} is outside 1..{MaxIndexEntries}");
        }

        if (dataLength < 0 || dataLength > MaxDataLength)
        {
            throw Fail(source, $"data length {dataLength} is outside 0..{MaxDataLength}");
        }

        var needed = 8L + (indexCount * (long)EntrySize) + dataLength;
        if (needed > blob.Length)
        {
            throw Fail(source, $"{indexCount} index entries and {dataLength} data bytes need {needed} bytes but the blob has {blob.Length} (truncated)");
        }

        var index = blob.Slice(8, indexCount * EntrySize);
        var data = blob.Slice(8 + (indexCount * EntrySize), dataLength);
        var entries = new Dictionary<int, Entry>();
        for (var i = 0; i < indexCount; i++)
        {
            var raw = index.Slice(i * EntrySize, EntrySize);
            var entry = new Entry(
                BinaryPrimitives.ReadInt32BigEndian(raw),
                BinaryPrimitives.ReadUInt32BigEndian(raw[4..]),
                BinaryPrimitives.ReadInt32BigEndian(raw[8..]),
                BinaryPrimitives.ReadInt32BigEndian(raw[12..]));
            if (entry.Type > MaxType)
            {
                throw Fail(source, $"index entry {i} (tag {entry.Tag}) has unknown type {entry.Type}");
            }

            if (entry.Offset < 0 || entry.Offset > dataLength || entry.Count < 0)
            {
                throw Fail(source, $"index entry {i} (tag {entry.Tag}) has offset {entry.Offset} / count {entry.Count} outside the {dataLength}-byte data store");
            }

            entries.TryAdd(entry.Tag, entry);
        }

        var reader = new Reader(data, entries, source);
        var files = reader.StringArray(TagBaseNames) is { } baseNames
            ? JoinFiles(reader, baseNames, source)
            : reader.StringArray(TagOldFileNames) ?? [];
        return new RpmPackage
        {
            Name = reader.String(TagName) ?? throw Fail(source, "the NAME tag (1000) is missing"),
            Epoch = reader.Int32(TagEpoch),
            Version = reader.String(TagVersion) ?? throw Fail(source, "the VERSION tag (1001) is missing"),
            Release = reader.String(TagRelease) ?? throw Fail(source, "the RELEASE tag (1002) is missing"),
            Arch = reader.String(TagArch),
            SourceRpm = reader.String(TagSourceRpm),
            License = reader.String(TagLicense),
            Vendor = reader.String(TagVendor),
            Size = reader.Int64(TagLongSize) ?? reader.Int32(TagSize),
            Files = [.. files],
        };
    }

    private static string[] JoinFiles(Reader reader, string[] baseNames, string source)
    {
        var dirNames = reader.StringArray(TagDirNames) ?? throw Fail(source, "BASENAMES (1117) is present but DIRNAMES (1118) is missing");
        var dirIndexes = reader.Int32Array(TagDirIndexes) ?? throw Fail(source, "BASENAMES (1117) is present but DIRINDEXES (1116) is missing");
        if (dirIndexes.Length != baseNames.Length)
        {
            throw Fail(source, $"DIRINDEXES has {dirIndexes.Length} entries but BASENAMES has {baseNames.Length}");
        }

        var files = new string[baseNames.Length];
        for (var i = 0; i < files.Length; i++)
        {
            var dir = dirIndexes[i];
            if (dir < 0 || dir >= dirNames.Length)
            {
                throw Fail(source, $"DIRINDEXES[{i}] = {dir} is outside the {dirNames.Length} DIRNAMES");
            }

            files[i] = dirNames[dir] + baseNames[i];
        }

        return files;
    }

    internal static RpmDatabaseFormatException Fail(string source, string check) =>
        new(RpmCodes.Header, $"rpm package header {source}: {check}. The rpm database is corrupt or not an rpm database; rebuild it with 'rpm --rebuilddb' in the image or report the image as unreadable.");

    private readonly ref struct Reader(ReadOnlySpan<byte> data, Dictionary<int, Entry> entries, string source)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public string? String(int tag)
        {
            if (!entries.TryGetValue(tag, out var entry))
            {
                return null;
            }

            if (entry.Type is not (TypeString or TypeI18nString or TypeStringArray) || entry.Count < 1)
            {
                throw Fail(source, $"tag {tag} has type {entry.Type} and count {entry.Count}, expected a string");
            }

            return ReadString(entry.Offset, tag, out _);
        }

        public string[]? StringArray(int tag)
        {
            if (!entries.TryGetValue(tag, out var entry))
            {
                return null;
            }

            if (entry.Type is not (TypeStringArray or TypeString or TypeI18nString))
            {
                throw Fail(source, $"tag {tag} has type {entry.Type}, expected a string array");
            }

            // Every string takes at least its NUL byte, so a count larger than the remaining data cannot be honest.
            if (entry.Count > _data.Length - entry.Offset)
            {
                throw Fail(source, $"tag {tag} claims {entry.Count} strings but only {_data.Length - entry.Offset} data bytes remain");
            }

            var values = new string[entry.Count];
            var offset = entry.Offset;
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ReadString(offset, tag, out var next);
                offset = next;
            }

            return values;
        }

        public int? Int32(int tag) => Int32Array(tag) is [var first, ..] ? first : null;

        public int[]? Int32Array(int tag)
        {
            if (!entries.TryGetValue(tag, out var entry))
            {
                return null;
            }

            var span = Fixed(entry, TypeInt32, 4);
            var values = new int[entry.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadInt32BigEndian(span[(i * 4)..]);
            }

            return values;
        }

        public long? Int64(int tag) => entries.TryGetValue(tag, out var entry) && entry.Count > 0
            ? BinaryPrimitives.ReadInt64BigEndian(Fixed(entry, TypeInt64, 8))
            : null;

        private ReadOnlySpan<byte> Fixed(Entry entry, uint type, int size)
        {
            if (entry.Type != type)
            {
                throw Fail(source, $"tag {entry.Tag} has type {entry.Type}, expected {type}");
            }

            if ((long)entry.Count * size > _data.Length - entry.Offset)
            {
                throw Fail(source, $"tag {entry.Tag} needs {(long)entry.Count * size} bytes at offset {entry.Offset} but the data store is {_data.Length} bytes");
            }

            return _data.Slice(entry.Offset, entry.Count * size);
        }

        private string ReadString(int offset, int tag, out int next)
        {
            var end = offset < _data.Length ? _data[offset..].IndexOf((byte)0) : -1;
            if (end < 0)
            {
                throw Fail(source, $"the string of tag {tag} at offset {offset} has no terminating NUL inside the data store");
            }

            next = offset + end + 1;
            return Encoding.UTF8.GetString(_data.Slice(offset, end));
        }
    }
}
