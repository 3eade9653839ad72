namespace Signet.Images.Copy;

/// <summary>Per-call settings of a copy.</summary>
public sealed record CopyOptions
{
    /// <summary>Which manifests of an index to copy. Copying every platform keeps the index and its digest.</summary>
    public PlatformSelection Platforms { get; init; } = PlatformSelection.Host;

    /// <summary>Also copy the referrers (signatures, attestations, SBOMs) of every copied manifest, and theirs.</summary>
    public bool WithReferrers { get; init; }

    /// <summary>Blobs transferred at once.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>How many times a blob transfer is tried in all when the transport fails (never on an integrity failure).</summary>
    public int BlobAttempts { get; init; } = 3;

    public TransferProgress? Progress { get; init; }
}

/// <summary>What a copy did.</summary>
/// <param name="RootDigest">The digest of the root manifest written to the destination.</param>
/// <param name="Manifests">Manifests and indexes written (referrers included).</param>
/// <param name="BlobsCopied">Blobs sent.</param>
/// <param name="BlobsSkipped">Blobs the destination already had (or mounted).</param>
/// <param name="BytesCopied">Bytes of blobs sent.</param>
public sealed record CopyResult(Oci.Digest RootDigest, int Manifests, int BlobsCopied, int BlobsSkipped, long BytesCopied);
