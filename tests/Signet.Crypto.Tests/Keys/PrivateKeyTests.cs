using System.Formats.Asn1;
using System.Security.Cryptography;
using Signet.Crypto.KeyFiles;
using Signet.Crypto.Keys;
using Signet.Crypto.Signers;

namespace Signet.Crypto.Tests.Keys;

public class PrivateKeyTests
{
    public static TheoryData<KeyAlgorithm> Algorithms => new(Enum.GetValues<KeyAlgorithm>());

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Generate_EveryAlgorithm_Pkcs8RoundTripsToSamePublicKey(KeyAlgorithm algorithm)
    {
        using var key = PrivateKey.Generate(algorithm);

        using var back = PrivateKey.FromPkcs8(key.ExportPkcs8());

        Assert.Equal(algorithm, key.Algorithm);
        Assert.Equal(algorithm, key.PublicKey.Algorithm);
        Assert.Equal(algorithm, back.Algorithm);
        Assert.Equal(key.PublicKey.SubjectPublicKeyInfo.ToArray(), back.PublicKey.SubjectPublicKeyInfo.ToArray());
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.EcdsaP384)]
    [InlineData(KeyAlgorithm.EcdsaP521)]
    public void Sign_Ecdsa_IsDerSequenceVerifiedWithCurveHash(KeyAlgorithm algorithm)
    {
        using var key = PrivateKey.Generate(algorithm);
        using var signer = new FileSigner(key);

        var signature = signer.Sign("payload"u8);

        var sequence = new AsnReader(signature, AsnEncodingRules.DER).ReadSequence();
        sequence.ReadInteger();
        sequence.ReadInteger();
        Assert.False(sequence.HasData);
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(key.PublicKey.SubjectPublicKeyInfo.Span, out _);
        Assert.True(ecdsa.VerifyData("payload"u8, signature, PublicKey.HashOf(algorithm), DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void Sign_Rsa_IsPkcs1Sha256()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.Rsa2048);
        using var signer = key.CreateSigner();

        var signature = signer.Sign("payload"u8);

        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(key.PublicKey.SubjectPublicKeyInfo.Span, out _);
        Assert.Equal(256, signature.Length);
        Assert.True(rsa.VerifyData("payload"u8, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Sign_Ed25519_IsDeterministicPureEd25519()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.Ed25519);
        using var signer = key.CreateSigner();

        var first = signer.Sign("payload"u8);

        Assert.Equal(64, first.Length);
        Assert.Equal(first, signer.Sign("payload"u8));
        Assert.True(key.PublicKey.Verify("payload"u8, first));
    }

    [Fact]
    public async Task SignAsync_Cancelled_Throws()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        using var signer = key.CreateSigner();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signer.SignAsync(new byte[1], new CancellationToken(canceled: true)));
    }

    [Fact]
    public void CreateSigner_KeyDisposedAfter_SignerStillSigns()
    {
        var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        using var signer = key.CreateSigner();
        var publicKey = key.PublicKey;

        key.Dispose();

        Assert.True(publicKey.Verify("m"u8, signer.Sign("m"u8)));
        Assert.Throws<ObjectDisposedException>(() => key.ExportPkcs8());
    }

    [Fact]
    public void FromPkcs8_TrailingBytes_InvalidKey()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);

        var e = Assert.Throws<KeyFileException>(() => PrivateKey.FromPkcs8([.. key.ExportPkcs8(), 0]));

        Assert.Equal(KeyFileError.InvalidKey, e.Error);
    }

    [Fact]
    public void FromPkcs8_NotDer_InvalidKey()
    {
        var e = Assert.Throws<KeyFileException>(() => PrivateKey.FromPkcs8("reallyimportant"u8, "x.key"));

        Assert.Equal(KeyFileError.InvalidKey, e.Error);
        Assert.StartsWith("x.key: ", e.Message, StringComparison.Ordinal);
    }
}
