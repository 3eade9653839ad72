using System.Security.Cryptography;

namespace Signet.Crypto.OpenSsl;

/// <summary>
/// An Ed25519 key (private, or public only) held by OpenSSL: generation, PKCS#8 and SubjectPublicKeyInfo DER
/// import/export, pure Ed25519 signing (RFC 8032 section 5.1) and verification. Every failure is a
/// <see cref="CryptographicException"/> carrying OpenSSL's error strings; <see cref="Verify"/> returns false for a bad
/// signature and never throws for one.
/// </summary>
internal sealed class OpenSslEd25519 : IDisposable
{
    public const int SignatureSize = 64;
    public const int KeySize = 32;

    private readonly EvpPKeyHandle _key;

    private OpenSslEd25519(EvpPKeyHandle key, bool hasPrivateKey)
    {
        _key = key;
        HasPrivateKey = hasPrivateKey;
    }

    public bool HasPrivateKey { get; }

    /// <summary>A new random key pair (EVP_PKEY_keygen).</summary>
    public static OpenSslEd25519 Generate()
    {
        LibCrypto.EnsureAvailable();
        LibCrypto.ERR_clear_error();
        using var context = LibCrypto.EVP_PKEY_CTX_new_id(LibCrypto.EvpPKeyEd25519, 0);
        if (context.IsInvalid)
        {
            throw LibCrypto.Failure("EVP_PKEY_CTX_new_id(ED25519)");
        }

        if (LibCrypto.EVP_PKEY_keygen_init(context) != 1)
        {
            throw LibCrypto.Failure("EVP_PKEY_keygen_init");
        }

        if (LibCrypto.EVP_PKEY_keygen(context, out var key) != 1 || key.IsInvalid)
        {
            key.Dispose();
            throw LibCrypto.Failure("EVP_PKEY_keygen");
        }

        return new OpenSslEd25519(key, hasPrivateKey: true);
    }

    /// <summary>The key whose 32-byte private seed is <paramref name="seed"/> (RFC 8032 section 5.1.5).</summary>
    public static OpenSslEd25519 FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != KeySize)
        {
            throw new CryptographicException($"an Ed25519 private key is {KeySize} bytes, not {seed.Length}");
        }

        LibCrypto.EnsureAvailable();
        LibCrypto.ERR_clear_error();
        var key = LibCrypto.EVP_PKEY_new_raw_private_key(LibCrypto.EvpPKeyEd25519, 0, seed, (nuint)seed.Length);
        return key.IsInvalid ? throw Dispose(key, "EVP_PKEY_new_raw_private_key") : new OpenSslEd25519(key, hasPrivateKey: true);
    }

    /// <summary>The public key whose 32-byte encoding is <paramref name="publicKey"/>.</summary>
    public static OpenSslEd25519 FromRawPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != KeySize)
        {
            throw new CryptographicException($"an Ed25519 public key is {KeySize} bytes, not {publicKey.Length}");
        }

        LibCrypto.EnsureAvailable();
        LibCrypto.ERR_clear_error();
        var key = LibCrypto.EVP_PKEY_new_raw_public_key(LibCrypto.EvpPKeyEd25519, 0, publicKey, (nuint)publicKey.Length);
        return key.IsInvalid ? throw Dispose(key, "EVP_PKEY_new_raw_public_key") : new OpenSslEd25519(key, hasPrivateKey: false);
    }

    /// <summary>Reads a PKCS#8 PrivateKeyInfo (RFC 8410 section 7) that must hold an Ed25519 key.</summary>
    public static unsafe OpenSslEd25519 ImportPkcs8(ReadOnlySpan<byte> der)
    {
        LibCrypto.EnsureAvailable();
        LibCrypto.ERR_clear_error();
        EvpPKeyHandle key;
        fixed (byte* start = der)
        {
            var cursor = start;
            key = LibCrypto.d2i_AutoPrivateKey(0, &cursor, der.Length);
            if (!key.IsInvalid && cursor - start != der.Length)
            {
                key.Dispose();
                throw new CryptographicException($"the PKCS#8 private key has {der.Length - (cursor - start)} bytes after its end");
            }
        }

        if (key.IsInvalid)
        {
            throw Dispose(key, "d2i_AutoPrivateKey (PKCS#8 private key)");
        }

        return RequireEd25519(key, hasPrivateKey: true);
    }

    /// <summary>Reads a DER SubjectPublicKeyInfo that must hold an Ed25519 key.</summary>
    public static unsafe OpenSslEd25519 ImportSubjectPublicKeyInfo(ReadOnlySpan<byte> der)
    {
        LibCrypto.EnsureAvailable();
        LibCrypto.ERR_clear_error();
        EvpPKeyHandle key;
        fixed (byte* start = der)
        {
            var cursor = start;
            key = LibCrypto.d2i_PUBKEY(0, &cursor, der.Length);
            if (!key.IsInvalid && cursor - start != der.Length)
            {
                key.Dispose();
                throw new CryptographicException($"the SubjectPublicKeyInfo has {der.Length - (cursor - start)} bytes after its end");
            }
        }

        if (key.IsInvalid)
        {
            throw Dispose(key, "d2i_PUBKEY (SubjectPublicKeyInfo)");
        }

        return RequireEd25519(key, hasPrivateKey: false);
    }

    /// <summary>
    /// True when <paramref name="signature"/> is a valid pure Ed25519 signature by the key in
    /// <paramref name="subjectPublicKeyInfo"/> over <paramref name="message"/>; false for any bad signature or key.
    /// </summary>
    public static bool VerifyWithSubjectPublicKeyInfo(ReadOnlySpan<byte> subjectPublicKeyInfo, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        OpenSslEd25519 key;
        try
        {
            key = ImportSubjectPublicKeyInfo(subjectPublicKeyInfo);
        }
        catch (CryptographicException)
        {
            return false;
        }

        using (key)
        {
            return key.Verify(message, signature);
        }
    }

    /// <summary>The PKCS#8 PrivateKeyInfo DER (version 0, no public key: the form Go's x509.MarshalPKCS8PrivateKey writes).</summary>
    public unsafe byte[] ExportPkcs8()
    {
        RequirePrivate();
        LibCrypto.ERR_clear_error();
        var length = LibCrypto.i2d_PrivateKey(_key, null);
        if (length <= 0)
        {
            throw LibCrypto.Failure("i2d_PrivateKey");
        }

        var der = new byte[length];
        fixed (byte* start = der)
        {
            var cursor = start;
            if (LibCrypto.i2d_PrivateKey(_key, &cursor) != length)
            {
                throw LibCrypto.Failure("i2d_PrivateKey");
            }
        }

        return der;
    }

    /// <summary>The DER SubjectPublicKeyInfo (RFC 8410 section 4).</summary>
    public unsafe byte[] ExportSubjectPublicKeyInfo()
    {
        LibCrypto.ERR_clear_error();
        var length = LibCrypto.i2d_PUBKEY(_key, null);
        if (length <= 0)
        {
            throw LibCrypto.Failure("i2d_PUBKEY");
        }

        var der = new byte[length];
        fixed (byte* start = der)
        {
            var cursor = start;
            if (LibCrypto.i2d_PUBKEY(_key, &cursor) != length)
            {
                throw LibCrypto.Failure("i2d_PUBKEY");
            }
        }

        return der;
    }

    /// <summary>The 32-byte public key.</summary>
    public byte[] ExportRawPublicKey()
    {
        LibCrypto.ERR_clear_error();
        var raw = new byte[KeySize];
        nuint length = KeySize;
        if (LibCrypto.EVP_PKEY_get_raw_public_key(_key, raw, ref length) != 1 || length != KeySize)
        {
            throw LibCrypto.Failure("EVP_PKEY_get_raw_public_key");
        }

        return raw;
    }

    /// <summary>The 32-byte private seed.</summary>
    public byte[] ExportSeed()
    {
        RequirePrivate();
        LibCrypto.ERR_clear_error();
        var raw = new byte[KeySize];
        nuint length = KeySize;
        if (LibCrypto.EVP_PKEY_get_raw_private_key(_key, raw, ref length) != 1 || length != KeySize)
        {
            CryptographicOperations.ZeroMemory(raw);
            throw LibCrypto.Failure("EVP_PKEY_get_raw_private_key");
        }

        return raw;
    }

    /// <summary>The pure Ed25519 signature (64 bytes) over <paramref name="message"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        RequirePrivate();
        LibCrypto.ERR_clear_error();
        using var context = LibCrypto.EVP_MD_CTX_new();
        if (context.IsInvalid)
        {
            throw LibCrypto.Failure("EVP_MD_CTX_new");
        }

        if (LibCrypto.EVP_DigestSignInit(context, 0, 0, 0, _key) != 1)
        {
            throw LibCrypto.Failure("EVP_DigestSignInit");
        }

        var signature = new byte[SignatureSize];
        nuint length = SignatureSize;
        if (LibCrypto.EVP_DigestSign(context, signature, ref length, message, (nuint)message.Length) != 1 || length != SignatureSize)
        {
            throw LibCrypto.Failure("EVP_DigestSign");
        }

        return signature;
    }

    /// <summary>True when <paramref name="signature"/> is this key's pure Ed25519 signature over <paramref name="message"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureSize)
        {
            return false;
        }

        LibCrypto.ERR_clear_error();
        using var context = LibCrypto.EVP_MD_CTX_new();
        if (context.IsInvalid)
        {
            throw LibCrypto.Failure("EVP_MD_CTX_new");
        }

        if (LibCrypto.EVP_DigestVerifyInit(context, 0, 0, 0, _key) != 1)
        {
            throw LibCrypto.Failure("EVP_DigestVerifyInit");
        }

        var result = LibCrypto.EVP_DigestVerify(context, signature, (nuint)signature.Length, message, (nuint)message.Length);
        LibCrypto.ERR_clear_error();
        return result == 1;
    }

    public void Dispose() => _key.Dispose();

    private static OpenSslEd25519 RequireEd25519(EvpPKeyHandle key, bool hasPrivateKey)
    {
        var id = LibCrypto.EVP_PKEY_get_id(key);
        if (id != LibCrypto.EvpPKeyEd25519)
        {
            key.Dispose();
            throw new CryptographicException($"the key is not Ed25519 (OpenSSL key type {id})");
        }

        return new OpenSslEd25519(key, hasPrivateKey);
    }

    private static CryptographicException Dispose(EvpPKeyHandle key, string operation)
    {
        key.Dispose();
        return LibCrypto.Failure(operation);
    }

    private void RequirePrivate()
    {
        if (!HasPrivateKey)
        {
            throw new InvalidOperationException("this Ed25519 key has no private half");
        }
    }
}
