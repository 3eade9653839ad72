using System.Text;
using Signet.Oci.Content;

namespace Signet.Oci.Tests;

public sealed class VerifyingReadStreamTests
{
    private static readonly byte[] Content = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("layer bytes 0123456789\n", 500)));

    private static Descriptor Expected(string algorithm = Digest.Sha256) => new()
    {
        MediaType = MediaTypes.OciLayer,
        Digest = Digest.Compute(Content, algorithm),
        Size = Content.Length,
    };

    private static VerifyingReadStream Open(byte[] served, Descriptor? expected = null) =>
        new(new MemoryStream(served), expected ?? Expected(), "layer", "test source");

    [Theory]
    [InlineData(Digest.Sha256)]
    [InlineData(Digest.Sha512)]
    public void CopyTo_MatchingContent_VerifiesAndPassesBytesThrough(string algorithm)
    {
        using var stream = Open(Content, Expected(algorithm));
        using var sink = new MemoryStream();

        stream.CopyTo(sink, 100);

        Assert.True(stream.Verified);
        Assert.Equal(Content, sink.ToArray());
        Assert.Equal(Content.Length, stream.Position);
    }

    [Fact]
    public async Task CopyToAsync_MatchingContent_Verifies()
    {
        await using var stream = Open(Content);
        using var sink = new MemoryStream();

        await stream.CopyToAsync(sink, 64);

        Assert.True(stream.Verified);
        Assert.Equal(Content, sink.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5000)]
    [InlineData(11499)]
    public void Read_OneByteFlipped_ThrowsMismatchWithExpectedAndActual(int position)
    {
        var served = (byte[])Content.Clone();
        served[position] ^= 0x01;
        using var stream = Open(served);

        var error = Assert.Throws<DigestMismatchException>(() => stream.CopyTo(Stream.Null));

        Assert.Equal(Expected().Digest, error.Expected);
        Assert.Equal(Digest.Compute(served), error.Actual);
        Assert.Contains("test source", error.Message, StringComparison.Ordinal);
        Assert.Contains("layer", error.Message, StringComparison.Ordinal);
        Assert.False(stream.Verified);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(11499)]
    public void Read_Truncated_ThrowsSizeMismatchAtEnd(int length)
    {
        using var stream = Open(Content[..length]);

        var error = Assert.Throws<DigestMismatchException>(() => stream.CopyTo(Stream.Null));

        Assert.Equal(Content.Length, error.ExpectedSize);
        Assert.Equal(length, error.ActualSize);
        Assert.False(stream.Verified);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public void Read_Extended_ThrowsOnceContentRunsPastSize(int extra)
    {
        using var stream = Open([.. Content, .. new byte[extra]]);

        var error = Assert.Throws<DigestMismatchException>(() => stream.CopyTo(Stream.Null));

        Assert.Equal(Content.Length, error.ExpectedSize);
        Assert.True(error.ActualSize > Content.Length);
        Assert.Contains("longer than the descriptor says", error.Message, StringComparison.Ordinal);
        Assert.False(stream.Verified);
    }

    [Fact]
    public async Task ReadAsync_Extended_Throws()
    {
        await using var stream = Open([.. Content, 0x0a]);

        await Assert.ThrowsAsync<DigestMismatchException>(() => stream.CopyToAsync(Stream.Null));
    }

    [Fact]
    public void Read_ExactlySizeBytesWithoutFinalRead_IsNotYetVerified()
    {
        using var stream = Open(Content);
        var buffer = new byte[Content.Length];

        stream.ReadExactly(buffer);

        // All bytes arrived, but the check runs only when a read reports the end.
        Assert.False(stream.Verified);
        Assert.Equal(0, stream.Read(new byte[16]));
        Assert.True(stream.Verified);
        Assert.Equal(Content, buffer);
    }

    [Fact]
    public void Read_FlippedByteWithoutFinalRead_DoesNotThrowUntilEnd()
    {
        var served = (byte[])Content.Clone();
        served[^1] ^= 0xff;
        using var stream = Open(served);
        stream.ReadExactly(new byte[Content.Length]);

        Assert.False(stream.Verified);
        Assert.Throws<DigestMismatchException>(() => stream.Read(new byte[1]));
    }

    [Fact]
    public void Read_EmptyBuffer_DoesNotFinish()
    {
        using var stream = Open(Content);

        Assert.Equal(0, stream.Read([]));
        Assert.False(stream.Verified);
    }

    [Fact]
    public void Read_AfterVerified_StaysVerified()
    {
        using var stream = Open(Content);
        stream.CopyTo(Stream.Null);

        Assert.Equal(0, stream.Read(new byte[8]));
        Assert.True(stream.Verified);
    }

    [Fact]
    public void Read_EmptyBlob_VerifiesAgainstEmptyDigest()
    {
        var expected = Descriptor.For(MediaTypes.OciEmpty, []);
        using var stream = Open([], expected);

        Assert.Equal(0, stream.Read(new byte[8]));
        Assert.True(stream.Verified);
    }

    [Fact]
    public void Stream_Capabilities_ReadOnlyNotSeekable()
    {
        using var stream = Open(Content);

        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Equal(Content.Length, stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.Write(new byte[1], 0, 1));
        Assert.Throws<NotSupportedException>(() => stream.Position = 0);
    }

    [Fact]
    public void Dispose_LeaveOpen_KeepsInnerStreamOpen()
    {
        var inner = new MemoryStream(Content);
        using (new VerifyingReadStream(inner, Expected(), "layer", "test", leaveOpen: true))
        {
        }

        Assert.True(inner.CanRead);
        using (new VerifyingReadStream(inner, Expected(), "layer", "test"))
        {
        }

        Assert.False(inner.CanRead);
    }
}
