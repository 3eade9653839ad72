using System.Security.Cryptography;
using Signet.Crypto;
using Signet.Oci;
using Signet.Signing.Keyless;
using Signet.Sigstore.Bundles;

namespace Signet.Signing.Blobs;

/// <summary>What <see cref="BlobSigner.SignAsync"/> produced.</summary>
public sealed record BlobSignature
{
    /// <summary>The Sigstore bundle v0.3 (its <see cref="SigstoreBundle.Raw"/> is the JSON to write).</summary>
    public required SigstoreBundle Bundle { get; init; }

    /// <summary>The file's SHA-256 (always computed, whatever the key's hash).</summary>
    public required Digest ArtifactDigest { get; init; }

    /// <summary>The algorithm of <c>messageSignature.messageDigest</c>.</summary>
    public required BundleHashAlgorithm DigestAlgorithm { get; init; }

    public required KeyAlgorithm KeyAlgorithm { get; init; }

    /// <summary>The <c>verificationMaterial.publicKey.hint</c>: base64 SHA-256 of the signer's SubjectPublicKeyInfo (keyless: of the ephemeral key).</summary>
    public required string KeyHint { get; init; }

    /// <summary>The Fulcio leaf certificate (DER) of a keyless signature; null for a key.</summary>
    public ReadOnlyMemory<byte>? Certificate { get; init; }

    public required long Length { get; init; }
}

/// <summary>
/// Signs files as <c>cosign sign-blob --key K --bundle B</c> does without a transparency log: a Sigstore bundle v0.3
/// with <c>messageSignature{messageDigest, signature}</c> and <c>verificationMaterial.publicKey.hint</c>, no tlog
/// entries and no timestamps. The message digest uses the key's signing hash (SHA2_256 for P-256, RSA and Ed25519;
/// SHA2_384 for P-384; SHA2_512 for P-521), which is what sigstore-js and sigstore-go verify the signature with.
/// The file is read once: ECDSA and RSA sign the digest, so any size streams in constant memory; Ed25519 signs the
/// whole message, so files above <see cref="BlobOptions.MaxEd25519Bytes"/> are refused before anything is read.
/// </summary>
public static class BlobSigner
{
    /// <summary>
    /// Signs the bytes of <paramref name="content"/> from its current position to its end (the stream is left open).
    /// Throws <see cref="BlobTooLargeException"/> for an Ed25519 key and a file over the limit. <c>source</c> is the
    /// file name, for messages.
    /// </summary>
    public static async Task<BlobSignature> SignAsync(
        ISigner signer, Stream content, string source, BlobOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (hash, read, signature) = await SignContentAsync(signer, content, source, options, cancellationToken).ConfigureAwait(false);
        var digestAlgorithm = BlobHashes.ToBundle(hash);
        var hint = BundleWriter.PublicKeyHint(signer.PublicKey);
        var bundle = BundleWriter.CreateKeySignedMessage(new MessageSignature
        {
            MessageDigest = new MessageDigest { Algorithm = digestAlgorithm, Digest = read.Digests[hash] },
            Signature = signature,
        }, hint);
        return Result(signer, bundle, read, digestAlgorithm, hint, certificate: null);
    }

    /// <summary>
    /// Signs as <c>cosign sign-blob</c> without a key does: the ephemeral key of <paramref name="signer"/> signs the
    /// file's SHA-256, the signature is logged as a <c>hashedrekord</c> entry (and timestamped when authorities are
    /// configured), and the bundle carries the Fulcio certificate, the log entries and the timestamps.
    /// </summary>
    public static async Task<BlobSignature> SignKeylessAsync(
        KeylessSigner signer, Stream content, string source, BlobOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (hash, read, signature) = await SignContentAsync(signer, content, source, options, cancellationToken).ConfigureAwait(false);
        var digest = read.Digests[hash];
        var evidence = await signer.WitnessAsync(signer.HashedRekord(digest, signature), signature, cancellationToken).ConfigureAwait(false);
        var digestAlgorithm = BlobHashes.ToBundle(hash);
        var bundle = BundleWriter.CreateCertificateSignedMessage(
            new MessageSignature { MessageDigest = new MessageDigest { Algorithm = digestAlgorithm, Digest = digest }, Signature = signature },
            signer.Certificate.Leaf,
            evidence.TlogEntries,
            evidence.Timestamps);
        return Result(signer, bundle, read, digestAlgorithm, BundleWriter.PublicKeyHint(signer.PublicKey), signer.Certificate.Leaf);
    }

    private static BlobSignature Result(ISigner signer, SigstoreBundle bundle, BlobRead read, BundleHashAlgorithm digestAlgorithm, string hint, ReadOnlyMemory<byte>? certificate) => new()
    {
        Bundle = bundle,
        ArtifactDigest = Digest.FromHash(Digest.Sha256, read.Digests[HashAlgorithmName.SHA256]),
        DigestAlgorithm = digestAlgorithm,
        KeyAlgorithm = signer.Algorithm,
        KeyHint = hint,
        Certificate = certificate,
        Length = read.Length,
    };

    /// <summary>Reads the content once, hashing it, and signs its digest (or, for Ed25519, the bytes).</summary>
    private static async Task<(HashAlgorithmName Hash, BlobRead Read, byte[] Signature)> SignContentAsync(
        ISigner signer, Stream content, string source, BlobOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(source);
        options ??= BlobOptions.Default;
        options.Validate();

        var algorithm = signer.Algorithm;
        var hash = PublicKey.HashOf(algorithm);
        var digestSigner = signer as IDigestSigner;
        var streams = digestSigner is { SupportsDigests: true };
        if (!streams && content.CanSeek && content.Length - content.Position > options.MaxEd25519Bytes)
        {
            throw BlobTooLargeException.For(source, content.Length - content.Position, options.MaxEd25519Bytes, algorithm);
        }

        var read = await BlobReader.ReadAsync(content, [hash, HashAlgorithmName.SHA256], streams ? null : options.MaxEd25519Bytes, cancellationToken)
            .ConfigureAwait(false);
        if (!streams && read.Content is null)
        {
            throw BlobTooLargeException.For(source, read.Length, options.MaxEd25519Bytes, algorithm);
        }

        var signature = streams
            ? await digestSigner!.SignDigestAsync(read.Digests[hash], cancellationToken).ConfigureAwait(false)
            : await signer.SignAsync(read.Content, cancellationToken).ConfigureAwait(false);
        return (hash, read, signature);
    }
}

/// <summary>A file too large for an Ed25519 key, which signs the whole message in memory.</summary>
public sealed class BlobTooLargeException : IOException
{
    public BlobTooLargeException()
    {
    }

    public BlobTooLargeException(string message)
        : base(message)
    {
    }

    public BlobTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static BlobTooLargeException For(string source, long length, long limit, KeyAlgorithm algorithm) =>
        new($"{source} is {length} bytes; an {algorithm} key signs the whole file in memory, so at most {limit} bytes " +
            "(128 MiB by default) are accepted; sign large files with an ECDSA or RSA key, which stream any size");
}

/// <summary>Maps between .NET hash names and the bundle's <c>HashAlgorithm</c>.</summary>
public static class BlobHashes
{
    public static BundleHashAlgorithm ToBundle(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA384 ? BundleHashAlgorithm.Sha384
        : hash == HashAlgorithmName.SHA512 ? BundleHashAlgorithm.Sha512
        : BundleHashAlgorithm.Sha256;

    /// <summary>The .NET hash of a bundle algorithm, or null for one Signet does not compute (SHA3, unspecified).</summary>
    public static HashAlgorithmName? FromBundle(BundleHashAlgorithm algorithm) => algorithm switch
    {
        BundleHashAlgorithm.Sha256 => HashAlgorithmName.SHA256,
        BundleHashAlgorithm.Sha384 => HashAlgorithmName.SHA384,
        BundleHashAlgorithm.Sha512 => HashAlgorithmName.SHA512,
        _ => null,
    };

    /// <summary>The proto name of a bundle hash algorithm (<c>SHA2_256</c>...).</summary>
    public static string Name(BundleHashAlgorithm algorithm) => algorithm switch
    {
        BundleHashAlgorithm.Sha256 => "SHA2_256",
        BundleHashAlgorithm.Sha384 => "SHA2_384",
        BundleHashAlgorithm.Sha512 => "SHA2_512",
        BundleHashAlgorithm.Sha3256 => "SHA3_256",
        BundleHashAlgorithm.Sha3384 => "SHA3_384",
        _ => "HASH_ALGORITHM_UNSPECIFIED",
    };
}
