using System.Collections.Concurrent;
using System.Security.Cryptography;
using X509PublicKey = System.Security.Cryptography.X509Certificates.PublicKey;

namespace Signet.Crypto;

/// <summary>
/// A public key as its SubjectPublicKeyInfo DER bytes, with the algorithm it implies. <see cref="Verify"/> hashes the
/// message with the algorithm's hash (see <see cref="KeyAlgorithm"/>) and never throws for a bad signature.
/// </summary>
public sealed partial class PublicKey
{
    public const string EcPublicKeyOid = "1.2.840.10045.2.1";
    public const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    public const string Ed25519Oid = "1.3.101.112";

    // Keys already imported into OpenSSL, one per concurrent verification: importing costs about twice a P-256
    // verification, and an instance is not promised to be safe for concurrent use, so each call rents its own.
    private readonly ConcurrentBag<AsymmetricAlgorithm> _imported = [];

    private PublicKey(byte[] subjectPublicKeyInfo, KeyAlgorithm algorithm)
    {
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
        Algorithm = algorithm;
    }

    /// <summary>The DER SubjectPublicKeyInfo: what a <c>PUBLIC KEY</c> PEM holds.</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    public KeyAlgorithm Algorithm { get; }

    /// <summary>Reads a DER SubjectPublicKeyInfo; throws <see cref="CryptographicException"/> naming the problem.</summary>
    public static PublicKey FromSubjectPublicKeyInfo(ReadOnlySpan<byte> der)
    {
        X509PublicKey parsed;
        try
        {
            parsed = X509PublicKey.CreateFromSubjectPublicKeyInfo(der, out var read);
            if (read != der.Length)
            {
                throw new CryptographicException($"public key has {der.Length - read} bytes after its SubjectPublicKeyInfo");
            }
        }
        catch (CryptographicException e)
        {
            throw new CryptographicException($"not a valid SubjectPublicKeyInfo: {e.Message}", e);
        }

        KeyAlgorithm algorithm;
        try
        {
            algorithm = parsed.Oid.Value switch
            {
                EcPublicKeyOid => CurveOf(parsed),
                RsaEncryptionOid => RsaSize(parsed),
                Ed25519Oid => KeyAlgorithm.Ed25519,
                var other => throw new CryptographicException($"public key algorithm {other} is not supported; use ECDSA P-256/P-384/P-521, RSA 2048-4096 or Ed25519"),
            };
        }
        catch (PlatformNotSupportedException e)
        {
            // An EC key on a curve OpenSSL does not know (a mangled or exotic curve OID) is refused like any unsupported key.
            throw new CryptographicException($"public key uses a curve that is not supported ({e.Message}); use P-256, P-384 or P-521", e);
        }

        return new PublicKey(der.ToArray(), algorithm);
    }

    /// <summary>The <c>PUBLIC KEY</c> PEM.</summary>
    public string ToPem() => PemEncoding.WriteString("PUBLIC KEY", SubjectPublicKeyInfo.Span);

    /// <summary>True when <paramref name="signature"/> is this key's signature over <paramref name="message"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        switch (Algorithm)
        {
            case KeyAlgorithm.EcdsaP256 or KeyAlgorithm.EcdsaP384 or KeyAlgorithm.EcdsaP521:
                {
                    var ecdsa = (ECDsa)Rent();
                    try
                    {
                        return ecdsa.VerifyData(message, signature, HashOf(Algorithm), DSASignatureFormat.Rfc3279DerSequence);
                    }
                    finally
                    {
                        _imported.Add(ecdsa);
                    }
                }

            case KeyAlgorithm.Rsa2048 or KeyAlgorithm.Rsa3072 or KeyAlgorithm.Rsa4096:
                {
                    var rsa = (RSA)Rent();
                    try
                    {
                        return rsa.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                    }
                    finally
                    {
                        _imported.Add(rsa);
                    }
                }

            default:
                return VerifyOther(message, signature);
        }
    }

    /// <summary>
    /// True when <paramref name="signature"/> is this key's signature over a message whose <paramref name="hash"/> digest is
    /// <paramref name="digest"/> (ECDSA: ASN.1 DER; RSA: PKCS#1 v1.5). Any of SHA-256/384/512 is accepted for any ECDSA
    /// curve, as older cosign releases signed P-384 and P-521 with SHA-256. Ed25519 has no digest form: false.
    /// </summary>
    public bool VerifyDigest(ReadOnlySpan<byte> digest, HashAlgorithmName hash, ReadOnlySpan<byte> signature)
    {
        if (digest.Length != DigestLength(hash))
        {
            return false;
        }

        switch (Algorithm)
        {
            case KeyAlgorithm.EcdsaP256 or KeyAlgorithm.EcdsaP384 or KeyAlgorithm.EcdsaP521:
                using (var ecdsa = ECDsa.Create())
                {
                    ecdsa.ImportSubjectPublicKeyInfo(SubjectPublicKeyInfo.Span, out _);
                    return ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
                }

            case KeyAlgorithm.Rsa2048 or KeyAlgorithm.Rsa3072 or KeyAlgorithm.Rsa4096:
                using (var rsa = RSA.Create())
                {
                    rsa.ImportSubjectPublicKeyInfo(SubjectPublicKeyInfo.Span, out _);
                    return rsa.VerifyHash(digest, signature, hash, RSASignaturePadding.Pkcs1);
                }

            default:
                return false;
        }
    }

    /// <summary>The digest length of SHA-256, SHA-384 or SHA-512; 0 for any other hash.</summary>
    public static int DigestLength(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : hash == HashAlgorithmName.SHA512 ? 64 : 0;

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="digest"/> is not a <paramref name="hash"/> digest.</summary>
    internal static void RequireDigestLength(HashAlgorithmName hash, ReadOnlySpan<byte> digest)
    {
        if (digest.Length != DigestLength(hash))
        {
            throw new ArgumentException($"a {hash.Name} digest has {DigestLength(hash)} bytes; this one has {digest.Length}", nameof(digest));
        }
    }

    private AsymmetricAlgorithm Rent()
    {
        if (_imported.TryTake(out var key))
        {
            return key;
        }

        AsymmetricAlgorithm created = Algorithm is KeyAlgorithm.EcdsaP256 or KeyAlgorithm.EcdsaP384 or KeyAlgorithm.EcdsaP521 ? ECDsa.Create() : RSA.Create();
        created.ImportSubjectPublicKeyInfo(SubjectPublicKeyInfo.Span, out _);
        return created;
    }

    /// <summary>The hash an algorithm signs with (Ed25519 signs the message itself).</summary>
    public static HashAlgorithmName HashOf(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP384 => HashAlgorithmName.SHA384,
        KeyAlgorithm.EcdsaP521 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

    /// <summary>Verification for algorithms the base library lacks (Ed25519, through OpenSSL); false when unsupported.</summary>
    private partial bool VerifyOther(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);

    private static KeyAlgorithm CurveOf(X509PublicKey key)
    {
        using var ecdsa = key.GetECDsaPublicKey() ?? throw new CryptographicException("EC public key could not be read");
        return ecdsa.KeySize switch
        {
            256 => KeyAlgorithm.EcdsaP256,
            384 => KeyAlgorithm.EcdsaP384,
            521 => KeyAlgorithm.EcdsaP521,
            var size => throw new CryptographicException($"EC public key of {size} bits is not supported; use P-256, P-384 or P-521"),
        };
    }

    private static KeyAlgorithm RsaSize(X509PublicKey key)
    {
        using var rsa = key.GetRSAPublicKey() ?? throw new CryptographicException("RSA public key could not be read");
        return rsa.KeySize switch
        {
            2048 => KeyAlgorithm.Rsa2048,
            3072 => KeyAlgorithm.Rsa3072,
            4096 => KeyAlgorithm.Rsa4096,
            var size => throw new CryptographicException($"RSA public key of {size} bits is not supported; use 2048, 3072 or 4096"),
        };
    }
}
