using System.Buffers.Binary;
using Signet.Oci.Compression;
using Signet.Testing;
using Signet.Testing.Tools;

namespace Signet.Oci.Tests.Compression;

public sealed class ZstdStreamTests
{
    private static byte[] Compress(byte[] data, int level = ZstdCompressionStream.DefaultLevel)
    {
        using var output = new MemoryStream();
        using (var zstd = new ZstdCompressionStream(output, level, leaveOpen: true))
        {
            zstd.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Decompress(byte[] compressed, int bufferSize = 81920)
    {
        using var zstd = new ZstdDecompressionStream(new MemoryStream(compressed), "test blob");
        return TestBytes.ReadAll(zstd, bufferSize);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(1_000_003)]
    public void Read_OwnCompressedRandomData_ReturnsOriginal(int length)
    {
        var data = TestBytes.Random(length, length);
        Assert.Equal(data, Decompress(Compress(data)));
    }

    [Fact]
    public void Read_OneByteReads_ReturnsOriginal()
    {
        var data = TestBytes.Text(200_000, 3);
        Assert.Equal(data, Decompress(Compress(data, 19), bufferSize: 1));
    }

    [Fact]
    public async Task ReadAsync_CompressibleData_ReturnsOriginal()
    {
        var data = TestBytes.Text(3_000_000, 4);
        await using var zstd = new ZstdDecompressionStream(new MemoryStream(Compress(data)), "test blob");
        Assert.Equal(data, await TestBytes.ReadAllAsync(zstd, 1000));
    }

    [Fact]
    public async Task WriteAsync_ThenDisposeAsync_WritesCompleteFrame()
    {
        var data = TestBytes.Text(500_000, 5);
        using var output = new MemoryStream();
        await using (var zstd = new ZstdCompressionStream(output, 1, leaveOpen: true))
        {
            await zstd.WriteAsync(data.AsMemory(0, 1000));
            await zstd.FlushAsync();
            await zstd.WriteAsync(data.AsMemory(1000));
        }

        Assert.Equal(data, Decompress(output.ToArray()));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-19")]
    [InlineData("--no-check")]
    [InlineData("--ultra")]
    public void Read_ZstdCliOutput_ReturnsOriginal(string option)
    {
        using var dir = new TempDir();
        var data = TestBytes.Text(2_000_000, 6);
        File.WriteAllBytes(dir.Combine("data"), data);
        Tool.Run("zstd", ["-q", option, "data", "-o", "data.zst"], dir.Path);
        Assert.Equal(data, Decompress(File.ReadAllBytes(dir.Combine("data.zst"))));
    }

    [Fact]
    public void Write_OutputDecompressedByZstdCli_ReturnsOriginal()
    {
        using var dir = new TempDir();
        var data = TestBytes.Text(1_500_000, 7);
        File.WriteAllBytes(dir.Combine("data.zst"), Compress(data, 9));
        Tool.Run("zstd", ["-q", "-t", "data.zst"], dir.Path);
        Tool.Run("zstd", ["-q", "-d", "data.zst", "-o", "data"], dir.Path);
        Assert.Equal(data, File.ReadAllBytes(dir.Combine("data")));
    }

    [Fact]
    public void Read_ConcatenatedCliFrames_ReturnsAllFrames()
    {
        using var dir = new TempDir();
        var first = TestBytes.Text(300_000, 8);
        var second = TestBytes.Random(70_000, 9);
        File.WriteAllBytes(dir.Combine("a"), first);
        File.WriteAllBytes(dir.Combine("b"), second);
        Tool.Run("zstd", ["-q", "a", "-o", "a.zst"], dir.Path);
        Tool.Run("zstd", ["-q", "b", "-o", "b.zst"], dir.Path);
        byte[] both = [.. File.ReadAllBytes(dir.Combine("a.zst")), .. File.ReadAllBytes(dir.Combine("b.zst")), .. Compress([])];
        Assert.Equal([.. first, .. second], Decompress(both));
    }

    [Fact]
    public void Read_SkippableFrames_AreSkipped()
    {
        var data = TestBytes.Text(10_000, 10);
        byte[] stream = [.. Skippable(0, 100), .. Compress(data), .. Skippable(15, 0), .. Skippable(3, 70_000)];
        Assert.Equal(data, Decompress(stream));
        Assert.Empty(Decompress(Skippable(1, 5)));
    }

    private static byte[] Skippable(int variant, int size)
    {
        var frame = new byte[8 + size];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, 0x184D2A50u + (uint)variant);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), (uint)size);
        frame.AsSpan(8).Fill(0xAB);
        return frame;
    }

    [Fact]
    public void Read_TruncatedAtEveryLength_ThrowsTruncated()
    {
        var compressed = Compress(TestBytes.Text(20_000, 11));
        var empty = Assert.Throws<InvalidDataException>(() => Decompress([]));
        Assert.Contains("zstd stream of test blob is empty", empty.Message, StringComparison.Ordinal);
        for (var length = 1; length < compressed.Length; length++)
        {
            var e = Assert.Throws<InvalidDataException>(() => Decompress(compressed[..length]));
            Assert.Contains("zstd stream of test blob is truncated", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_CorruptedContent_ThrowsNamingObjectAndLibzstdMessage()
    {
        var compressed = Compress(TestBytes.Text(100_000, 12));
        compressed[compressed.Length / 2] ^= 0x55;
        var e = Assert.Throws<InvalidDataException>(() => Decompress(compressed));
        Assert.StartsWith("zstd stream of test blob is truncated/corrupt: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotZstd_ThrowsUnknownFrame()
    {
        var e = Assert.Throws<InvalidDataException>(() => Decompress("not zstd at all"u8.ToArray()));
        Assert.Contains("Unknown frame descriptor", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TrailingGarbageAfterFrame_Throws()
    {
        byte[] compressed = [.. Compress(TestBytes.Text(1000, 13)), 1, 2, 3, 4, 5, 6, 7, 8];
        Assert.Throws<InvalidDataException>(() => Decompress(compressed));
    }

    [Fact]
    public void Read_LongWindowFromCli_RefusedWithClearMessage()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Combine("data"), TestBytes.Text(100_000, 14));

        // Through stdin the CLI does not know the size, so the frame keeps the full 2 GiB window of --long=31.
        Tool.Run("zstd", ["-q", "--long=31", "-c"], dir.Path, stdinFile: dir.Combine("data"), stdoutFile: dir.Combine("data.zst"));
        var e = Assert.Throws<InvalidDataException>(() => Decompress(File.ReadAllBytes(dir.Combine("data.zst"))));
        Assert.Contains("zstd stream of test blob is refused: a frame needs a window larger than 2^27 bytes (128 MiB)", e.Message, StringComparison.Ordinal);
        Assert.Contains("--long", e.Message, StringComparison.Ordinal);

        using var relaxed = new ZstdDecompressionStream(File.OpenRead(dir.Combine("data.zst")), "test blob", maxWindowLog: 31);
        Assert.Equal(File.ReadAllBytes(dir.Combine("data")), TestBytes.ReadAll(relaxed));
    }

    [Fact]
    public void Position_AfterReads_CountsDecompressedBytes()
    {
        var data = TestBytes.Text(12_345, 15);
        using var zstd = new ZstdDecompressionStream(new MemoryStream(Compress(data)), "test blob");
        TestBytes.ReadAll(zstd);
        Assert.Equal(data.Length, zstd.Position);
        Assert.False(zstd.CanSeek);
        Assert.Throws<NotSupportedException>(() => zstd.Write([1]));
    }

    [Fact]
    public void Dispose_LeaveOpen_InnerStaysUsable()
    {
        var inner = new MemoryStream(Compress([1, 2, 3]));
        new ZstdDecompressionStream(inner, "x", leaveOpen: true).Dispose();
        Assert.True(inner.CanRead);
        new ZstdDecompressionStream(inner, "x", leaveOpen: false).Dispose();
        Assert.False(inner.CanRead);
    }
}
