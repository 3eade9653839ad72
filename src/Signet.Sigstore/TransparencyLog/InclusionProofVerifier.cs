using System.Security.Cryptography;
using Signet.Crypto;
using Signet.Sigstore.Bundles;

namespace Signet.Sigstore.TransparencyLog;

/// <summary>
/// Verifies a bundle log entry's inclusion proof (sigstore-go <c>VerifyInclusion</c> order): the Merkle path from
/// SHA-256(0x00 || body) to <c>rootHash</c>, the checkpoint's size and root against the proof, and the checkpoint
/// signature with the log key.
/// </summary>
public static class InclusionProofVerifier
{
    /// <param name="entry">The bundle's log entry.</param>
    /// <param name="logKey">The log's key from the trusted root.</param>
    /// <param name="expectedOrigin">
    /// When given (Rekor v2: the trusted root <c>baseUrl</c> host), the checkpoint origin must equal it and the accepted
    /// signature line must carry it as its key name.
    /// </param>
    public static TlogResult Verify(TransparencyLogEntry entry, PublicKey logKey, string? expectedOrigin = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(logKey);
        if (entry.InclusionProof is not { } proof)
        {
            return TlogResult.Fail(TlogCodes.MissingInclusionProof, $"log entry {entry.LogIndex} has no inclusion proof");
        }

        var leaf = MerkleProof.HashLeaf(entry.CanonicalizedBody.Span);
        var merkle = MerkleProof.VerifyInclusion(leaf, proof.LogIndex, proof.TreeSize, proof.Hashes, proof.RootHash.Span);
        if (!merkle.IsValid)
        {
            return merkle;
        }

        if (proof.Checkpoint is null)
        {
            return TlogResult.Fail(TlogCodes.MissingCheckpoint, $"inclusion proof of log entry {entry.LogIndex} has no checkpoint");
        }

        if (!Checkpoint.TryParse(proof.Checkpoint, out var checkpoint, out var reason))
        {
            return TlogResult.Fail(TlogCodes.MalformedCheckpoint, reason);
        }

        if (checkpoint!.TreeSize != proof.TreeSize || !CryptographicOperations.FixedTimeEquals(checkpoint.RootHash.Span, proof.RootHash.Span))
        {
            return TlogResult.Fail(
                TlogCodes.CheckpointMismatch,
                $"checkpoint (size {checkpoint.TreeSize}, root {Convert.ToHexStringLower(checkpoint.RootHash.Span)}) does not match the inclusion proof (size {proof.TreeSize}, root {Convert.ToHexStringLower(proof.RootHash.Span)})");
        }

        if (expectedOrigin is not null && !string.Equals(checkpoint.Origin, expectedOrigin, StringComparison.Ordinal))
        {
            return TlogResult.Fail(TlogCodes.CheckpointMismatch, $"checkpoint origin '{checkpoint.Origin}' is not the log's origin '{expectedOrigin}'");
        }

        return checkpoint.VerifySignature(logKey, expectedOrigin);
    }
}
