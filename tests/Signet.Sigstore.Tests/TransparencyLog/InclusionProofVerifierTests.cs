using Signet.Sigstore.TransparencyLog;

namespace Signet.Sigstore.Tests.TransparencyLog;

public sealed class InclusionProofVerifierTests
{
    [Theory]
    [InlineData("happy-path-v0.2")]
    [InlineData("happy-path-v0.3")]
    [InlineData("happy-path-v0.3-new-mediaType")]
    [InlineData("happy-path-intoto-in-dsse-v3")]
    public void Verify_ConformanceEntry_Succeeds(string caseName)
    {
        var entry = ConformanceLog.Entry(caseName);

        var result = InclusionProofVerifier.Verify(entry, ConformanceLog.LogKey(entry.LogKeyId));

        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [InlineData("checkpoint-bad-keyhint_fail", TlogCodes.CheckpointNoMatchingSignature)]
    [InlineData("invalid-checkpoint-signature_fail", TlogCodes.CheckpointBadSignature)]
    [InlineData("checkpoint-wrong-roothash_fail", TlogCodes.CheckpointMismatch)]
    [InlineData("inclusion-proof-corrupted-hash_fail", TlogCodes.RootMismatch)]
    public void Verify_ConformanceFailCase_FailsWithReason(string caseName, string code)
    {
        var entry = ConformanceLog.Entry(caseName);

        var result = InclusionProofVerifier.Verify(entry, ConformanceLog.LogKey(entry.LogKeyId));

        Assert.Equal(code, result.Code);
        Assert.False(string.IsNullOrEmpty(result.Reason));
    }

    [Fact]
    public void Verify_FlippedRootInProofOnly_FailsWithRootMismatch()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");
        var tampered = entry with { InclusionProof = entry.InclusionProof! with { RootHash = ConformanceLog.Flip(entry.InclusionProof.RootHash) } };

        Assert.Equal(TlogCodes.RootMismatch, InclusionProofVerifier.Verify(tampered, ConformanceLog.LogKey(entry.LogKeyId)).Code);
    }

    [Fact]
    public void Verify_FlippedBody_FailsWithRootMismatch()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");
        var tampered = entry with { CanonicalizedBody = ConformanceLog.Flip(entry.CanonicalizedBody, 3) };

        Assert.Equal(TlogCodes.RootMismatch, InclusionProofVerifier.Verify(tampered, ConformanceLog.LogKey(entry.LogKeyId)).Code);
    }

    [Fact]
    public void Verify_NoProofOrNoCheckpoint_FailsWithMissing()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");
        var key = ConformanceLog.LogKey(entry.LogKeyId);

        Assert.Equal(TlogCodes.MissingInclusionProof, InclusionProofVerifier.Verify(entry with { InclusionProof = null }, key).Code);
        Assert.Equal(TlogCodes.MissingCheckpoint, InclusionProofVerifier.Verify(entry with { InclusionProof = entry.InclusionProof! with { Checkpoint = null } }, key).Code);
        Assert.Equal(TlogCodes.MalformedCheckpoint, InclusionProofVerifier.Verify(entry with { InclusionProof = entry.InclusionProof! with { Checkpoint = "x\n" } }, key).Code);
    }
}
