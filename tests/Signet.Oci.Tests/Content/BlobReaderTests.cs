using Signet.Oci.Content;

namespace Signet.Oci.Tests.Content;

public sealed class BlobReaderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(200_000)]
    public async Task TryReadBoundedAsync_AtTheLimit_ReturnsEveryByte(int length)
    {
        var data = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();

        var read = await BlobReader.TryReadBoundedAsync(new MemoryStream(data), length);

        Assert.Equal(data, read);
    }

    [Fact]
    public async Task TryReadBoundedAsync_OneByteOver_ReturnsNull()
    {
        Assert.Null(await BlobReader.TryReadBoundedAsync(new MemoryStream(new byte[200_001]), 200_000));
    }

    [Fact]
    public async Task ReadBoundedAsync_OneByteOver_NamesTheObject()
    {
        var e = await Assert.ThrowsAsync<OciFormatException>(() => BlobReader.ReadBoundedAsync(new MemoryStream(new byte[11]), 10, "the test blob"));

        Assert.Equal("the test blob is larger than 10 bytes; refusing to read more", e.Message);
    }
}
