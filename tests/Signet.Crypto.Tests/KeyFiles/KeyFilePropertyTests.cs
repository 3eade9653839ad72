using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Signet.Crypto.KeyFiles;
using Signet.Crypto.KeyFiles.Encryption;
using Signet.Crypto.Keys;
using Signet.Testing;

namespace Signet.Crypto.Tests.KeyFiles;

/// <summary>Random and mutated input to the PEM and JSON readers only ever raises the two documented exception types.</summary>
public class KeyFilePropertyTests
{
    private static readonly Lazy<string[]> Fixtures = new(() =>
    {
        using var ec = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        using var rsa = PrivateKey.Generate(KeyAlgorithm.Rsa2048);
        using var ed = PrivateKey.Generate(KeyAlgorithm.Ed25519);
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(ec.ExportPkcs8(), out _);
        using var rsaKey = RSA.Create();
        rsaKey.ImportPkcs8PrivateKey(rsa.ExportPkcs8(), out _);
        return
        [
            PrivateKeyPem.Encrypt(ed, "pw"u8, ScryptParameters.Legacy),
            new string(PemEncoding.Write("ENCRYPTED COSIGN PRIVATE KEY", Encoding.ASCII.GetBytes(EncryptedKeyEnvelopeTests.PublishedVector))),
            new string(PemEncoding.Write("PRIVATE KEY", ed.ExportPkcs8())),
            new string(PemEncoding.Write("PRIVATE KEY", ec.ExportPkcs8())),
            ecdsa.ExportECPrivateKeyPem(),
            rsaKey.ExportRSAPrivateKeyPem(),
            PublicKeyPem.Write(ec.PublicKey),
            PublicKeyPem.Write(ed.PublicKey),
        ];
    });

    [Fact]
    public void Parse_RandomBytes_OnlyDocumentedExceptions()
    {
        var gen = ArbMap.Default.GeneratorFor<byte[]>();

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(gen.ToArbitrary(), bytes => ReadsOrRefuses(bytes)));
    }

    [Fact]
    public void Parse_RandomTextAfterPemBegin_OnlyDocumentedExceptions()
    {
        var gen =
            from label in Gen.Elements(PrivateKeyPem.SigstoreEncryptedLabel, PrivateKeyPem.Pkcs8Label, PrivateKeyPem.EcLabel, PrivateKeyPem.RsaLabel, "PUBLIC KEY", "CERTIFICATE")
            from body in ArbMap.Default.GeneratorFor<byte[]>()
            from end in Gen.Elements(true, false)
            select $"-----BEGIN {label}-----\n{Convert.ToBase64String(body)}\n" + (end ? $"-----END {label}-----\n" : string.Empty);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(gen.ToArbitrary(), text => ReadsOrRefuses(Encoding.ASCII.GetBytes(text))));
    }

    [Fact]
    public void Parse_MutatedKeyFiles_OnlyDocumentedExceptions()
    {
        var fixtures = Fixtures.Value.Select(Encoding.ASCII.GetBytes).ToArray();
        var gen = Mutation.Of(fixtures, 3, 3);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(gen.ToArbitrary(), bytes => ReadsOrRefuses(bytes)));
    }

    [Fact]
    public void Parse_MutatedEnvelopeJson_OnlyDocumentedExceptions()
    {
        var json = Encoding.ASCII.GetBytes(EncryptedKeyEnvelopeTests.PublishedVector);
        var gen = Mutation.Of([json], 1, 4);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), Prop.ForAll(gen.ToArbitrary(), bytes =>
        {
            try
            {
                EncryptedKeyEnvelope.Parse(bytes, "fuzz");
            }
            catch (KeyFileFormatException)
            {
            }
            catch (KeyFileException)
            {
            }

            return true;
        }));
    }

    /// <summary>Parses as private and public key; opens unencrypted private keys (encrypted ones would run scrypt per case).</summary>
    private static bool ReadsOrRefuses(byte[] bytes)
    {
        var text = KeyPem.Decode(bytes);
        try
        {
            var pem = PrivateKeyPem.Parse(text, "fuzz");
            if (!pem.IsEncrypted)
            {
                pem.Open([]).Dispose();
            }
        }
        catch (KeyFileFormatException)
        {
        }
        catch (KeyFileException)
        {
        }

        try
        {
            PublicKeyPem.Parse(text, "fuzz");
        }
        catch (KeyFileFormatException)
        {
        }
        catch (KeyFileException)
        {
        }

        // Any other exception escapes and FsCheck reports it with the input that caused it.
        return true;
    }
}
