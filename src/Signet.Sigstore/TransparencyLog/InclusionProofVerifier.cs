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
    public static TlogResult Verify(TransparencyLogEntry entry, PublicKey logKey)
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

        return checkpoint.VerifySignature(logKey);
    }
}
