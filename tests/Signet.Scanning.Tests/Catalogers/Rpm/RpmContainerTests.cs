using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.Data.Sqlite;
using Signet.Scanning.Catalogers.Rpm;

namespace Signet.Scanning.Tests.Catalogers.Rpm;

/// <summary>
/// Truncated and mutated copies of the real Berkeley DB and NDB databases, and hand-made SQLite files, are refused
/// with a message naming the file and the check. The libuuid Packages file has its one package header on page 2
/// (an overflow reference to pages 3..22); the SLE NDB file has one slot page and 35 blobs.
/// </summary>
public sealed class RpmContainerTests
{
    private const int BdbPage = 4096;

    private static byte[] Bdb() => File.ReadAllBytes(RpmDatabaseTests.BerkeleyDbPath);

    private static byte[] Ndb() => File.ReadAllBytes(RpmDatabaseTests.NdbPath);

    private static string RefusedBdb(byte[] file) =>
        Assert.Throws<RpmDatabaseFormatException>(() => RpmDatabase.ReadPackages(new MemoryStream(file), RpmDatabaseFormat.BerkeleyDb, "test/Packages")).Message;

    private static string RefusedNdb(byte[] file) =>
        Assert.Throws<RpmDatabaseFormatException>(() => RpmDatabase.ReadPackages(new MemoryStream(file), RpmDatabaseFormat.Ndb, "test/Packages.db")).Message;

    /// <summary>Byte offset of the overflow reference item (the data item of page 2).</summary>
    private static int OverflowItem(byte[] file) => (2 * BdbPage) + BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan((2 * BdbPage) + 28));

    private static void PutUInt32(byte[] file, int at, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), value);

    private static void PutUInt16(byte[] file, int at, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(at), value);

    [Fact]
    public void BerkeleyDb_BigEndianCopy_GivesTheSamePackage()
    {
        var file = Bdb();
        var swapped = (byte[])file.Clone();
        Swap32(swapped, 12);
        Swap32(swapped, 20);
        Swap32(swapped, 32);
        for (var page = 1; page * BdbPage < file.Length; page++)
        {
            var at = page * BdbPage;
            var entries = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 20));
            foreach (var field in new[] { 8, 12, 16 })
            {
                Swap32(swapped, at + field);
            }

            Swap16(swapped, at + 20);
            Swap16(swapped, at + 22);
            for (var i = 0; file[at + 25] == 13 && i < entries; i++)
            {
                var item = at + BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 26 + (2 * i)));
                Swap16(swapped, at + 26 + (2 * i));
                if (file[item] == 3)
                {
                    Swap32(swapped, item + 4);
                    Swap32(swapped, item + 8);
                }
            }
        }

        var little = Assert.Single(RpmDatabase.ReadPackages(new MemoryStream(file), RpmDatabaseFormat.BerkeleyDb, "le"));
        var big = Assert.Single(RpmDatabase.ReadPackages(new MemoryStream(swapped), RpmDatabaseFormat.BerkeleyDb, "be"));
        Assert.Equal(little with { Files = [] }, big with { Files = [] });
        Assert.Equal(little.Files.ToArray(), big.Files.ToArray());

        static void Swap32(byte[] bytes, int at) => bytes.AsSpan(at, 4).Reverse();

        static void Swap16(byte[] bytes, int at) => bytes.AsSpan(at, 2).Reverse();
    }

    [Fact]
    public void BerkeleyDb_ShorterThanAPage_IsRefused() =>
        Assert.Contains("shorter than one Berkeley DB page", RefusedBdb(Bdb()[..100]), StringComparison.Ordinal);

    [Fact]
    public void BerkeleyDb_WrongMagic_IsRefused()
    {
        var file = Bdb();
        file[12] = 0;
        Assert.Contains("hash magic", RefusedBdb(file), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1000u)]
    [InlineData(256u)]
    [InlineData(131072u)]
    public void BerkeleyDb_BadPageSize_IsRefused(uint pageSize)
    {
        var file = Bdb();
        PutUInt32(file, 20, pageSize);
        Assert.Contains($"page size {pageSize}", RefusedBdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void BerkeleyDb_MetadataPageOfAnotherType_IsRefused()
    {
        var file = Bdb();
        file[25] = 13;
        Assert.Contains("page 0 has type 13", RefusedBdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void BerkeleyDb_TruncatedFile_IsRefused()
    {
        var message = RefusedBdb(Bdb()[..^BdbPage]);
        Assert.Contains("(truncated)", message, StringComparison.Ordinal);
        Assert.Contains("test/Packages", message, StringComparison.Ordinal);
    }

    [Fact]
    public void BerkeleyDb_TooManyItemsOnAPage_IsRefused()
    {
        var file = Bdb();
        PutUInt16(file, (2 * BdbPage) + 20, 3000);
        Assert.Contains("hash page 2 lists 3000 items", RefusedBdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void BerkeleyDb_ItemOffsetOutsideThePage_IsRefused()
    {
        var file = Bdb();
        PutUInt16(file, (2 * BdbPage) + 28, 10);
        Assert.Contains("hash page 2 item 1 has offset 10", RefusedBdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void BerkeleyDb_DuplicateItemType_IsRefused()
    {
        var file = Bdb();
        file[OverflowItem(file)] = 2;
        Assert.Contains("item type 2", RefusedBdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void BerkeleyDb_ShortOverflowReference_IsRefused()
    {
        var file = Bdb();
        var item = OverflowItem(file) + 6;
        PutUInt16(file, (2 * BdbPage) + 28, (ushort)(item - (2 * BdbPage)));
        file[item] = 3;
        Assert.Contains("overflow reference of 6 bytes", RefusedBdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void BerkeleyDb_HugeOverflowLength_IsRefused()
    {
        var file = Bdb();
        PutUInt32(file, OverflowItem(file) + 8, int.MaxValue);
        Assert.Contains($"claims a {int.MaxValue}-byte value", RefusedBdb(file), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(99u)]
    public void BerkeleyDb_OverflowChainOutsideTheFile_IsRefused(uint next)
    {
        var file = Bdb();
        PutUInt32(file, OverflowItem(file) + 4, next);
        Assert.Contains($"reaches page {next} after 0 of", RefusedBdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void BerkeleyDb_OverflowChainIntoAHashPage_IsRefused()
    {
        var file = Bdb();
        PutUInt32(file, OverflowItem(file) + 4, 1);
        Assert.Contains("page 1 in an overflow chain has type 13", RefusedBdb(file), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, 0)]
    [InlineData(22, 4000)]
    [InlineData(3, 4071)]
    public void BerkeleyDb_OverflowPageLengthWrong_IsRefused(int page, ushort length)
    {
        var file = Bdb();
        PutUInt16(file, (page * BdbPage) + 22, length);
        Assert.Contains($"overflow page {page} holds {length} bytes", RefusedBdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void BerkeleyDb_OverflowChainLoop_IsRefused()
    {
        var file = Bdb();
        PutUInt32(file, (10 * BdbPage) + 16, 4);
        Assert.Contains("reaches page 4 a second time", RefusedBdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void BerkeleyDb_InlineValueUnderANonZeroKey_IsDecodedAsAHeader()
    {
        var file = Bdb();
        var key = BdbPage + BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(BdbPage + 26));
        file[key + 1] = 1;
        Assert.Contains("#0 in test/Packages: the blob is 4 bytes", RefusedBdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void Ndb_ShorterThanItsHeader_IsRefused() =>
        Assert.Contains("shorter than the 32-byte NDB header", RefusedNdb(Ndb()[..16]), StringComparison.Ordinal);

    [Fact]
    public void Ndb_WrongMagic_IsRefused()
    {
        var file = Ndb();
        file[0] = (byte)'X';
        Assert.Contains("'RpmP'", RefusedNdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void Ndb_UnknownVersion_IsRefused()
    {
        var file = Ndb();
        file[4] = 1;
        Assert.Contains("NDB version 1", RefusedNdb(file), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(5000u)]
    [InlineData(400u)]
    public void Ndb_SlotPagesOutOfRange_IsRefused(uint pages)
    {
        var file = Ndb();
        PutUInt32(file, 12, pages);
        Assert.Contains($"{pages} slot pages", RefusedNdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void Ndb_SlotWithoutMagic_IsRefused()
    {
        var file = Ndb();
        file[48] = 0;
        Assert.Contains("slot at byte 48", RefusedNdb(file), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8, 0xffffffffu)]
    [InlineData(8, 0u)]
    [InlineData(8, 255u)]
    [InlineData(12, 0u)]
    public void Ndb_SlotBlocksOutsideTheFile_IsRefused(int field, uint value)
    {
        var file = Ndb();
        PutUInt32(file, 32 + field, value);
        Assert.Contains("package 1: blocks", RefusedNdb(file), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0u, "'BlbS' magic")]
    [InlineData(4, 7u, "belongs to package 7")]
    [InlineData(12, 0x7fffffffu, "blob length 2147483647 needs 134217730 blocks")]
    [InlineData(12, 0u, "blob length 0 needs 2 blocks")]
    public void Ndb_BadBlobHead_IsRefused(int field, uint value, string message)
    {
        var file = Ndb();
        PutUInt32(file, FirstBlob(file) + field, value);
        Assert.Contains(message, RefusedNdb(file), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-4)]
    [InlineData(-8)]
    public void Ndb_BadBlobTail_IsRefused(int fromEnd)
    {
        var file = Ndb();
        var end = FirstBlob(file) + ((int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(44)) * 16);
        file[end + fromEnd] ^= 0x10;
        Assert.Contains("does not carry the 'BlbE' magic and the blob length", RefusedNdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void Ndb_SlotBlockCountDisagreesWithBlobLength_IsRefused()
    {
        var file = Ndb();
        PutUInt32(file, 44, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(44)) + 1);
        Assert.Contains("but the slot gives", RefusedNdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void Ndb_SlotsSharingBlocks_AreRefused()
    {
        var file = Ndb();
        var largest = Enumerable.Range(0, 254).Select(i => 32 + (16 * i)).MaxBy(slot => BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(slot + 12)));
        for (var slot = 32; slot < 4096; slot += 16)
        {
            file.AsSpan(largest, 16).CopyTo(file.AsSpan(slot));
        }

        Assert.Contains("blocks, more than the 1374144-byte file holds (overlapping blobs)", RefusedNdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void Ndb_SlotClaimingMoreBlocksThanTheFile_IsRefused()
    {
        var file = Ndb();
        PutUInt32(file, 44, 0x10000000);
        Assert.Contains("the slots up to byte 32 claim 268435456 blocks", RefusedNdb(file), StringComparison.Ordinal);
    }

    /// <summary>Byte offset of the blob of the first slot (slot 0 sits at byte 32: magic, package, block offset, block count).</summary>
    private static int FirstBlob(byte[] file) => (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(40)) * 16;

    [Fact]
    public void Ndb_CorruptHeaderInABlob_NamesThePackagePosition()
    {
        var file = Ndb();
        PutUInt32(file, FirstBlob(file) + 16, 0);
        Assert.Contains("rpm package header #0 in test/Packages.db: index entry count 0", RefusedNdb(file), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPackages_SqliteFromMemory_IsAnArgumentError() =>
        Assert.Throws<ArgumentException>(() => RpmDatabase.ReadPackages(new MemoryStream(Ndb()), RpmDatabaseFormat.Sqlite, "x"));

    [Fact]
    public void ReadPackages_NonSeekableStream_IsAnArgumentError()
    {
        using var stream = new GZipStream(new MemoryStream(Ndb()), CompressionMode.Decompress);
        Assert.Contains("seekable", Assert.Throws<ArgumentException>(() => RpmDatabase.ReadPackages(stream, RpmDatabaseFormat.Ndb, "x")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RpmDatabaseFormat.Sqlite)]
    [InlineData(RpmDatabaseFormat.Ndb)]
    [InlineData(RpmDatabaseFormat.BerkeleyDb)]
    public void ReadPackages_MissingFile_IsFileNotFound(RpmDatabaseFormat format) =>
        Assert.Throws<FileNotFoundException>(() => RpmDatabase.ReadPackages(Path.Combine(Directory.CreateTempSubdirectory("signet-rpmdb-").FullName, "rpmdb"), format));

    [Fact]
    public void Sqlite_NotADatabase_IsRefused()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("signet-rpmdb-").FullName, "rpmdb.sqlite");
        File.WriteAllBytes(path, Ndb()[..8192]);
        Assert.Contains("SQLite refused it", RefusedSqlite(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_WithoutPackagesTable_IsRefused() =>
        Assert.Contains("no such table: Packages", RefusedSqlite(MakeSqlite("CREATE TABLE Other (x)")), StringComparison.Ordinal);

    [Fact]
    public void Sqlite_RowWithoutBlob_IsRefused() =>
        Assert.Contains("row 0 of table Packages has no blob", RefusedSqlite(MakeSqlite(
            "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB)", "INSERT INTO Packages VALUES (1, 'text')")), StringComparison.Ordinal);

    [Fact]
    public void Sqlite_CorruptHeaderBlob_IsRefused() =>
        Assert.Contains("rpm package header #0", RefusedSqlite(MakeSqlite(
            "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB)", "INSERT INTO Packages VALUES (1, x'0000000100000000')")), StringComparison.Ordinal);

    private static string RefusedSqlite(string path) =>
        Assert.Throws<RpmDatabaseFormatException>(() => RpmDatabase.ReadPackages(path, RpmDatabaseFormat.Sqlite)).Message;

    private static string MakeSqlite(params string[] statements)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("signet-rpmdb-").FullName, "rpmdb.sqlite");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        foreach (var statement in statements)
        {
            using var command = connection.CreateCommand();
            command.CommandText = statement;
            command.ExecuteNonQuery();
        }

        return path;
    }
}
