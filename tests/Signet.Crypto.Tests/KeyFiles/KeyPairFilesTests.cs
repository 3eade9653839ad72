using System.Text;
using Signet.Crypto.KeyFiles;
using Signet.Crypto.Keys;
using Signet.Crypto.Passphrases;
using Signet.Testing;
using Signet.Testing.Tools;

namespace Signet.Crypto.Tests.KeyFiles;

public class KeyPairFilesTests
{
    public static TheoryData<KeyAlgorithm> Algorithms => new(Enum.GetValues<KeyAlgorithm>());

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task GenerateAsync_EveryAlgorithm_WritesReadsSignsAndOpenSslVerifies(KeyAlgorithm algorithm)
    {
        using var dir = new TempDir();
        var prefix = dir.Combine("cosign");
        var passphrases = new FixedPassphraseSource("correct horse");

        var paths = await KeyPairFiles.GenerateAsync(algorithm, prefix, passphrases);

        Assert.StartsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n", await File.ReadAllTextAsync(paths.PrivateKeyPath));
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", await File.ReadAllTextAsync(paths.PublicKeyPath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(paths.PrivateKeyPath));
        }

        using var key = await KeyPairFiles.ReadPrivateKeyAsync(paths.PrivateKeyPath, passphrases);
        var publicKey = PublicKeyPem.Parse(await File.ReadAllTextAsync(paths.PublicKeyPath), paths.PublicKeyPath);
        Assert.Equal(algorithm, key.Algorithm);
        Assert.Equal(publicKey.SubjectPublicKeyInfo.ToArray(), key.PublicKey.SubjectPublicKeyInfo.ToArray());

        var message = Encoding.UTF8.GetBytes($"signet {algorithm}");
        using var signer = key.CreateSigner();
        var signature = await signer.SignAsync(message);
        Assert.True(publicKey.Verify(message, signature));
        Assert.False(publicKey.Verify([.. message, 1], signature));

        // OpenSSL reads the public key and (exported unencrypted) private key, agrees on the public half, and verifies.
        var pkcs8Path = dir.Combine("plain.pem");
        await File.WriteAllTextAsync(pkcs8Path, new string(System.Security.Cryptography.PemEncoding.Write("PRIVATE KEY", key.ExportPkcs8())));
        var derivedPublic = Tool.Run("openssl", "pkey", "-in", pkcs8Path, "-pubout");
        Assert.Equal((await File.ReadAllTextAsync(paths.PublicKeyPath)).Trim(), derivedPublic.Trim());
        Tool.Run("openssl", "pkey", "-pubin", "-in", paths.PublicKeyPath, "-noout");
        await OpenSslVerifyAsync(dir, algorithm, paths.PublicKeyPath, message, signature);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task WriteAsync_EveryAlgorithm_PyNaClAndHashlibDecryptToPkcs8(KeyAlgorithm algorithm)
    {
        using var dir = new TempDir();
        using var key = PrivateKey.Generate(algorithm);

        var paths = await KeyPairFiles.WriteAsync(key, dir.Combine("k"), new FixedPassphraseSource("pässwörd"));

        // An implementation that shares nothing with Signet's: hashlib's scrypt (OpenSSL) and PyNaCl's secretbox (libsodium).
        var script = """
            import base64, hashlib, json, sys, nacl.secret
            text = open(sys.argv[1]).read()
            assert text.startswith('-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n'), text[:60]
            body = ''.join(text.strip().split('\n')[1:-1])
            doc = json.loads(base64.b64decode(body))
            assert list(doc) == ['kdf', 'cipher', 'ciphertext'] and list(doc['kdf']) == ['name', 'params', 'salt']
            p = doc['kdf']['params']
            key = hashlib.scrypt(sys.argv[2].encode(), salt=base64.b64decode(doc['kdf']['salt']), n=p['N'], r=p['r'], p=p['p'], maxmem=1 << 28, dklen=32)
            box = nacl.secret.SecretBox(key)
            print(box.decrypt(base64.b64decode(doc['ciphertext']), base64.b64decode(doc['cipher']['nonce'])).hex())
            """;
        var output = Tool.Run(Tool.SystemPython, "-c", script, paths.PrivateKeyPath, "pässwörd");

        Assert.Equal(Convert.ToHexStringLower(key.ExportPkcs8()), output.Trim());
    }

    [Fact]
    public async Task ReadPrivateKeyAsync_WrongPassphrase_DecryptionFailedNamingFile()
    {
        using var dir = new TempDir();
        var paths = await KeyPairFiles.GenerateAsync(KeyAlgorithm.EcdsaP256, dir.Combine("k"), new FixedPassphraseSource("right"));

        var e = await Assert.ThrowsAsync<KeyFileException>(() => KeyPairFiles.ReadPrivateKeyAsync(paths.PrivateKeyPath, new FixedPassphraseSource("wrong")));

        Assert.Equal(KeyFileError.DecryptionFailed, e.Error);
        Assert.Equal(paths.PrivateKeyPath, e.KeySource);
        Assert.Contains(paths.PrivateKeyPath, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadPrivateKeyAsync_TamperedCiphertext_DecryptionFailed()
    {
        using var dir = new TempDir();
        var paths = await KeyPairFiles.GenerateAsync(KeyAlgorithm.Ed25519, dir.Combine("k"), new FixedPassphraseSource(""));
        var pem = PemBody(await File.ReadAllTextAsync(paths.PrivateKeyPath));
        var json = Encoding.ASCII.GetString(pem);
        var start = json.IndexOf("\"ciphertext\":\"", StringComparison.Ordinal) + 20;
        var flipped = json[..start] + (json[start] == 'A' ? 'B' : 'A') + json[(start + 1)..];
        await File.WriteAllTextAsync(paths.PrivateKeyPath, new string(System.Security.Cryptography.PemEncoding.Write("ENCRYPTED SIGSTORE PRIVATE KEY", Encoding.ASCII.GetBytes(flipped))));

        var e = await Assert.ThrowsAsync<KeyFileException>(() => KeyPairFiles.ReadPrivateKeyAsync(paths.PrivateKeyPath, new FixedPassphraseSource("")));

        Assert.Equal(KeyFileError.DecryptionFailed, e.Error);
    }

    [Fact]
    public async Task ReadPrivateKeyAsync_TruncatedPem_FormatExceptionSayingTruncated()
    {
        using var dir = new TempDir();
        var paths = await KeyPairFiles.GenerateAsync(KeyAlgorithm.EcdsaP256, dir.Combine("k"), new FixedPassphraseSource("x"));
        var text = await File.ReadAllTextAsync(paths.PrivateKeyPath);
        await File.WriteAllTextAsync(paths.PrivateKeyPath, text[..(text.Length / 2)]);

        var e = await Assert.ThrowsAsync<KeyFileFormatException>(() => KeyPairFiles.ReadPrivateKeyAsync(paths.PrivateKeyPath, new FixedPassphraseSource("x")));

        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Contains(paths.PrivateKeyPath, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadPrivateKeyAsync_LegacyCosignLabel_Decrypts()
    {
        using var dir = new TempDir();
        var paths = await KeyPairFiles.GenerateAsync(KeyAlgorithm.EcdsaP384, dir.Combine("k"), new FixedPassphraseSource("x"));
        var text = (await File.ReadAllTextAsync(paths.PrivateKeyPath)).Replace("SIGSTORE", "COSIGN", StringComparison.Ordinal);
        await File.WriteAllTextAsync(paths.PrivateKeyPath, text);

        using var key = await KeyPairFiles.ReadPrivateKeyAsync(paths.PrivateKeyPath, new FixedPassphraseSource("x"));

        Assert.Equal(KeyAlgorithm.EcdsaP384, key.Algorithm);
    }

    [Fact]
    public async Task ReadPrivateKeyAsync_PublishedVectorAsPem_DecryptsButIsNotAKey()
    {
        using var dir = new TempDir();
        var path = dir.Combine("vector.key");
        await File.WriteAllTextAsync(path, new string(System.Security.Cryptography.PemEncoding.Write("ENCRYPTED COSIGN PRIVATE KEY", Encoding.ASCII.GetBytes(EncryptedKeyEnvelopeTests.PublishedVector))));

        var e = await Assert.ThrowsAsync<KeyFileException>(() => KeyPairFiles.ReadPrivateKeyAsync(path, new FixedPassphraseSource("supersecret")));

        // The passphrase is right ("reallyimportant" is decrypted), but it is not PKCS#8: a different error than a wrong passphrase.
        Assert.Equal(KeyFileError.InvalidKey, e.Error);
    }

    [Fact]
    public async Task WriteAsync_ExistingFiles_RefusedUnlessOverwrite()
    {
        using var dir = new TempDir();
        var passphrases = new FixedPassphraseSource("x");
        var first = await KeyPairFiles.GenerateAsync(KeyAlgorithm.EcdsaP256, dir.Combine("k"), passphrases);
        var before = await File.ReadAllTextAsync(first.PublicKeyPath);

        await Assert.ThrowsAsync<IOException>(() => KeyPairFiles.GenerateAsync(KeyAlgorithm.EcdsaP256, dir.Combine("k"), passphrases));
        Assert.Equal(before, await File.ReadAllTextAsync(first.PublicKeyPath));

        await KeyPairFiles.GenerateAsync(KeyAlgorithm.EcdsaP256, dir.Combine("k"), passphrases, overwrite: true);
        Assert.NotEqual(before, await File.ReadAllTextAsync(first.PublicKeyPath));
    }

    public static TheoryData<string, string[], KeyAlgorithm> OpenSslKeys => new()
    {
        { "PRIVATE KEY", ["genpkey", "-algorithm", "ed25519"], KeyAlgorithm.Ed25519 },
        { "PRIVATE KEY", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"], KeyAlgorithm.EcdsaP384 },
        { "PRIVATE KEY", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072"], KeyAlgorithm.Rsa3072 },
        { "EC PRIVATE KEY", ["ecparam", "-genkey", "-name", "prime256v1", "-noout"], KeyAlgorithm.EcdsaP256 },
        { "EC PRIVATE KEY", ["ecparam", "-genkey", "-name", "secp521r1", "-noout"], KeyAlgorithm.EcdsaP521 },
        { "RSA PRIVATE KEY", ["genrsa", "-traditional", "2048"], KeyAlgorithm.Rsa2048 },
    };

    [Theory]
    [MemberData(nameof(OpenSslKeys))]
    public async Task ImportAsync_OpenSslKey_WritesCosignPairWithSamePublicKey(string label, string[] command, KeyAlgorithm algorithm)
    {
        using var dir = new TempDir();
        var source = dir.Combine("openssl.key");
        Tool.Run("openssl", [command[0], "-out", source, .. command[1..]]);
        Assert.StartsWith($"-----BEGIN {label}-----", await File.ReadAllTextAsync(source));
        var expectedPublic = Tool.Run("openssl", "pkey", "-in", source, "-pubout").Trim();

        var paths = await KeyPairFiles.ImportAsync(source, dir.Combine("import-cosign"), new FixedPassphraseSource("imported"));

        Assert.Equal(expectedPublic, (await File.ReadAllTextAsync(paths.PublicKeyPath)).Trim());
        using var key = await KeyPairFiles.ReadPrivateKeyAsync(paths.PrivateKeyPath, new FixedPassphraseSource("imported"));
        Assert.Equal(algorithm, key.Algorithm);
    }

    [Theory]
    [InlineData(new[] { "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024" }, "1024 bits")]
    [InlineData(new[] { "ecparam", "-genkey", "-name", "secp256k1", "-noout" }, "not supported")]
    [InlineData(new[] { "genpkey", "-algorithm", "ed448" }, "1.3.101.113")]
    public async Task ImportAsync_UnsupportedOpenSslKey_UnsupportedKey(string[] command, string expected)
    {
        using var dir = new TempDir();
        var source = dir.Combine("openssl.key");
        Tool.Run("openssl", [command[0], "-out", source, .. command[1..]]);

        var e = await Assert.ThrowsAsync<KeyFileException>(() => KeyPairFiles.ImportAsync(source, dir.Combine("out"), new FixedPassphraseSource("")));

        Assert.Equal(KeyFileError.UnsupportedKey, e.Error);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("out.key")));
    }

    [Fact]
    public async Task ImportAsync_OpenSslEncryptedTraditionalPem_ExplainsConversion()
    {
        using var dir = new TempDir();
        var source = dir.Combine("legacy.key");
        Tool.Run("openssl", "genrsa", "-traditional", "-aes128", "-passout", "pass:x", "-out", source, "2048");

        var e = await Assert.ThrowsAsync<KeyFileFormatException>(() => KeyPairFiles.ImportAsync(source, dir.Combine("out"), new FixedPassphraseSource("")));

        Assert.Contains("openssl pkcs8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadTextAsync_OversizedFile_Refused()
    {
        using var dir = new TempDir();
        var path = dir.Combine("big.key");
        await File.WriteAllBytesAsync(path, new byte[KeyPairFiles.MaxFileBytes + 1]);

        await Assert.ThrowsAsync<KeyFileFormatException>(() => KeyPairFiles.ReadPrivateKeyAsync(path, new FixedPassphraseSource("")));
    }

    private static byte[] PemBody(string text)
    {
        var lines = text.Trim().Split('\n');
        return Convert.FromBase64String(string.Concat(lines[1..^1]));
    }

    private static async Task OpenSslVerifyAsync(TempDir dir, KeyAlgorithm algorithm, string publicKeyPath, byte[] message, byte[] signature)
    {
        var messagePath = dir.Combine("message");
        var signaturePath = dir.Combine("signature");
        await File.WriteAllBytesAsync(messagePath, message);
        await File.WriteAllBytesAsync(signaturePath, signature);
        var output = algorithm == KeyAlgorithm.Ed25519
            ? Tool.Run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", publicKeyPath, "-rawin", "-in", messagePath, "-sigfile", signaturePath)
            : Tool.Run("openssl", "dgst", "-" + PublicKey.HashOf(algorithm).Name!.ToLowerInvariant(), "-verify", publicKeyPath, "-signature", signaturePath, messagePath);
        Assert.Contains("Verified", output, StringComparison.Ordinal); // "Verified OK" (dgst), "Signature Verified Successfully" (pkeyutl)
    }
}
