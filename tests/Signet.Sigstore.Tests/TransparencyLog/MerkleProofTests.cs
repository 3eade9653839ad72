using Signet.Sigstore.TransparencyLog;

namespace Signet.Sigstore.Tests.TransparencyLog;

public sealed class MerkleProofTests
{
    [Theory]
    [InlineData("happy-path-v0.3")]
    [InlineData("happy-path-v0.2")]
    [InlineData("happy-path-intoto-in-dsse-v3")]
    public void VerifyInclusion_ConformanceEntry_Succeeds(string caseName)
    {
        var entry = ConformanceLog.Entry(caseName);
        var proof = entry.InclusionProof!;

        var result = MerkleProof.VerifyInclusion(MerkleProof.HashLeaf(entry.CanonicalizedBody.Span), proof.LogIndex, proof.TreeSize, proof.Hashes, proof.RootHash.Span);

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void VerifyInclusion_FlippedRoot_FailsWithRootMismatch()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");
        var proof = entry.InclusionProof!;

        var result = MerkleProof.VerifyInclusion(MerkleProof.HashLeaf(entry.CanonicalizedBody.Span), proof.LogIndex, proof.TreeSize, proof.Hashes, ConformanceLog.Flip(proof.RootHash));

        Assert.Equal(TlogCodes.RootMismatch, result.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(10)]
    public void VerifyInclusion_FlippedProofHash_FailsWithRootMismatch(int which)
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");
        var proof = entry.InclusionProof!;
        var hashes = proof.Hashes.SetItem(which, ConformanceLog.Flip(proof.Hashes[which], 31));

        var result = MerkleProof.VerifyInclusion(MerkleProof.HashLeaf(entry.CanonicalizedBody.Span), proof.LogIndex, proof.TreeSize, hashes, proof.RootHash.Span);

        Assert.Equal(TlogCodes.RootMismatch, result.Code);
    }

    [Fact]
    public void VerifyInclusion_FlippedBody_FailsWithRootMismatch()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");
        var proof = entry.InclusionProof!;

        var result = MerkleProof.VerifyInclusion(MerkleProof.HashLeaf(ConformanceLog.Flip(entry.CanonicalizedBody, 10)), proof.LogIndex, proof.TreeSize, proof.Hashes, proof.RootHash.Span);

        Assert.Equal(TlogCodes.RootMismatch, result.Code);
    }

    [Fact]
    public void VerifyInclusion_WrongIndex_Fails()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");
        var proof = entry.InclusionProof!;

        var result = MerkleProof.VerifyInclusion(MerkleProof.HashLeaf(entry.CanonicalizedBody.Span), proof.LogIndex - 1, proof.TreeSize, proof.Hashes, proof.RootHash.Span);

        Assert.False(result.IsValid);
    }

    [Fact]
    public void VerifyInclusion_MissingOrExtraHash_FailsWithWrongLength()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");
        var proof = entry.InclusionProof!;
        var leaf = MerkleProof.HashLeaf(entry.CanonicalizedBody.Span);

        var shorter = MerkleProof.VerifyInclusion(leaf, proof.LogIndex, proof.TreeSize, proof.Hashes.RemoveAt(proof.Hashes.Length - 1), proof.RootHash.Span);
        var longer = MerkleProof.VerifyInclusion(leaf, proof.LogIndex, proof.TreeSize, proof.Hashes.Add(new byte[32]), proof.RootHash.Span);

        Assert.Equal(TlogCodes.ProofWrongLength, shorter.Code);
        Assert.Equal(TlogCodes.ProofWrongLength, longer.Code);
    }

    [Theory]
    [InlineData(-1, 5)]
    [InlineData(5, 5)]
    [InlineData(0, 0)]
    [InlineData(long.MaxValue, 1)]
    public void VerifyInclusion_IndexOutsideTree_FailsWithIndexOutOfRange(long index, long size)
    {
        var result = MerkleProof.VerifyInclusion(new byte[32], index, size, [], new byte[32]);

        Assert.Equal(TlogCodes.IndexOutOfRange, result.Code);
    }

    [Fact]
    public void VerifyInclusion_ProofLongerThan64_FailsWithProofTooLong()
    {
        var hashes = Enumerable.Range(0, 65).Select(_ => (ReadOnlyMemory<byte>)new byte[32]).ToArray();

        var result = MerkleProof.VerifyInclusion(new byte[32], 0, long.MaxValue, hashes, new byte[32]);

        Assert.Equal(TlogCodes.ProofTooLong, result.Code);
    }

    [Fact]
    public void VerifyInclusion_ShortHashes_FailsWithInvalidInput()
    {
        Assert.Equal(TlogCodes.InvalidInput, MerkleProof.VerifyInclusion(new byte[31], 0, 2, [new byte[32]], new byte[32]).Code);
        Assert.Equal(TlogCodes.InvalidInput, MerkleProof.VerifyInclusion(new byte[32], 0, 2, [new byte[3]], new byte[32]).Code);
        Assert.Equal(TlogCodes.InvalidInput, MerkleProof.VerifyInclusion(new byte[32], 0, 2, [new byte[32]], new byte[2]).Code);
    }

    [Fact]
    public void VerifyInclusion_EveryLeafOfSmallTrees_Succeeds()
    {
        for (var size = 1; size <= 17; size++)
        {
            var leaves = Enumerable.Range(0, size).Select(i => MerkleProof.HashLeaf([(byte)i])).ToArray();
            var root = Root(leaves);
            for (var index = 0; index < size; index++)
            {
                var path = Path(leaves, index);
                Assert.True(MerkleProof.VerifyInclusion(leaves[index], index, size, path, root).IsValid, $"leaf {index} of {size}");
                Assert.Equal(TlogCodes.RootMismatch, MerkleProof.VerifyInclusion(MerkleProof.HashLeaf([0xFF]), index, size, path, root).Code);
            }
        }
    }

    // RFC 9162 2.1.1 MTH and 2.1.3.1 PATH, written recursively as the specification states them.
    private static byte[] Root(ReadOnlySpan<byte[]> leaves)
    {
        if (leaves.Length == 1)
        {
            return leaves[0];
        }

        var k = Split(leaves.Length);
        return MerkleProof.HashChildren(Root(leaves[..k]), Root(leaves[k..]));
    }

    private static List<ReadOnlyMemory<byte>> Path(ReadOnlySpan<byte[]> leaves, int m)
    {
        if (leaves.Length == 1)
        {
            return [];
        }

        var k = Split(leaves.Length);
        if (m < k)
        {
            var path = Path(leaves[..k], m);
            path.Add(Root(leaves[k..]));
            return path;
        }
        else
        {
            var path = Path(leaves[k..], m - k);
            path.Add(Root(leaves[..k]));
            return path;
        }
    }

    private static int Split(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }
}
