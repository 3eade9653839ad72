namespace Signet.Crypto;

/// <summary>
/// A signer that can sign a digest computed elsewhere, so a large message is hashed once while it streams and never
/// held in memory: ECDSA and RSA keys (in memory or on a PKCS#11 token). The digest must be made with
/// <see cref="PublicKey.HashOf(KeyAlgorithm)"/> of <see cref="ISigner.Algorithm"/>. Ed25519 signs the message itself
/// and has no digest form (pure Ed25519): <see cref="SupportsDigests"/> is false for it.
/// </summary>
public interface IDigestSigner : ISigner
{
    /// <summary>False when the key's algorithm signs whole messages only (Ed25519).</summary>
    bool SupportsDigests { get; }

    /// <summary>
    /// Signs <paramref name="digest"/>, the hash of a message under <see cref="PublicKey.HashOf(KeyAlgorithm)"/>; the
    /// signature is the same as <see cref="ISigner.SignAsync"/> gives for that message (ECDSA: ASN.1 DER).
    /// Throws <see cref="NotSupportedException"/> when <see cref="SupportsDigests"/> is false and
    /// <see cref="ArgumentException"/> when the digest has the wrong length.
    /// </summary>
    Task<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default);
}
