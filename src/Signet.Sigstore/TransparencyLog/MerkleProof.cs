using System.Security.Cryptography;

namespace Signet.Sigstore.TransparencyLog;

/// <summary>
/// RFC 6962 / RFC 9162 Merkle tree hashing with SHA-256 and inclusion proof verification (RFC 9162 section 2.1.3.2):
/// leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || left || right).
/// </summary>
public static class MerkleProof
{
    public const int HashSize = 32;

    /// <summary>Longest audit path accepted: a tree of 2^63 leaves needs at most 63 hashes.</summary>
    public const int MaxProofHashes = 64;

    /// <summary>The leaf hash of a log entry: SHA-256(0x00 || <paramref name="entry"/>).</summary>
    public static byte[] HashLeaf(ReadOnlySpan<byte> entry)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x00]);
        sha.AppendData(entry);
        return sha.GetHashAndReset();
    }

    /// <summary>An interior node hash: SHA-256(0x01 || <paramref name="left"/> || <paramref name="right"/>).</summary>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x01]);
        sha.AppendData(left);
        sha.AppendData(right);
        return sha.GetHashAndReset();
    }

    /// <summary>
    /// Verifies that the leaf <paramref name="leafHash"/> sits at <paramref name="index"/> in the tree of
    /// <paramref name="treeSize"/> leaves whose root is <paramref name="expectedRoot"/>. Never throws on bad input.
    /// </summary>
    public static TlogResult VerifyInclusion(
        ReadOnlySpan<byte> leafHash,
        long index,
        long treeSize,
        IReadOnlyList<ReadOnlyMemory<byte>> proofHashes,
        ReadOnlySpan<byte> expectedRoot)
    {
        if (proofHashes is null)
        {
            return TlogResult.Fail(TlogCodes.InvalidInput, "inclusion proof hashes are missing");
        }

        var computed = TryComputeRoot(leafHash, index, treeSize, proofHashes, out var root);
        if (!computed.IsValid)
        {
            return computed;
        }

        if (expectedRoot.Length != HashSize)
        {
            return TlogResult.Fail(TlogCodes.InvalidInput, $"expected root hash is {expectedRoot.Length} bytes, not {HashSize}");
        }

        return CryptographicOperations.FixedTimeEquals(root, expectedRoot)
            ? TlogResult.Success
            : TlogResult.Fail(
                TlogCodes.RootMismatch,
                $"inclusion proof for leaf {index} of {treeSize} computes root {Convert.ToHexStringLower(root)}, expected {Convert.ToHexStringLower(expectedRoot)}");
    }

    /// <summary>The root implied by an inclusion proof (RFC 9162 2.1.3.2 steps 1-5, without the final comparison).</summary>
    public static TlogResult TryComputeRoot(
        ReadOnlySpan<byte> leafHash,
        long index,
        long treeSize,
        IReadOnlyList<ReadOnlyMemory<byte>> proofHashes,
        out byte[] root)
    {
        root = [];
        ArgumentNullException.ThrowIfNull(proofHashes);
        if (leafHash.Length != HashSize)
        {
            return TlogResult.Fail(TlogCodes.InvalidInput, $"leaf hash is {leafHash.Length} bytes, not {HashSize}");
        }

        if (index < 0 || treeSize <= 0 || index >= treeSize)
        {
            return TlogResult.Fail(TlogCodes.IndexOutOfRange, $"leaf index {index} is not inside a tree of {treeSize} leaves");
        }

        if (proofHashes.Count > MaxProofHashes)
        {
            return TlogResult.Fail(TlogCodes.ProofTooLong, $"inclusion proof has {proofHashes.Count} hashes; at most {MaxProofHashes} are accepted");
        }

        var fn = index;
        var sn = treeSize - 1;
        var r = leafHash.ToArray();
        for (var i = 0; i < proofHashes.Count; i++)
        {
            var p = proofHashes[i].Span;
            if (p.Length != HashSize)
            {
                return TlogResult.Fail(TlogCodes.InvalidInput, $"inclusion proof hash {i} is {p.Length} bytes, not {HashSize}");
            }

            if (sn == 0)
            {
                return TlogResult.Fail(TlogCodes.ProofWrongLength, $"inclusion proof has {proofHashes.Count} hashes, more than leaf {index} of {treeSize} needs");
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = HashChildren(p, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                r = HashChildren(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        if (sn != 0)
        {
            return TlogResult.Fail(TlogCodes.ProofWrongLength, $"inclusion proof has {proofHashes.Count} hashes, fewer than leaf {index} of {treeSize} needs");
        }

        root = r;
        return TlogResult.Success;
    }
}
