using System.IO.Compression;
using Signet.Oci.Compression;
using Signet.Testing;

namespace Signet.Oci.Tests.Compression;

public sealed class LayerDecompressionTests
{
    private static readonly byte[] Data = TestBytes.Text(100_000, 42);

    private static byte[] Compressed(LayerCompression compression)
    {
        using var output = new MemoryStream();
        Stream writer = compression switch
        {
            LayerCompression.Gzip => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
            LayerCompression.Zstd => new ZstdCompressionStream(output, 1, leaveOpen: true),
            _ => new MemoryStream(),
        };
        using (writer)
        {
            writer.Write(Data);
        }

        return compression == LayerCompression.None ? Data : output.ToArray();
    }

    [Theory]
    [InlineData(new byte[] { 0x1f, 0x8b, 0x08, 0x00 }, LayerCompression.Gzip)]
    [InlineData(new byte[] { 0x1f, 0x8b }, LayerCompression.Gzip)]
    [InlineData(new byte[] { 0x28, 0xb5, 0x2f, 0xfd, 0x04 }, LayerCompression.Zstd)]
    [InlineData(new byte[] { 0x28, 0xb5, 0x2f }, LayerCompression.None)]
    [InlineData(new byte[] { 0x1f }, LayerCompression.None)]
    [InlineData(new byte[] { }, LayerCompression.None)]
    [InlineData(new byte[] { (byte)'e', (byte)'t', (byte)'c', (byte)'/' }, LayerCompression.None)]
    [InlineData(new byte[] { 0x50, 0x2a, 0x4d, 0x18 }, LayerCompression.None)]
    public void Detect_MagicBytes_ReturnsCompression(byte[] header, LayerCompression expected)
    {
        Assert.Equal(expected, LayerDecompression.Detect(header));
    }

    [Theory]
    [InlineData(LayerCompression.None)]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public void Open_EachCompression_ReturnsContent(LayerCompression compression)
    {
        var blob = Compressed(compression);
        Assert.Equal(compression, LayerDecompression.Detect(blob));
        using var stream = LayerDecompression.Open(new MemoryStream(blob), compression, leaveOpen: false);
        Assert.Equal(Data, TestBytes.ReadAll(stream));
    }

    [Theory]
    [InlineData(LayerCompression.None)]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public void Open_OutputAboveBound_ThrowsNamingLimit(LayerCompression compression)
    {
        using var stream = LayerDecompression.Open(new MemoryStream(Compressed(compression)), compression, false, "layer sha256:abc", Data.Length - 1);
        var e = Assert.Throws<InvalidDataException>(() => TestBytes.ReadAll(stream));
        Assert.Contains($"layer sha256:abc decompresses to more than the limit of {Data.Length - 1} bytes", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LayerCompression.None)]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public async Task Open_OutputExactlyAtBound_ReadsAll(LayerCompression compression)
    {
        await using var stream = LayerDecompression.Open(new MemoryStream(Compressed(compression)), compression, false, "layer", Data.Length);
        Assert.Equal(Data, await TestBytes.ReadAllAsync(stream, 3000));
    }

    [Fact]
    public void Open_UnknownCompression_ThrowsOciFormatException()
    {
        var e = Assert.Throws<OciFormatException>(() => LayerDecompression.Open(new MemoryStream(), LayerCompression.Unknown, false, "layer sha256:abc"));
        Assert.Contains("layer sha256:abc: its compression is unknown", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_LeaveOpenFalse_DisposesInput()
    {
        var input = new MemoryStream(Compressed(LayerCompression.Gzip));
        LayerDecompression.Open(input, LayerCompression.Gzip, leaveOpen: false, "layer", 10).Dispose();
        Assert.False(input.CanRead);
        var kept = new MemoryStream(Data);
        LayerDecompression.Open(kept, LayerCompression.None, leaveOpen: true).Dispose();
        Assert.True(kept.CanRead);
    }
}
