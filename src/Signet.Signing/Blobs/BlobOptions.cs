namespace Signet.Signing.Blobs;

/// <summary>Limits for signing and verifying files; the defaults suit the CLI.</summary>
public sealed record BlobOptions
{
    /// <summary>The default of <see cref="MaxEd25519Bytes"/>: 128 MiB.</summary>
    public const long DefaultMaxEd25519Bytes = 128L * 1024 * 1024;

    public static BlobOptions Default { get; } = new();

    /// <summary>
    /// The largest file an Ed25519 key signs or verifies. Pure Ed25519 (what cosign and sigstore use) needs the whole
    /// message at once, so the file is held in memory; ECDSA and RSA stream any size and ignore this limit.
    /// </summary>
    public long MaxEd25519Bytes { get; init; } = DefaultMaxEd25519Bytes;

    /// <summary>The most bundle bytes read (a bundle for a blob is about 1 KiB).</summary>
    public int MaxBundleBytes { get; init; } = 1024 * 1024;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the fix when a limit is not positive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEd25519Bytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBundleBytes);
    }
}
