namespace Signet.Crypto;

/// <summary>
/// Something that signs messages with a private key it holds (a key file, an HSM over PKCS#11). The signer hashes
/// the message with its algorithm's hash (see <see cref="KeyAlgorithm"/>); ECDSA signatures are ASN.1 DER.
/// </summary>
public interface ISigner : IDisposable
{
    /// <summary>The algorithm of the key.</summary>
    KeyAlgorithm Algorithm { get; }

    /// <summary>The public half of the key, for verification material and key hints.</summary>
    PublicKey PublicKey { get; }

    /// <summary>Signs <paramref name="message"/> (not a digest: the signer hashes it).</summary>
    Task<byte[]> SignAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);
}
