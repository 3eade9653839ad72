using System.IO.Compression;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Signet.Oci.Compression;
using Signet.Testing;
using Signet.Testing.Tools;

namespace Signet.Oci.Tests.Compression;

/// <summary>
/// What .NET's <see cref="GZipStream"/> does with multi-member, truncated and trailing data (the first group, which pins
/// the platform behaviour so a change is noticed), and how <see cref="GzipDecompressionStream"/> guards it.
/// </summary>
public sealed class GzipStreamTests
{
    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] DotNetGunzip(byte[] compressed)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        return TestBytes.ReadAll(gzip);
    }

    private static byte[] Gunzip(byte[] compressed, int bufferSize = 81920)
    {
        using var gzip = new GzipDecompressionStream(new MemoryStream(compressed), "test blob", leaveOpen: false);
        return TestBytes.ReadAll(gzip, bufferSize);
    }

    [Fact]
    public void DotNetGZipStream_MultiMember_ReadsEveryMember()
    {
        var first = TestBytes.Text(100_000, 1);
        var second = TestBytes.Random(5000, 2);
        Assert.Equal([.. first, .. second], DotNetGunzip([.. Gzip(first), .. Gzip(second)]));
    }

    [Fact]
    public void DotNetGZipStream_Truncated_StopsSilentlyWithShortOutput()
    {
        var data = TestBytes.Random(100_000, 3);
        var compressed = Gzip(data);

        // Inside the deflate data: a short result and no error.
        Assert.True(DotNetGunzip(compressed[..(compressed.Length / 2)]).Length < data.Length);

        // Without the trailer (CRC-32 and size): the data, unverified, and no error.
        Assert.Equal(data, DotNetGunzip(compressed[..^8]));
        Assert.Equal(data, DotNetGunzip(compressed[..^1]));
    }

    [Fact]
    public void DotNetGZipStream_TrailingGarbage_IsIgnored()
    {
        var data = TestBytes.Text(1000, 4);
        Assert.Equal(data, DotNetGunzip([.. Gzip(data), .. "garbage after the member"u8]));
        Assert.Equal(data, DotNetGunzip([.. Gzip(data), .. new byte[512]]));
    }

    [Fact]
    public void DotNetGZipStream_CorruptTrailer_Throws()
    {
        var compressed = Gzip(TestBytes.Text(1000, 5));
        compressed[^6] ^= 1;
        Assert.Throws<InvalidDataException>(() => DotNetGunzip(compressed));
    }

    [Fact]
    public void DotNetGZipStream_NothingWritten_WritesNoBytesAtAll()
    {
        // Not even a header: the result is not a valid gzip file (gzip -d says "unexpected end of file").
        Assert.Empty(Gzip([]));
    }

    [Fact]
    public void Read_EmptyMemberFromGzipCli_ReturnsNothing()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Combine("empty"), []);
        Tool.Run("gzip", ["-n", "empty"], dir.Path);
        Assert.Empty(Gunzip(File.ReadAllBytes(dir.Combine("empty.gz"))));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16_000)]
    [InlineData(3_000_000)]
    public void Read_SingleMember_ReturnsOriginal(int length)
    {
        var data = TestBytes.Text(length, length);
        Assert.Equal(data, Gunzip(Gzip(data)));
        Assert.Equal(data, Gunzip(Gzip(data), bufferSize: 7));
    }

    [Fact]
    public async Task ReadAsync_MultiMember_ReturnsAll()
    {
        var first = TestBytes.Random(200_000, 6);
        var second = TestBytes.Text(300_000, 7);
        await using var gzip = new GzipDecompressionStream(new MemoryStream([.. Gzip(first), .. Gzip([]), .. Gzip(second)]), "test blob", leaveOpen: false);
        Assert.Equal(first.Concat(second).ToArray(), await TestBytes.ReadAllAsync(gzip, 4096));
    }

    [Fact]
    public void Read_GzipCliMembersWithFileNames_ReturnsAll()
    {
        using var dir = new TempDir();
        var first = TestBytes.Text(50_000, 8);
        var second = TestBytes.Random(70_000, 9);
        File.WriteAllBytes(dir.Combine("a"), first);
        File.WriteAllBytes(dir.Combine("b"), second);
        Tool.Run("gzip", ["-9", "-N", "a"], dir.Path);
        Tool.Run("gzip", ["-1", "b"], dir.Path);
        byte[] both = [.. File.ReadAllBytes(dir.Combine("a.gz")), .. File.ReadAllBytes(dir.Combine("b.gz"))];
        Assert.Equal(0x08, both[3] & 0x08); // FNAME is set by the CLI
        Assert.Equal([.. first, .. second], Gunzip(both));
    }

    [Fact]
    public void Read_HeaderWithExtraCommentAndHeaderCrc_ReturnsData()
    {
        var data = TestBytes.Text(10_000, 10);
        var plain = Gzip(data);
        var header = new List<byte> { 0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10 | 0x02, 0, 0, 0, 0, 0, 3 };
        header.AddRange([6, 0, (byte)'S', (byte)'g', 2, 0, 1, 2]);
        header.AddRange(Encoding.ASCII.GetBytes("name\0comment\0"));
        var crc = Crc32.Append(0, header.ToArray());
        header.AddRange([(byte)crc, (byte)(crc >> 8)]);
        byte[] stream = [.. header, .. plain[10..]];
        Assert.Equal(data, Gunzip(stream));

        stream[header.Count - 1] ^= 0xFF;
        var e = Assert.Throws<InvalidDataException>(() => Gunzip(stream));
        Assert.Contains("header CRC", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedAtEveryLength_ThrowsTruncated()
    {
        var compressed = Gzip(TestBytes.Text(30_000, 11));
        Assert.Contains("is empty", Assert.Throws<InvalidDataException>(() => Gunzip([])).Message, StringComparison.Ordinal);
        for (var length = 1; length < compressed.Length; length++)
        {
            var e = Assert.Throws<InvalidDataException>(() => Gunzip(compressed[..length]));
            Assert.Contains("gzip stream of test blob is ", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_SecondMemberTruncated_ThrowsTruncated()
    {
        var data = TestBytes.Random(100_000, 12);
        byte[] stream = [.. Gzip(data), .. Gzip(data)[..^3]];
        var e = Assert.Throws<InvalidDataException>(() => Gunzip(stream));
        Assert.StartsWith("gzip stream of test blob is truncated: the compressed data ended in member 2", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'x', (byte)'y', (byte)'z' })]
    public void Read_TrailingDataAfterLastMember_Throws(byte[] trailing)
    {
        var data = TestBytes.Text(5000, 13);
        var e = Assert.Throws<InvalidDataException>(() => Gunzip([.. Gzip(data), .. trailing]));
        Assert.Contains("has trailing data at offset", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CorruptCrcOrSize_Throws()
    {
        var compressed = Gzip(TestBytes.Text(5000, 14));
        foreach (var position in new[] { compressed.Length - 8, compressed.Length - 1 })
        {
            var copy = (byte[])compressed.Clone();
            copy[position] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => Gunzip(copy));
        }
    }

    [Fact]
    public void Read_CorruptDeflateData_ThrowsNamingObject()
    {
        var compressed = Gzip(TestBytes.Text(50_000, 15));
        for (var i = 20; i < 40; i++)
        {
            compressed[i] = 0xFF;
        }

        var e = Assert.Throws<InvalidDataException>(() => Gunzip(compressed));
        Assert.Contains("gzip stream of test blob", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotGzip_Throws()
    {
        var e = Assert.Throws<InvalidDataException>(() => Gunzip("plain text, not gzip"u8.ToArray()));
        Assert.Contains("magic bytes 1f 8b", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RandomMemberSplits_MatchesConcatenation()
    {
        var property = Prop.ForAll(
            Arb.From(Gen.ListOf(Gen.Choose(0, 40_000))),
            Arb.From(Gen.Choose(1, 70_000)),
            (sizes, bufferSize) =>
            {
                var parts = sizes.Select((size, i) => i % 2 == 0 ? TestBytes.Text(size, i) : TestBytes.Random(size, i)).ToList();
                if (parts.Count == 0)
                {
                    return true;
                }

                var compressed = parts.SelectMany(Gzip).ToArray();
                return Gunzip(compressed, bufferSize).SequenceEqual(parts.SelectMany(p => p));
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), property);
    }

    [Fact]
    public void Read_OneByteAtATimeInput_ReturnsAll()
    {
        var data = TestBytes.Text(40_000, 16);
        using var gzip = new GzipDecompressionStream(new TrickleStream([.. Gzip(data), .. Gzip(data)]), "test blob", leaveOpen: false);
        Assert.Equal([.. data, .. data], TestBytes.ReadAll(gzip));
    }

    /// <summary>Returns at most one byte per read, like a slow network.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 1)]);
    }
}
