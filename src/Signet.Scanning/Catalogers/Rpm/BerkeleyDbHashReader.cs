using System.Buffers.Binary;

namespace Signet.Scanning.Catalogers.Rpm;

/// <summary>
/// Reads the values of a Berkeley DB hash database (rpm's legacy <c>Packages</c>) without libdb: the metadata page
/// gives the byte order, page size and last page; every hash page's data items are either inline or stored on a chain
/// of overflow pages. Layout from Berkeley DB's dbinc/db_page.h (DBMETA, HMETA, PAGE header, HOFFPAGE).
/// </summary>
internal static class BerkeleyDbHashReader
{
    private const uint HashMagic = 0x00061561;
    private const int PageHeaderSize = 26;
    private const byte PageHashUnsorted = 2;
    private const byte PageOverflow = 7;
    private const byte PageHashMeta = 8;
    private const byte PageHash = 13;
    private const byte ItemKeyData = 1;
    private const byte ItemOffPage = 3;

    /// <summary>
    /// Every value stored in the database, in page order, read page by page from the seekable
    /// <paramref name="file"/> (one hash page and its values are held at a time); <paramref name="source"/> names the
    /// file in errors.
    /// </summary>
    public static IEnumerable<byte[]> ReadValues(Stream file, string source)
    {
        if (file.Length < 512)
        {
            throw Fail(source, $"the file is {file.Length} bytes, shorter than one Berkeley DB page");
        }

        var meta = new byte[512];
        file.Position = 0;
        file.ReadExactly(meta);

        var bigEndian = BinaryPrimitives.ReadUInt32LittleEndian(meta.AsSpan(12)) != HashMagic;
        if (bigEndian && BinaryPrimitives.ReadUInt32BigEndian(meta.AsSpan(12)) != HashMagic)
        {
            throw Fail(source, "the metadata page does not carry the Berkeley DB hash magic 0x061561");
        }

        var order = new ByteOrder(bigEndian);
        var pageSize = order.UInt32(meta.AsSpan(20));
        if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0)
        {
            throw Fail(source, $"page size {pageSize} is not a power of two in 512..65536");
        }

        if (meta[25] != PageHashMeta)
        {
            throw Fail(source, $"page 0 has type {meta[25]}, expected the hash metadata page type {PageHashMeta}");
        }

        var lastPage = order.UInt32(meta.AsSpan(32));
        if ((lastPage + 1L) * pageSize > file.Length)
        {
            throw Fail(source, $"the metadata page says the last page is {lastPage} of {pageSize} bytes but the file has {file.Length} bytes (truncated)");
        }

        var reader = new Pages(file, (int)pageSize, lastPage, order, source);
        for (var pageNumber = 1u; pageNumber <= lastPage; pageNumber++)
        {
            foreach (var value in reader.HashPageValues(pageNumber))
            {
                yield return value;
            }
        }
    }

    private static RpmDatabaseFormatException Fail(string source, string check) =>
        new(RpmCodes.BerkeleyDb, $"rpm Berkeley DB database {source}: {check}. The file is corrupt or not a Berkeley DB hash database; rebuild it with 'rpm --rebuilddb' in the image or report the image as unreadable.");

    private readonly record struct ByteOrder(bool BigEndian)
    {
        public uint UInt32(ReadOnlySpan<byte> span) =>
            BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);

        public ushort UInt16(ReadOnlySpan<byte> span) =>
            BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span);
    }

    private sealed class Pages(Stream file, int pageSize, uint lastPage, ByteOrder order, string source)
    {
        private readonly byte[] _hashPage = new byte[pageSize];
        private readonly byte[] _overflowPage = new byte[pageSize];
        private readonly HashSet<uint> _overflowPagesRead = [];

        public List<byte[]> HashPageValues(uint pageNumber)
        {
            var page = Read(pageNumber, _hashPage);
            var values = new List<byte[]>();
            if (page[25] is not (PageHash or PageHashUnsorted))
            {
                return values;
            }

            int entries = order.UInt16(page[20..]);
            var firstItem = PageHeaderSize + (entries * 2);
            if (firstItem > pageSize)
            {
                throw Fail(source, $"hash page {pageNumber} lists {entries} items, more than a {pageSize}-byte page holds");
            }

            var offsets = new int[entries];
            for (var i = 0; i < entries; i++)
            {
                offsets[i] = order.UInt16(page[(PageHeaderSize + (i * 2))..]);
                var end = i == 0 ? pageSize : offsets[i - 1];
                if (offsets[i] < firstItem || offsets[i] >= end)
                {
                    throw Fail(source, $"hash page {pageNumber} item {i} has offset {offsets[i]} outside {firstItem}..{end - 1}");
                }
            }

            // Items come in key/data pairs; the data item is the odd one.
            for (var i = 1; i < entries; i += 2)
            {
                var item = page[offsets[i]..offsets[i - 1]];
                if (IsInstanceCounter(page[offsets[i - 1]..(i == 1 ? pageSize : offsets[i - 2])]))
                {
                    continue;
                }

                values.Add(item[0] switch
                {
                    ItemKeyData => item[1..].ToArray(),
                    ItemOffPage => OverflowValue(item, pageNumber, i),
                    _ => throw Fail(source, $"hash page {pageNumber} item {i} has item type {item[0]}; rpm stores only plain or overflow values"),
                });
            }

            return values;
        }

        /// <summary>rpm keeps its next-instance counter under the 4-byte key 0; it is not a package header.</summary>
        private static bool IsInstanceCounter(ReadOnlySpan<byte> key) =>
            key.Length == 5 && key[0] == ItemKeyData && BinaryPrimitives.ReadUInt32LittleEndian(key[1..]) == 0;

        private byte[] OverflowValue(ReadOnlySpan<byte> item, uint pageNumber, int index)
        {
            if (item.Length < 12)
            {
                throw Fail(source, $"hash page {pageNumber} item {index} is an overflow reference of {item.Length} bytes, shorter than 12");
            }

            var next = order.UInt32(item[4..]);
            var total = order.UInt32(item[8..]);
            if (total > RpmHeader.MaxDataLength || total > (lastPage + 1L) * pageSize)
            {
                throw Fail(source, $"hash page {pageNumber} item {index} claims a {total}-byte value, larger than the file or rpm's header limit");
            }

            var value = new byte[total];
            var filled = 0;
            while (filled < value.Length)
            {
                if (next == 0 || next > lastPage)
                {
                    throw Fail(source, $"the overflow chain of page {pageNumber} item {index} reaches page {next} after {filled} of {total} bytes (broken chain)");
                }

                // An overflow page belongs to one value: reading each page once keeps the work within the file size.
                if (!_overflowPagesRead.Add(next))
                {
                    throw Fail(source, $"the overflow chain of page {pageNumber} item {index} reaches page {next} a second time (looping or shared chain)");
                }

                var current = next;
                var overflow = Read(current, _overflowPage);
                if (overflow[25] != PageOverflow)
                {
                    throw Fail(source, $"page {current} in an overflow chain has type {overflow[25]}, expected {PageOverflow}");
                }

                int length = order.UInt16(overflow[22..]);
                if (length == 0 || PageHeaderSize + length > pageSize || length > value.Length - filled)
                {
                    throw Fail(source, $"overflow page {current} holds {length} bytes, not within 1..{Math.Min(pageSize - PageHeaderSize, total - filled)} (its page or the bytes still expected)");
                }

                overflow.Slice(PageHeaderSize, length).CopyTo(value.AsSpan(filled));
                filled += length;
                next = order.UInt32(overflow[16..]);
            }

            return value;
        }

        private ReadOnlySpan<byte> Read(uint pageNumber, byte[] buffer)
        {
            file.Position = pageNumber * (long)pageSize;
            file.ReadExactly(buffer);
            return buffer;
        }
    }
}
