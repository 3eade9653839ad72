using System.Security.Cryptography;
using System.Text;
using Signet.Sigstore.Verification;

namespace Signet.Sigstore.Tests.Verification;

public sealed class ArtifactTests
{
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("a signed artifact\n");

    [Fact]
    public void FromBytes_Content_KeepsBytesAndSha256()
    {
        var artifact = Artifact.FromBytes(Content);

        Assert.Equal(SHA256.HashData(Content), artifact.Sha256.ToArray());
        Assert.Equal(Content, artifact.Bytes!.Value.ToArray());
        Assert.Equal(Content.Length, artifact.Length);
    }

    [Fact]
    public async Task FromStreamAsync_SmallStream_KeepsBytes()
    {
        using var stream = new MemoryStream(Content);

        var artifact = await Artifact.FromStreamAsync(stream, CancellationToken.None);

        Assert.Equal(SHA256.HashData(Content), artifact.Sha256.ToArray());
        Assert.Equal(Content, artifact.Bytes!.Value.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FromStreamAsync_OverBufferLimit_KeepsOnlyTheDigest(bool seekable)
    {
        var content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        using Stream stream = seekable ? new MemoryStream(content) : new NonSeekableStream(content);

        var artifact = await Artifact.FromStreamAsync(stream, 1024 * 1024, CancellationToken.None);

        Assert.Null(artifact.Bytes);
        Assert.Equal(SHA256.HashData(content), artifact.Sha256.ToArray());
        Assert.Equal(content.Length, artifact.Length);
    }

    [Fact]
    public async Task FromStreamAsync_ExactlyAtLimit_KeepsBytes()
    {
        using var stream = new NonSeekableStream(Content);

        var artifact = await Artifact.FromStreamAsync(stream, Content.Length, CancellationToken.None);

        Assert.Equal(Content, artifact.Bytes!.Value.ToArray());
    }

    [Fact]
    public void FromSha256_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => Artifact.FromSha256(new byte[31]));
    }

    [Fact]
    public void FromSha256_Digest_HasNoBytes()
    {
        var artifact = Artifact.FromSha256(SHA256.HashData(Content));

        Assert.Null(artifact.Bytes);
        Assert.Null(artifact.Length);
    }

    [Theory]
    [InlineData("sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf", true)]
    [InlineData("sha256:A0CFC71271D6E278E57CD332FF957C3F7043FDDA354C4CBB190A30D56EFA01BF", true)]
    [InlineData("sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01b", false)]
    [InlineData("sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bg", false)]
    [InlineData("sha512:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf", false)]
    [InlineData("a.txt", false)]
    [InlineData("", false)]
    public void TryParseSha256Digest_Text_RecognisesOnlyTheProtocolForm(string text, bool expected)
    {
        var parsed = Artifact.TryParseSha256Digest(text, out var artifact);

        Assert.Equal(expected, parsed);
        Assert.Equal(expected, artifact is not null);
        if (expected)
        {
            Assert.Equal(text[7..].ToLowerInvariant(), Convert.ToHexStringLower(artifact!.Sha256.Span));
        }
    }

    private sealed class NonSeekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
