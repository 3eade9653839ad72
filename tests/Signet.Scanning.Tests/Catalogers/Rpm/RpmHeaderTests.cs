using System.Buffers.Binary;
using System.Text;
using Signet.Scanning.Catalogers.Rpm;

namespace Signet.Scanning.Tests.Catalogers.Rpm;

/// <summary>Header blobs built by hand: every check of <see cref="RpmHeader"/> refuses its fault with a message.</summary>
public sealed class RpmHeaderTests
{
    internal const uint Int32 = 4;
    internal const uint Int64 = 5;
    internal const uint String = 6;
    internal const uint StringArray = 8;

    /// <summary>An rpm header blob (big-endian index count, data length, 16-byte entries, data).</summary>
    internal static byte[] Blob(byte[] data, params (int Tag, uint Type, int Offset, int Count)[] entries)
    {
        var blob = new byte[8 + (entries.Length * 16) + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(blob, entries.Length);
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4), data.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var at = blob.AsSpan(8 + (i * 16));
            BinaryPrimitives.WriteInt32BigEndian(at, entries[i].Tag);
            BinaryPrimitives.WriteUInt32BigEndian(at[4..], entries[i].Type);
            BinaryPrimitives.WriteInt32BigEndian(at[8..], entries[i].Offset);
            BinaryPrimitives.WriteInt32BigEndian(at[12..], entries[i].Count);
        }

        data.CopyTo(blob, 8 + (entries.Length * 16));
        return blob;
    }

    /// <summary>Data "bash\0" "5.2\0" "1.el9\0" (offsets 0, 5, 9) followed by <paramref name="extra"/> at offset 16.</summary>
    private static byte[] Data(params byte[] extra) => [.. Encoding.ASCII.GetBytes("bash\05.2\01.el9\0\0"), .. extra];

    private static readonly (int, uint, int, int)[] Nvr = [(1000, String, 0, 1), (1001, String, 5, 1), (1002, String, 9, 1)];

    private static RpmDatabaseFormatException Refused(byte[] blob) =>
        Assert.Throws<RpmDatabaseFormatException>(() => RpmHeader.Parse(blob, "test-header"));

    [Fact]
    public void Parse_MinimalHeader_GivesNameVersionReleaseAndNulls()
    {
        var package = RpmHeader.Parse(Blob(Data(), Nvr), "test-header");

        Assert.Equal(("bash", "5.2", "1.el9"), (package.Name, package.Version, package.Release));
        Assert.Equal((null, null, null, null, null, null), (package.Epoch, package.Arch, package.SourceRpm, package.License, package.Vendor, package.Size));
        Assert.Empty(package.Files);
    }

    [Fact]
    public void Parse_EpochLongSizeAndFileList_DecodesThem()
    {
        byte[] extra = [0, 0, 0, 2, /* epoch @16 */ 0, 0, 0, 1, 0, 0, 0, 0, /* longsize @20 */ 0, 0, 0, 7, /* size @28 */
            0, 0, 0, 1, 0, 0, 0, 0, /* dirindexes @32 */ .. Encoding.ASCII.GetBytes("sh\0bash\0/etc/\0/usr/bin/\0")];
        var blob = Blob(Data(extra), [.. Nvr, (1003, Int32, 16, 1), (5009, Int64, 20, 1), (1009, Int32, 28, 1),
            (1116, Int32, 32, 2), (1117, StringArray, 40, 2), (1118, StringArray, 48, 2)]);

        var package = RpmHeader.Parse(blob, "test-header");

        Assert.Equal(2, package.Epoch);
        Assert.Equal(1L << 32, package.Size);
        Assert.Equal(["/usr/bin/sh", "/etc/bash"], package.Files.ToArray());
    }

    [Fact]
    public void Parse_OldFileNames_AreTheFiles() =>
        Assert.Equal(["/bin/sh"], RpmHeader.Parse(Blob(Data(Encoding.ASCII.GetBytes("/bin/sh\0")), [.. Nvr, (1027, StringArray, 16, 1)]), "h").Files.ToArray());

    [Fact]
    public void Parse_ShorterThanEightBytes_IsRefused() =>
        Assert.Contains("shorter than the 8-byte", Refused([0, 0, 0, 1]).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(0, "index entry count 0")]
    [InlineData(0x10000, "index entry count 65536")]
    public void Parse_IndexCountOutOfRange_IsRefused(int count, string message)
    {
        var blob = Blob(Data(), Nvr);
        BinaryPrimitives.WriteInt32BigEndian(blob, count);
        Assert.Contains(message, Refused(blob).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0x10000000)]
    public void Parse_DataLengthOutOfRange_IsRefused(int length)
    {
        var blob = Blob(Data(), Nvr);
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4), length);
        Assert.Contains($"data length {length}", Refused(blob).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Truncated_IsRefused()
    {
        var blob = Blob(Data(), Nvr);
        var message = Refused(blob[..^1]).Message;
        Assert.Contains("(truncated)", message, StringComparison.Ordinal);
        Assert.Contains("test-header", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownType_IsRefused() =>
        Assert.Contains("unknown type 10", Refused(Blob(Data(), [.. Nvr, (1014, 10, 0, 1)])).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(17, 1)]
    [InlineData(0, -1)]
    public void Parse_OffsetOrCountOutsideData_IsRefused(int offset, int count) =>
        Assert.Contains("outside the 16-byte data store", Refused(Blob(Data(), [.. Nvr, (1014, String, offset, count)])).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(1000, "NAME")]
    [InlineData(1001, "VERSION")]
    [InlineData(1002, "RELEASE")]
    public void Parse_MissingRequiredTag_IsRefused(int tag, string name) =>
        Assert.Contains($"the {name} tag ({tag}) is missing", Refused(Blob(Data(), [.. Nvr.Where(e => e.Item1 != tag)])).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_StringWithoutNul_IsRefused() =>
        Assert.Contains("no terminating NUL", Refused(Blob(Data((byte)'x'), [.. Nvr, (1014, String, 16, 1)])).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_StringAtEndOfData_IsRefused() =>
        Assert.Contains("no terminating NUL", Refused(Blob(Data(), [.. Nvr, (1014, String, 16, 1)])).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_NameWithIntegerType_IsRefused() =>
        Assert.Contains("expected a string", Refused(Blob(Data(), [(1000, Int32, 0, 1), .. Nvr[1..]])).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_StringArrayWithIntegerType_IsRefused() =>
        Assert.Contains("expected a string array", Refused(Blob(Data(), [.. Nvr, (1027, Int32, 0, 1)])).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_StringArrayCountBeyondData_IsRefused() =>
        Assert.Contains("claims 1000000 strings", Refused(Blob(Data(), [.. Nvr, (1027, StringArray, 0, 1_000_000)])).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_IntegerTagWithStringType_IsRefused() =>
        Assert.Contains("expected 4", Refused(Blob(Data(), [.. Nvr, (1003, String, 0, 1)])).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_IntegerArrayBeyondData_IsRefused() =>
        Assert.Contains("needs 4000000 bytes", Refused(Blob(Data(), [.. Nvr, (1003, Int32, 0, 1_000_000)])).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_Int64BeyondData_IsRefused() =>
        Assert.Contains("needs 8 bytes", Refused(Blob(Data(), [.. Nvr, (5009, Int64, 12, 1)])).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(1118, "DIRNAMES (1118) is missing")]
    [InlineData(1116, "DIRINDEXES (1116) is missing")]
    public void Parse_BaseNamesWithoutDirectoryTags_IsRefused(int missing, string message)
    {
        (int, uint, int, int)[] files = [(1116, Int32, 16, 1), (1117, StringArray, 20, 1), (1118, StringArray, 20, 1)];
        var blob = Blob(Data([0, 0, 0, 0, (byte)'a', 0]), [.. Nvr, .. files.Where(e => e.Item1 != missing)]);
        Assert.Contains(message, Refused(blob).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DirIndexCountDiffersFromBaseNames_IsRefused() =>
        Assert.Contains("DIRINDEXES has 1 entries but BASENAMES has 2", Refused(Blob(Data([0, 0, 0, 0, (byte)'a', 0, (byte)'b', 0]),
            [.. Nvr, (1116, Int32, 16, 1), (1117, StringArray, 20, 2), (1118, StringArray, 20, 1)])).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void Parse_DirIndexOutsideDirNames_IsRefused(sbyte index) =>
        Assert.Contains($"DIRINDEXES[0] = {index} is outside the 1 DIRNAMES", Refused(Blob(Data([(byte)(index >> 24), (byte)(index >> 16), (byte)(index >> 8), (byte)index, (byte)'a', 0]),
            [.. Nvr, (1116, Int32, 16, 1), (1117, StringArray, 20, 1), (1118, StringArray, 20, 1)])).Message, StringComparison.Ordinal);
}
