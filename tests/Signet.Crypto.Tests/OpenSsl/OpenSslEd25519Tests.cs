using System.Security.Cryptography;
using Signet.Crypto.OpenSsl;

namespace Signet.Crypto.Tests.OpenSsl;

public class OpenSslEd25519Tests
{
    /// <summary>RFC 8032 section 7.1, TEST 1 to 3: secret key (seed), public key, message, signature.</summary>
    public static TheoryData<string, string, string, string> Rfc8032Vectors => new()
    {
        {
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        },
        {
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        },
        {
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Sign_Rfc8032Vector_MatchesPublicKeyAndSignature(string seed, string publicKey, string message, string signature)
    {
        using var key = OpenSslEd25519.FromSeed(Convert.FromHexString(seed));

        Assert.Equal(publicKey, Convert.ToHexStringLower(key.ExportRawPublicKey()));
        Assert.Equal(signature, Convert.ToHexStringLower(key.Sign(Convert.FromHexString(message))));
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Verify_Rfc8032Vector_AcceptsAndRejectsChanges(string seed, string publicKey, string message, string signature)
    {
        _ = seed;
        using var key = OpenSslEd25519.FromRawPublicKey(Convert.FromHexString(publicKey));
        var spki = key.ExportSubjectPublicKeyInfo();
        var messageBytes = Convert.FromHexString(message);
        var signatureBytes = Convert.FromHexString(signature);
        var verifier = PublicKey.FromSubjectPublicKeyInfo(spki);

        Assert.Equal(KeyAlgorithm.Ed25519, verifier.Algorithm);
        Assert.True(key.Verify(messageBytes, signatureBytes));
        Assert.True(verifier.Verify(messageBytes, signatureBytes));

        var flipped = (byte[])signatureBytes.Clone();
        flipped[10] ^= 1;
        Assert.False(verifier.Verify(messageBytes, flipped));
        Assert.False(verifier.Verify([.. messageBytes, 0], signatureBytes));
        Assert.False(verifier.Verify(messageBytes, signatureBytes.AsSpan(0, 63)));
        Assert.False(verifier.Verify(messageBytes, []));
    }

    [Fact]
    public void ExportPkcs8_Rfc8032Seed_IsRfc8410VersionZeroEncoding()
    {
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        using var key = OpenSslEd25519.FromSeed(seed);

        var pkcs8 = key.ExportPkcs8();

        // SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }: Go's MarshalPKCS8PrivateKey form.
        Assert.Equal("302e020100300506032b657004220420" + Convert.ToHexStringLower(seed), Convert.ToHexStringLower(pkcs8));
        using var back = OpenSslEd25519.ImportPkcs8(pkcs8);
        Assert.Equal(seed, back.ExportSeed());
    }

    [Fact]
    public void ExportSubjectPublicKeyInfo_Rfc8032Key_IsRfc8410Encoding()
    {
        using var key = OpenSslEd25519.FromRawPublicKey(Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));

        Assert.Equal(
            "302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            Convert.ToHexStringLower(key.ExportSubjectPublicKeyInfo()));
        Assert.False(key.HasPrivateKey);
        Assert.Throws<InvalidOperationException>(() => key.Sign([1]));
    }

    [Fact]
    public void Generate_TwoKeys_DifferAndSignVerifiably()
    {
        using var first = OpenSslEd25519.Generate();
        using var second = OpenSslEd25519.Generate();

        Assert.NotEqual(first.ExportRawPublicKey(), second.ExportRawPublicKey());
        var signature = first.Sign("hello"u8);
        Assert.True(OpenSslEd25519.VerifyWithSubjectPublicKeyInfo(first.ExportSubjectPublicKeyInfo(), "hello"u8, signature));
        Assert.False(OpenSslEd25519.VerifyWithSubjectPublicKeyInfo(second.ExportSubjectPublicKeyInfo(), "hello"u8, signature));
    }

    [Fact]
    public void ImportPkcs8_Garbage_ThrowsWithOpenSslErrorString()
    {
        var e = Assert.Throws<CryptographicException>(() => OpenSslEd25519.ImportPkcs8([0x30, 0x03, 0x02, 0x01]));

        Assert.Contains("d2i_AutoPrivateKey", e.Message, StringComparison.Ordinal);
        Assert.Contains("error:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportPkcs8_EcdsaKey_RefusedAsNotEd25519()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var e = Assert.Throws<CryptographicException>(() => OpenSslEd25519.ImportPkcs8(ecdsa.ExportPkcs8PrivateKey()));

        Assert.Contains("not Ed25519", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportSubjectPublicKeyInfo_TrailingBytes_Refused()
    {
        using var key = OpenSslEd25519.Generate();
        byte[] spki = [.. key.ExportSubjectPublicKeyInfo(), 0];

        Assert.Throws<CryptographicException>(() => OpenSslEd25519.ImportSubjectPublicKeyInfo(spki));
        Assert.False(OpenSslEd25519.VerifyWithSubjectPublicKeyInfo(spki, "m"u8, new byte[64]));
    }

    [Fact]
    public void FromSeed_WrongLength_Refused()
    {
        Assert.Throws<CryptographicException>(() => OpenSslEd25519.FromSeed(new byte[31]));
        Assert.Throws<CryptographicException>(() => OpenSslEd25519.FromRawPublicKey(new byte[33]));
    }

    [Fact]
    public void Verify_AfterFailedCall_LeavesNoErrorForDotNetCrypto()
    {
        // OpenSSL's error queue is shared with .NET on this thread: a failure here must not surface in the next .NET call.
        Assert.Throws<CryptographicException>(() => OpenSslEd25519.ImportSubjectPublicKeyInfo([1, 2, 3]));
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var signature = ecdsa.SignData("x"u8, HashAlgorithmName.SHA256);

        Assert.True(ecdsa.VerifyData("x"u8, signature, HashAlgorithmName.SHA256));
        Assert.Equal(0u, (uint)LibCrypto.ERR_get_error());
    }
}
