using System.Formats.Asn1;
using System.Security.Cryptography;
using Signet.Crypto.KeyFiles;
using Signet.Crypto.OpenSsl;
using Signet.Crypto.Signers;

namespace Signet.Crypto.Keys;

/// <summary>
/// A decrypted private key of one of the <see cref="KeyAlgorithm"/>s, held as its PKCS#8 PrivateKeyInfo DER (what a
/// cosign key file encrypts) with its public half. <see cref="Dispose"/> zeroes the key bytes.
/// Reading throws <see cref="KeyFileException"/>: <see cref="KeyFileError.InvalidKey"/> for DER that does not parse,
/// <see cref="KeyFileError.UnsupportedKey"/> for an algorithm, curve or size Signet does not sign with.
/// </summary>
public sealed class PrivateKey : IDisposable
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";
    private const string P521Oid = "1.3.132.0.35";
    private const string DefaultSource = "private key";

    private readonly byte[] _pkcs8;
    private bool _disposed;

    private PrivateKey(byte[] pkcs8, KeyAlgorithm algorithm, PublicKey publicKey)
    {
        _pkcs8 = pkcs8;
        Algorithm = algorithm;
        PublicKey = publicKey;
    }

    public KeyAlgorithm Algorithm { get; }

    public PublicKey PublicKey { get; }

    /// <summary>A new random key: named curves for ECDSA, e = 65537 for RSA, OpenSSL's generator for Ed25519.</summary>
    public static PrivateKey Generate(KeyAlgorithm algorithm)
    {
        switch (algorithm)
        {
            case KeyAlgorithm.EcdsaP256 or KeyAlgorithm.EcdsaP384 or KeyAlgorithm.EcdsaP521:
                using (var ecdsa = ECDsa.Create(CurveOf(algorithm)))
                {
                    return FromEcdsa(ecdsa, ecdsa.ExportPkcs8PrivateKey(), DefaultSource);
                }

            case KeyAlgorithm.Rsa2048 or KeyAlgorithm.Rsa3072 or KeyAlgorithm.Rsa4096:
                using (var rsa = RSA.Create(RsaBits(algorithm)))
                {
                    return FromRsa(rsa, rsa.ExportPkcs8PrivateKey(), DefaultSource);
                }

            case KeyAlgorithm.Ed25519:
                using (var ed25519 = OpenSslEd25519.Generate())
                {
                    return FromEd25519(ed25519, ed25519.ExportPkcs8());
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown key algorithm");
        }
    }

    /// <summary>Reads a PKCS#8 PrivateKeyInfo (the <c>PRIVATE KEY</c> PEM) holding an ECDSA, RSA or Ed25519 key.</summary>
    public static PrivateKey FromPkcs8(ReadOnlySpan<byte> der, string keySource = DefaultSource)
    {
        var oid = AlgorithmOid(der, keySource);
        try
        {
            switch (oid)
            {
                case PublicKey.EcPublicKeyOid:
                    using (var ecdsa = ECDsa.Create())
                    {
                        ecdsa.ImportPkcs8PrivateKey(der, out var read);
                        RequireWhole(read, der.Length, keySource);
                        return FromEcdsa(ecdsa, der.ToArray(), keySource);
                    }

                case PublicKey.RsaEncryptionOid:
                    using (var rsa = RSA.Create())
                    {
                        rsa.ImportPkcs8PrivateKey(der, out var read);
                        RequireWhole(read, der.Length, keySource);
                        return FromRsa(rsa, der.ToArray(), keySource);
                    }

                case PublicKey.Ed25519Oid:
                    using (var ed25519 = OpenSslEd25519.ImportPkcs8(der))
                    {
                        return FromEd25519(ed25519, der.ToArray());
                    }

                default:
                    throw new KeyFileException(KeyFileError.UnsupportedKey, keySource,
                        $"private key algorithm {oid} is not supported; use ECDSA P-256/P-384/P-521, RSA 2048/3072/4096 or Ed25519");
            }
        }
        catch (Exception e) when (e is (CryptographicException and not KeyFileException) or PlatformNotSupportedException)
        {
            throw Invalid(keySource, "the PKCS#8 private key", e);
        }
    }

    /// <summary>Reads a SEC1 ECPrivateKey (the <c>EC PRIVATE KEY</c> PEM OpenSSL writes) on a named NIST curve.</summary>
    public static PrivateKey FromEcPrivateKey(ReadOnlySpan<byte> der, string keySource = DefaultSource)
    {
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportECPrivateKey(der, out var read);
            RequireWhole(read, der.Length, keySource);
            return FromEcdsa(ecdsa, ecdsa.ExportPkcs8PrivateKey(), keySource);
        }
        catch (Exception e) when (e is (CryptographicException and not KeyFileException) or PlatformNotSupportedException)
        {
            throw Invalid(keySource, "the EC (SEC1) private key", e);
        }
    }

    /// <summary>Reads a PKCS#1 RSAPrivateKey (the <c>RSA PRIVATE KEY</c> PEM).</summary>
    public static PrivateKey FromRsaPrivateKey(ReadOnlySpan<byte> der, string keySource = DefaultSource)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportRSAPrivateKey(der, out var read);
            RequireWhole(read, der.Length, keySource);
            return FromRsa(rsa, rsa.ExportPkcs8PrivateKey(), keySource);
        }
        catch (Exception e) when (e is (CryptographicException and not KeyFileException) or PlatformNotSupportedException)
        {
            throw Invalid(keySource, "the RSA (PKCS#1) private key", e);
        }
    }

    /// <summary>A copy of the PKCS#8 DER; the caller should zero it when done.</summary>
    public byte[] ExportPkcs8()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (byte[])_pkcs8.Clone();
    }

    /// <summary>A signer over this key (the signer keeps its own copy; disposing this key does not affect it).</summary>
    public FileSigner CreateSigner()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new FileSigner(this);
    }

    /// <summary>The PKCS#8 bytes without copying, for <see cref="FileSigner"/>.</summary>
    internal ReadOnlySpan<byte> Pkcs8
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _pkcs8;
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(_pkcs8);
            _disposed = true;
        }
    }

    internal static ECCurve CurveOf(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => ECCurve.NamedCurves.nistP256,
        KeyAlgorithm.EcdsaP384 => ECCurve.NamedCurves.nistP384,
        _ => ECCurve.NamedCurves.nistP521,
    };

    private static int RsaBits(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Rsa2048 => 2048,
        KeyAlgorithm.Rsa3072 => 3072,
        _ => 4096,
    };

    private static PrivateKey FromEcdsa(ECDsa ecdsa, byte[] pkcs8, string keySource)
    {
        var curve = ecdsa.ExportParameters(includePrivateParameters: false).Curve;
        var algorithm = curve.IsNamed ? curve.Oid.Value switch
        {
            P256Oid => KeyAlgorithm.EcdsaP256,
            P384Oid => KeyAlgorithm.EcdsaP384,
            P521Oid => KeyAlgorithm.EcdsaP521,
            _ => (KeyAlgorithm?)null,
        } : null;
        if (algorithm is null)
        {
            CryptographicOperations.ZeroMemory(pkcs8);
            throw new KeyFileException(KeyFileError.UnsupportedKey, keySource,
                $"EC curve {(curve.IsNamed ? curve.Oid.FriendlyName ?? curve.Oid.Value : "with explicit parameters")} is not supported; use P-256, P-384 or P-521");
        }

        return new PrivateKey(pkcs8, algorithm.Value, PublicKey.FromSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo()));
    }

    private static PrivateKey FromRsa(RSA rsa, byte[] pkcs8, string keySource)
    {
        var algorithm = rsa.KeySize switch
        {
            2048 => KeyAlgorithm.Rsa2048,
            3072 => KeyAlgorithm.Rsa3072,
            4096 => KeyAlgorithm.Rsa4096,
            _ => (KeyAlgorithm?)null,
        };
        if (algorithm is null)
        {
            CryptographicOperations.ZeroMemory(pkcs8);
            throw new KeyFileException(KeyFileError.UnsupportedKey, keySource,
                $"RSA keys of {rsa.KeySize} bits are not supported; use 2048, 3072 or 4096 bits");
        }

        return new PrivateKey(pkcs8, algorithm.Value, PublicKey.FromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo()));
    }

    private static PrivateKey FromEd25519(OpenSslEd25519 key, byte[] pkcs8) =>
        new(pkcs8, KeyAlgorithm.Ed25519, PublicKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo()));

    /// <summary>The algorithm OID of a PrivateKeyInfo: SEQUENCE { version, AlgorithmIdentifier { OID, ... }, ... }.</summary>
    private static string AlgorithmOid(ReadOnlySpan<byte> der, string keySource)
    {
        try
        {
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.BER);
            var info = reader.ReadSequence();
            info.ReadInteger();
            var algorithm = info.ReadSequence();
            return algorithm.ReadObjectIdentifier();
        }
        catch (AsnContentException e)
        {
            throw Invalid(keySource, "the PKCS#8 private key", e);
        }
    }

    private static void RequireWhole(int read, int length, string keySource)
    {
        if (read != length)
        {
            throw new KeyFileException(KeyFileError.InvalidKey, keySource, $"the private key has {length - read} bytes after its end");
        }
    }

    private static KeyFileException Invalid(string keySource, string what, Exception inner) =>
        new(KeyFileError.InvalidKey, keySource, $"{what} does not parse ({inner.Message}); the file is damaged or not a private key", inner);
}
