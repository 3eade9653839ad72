using System.Collections.Immutable;
using Signet.Crypto.Dsse;

namespace Signet.Sigstore.Bundles;

/// <summary>Which member of <c>VerificationMaterial.content</c> is set (protobuf-specs <c>sigstore_bundle.proto</c>).</summary>
public enum VerificationMaterialKind
{
    None,

    /// <summary><c>publicKey{hint}</c>: the key is delivered out of band.</summary>
    PublicKey,

    /// <summary><c>x509CertificateChain{certificates[]}</c>: v0.1 and v0.2 only, leaf first.</summary>
    X509CertificateChain,

    /// <summary><c>certificate{rawBytes}</c>: the leaf alone (v0.3).</summary>
    Certificate,
}

/// <summary>Which member of <c>Bundle.content</c> is set.</summary>
public enum BundleContentKind
{
    None,
    MessageSignature,
    DsseEnvelope,
}

/// <summary>
/// protobuf-specs <c>dev.sigstore.common.v1.HashAlgorithm</c>; JSON carries the proto names
/// (HASH_ALGORITHM_UNSPECIFIED, SHA2_256, SHA2_384, SHA2_512, SHA3_256, SHA3_384) or their numbers.
/// </summary>
public enum BundleHashAlgorithm
{
    Unspecified = 0,
    Sha256 = 1,
    Sha384 = 2,
    Sha512 = 3,

    /// <summary>SHA3-256.</summary>
    Sha3256 = 4,

    /// <summary>SHA3-384.</summary>
    Sha3384 = 5,
}

/// <summary><c>verificationMaterial</c>: the signer's key or certificate, log entries and timestamps.</summary>
public sealed record BundleVerificationMaterial
{
    public required VerificationMaterialKind Kind { get; init; }

    /// <summary>The <c>publicKey.hint</c> when <see cref="Kind"/> is <see cref="VerificationMaterialKind.PublicKey"/> (may be empty).</summary>
    public string? PublicKeyHint { get; init; }

    /// <summary>DER certificates: the chain (leaf first) or the single <c>certificate</c>; empty for a public key.</summary>
    public required ImmutableArray<ReadOnlyMemory<byte>> Certificates { get; init; }

    public required ImmutableArray<TransparencyLogEntry> TlogEntries { get; init; }

    /// <summary>True when <c>timestampVerificationData</c> was present (even empty).</summary>
    public bool HasTimestampVerificationData { get; init; }

    /// <summary><c>timestampVerificationData.rfc3161Timestamps[].signedTimestamp</c>: DER TimeStampResp bytes.</summary>
    public required ImmutableArray<ReadOnlyMemory<byte>> Rfc3161Timestamps { get; init; }
}

/// <summary>protobuf-specs <c>dev.sigstore.rekor.v1.TransparencyLogEntry</c>.</summary>
public sealed record TransparencyLogEntry
{
    public required long LogIndex { get; init; }

    /// <summary><c>logId.keyId</c>: SHA-256 of the log's DER public key; empty when absent.</summary>
    public required ReadOnlyMemory<byte> LogKeyId { get; init; }

    /// <summary><c>kindVersion</c>, null when absent.</summary>
    public KindVersion? KindVersion { get; init; }

    /// <summary>Seconds since the Unix epoch; 0 when absent (Rekor v2 entries have none).</summary>
    public required long IntegratedTime { get; init; }

    /// <summary><c>inclusionPromise.signedEntryTimestamp</c> (the SET), null when there is no promise.</summary>
    public ReadOnlyMemory<byte>? SignedEntryTimestamp { get; init; }

    public InclusionProof? InclusionProof { get; init; }

    /// <summary>The log entry body exactly as the log stored it (the JSON Rekor hashed).</summary>
    public required ReadOnlyMemory<byte> CanonicalizedBody { get; init; }
}

/// <summary>protobuf-specs <c>dev.sigstore.rekor.v1.KindVersion</c>.</summary>
public sealed record KindVersion
{
    public required string Kind { get; init; }

    public required string Version { get; init; }
}

/// <summary>protobuf-specs <c>dev.sigstore.rekor.v1.InclusionProof</c>.</summary>
public sealed record InclusionProof
{
    public required long LogIndex { get; init; }

    public required ReadOnlyMemory<byte> RootHash { get; init; }

    public required long TreeSize { get; init; }

    /// <summary>The audit path, leaf to root.</summary>
    public required ImmutableArray<ReadOnlyMemory<byte>> Hashes { get; init; }

    /// <summary><c>checkpoint.envelope</c>: the signed note text; null when absent.</summary>
    public string? Checkpoint { get; init; }
}

/// <summary>protobuf-specs <c>dev.sigstore.common.v1.MessageSignature</c>.</summary>
public sealed record MessageSignature
{
    /// <summary>The artifact digest (an unauthenticated hint), null when absent.</summary>
    public MessageDigest? MessageDigest { get; init; }

    public required ReadOnlyMemory<byte> Signature { get; init; }
}

/// <summary>protobuf-specs <c>dev.sigstore.common.v1.HashOutput</c>.</summary>
public sealed record MessageDigest
{
    public required BundleHashAlgorithm Algorithm { get; init; }

    public required ReadOnlyMemory<byte> Digest { get; init; }
}

/// <summary>The outcome of <see cref="SigstoreBundle.Read(ReadOnlyMemory{byte}, BundleParseOptions?)"/>: the bundle when it could be read, and every problem found.</summary>
public sealed record BundleReadResult
{
    public SigstoreBundle? Bundle { get; init; }

    public required ImmutableArray<BundleProblem> Problems { get; init; }

    /// <summary>True when the bundle was read and has no structural problem.</summary>
    public bool IsValid => Bundle is not null && Problems.IsEmpty;
}

/// <summary>Hard read limits for an untrusted bundle (the structural limits of 32 entries are checked by validation).</summary>
public sealed record BundleParseOptions
{
    public static BundleParseOptions Default { get; } = new();

    /// <summary>Largest bundle accepted: 32 MiB, room for a 16 MiB DSSE payload in base64.</summary>
    public int MaxBundleBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Largest decoded DSSE payload accepted.</summary>
    public int MaxPayloadBytes { get; init; } = DsseParseOptions.DefaultMaxPayloadBytes;

    /// <summary>Most items read from any repeated field before the bundle is refused outright.</summary>
    public int MaxItems { get; init; } = 1024;
}
