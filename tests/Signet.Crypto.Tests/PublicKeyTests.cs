using System.Security.Cryptography;

namespace Signet.Crypto.Tests;

public sealed class PublicKeyTests
{
    [Fact]
    public void FromSubjectPublicKeyInfo_UnknownCurveOid_ThrowsCryptographicException()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = ecdsa.ExportSubjectPublicKeyInfo();
        byte[] prime256v1 = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
        var at = spki.AsSpan().IndexOf(prime256v1);
        Assert.True(at > 0);

        // 1.3.102.72.10045.3.1.7: the OID a fuzzed key file produced, which OpenSSL reports as an unsupported platform curve.
        spki[at + 2] = 0x2B;
        spki[at + 3] = 0x66;

        var error = Assert.Throws<CryptographicException>(() => PublicKey.FromSubjectPublicKeyInfo(spki));
        Assert.Contains("curve", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ManyTimesConcurrently_EveryResultCorrect()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = PublicKey.FromSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo());
        var message = "payload"u8.ToArray();
        var signature = ecdsa.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        var results = Enumerable.Range(0, 400).AsParallel().Select(i => key.Verify(i % 2 == 0 ? message : "other"u8, signature)).ToList();

        Assert.Equal(200, results.Count(r => r));
        Assert.True(results.Where((_, i) => i % 2 == 1).All(r => !r));
    }

    [Fact]
    public void FromEcPrivateKey_UnknownCurveOid_ThrowsKeyFileException()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var sec1 = ecdsa.ExportECPrivateKey();
        byte[] prime256v1 = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
        var at = sec1.AsSpan().IndexOf(prime256v1);
        Assert.True(at > 0);
        sec1[at + 2] = 0x2B;
        sec1[at + 3] = 0x66;

        var error = Assert.Throws<Signet.Crypto.KeyFiles.KeyFileException>(() => Signet.Crypto.Keys.PrivateKey.FromEcPrivateKey(sec1, "mangled.key"));
        Assert.Contains("mangled.key", error.Message, StringComparison.Ordinal);
    }
}
