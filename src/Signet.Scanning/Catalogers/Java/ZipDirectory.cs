using System.Buffers.Binary;

namespace Signet.Scanning.Catalogers.Java;

/// <summary>
/// What the end-of-central-directory record (and its zip64 form) of a zip declares, read before
/// <see cref="System.IO.Compression.ZipArchive"/> loads the central directory so that its size can be bounded first
/// (APPNOTE.TXT 4.3.16, 4.3.14, 4.3.15).
/// </summary>
internal readonly record struct ZipDirectory(long EntryCount, long DirectorySize)
{
    private const int EndRecordSize = 22;
    private const int MaxCommentLength = ushort.MaxValue;
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;

    /// <summary>Reads the declared entry count and central directory size; null when no end record is found.</summary>
    public static ZipDirectory? Read(Stream zip)
    {
        var tailLength = (int)Math.Min(zip.Length, EndRecordSize + MaxCommentLength);
        if (tailLength < EndRecordSize)
        {
            return null;
        }

        var tail = new byte[tailLength];
        zip.Position = zip.Length - tailLength;
        zip.ReadExactly(tail);
        for (var at = tailLength - EndRecordSize; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) != EndSignature)
            {
                continue;
            }

            long count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 10));
            long size = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 12));
            if (count == ushort.MaxValue || size == uint.MaxValue)
            {
                var zip64 = ReadZip64(zip, zip.Length - tailLength + at);
                if (zip64 is not null)
                {
                    return zip64;
                }
            }

            return new ZipDirectory(count, size);
        }

        return null;
    }

    private static ZipDirectory? ReadZip64(Stream zip, long endRecordOffset)
    {
        const int LocatorSize = 20;
        const int Zip64EndMinimum = 56;
        if (endRecordOffset < LocatorSize)
        {
            return null;
        }

        var locator = new byte[LocatorSize];
        zip.Position = endRecordOffset - LocatorSize;
        zip.ReadExactly(locator);
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature)
        {
            return null;
        }

        var recordOffset = BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8));
        if (recordOffset > (ulong)(zip.Length - Zip64EndMinimum))
        {
            return null;
        }

        var record = new byte[Zip64EndMinimum];
        zip.Position = (long)recordOffset;
        zip.ReadExactly(record);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32));
        var size = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(40));
        return new ZipDirectory((long)Math.Min(count, long.MaxValue), (long)Math.Min(size, long.MaxValue));
    }
}
