using System.Buffers.Binary;

namespace Signet.Scanning.Catalogers.Rpm;

/// <summary>
/// Reads the package blobs of rpm's NDB backend (<c>Packages.db</c>, SUSE): a header page, slot pages of 16-byte slots
/// (magic, package index, block offset, block count) and blobs in 16-byte blocks, each with a 16-byte blob header
/// (magic, package index, generation, length) and a 12-byte tail at the end of its blocks (adler32, length, magic).
/// Layout from rpm's lib/backend/ndb/rpmpkg.c; all little-endian. Like rpm when it reads a package, the adler32 is not
/// recomputed; the block count, head and tail must agree.
/// </summary>
internal static class NdbReader
{
    private const uint HeaderMagic = 'R' | ('p' << 8) | ('m' << 16) | ('P' << 24);
    private const uint SlotMagic = 'S' | ('l' << 8) | ('o' << 16) | ('t' << 24);
    private const uint BlobMagic = 'B' | ('l' << 8) | ('b' << 16) | ('S' << 24);
    private const uint BlobTailMagic = 'B' | ('l' << 8) | ('b' << 16) | ('E' << 24);
    private const int TailSize = 12;
    private const int PageSize = 4096;
    private const int SlotSize = 16;
    private const int BlockSize = 16;
    private const int FileHeaderSize = 32;
    private const int MaxSlotPages = 4096;

    /// <summary>
    /// Every package blob in slot order, read from the seekable <paramref name="file"/>: the slot pages, then one blob at
    /// a time; <paramref name="source"/> names the file in errors.
    /// </summary>
    public static IEnumerable<byte[]> ReadBlobs(Stream file, string source)
    {
        if (file.Length < FileHeaderSize)
        {
            throw Fail(source, $"the file is {file.Length} bytes, shorter than the {FileHeaderSize}-byte NDB header");
        }

        var header = new byte[FileHeaderSize];
        file.Position = 0;
        file.ReadExactly(header);
        var span = (ReadOnlySpan<byte>)header;

        if (BinaryPrimitives.ReadUInt32LittleEndian(span) != HeaderMagic)
        {
            throw Fail(source, "the file does not start with the NDB magic 'RpmP'");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(span[4..]);
        if (version != 0)
        {
            throw Fail(source, $"NDB version {version} is not the supported version 0");
        }

        var slotPages = BinaryPrimitives.ReadUInt32LittleEndian(span[12..]);
        if (slotPages < 1 || slotPages > MaxSlotPages || slotPages * (long)PageSize > file.Length)
        {
            throw Fail(source, $"{slotPages} slot pages do not fit 1..{MaxSlotPages} and the {file.Length}-byte file (truncated)");
        }

        var slots = new byte[(slotPages * PageSize) - FileHeaderSize];
        file.ReadExactly(slots);
        return Blobs(file, slots, source);
    }

    private static IEnumerable<byte[]> Blobs(Stream file, byte[] slots, string source)
    {
        // Blobs never overlap, so all of them together fit in the file; this bounds the work when slots share blocks.
        var blocksClaimed = 0L;
        for (var offset = 0; offset < slots.Length; offset += SlotSize)
        {
            var slot = slots.AsSpan(offset, SlotSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(slot) != SlotMagic)
            {
                throw Fail(source, $"the slot at byte {offset + FileHeaderSize} does not carry the 'Slot' magic");
            }

            var package = BinaryPrimitives.ReadUInt32LittleEndian(slot[4..]);
            if (package != 0)
            {
                blocksClaimed += BinaryPrimitives.ReadUInt32LittleEndian(slot[12..]);
                if (blocksClaimed * BlockSize > file.Length)
                {
                    throw Fail(source, $"the slots up to byte {offset + FileHeaderSize} claim {blocksClaimed} blocks, more than the {file.Length}-byte file holds (overlapping blobs)");
                }

                yield return Blob(file, slots.Length + FileHeaderSize, package, BinaryPrimitives.ReadUInt32LittleEndian(slot[8..]), BinaryPrimitives.ReadUInt32LittleEndian(slot[12..]), source);
            }
        }
    }

    /// <summary>The blob a slot points to; blobs live after the slot pages, which end at <paramref name="slotsEnd"/>.</summary>
    private static byte[] Blob(Stream file, long slotsEnd, uint package, uint blockOffset, uint blockCount, string source)
    {
        var start = blockOffset * (long)BlockSize;
        var length = blockCount * (long)BlockSize;
        if (blockCount == 0 || start < slotsEnd || start + length > file.Length)
        {
            throw Fail(source, $"package {package}: blocks {blockOffset}+{blockCount} lie outside the {file.Length}-byte file (truncated)");
        }

        var head = new byte[BlockSize];
        file.Position = start;
        file.ReadExactly(head);
        if (BinaryPrimitives.ReadUInt32LittleEndian(head) != BlobMagic)
        {
            throw Fail(source, $"package {package}: the blob at byte {start} does not carry the 'BlbS' magic");
        }

        var owner = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(4));
        if (owner != package)
        {
            throw Fail(source, $"package {package}: the blob at byte {start} belongs to package {owner}");
        }

        var blobLength = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(12));
        var blocksNeeded = (BlockSize + blobLength + TailSize + BlockSize - 1L) / BlockSize;
        if (blobLength > RpmHeader.MaxDataLength || blocksNeeded != blockCount)
        {
            throw Fail(source, $"package {package}: blob length {blobLength} needs {blocksNeeded} blocks with its head and tail but the slot gives {blockCount} (rpm's header limit is {RpmHeader.MaxDataLength} bytes)");
        }

        var blob = new byte[blobLength];
        file.ReadExactly(blob);
        var tail = new byte[TailSize];
        file.Position = start + length - TailSize;
        file.ReadExactly(tail);
        if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(8)) != BlobTailMagic || BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(4)) != blobLength)
        {
            throw Fail(source, $"package {package}: the blob tail at byte {start + length - TailSize} does not carry the 'BlbE' magic and the blob length {blobLength} (torn write)");
        }

        return blob;
    }

    private static RpmDatabaseFormatException Fail(string source, string check) =>
        new(RpmCodes.Ndb, $"rpm NDB database {source}: {check}. The file is corrupt or not an NDB Packages.db; rebuild it with 'rpm --rebuilddb' in the image or report the image as unreadable.");
}
