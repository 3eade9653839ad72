using System.Security.Cryptography;
using Signet.Crypto.Keys;
using Signet.Crypto.OpenSsl;

namespace Signet.Crypto.Signers;

/// <summary>
/// Signs with a private key held in memory (from a key file or an environment variable): ECDSA with the curve's hash
/// and an ASN.1 DER signature, RSA PKCS#1 v1.5 with SHA-256, pure Ed25519 through OpenSSL.
/// </summary>
public sealed class FileSigner : IDigestSigner
{
    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;
    private readonly OpenSslEd25519? _ed25519;

    /// <summary>A signer over <paramref name="key"/>; it keeps its own copy, so <paramref name="key"/> may be disposed after.</summary>
    public FileSigner(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Algorithm = key.Algorithm;
        PublicKey = key.PublicKey;
        switch (key.Algorithm)
        {
            case KeyAlgorithm.EcdsaP256 or KeyAlgorithm.EcdsaP384 or KeyAlgorithm.EcdsaP521:
                _ecdsa = ECDsa.Create();
                _ecdsa.ImportPkcs8PrivateKey(key.Pkcs8, out _);
                break;
            case KeyAlgorithm.Rsa2048 or KeyAlgorithm.Rsa3072 or KeyAlgorithm.Rsa4096:
                _rsa = RSA.Create();
                _rsa.ImportPkcs8PrivateKey(key.Pkcs8, out _);
                break;
            default:
                _ed25519 = OpenSslEd25519.ImportPkcs8(key.Pkcs8);
                break;
        }
    }

    public KeyAlgorithm Algorithm { get; }

    public PublicKey PublicKey { get; }

    public Task<byte[]> SignAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Sign(message.Span));
    }

    public bool SupportsDigests => _ed25519 is null;

    public Task<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(SignDigest(digest.Span));
    }

    /// <summary>The signature over a message whose <see cref="PublicKey.HashOf(KeyAlgorithm)"/> digest is <paramref name="digest"/>.</summary>
    public byte[] SignDigest(ReadOnlySpan<byte> digest)
    {
        var hash = PublicKey.HashOf(Algorithm);
        PublicKey.RequireDigestLength(hash, digest);
        if (_ecdsa is not null)
        {
            return _ecdsa.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
        }

        if (_rsa is not null)
        {
            return _rsa.SignHash(digest, hash, RSASignaturePadding.Pkcs1);
        }

        throw new NotSupportedException("Ed25519 signs the whole message and cannot sign a digest (pure Ed25519, as cosign and sigstore use it)");
    }

    /// <summary>The signature over <paramref name="message"/> (the message, not a digest).</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        if (_ecdsa is not null)
        {
            return _ecdsa.SignData(message, PublicKey.HashOf(Algorithm), DSASignatureFormat.Rfc3279DerSequence);
        }

        if (_rsa is not null)
        {
            return _rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        return _ed25519!.Sign(message);
    }

    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
        _ed25519?.Dispose();
    }
}
