using Signet.Sigstore.TransparencyLog;

namespace Signet.Sigstore.Tests.TransparencyLog;

/// <summary>Rekor v2 (Ed25519 log keys, cosigned checkpoints) cases, each with its own trusted root.</summary>
public sealed class RekorV2InclusionProofTests
{
    [Theory]
    [InlineData("rekor2-happy-path")]
    [InlineData("rekor2-dsse-happy-path")]
    [InlineData("rekor2-checkpoint-cosigned")]
    [InlineData("rekor2-checkpoint-multiple-cosigs")]
    [InlineData("rekor2-checkpoint-two-sigs-cosigned")]
    [InlineData("rekor2-checkpoint-origin-not-first")]
    public void Verify_RekorV2Entry_Succeeds(string caseName)
    {
        var entry = ConformanceLog.Entry(caseName);

        var result = InclusionProofVerifier.Verify(entry, ConformanceLog.LogKey(entry.LogKeyId, $"sigstore-conformance/bundle-verify/{caseName}/trusted_root.json"));

        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [InlineData("rekor2-checkpoint-missing-log-signature_fail")]
    [InlineData("rekor2-checkpoint-missing-origin_fail")]
    [InlineData("rekor2-checkpoint-missing-root-hash_fail")]
    [InlineData("rekor2-checkpoint-missing-size_fail")]
    [InlineData("rekor2-checkpoint-no-matching-signature_fail")]
    public void Verify_RekorV2BadCheckpoint_Fails(string caseName)
    {
        var entry = ConformanceLog.Entry(caseName);

        var result = InclusionProofVerifier.Verify(entry, ConformanceLog.LogKey(entry.LogKeyId, $"sigstore-conformance/bundle-verify/{caseName}/trusted_root.json"));

        Assert.False(result.IsValid);
        Assert.False(string.IsNullOrEmpty(result.Reason));
    }
}
