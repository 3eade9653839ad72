using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Signet.Crypto;
using Signet.Crypto.Keys;
using Signet.Signing.Blobs;
using Signet.Sigstore.Bundles;
using Signet.Testing;

namespace Signet.Signing.Tests.Blobs;

public sealed class BlobSigningTests
{
    public static TheoryData<KeyAlgorithm> Algorithms => [.. Enum.GetValues<KeyAlgorithm>()];

    private static readonly byte[] Content = Encoding.UTF8.GetBytes("release artifact v1.0\n");

    private static async Task<BlobSignature> SignAsync(PrivateKey key, byte[] content, BlobOptions? options = null)
    {
        using var signer = key.CreateSigner();
        using var stream = new MemoryStream(content);
        return await BlobSigner.SignAsync(signer, stream, "artifact.txt", options);
    }

    private static async Task<BlobVerificationResult> VerifyAsync(PublicKey key, ReadOnlyMemory<byte> bundle, byte[] content, BlobOptions? options = null)
    {
        using var stream = new MemoryStream(content);
        return await BlobVerifier.VerifyAsync(key, bundle, stream, "artifact.txt", options);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task SignAsync_EveryAlgorithm_VerifiesWithItsPublicKey(KeyAlgorithm algorithm)
    {
        using var key = PrivateKey.Generate(algorithm);

        var signed = await SignAsync(key, Content);
        var result = await VerifyAsync(key.PublicKey, signed.Bundle.Raw, Content);

        Assert.True(result.Passed, string.Join("\n", result.Problems));
        Assert.Equal(Digest256(Content), result.ArtifactDigest.ToString());
        Assert.Equal(Content.Length, result.Length);
        Assert.Equal(signed.KeyHint, result.BundleKeyHint);
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256, "SHA2_256", 32)]
    [InlineData(KeyAlgorithm.EcdsaP384, "SHA2_384", 48)]
    [InlineData(KeyAlgorithm.EcdsaP521, "SHA2_512", 64)]
    [InlineData(KeyAlgorithm.Rsa2048, "SHA2_256", 32)]
    [InlineData(KeyAlgorithm.Ed25519, "SHA2_256", 32)]
    public async Task SignAsync_Bundle_IsKeyedV03MessageSignatureWithTheKeysHash(KeyAlgorithm algorithm, string digestAlgorithm, int digestLength)
    {
        using var key = PrivateKey.Generate(algorithm);

        var signed = await SignAsync(key, Content);

        using var json = JsonDocument.Parse(signed.Bundle.Raw);
        var root = json.RootElement;
        Assert.Equal(["mediaType", "verificationMaterial", "messageSignature"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("application/vnd.dev.sigstore.bundle.v0.3+json", root.GetProperty("mediaType").GetString());
        var material = root.GetProperty("verificationMaterial");
        Assert.Equal(["publicKey"], material.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(key.PublicKey.SubjectPublicKeyInfo.Span)), material.GetProperty("publicKey").GetProperty("hint").GetString());
        var digest = root.GetProperty("messageSignature").GetProperty("messageDigest");
        Assert.Equal(digestAlgorithm, digest.GetProperty("algorithm").GetString());
        var digestBytes = Convert.FromBase64String(digest.GetProperty("digest").GetString()!);
        Assert.Equal(digestLength, digestBytes.Length);
        Assert.Equal(CryptographicOperations.HashData(PublicKey.HashOf(algorithm), Content), digestBytes);
        Assert.True(SigstoreBundle.Read(signed.Bundle.Raw).IsValid);
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    [InlineData(KeyAlgorithm.Ed25519)]
    public async Task SignAsync_Signature_VerifiesOverTheWholeFileIndependently(KeyAlgorithm algorithm)
    {
        using var key = PrivateKey.Generate(algorithm);

        var signed = await SignAsync(key, Content);

        Assert.True(key.PublicKey.Verify(Content, signed.Bundle.MessageSignature!.Signature.Span));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task VerifyAsync_TamperedFile_ReportsDigestAndSignatureMismatch(KeyAlgorithm algorithm)
    {
        using var key = PrivateKey.Generate(algorithm);
        var signed = await SignAsync(key, Content);
        var tampered = (byte[])Content.Clone();
        tampered[3] ^= 0x01;

        var result = await VerifyAsync(key.PublicKey, signed.Bundle.Raw, tampered);

        Assert.False(result.Passed);
        Assert.Equal([BlobCodes.DigestMismatch, BlobCodes.SignatureMismatch], result.Problems.Select(p => p.Code));
        Assert.Contains(Convert.ToHexStringLower(CryptographicOperations.HashData(PublicKey.HashOf(algorithm), tampered)), result.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_OtherKey_ReportsSignatureMismatchNamingTheHint()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        using var other = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var signed = await SignAsync(key, Content);

        var result = await VerifyAsync(other.PublicKey, signed.Bundle.Raw, Content);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(BlobCodes.SignatureMismatch, problem.Code);
        Assert.Equal(BlobCheckStep.Signature, problem.Step);
        Assert.Contains(signed.KeyHint, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_MessageDigestRewrittenForOtherFile_RefusesTheBundle()
    {
        // An attacker who swaps the file and rewrites messageDigest to match it still cannot make the signature verify.
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var signed = await SignAsync(key, Content);
        var other = Encoding.UTF8.GetBytes("malicious artifact\n");
        var rewritten = Encoding.UTF8.GetString(signed.Bundle.Raw.Span)
            .Replace(Convert.ToBase64String(SHA256.HashData(Content)), Convert.ToBase64String(SHA256.HashData(other)), StringComparison.Ordinal);

        var result = await VerifyAsync(key.PublicKey, Encoding.UTF8.GetBytes(rewritten), other);

        Assert.Equal([BlobCodes.SignatureMismatch], result.Problems.Select(p => p.Code));
    }

    [Fact]
    public async Task VerifyAsync_MessageDigestOfOtherFile_RefusesEvenWithAValidSignature()
    {
        // The signature is good over the file, but the bundle claims another digest: refused (BLB1004).
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var signed = await SignAsync(key, Content);
        var bundle = BundleWriter.CreateKeySignedMessage(
            signed.Bundle.MessageSignature! with { MessageDigest = new MessageDigest { Algorithm = BundleHashAlgorithm.Sha256, Digest = SHA256.HashData("x"u8) } },
            signed.KeyHint);

        var result = await VerifyAsync(key.PublicKey, bundle.Raw, Content);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(BlobCodes.DigestMismatch, problem.Code);
        Assert.Equal(BlobCheckStep.Digest, problem.Step);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}")]
    [InlineData("[1,2]")]
    public async Task VerifyAsync_MalformedBundle_ReportsBlb1001WithTheBundleCode(string json)
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);

        var result = await VerifyAsync(key.PublicKey, Encoding.UTF8.GetBytes(json), Content);

        Assert.False(result.Passed);
        Assert.All(result.Problems, p => Assert.Equal(BlobCodes.MalformedBundle, p.Code));
        Assert.Contains("BND1", result.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_OversizedBundle_IsRefusedBeforeParsing()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);

        var result = await VerifyAsync(key.PublicKey, new byte[2048], Content, new BlobOptions { MaxBundleBytes = 1024 });

        Assert.Equal(BlobCodes.MalformedBundle, Assert.Single(result.Problems).Code);
        Assert.Null(result.ArtifactDigest);
    }

    [Fact]
    public async Task VerifyAsync_DsseBundle_ReportsNotMessageSignature()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        using var signer = key.CreateSigner();
        var envelope = await Crypto.Dsse.DsseEnvelope.SignAsync(signer, "application/vnd.in-toto+json", Content, layout: Crypto.Dsse.DsseJsonLayout.SigstoreBundle);
        var bundle = BundleWriter.CreateKeySignedDsse(envelope, BundleWriter.PublicKeyHint(key.PublicKey));

        var result = await VerifyAsync(key.PublicKey, bundle.Raw, Content);

        Assert.Equal(BlobCodes.NotMessageSignature, Assert.Single(result.Problems).Code);
    }

    [Fact]
    public async Task VerifyAsync_NoMessageDigest_ReportsUnsupportedDigestAndStillChecksTheSignature()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var signed = await SignAsync(key, Content);
        var json = $"{{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{{\"publicKey\":{{\"hint\":\"{signed.KeyHint}\"}}}}," +
            $"\"messageSignature\":{{\"signature\":\"{Convert.ToBase64String(signed.Bundle.MessageSignature!.Signature.Span)}\"}}}}";

        var result = await VerifyAsync(key.PublicKey, Encoding.UTF8.GetBytes(json), Content);

        Assert.Equal([BlobCodes.UnsupportedDigest], result.Problems.Select(p => p.Code));
    }

    [Fact]
    public async Task VerifyAsync_Sha3Digest_ReportsUnsupportedDigest()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var signed = await SignAsync(key, Content);
        var bundle = BundleWriter.CreateKeySignedMessage(
            signed.Bundle.MessageSignature! with { MessageDigest = new MessageDigest { Algorithm = BundleHashAlgorithm.Sha3256, Digest = new byte[32] } },
            signed.KeyHint);

        var result = await VerifyAsync(key.PublicKey, bundle.Raw, Content);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(BlobCodes.UnsupportedDigest, problem.Code);
        Assert.Contains("SHA3_256", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_KeylessCertificateBundle_ReportsNotKeyed()
    {
        // The sigstore-js sample: keyless (Fulcio certificate) over another blob, verified here with some key.
        var bundle = await File.ReadAllBytesAsync(TestData.RequirePeerSample("mock-blob.sigstore.json"));
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);

        var result = await VerifyAsync(key.PublicKey, bundle, Content);

        Assert.Contains(result.Problems, p => p.Code == BlobCodes.NotKeyed && p.Step == BlobCheckStep.Material);
        Assert.Contains(result.Problems, p => p.Code == BlobCodes.DigestMismatch);
        Assert.Equal(1, result.IgnoredTlogEntries);
    }

    [Fact]
    public async Task SignAsync_Ed25519OverTheLimit_IsRefusedBeforeReading()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.Ed25519);

        var e = await Assert.ThrowsAsync<BlobTooLargeException>(() => SignAsync(key, new byte[2048], new BlobOptions { MaxEd25519Bytes = 1024 }));

        Assert.Contains("ECDSA or RSA", e.Message, StringComparison.Ordinal);
        Assert.Contains("2048 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAsync_Ed25519OverTheLimitOnAPipe_IsRefusedWhenTheLimitIsPassed()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.Ed25519);
        using var signer = key.CreateSigner();
        using var pipe = new NonSeekableStream(new byte[4096]);

        await Assert.ThrowsAsync<BlobTooLargeException>(() => BlobSigner.SignAsync(signer, pipe, "pipe", new BlobOptions { MaxEd25519Bytes = 1024 }));
    }

    [Fact]
    public async Task VerifyAsync_Ed25519OverTheLimit_ChecksTheDigestAndReportsTooLarge()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.Ed25519);
        var content = new byte[4096];
        var signed = await SignAsync(key, content);

        var result = await VerifyAsync(key.PublicKey, signed.Bundle.Raw, content, new BlobOptions { MaxEd25519Bytes = 1024 });

        Assert.Equal([BlobCodes.TooLargeForEd25519], result.Problems.Select(p => p.Code));
        Assert.Equal(Digest256(content), result.ArtifactDigest.ToString());
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    public async Task SignAsync_EcdsaAndRsaOnAPipe_StreamPastTheEd25519Limit(KeyAlgorithm algorithm)
    {
        // 24 MiB through a non-seekable stream with a 1 KiB in-memory limit: only digests are kept.
        using var key = PrivateKey.Generate(algorithm);
        using var signer = key.CreateSigner();
        var content = RandomNumberGenerator.GetBytes(24 * 1024 * 1024);
        var options = new BlobOptions { MaxEd25519Bytes = 1024 };

        BlobSignature signed;
        using (var pipe = new NonSeekableStream(content))
        {
            signed = await BlobSigner.SignAsync(signer, pipe, "pipe", options);
        }

        using var again = new NonSeekableStream(content);
        var result = await BlobVerifier.VerifyAsync(key.PublicKey, signed.Bundle.Raw, again, "pipe", options);
        Assert.True(result.Passed, string.Join("\n", result.Problems));
        Assert.Equal(content.Length, signed.Length);
    }

    [Fact]
    public async Task VerifyAsync_P384SignedWithSha256AsOlderCosign_Verifies()
    {
        // Older cosign signed every ECDSA key with SHA-256 and wrote SHA2_256: accepted (the file is still bound by the digest).
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP384);
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(key.ExportPkcs8(), out _);
        var signature = ecdsa.SignData(Content, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var bundle = BundleWriter.CreateKeySignedMessage(new MessageSignature
        {
            MessageDigest = new MessageDigest { Algorithm = BundleHashAlgorithm.Sha256, Digest = SHA256.HashData(Content) },
            Signature = signature,
        }, BundleWriter.PublicKeyHint(key.PublicKey));

        var result = await VerifyAsync(key.PublicKey, bundle.Raw, Content);

        Assert.True(result.Passed, string.Join("\n", result.Problems));
    }

    [Fact]
    public async Task VerifyAsync_EmptyFile_RoundTrips()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var signed = await SignAsync(key, []);

        var result = await VerifyAsync(key.PublicKey, signed.Bundle.Raw, []);

        Assert.True(result.Passed);
        Assert.Equal(0, result.Length);
    }

    [Fact]
    public void BlobCodes_AreDistinctAndInRange()
    {
        var codes = typeof(BlobCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Equal(7, codes.Count);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^BLB1\\d{3}$", c));
    }

    private static string Digest256(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>A read-only stream that cannot seek or tell its length, like a pipe.</summary>
    private sealed class NonSeekableStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 65536));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _inner.ReadAsync(buffer[..Math.Min(buffer.Length, 65536)], cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
