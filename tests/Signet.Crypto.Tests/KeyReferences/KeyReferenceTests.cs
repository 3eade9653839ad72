using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Crypto.KeyFiles;
using Signet.Crypto.KeyFiles.Encryption;
using Signet.Crypto.KeyReferences;
using Signet.Crypto.Keys;
using Signet.Crypto.Passphrases;
using Signet.Testing;

namespace Signet.Crypto.Tests.KeyReferences;

public class KeyReferenceTests
{
    [Theory]
    [InlineData("cosign.pub", KeyReferenceKind.File, "cosign.pub")]
    [InlineData("/etc/keys/cosign.key", KeyReferenceKind.File, "/etc/keys/cosign.key")]
    [InlineData("./odd://name", KeyReferenceKind.File, "./odd://name")]
    [InlineData("env://COSIGN_KEY", KeyReferenceKind.Environment, "COSIGN_KEY")]
    [InlineData("env://_k1", KeyReferenceKind.Environment, "_k1")]
    [InlineData("pkcs11:token=t;object=o?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234", KeyReferenceKind.Pkcs11,
        "pkcs11:token=t;object=o?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234")]
    [InlineData("PKCS11:slot-id=0", KeyReferenceKind.Pkcs11, "PKCS11:slot-id=0")]
    public void Parse_SupportedForms_Classified(string value, KeyReferenceKind kind, string expected)
    {
        var reference = KeyReference.Parse(value);

        Assert.Equal(kind, reference.Kind);
        Assert.Equal(expected, reference.Value);
        Assert.Equal(value, reference.Raw);
        Assert.Equal(value, reference.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("  ", "empty")]
    [InlineData("env://", "environment variable")]
    [InlineData("env://1ABC", "environment variable")]
    [InlineData("env://A-B", "environment variable")]
    [InlineData("awskms:///alias/foo", "awskms://")]
    [InlineData("gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k", "gcpkms://")]
    [InlineData("hashivault://key", "hashivault://")]
    [InlineData("k8s://ns/secret", "k8s://")]
    [InlineData("https://example.com/key.pub", "https://")]
    public void Parse_UnsupportedOrMalformed_FormatExceptionSayingWhy(string value, string expected)
    {
        var e = Assert.Throws<FormatException>(() => KeyReference.Parse(value));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadPublicKeyAsync_PublicKeyCertificateAndPrivateKey_SameKey()
    {
        using var dir = new TempDir();
        var passphrases = new FixedPassphraseSource("pw");
        var paths = await KeyPairFiles.GenerateAsync(KeyAlgorithm.EcdsaP256, dir.Combine("cosign"), passphrases);
        using var key = await KeyPairFiles.ReadPrivateKeyAsync(paths.PrivateKeyPath, passphrases);
        var certificatePath = dir.Combine("cert.pem");
        using (var ecdsa = ECDsa.Create())
        {
            ecdsa.ImportPkcs8PrivateKey(key.ExportPkcs8(), out _);
            var request = new CertificateRequest("CN=signet test", ecdsa, HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        }

        var resolver = new KeyReferenceResolver(passphrases);
        var expected = key.PublicKey.SubjectPublicKeyInfo.ToArray();

        Assert.Equal(expected, (await resolver.LoadPublicKeyAsync(KeyReference.Parse(paths.PublicKeyPath))).SubjectPublicKeyInfo.ToArray());
        Assert.Equal(expected, (await resolver.LoadPublicKeyAsync(KeyReference.Parse(certificatePath))).SubjectPublicKeyInfo.ToArray());
        Assert.Equal(expected, (await resolver.LoadPublicKeyAsync(KeyReference.Parse(paths.PrivateKeyPath))).SubjectPublicKeyInfo.ToArray());
    }

    [Fact]
    public async Task LoadSignerAsync_EnvironmentVariable_SignsVerifiably()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.Ed25519);
        var pem = PrivateKeyPem.Encrypt(key, "pw"u8, ScryptParameters.Legacy);
        var environment = new Dictionary<string, string> { ["MY_KEY"] = pem, ["SIGNET_PASSWORD"] = "pw" };
        var resolver = new KeyReferenceResolver(new EnvironmentPassphraseSource(environment: environment.GetValueOrDefault), environment.GetValueOrDefault);

        using var signer = await resolver.LoadSignerAsync(KeyReference.Parse("env://MY_KEY"));
        var signature = await signer.SignAsync("msg"u8.ToArray());

        Assert.Equal(KeyAlgorithm.Ed25519, signer.Algorithm);
        Assert.True(key.PublicKey.Verify("msg"u8, signature));
        var publicKey = await resolver.LoadPublicKeyAsync(KeyReference.Parse("env://MY_KEY"));
        Assert.True(publicKey.Verify("msg"u8, signature));
    }

    [Fact]
    public async Task LoadSignerAsync_Pkcs11_UsesRegisteredFactoryWithRawUri()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        KeyReference? seen = null;
        var resolver = new KeyReferenceResolver(new FixedPassphraseSource(""))
        {
            Pkcs11Signers = (reference, _) =>
            {
                seen = reference;
                return Task.FromResult<ISigner>(key.CreateSigner());
            },
        };
        var uri = "pkcs11:token=signet;object=key?module-path=/usr/lib/softhsm/libsofthsm2.so";

        using var signer = await resolver.LoadSignerAsync(KeyReference.Parse(uri));
        var publicKey = await resolver.LoadPublicKeyAsync(KeyReference.Parse(uri));

        Assert.Equal(uri, seen?.Value);
        Assert.Equal(key.PublicKey.SubjectPublicKeyInfo.ToArray(), publicKey.SubjectPublicKeyInfo.ToArray());
    }

    [Fact]
    public async Task LoadSignerAsync_Pkcs11WithoutFactory_UnsupportedKey()
    {
        var resolver = new KeyReferenceResolver(new FixedPassphraseSource(""));

        var e = await Assert.ThrowsAsync<KeyFileException>(() => resolver.LoadSignerAsync(KeyReference.Parse("pkcs11:token=x")));

        Assert.Equal(KeyFileError.UnsupportedKey, e.Error);
    }

    [Fact]
    public async Task LoadPublicKeyAsync_MissingFileOrVariable_NotFound()
    {
        var resolver = new KeyReferenceResolver(new FixedPassphraseSource(""), _ => null);

        var file = await Assert.ThrowsAsync<KeyFileException>(() => resolver.LoadPublicKeyAsync(KeyReference.Parse("/nonexistent/dir/cosign.pub")));
        var variable = await Assert.ThrowsAsync<KeyFileException>(() => resolver.LoadPublicKeyAsync(KeyReference.Parse("env://NOPE")));

        Assert.Equal(KeyFileError.NotFound, file.Error);
        Assert.Contains("/nonexistent/dir/cosign.pub", file.Message, StringComparison.Ordinal);
        Assert.Equal(KeyFileError.NotFound, variable.Error);
        Assert.Contains("NOPE", variable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadSignerAsync_PublicKeyFile_ExplainsPrivateKeyNeeded()
    {
        using var dir = new TempDir();
        var paths = await KeyPairFiles.GenerateAsync(KeyAlgorithm.EcdsaP256, dir.Combine("k"), new FixedPassphraseSource(""));
        var resolver = new KeyReferenceResolver(new FixedPassphraseSource(""));

        var e = await Assert.ThrowsAsync<KeyFileException>(() => resolver.LoadSignerAsync(KeyReference.Parse(paths.PublicKeyPath)));

        Assert.Contains("not a private key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadSignerAsync_EncryptedKeyNoPassphraseNoPrompt_PassphraseUnavailable()
    {
        using var dir = new TempDir();
        var paths = await KeyPairFiles.GenerateAsync(KeyAlgorithm.EcdsaP256, dir.Combine("k"), new FixedPassphraseSource("x"));
        var resolver = new KeyReferenceResolver(new EnvironmentPassphraseSource(environment: _ => null));

        var e = await Assert.ThrowsAsync<KeyFileException>(() => resolver.LoadSignerAsync(KeyReference.Parse(paths.PrivateKeyPath)));

        Assert.Equal(KeyFileError.PassphraseUnavailable, e.Error);
        Assert.Contains("SIGNET_PASSWORD", e.Message, StringComparison.Ordinal);
    }
}
