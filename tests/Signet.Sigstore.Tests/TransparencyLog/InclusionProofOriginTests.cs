using Signet.Sigstore.TransparencyLog;

namespace Signet.Sigstore.Tests.TransparencyLog;

public sealed class InclusionProofOriginTests
{
    private const string Case = "rekor2-happy-path";

    [Fact]
    public void Verify_MatchingOrigin_Succeeds()
    {
        var entry = ConformanceLog.Entry(Case);
        var key = ConformanceLog.LogKey(entry.LogKeyId, $"sigstore-conformance/bundle-verify/{Case}/trusted_root.json");

        var result = InclusionProofVerifier.Verify(entry, key, "log2025-alpha1.rekor.sigstage.dev");

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Verify_OtherOrigin_FailsWithCheckpointMismatch()
    {
        var entry = ConformanceLog.Entry(Case);
        var key = ConformanceLog.LogKey(entry.LogKeyId, $"sigstore-conformance/bundle-verify/{Case}/trusted_root.json");

        var result = InclusionProofVerifier.Verify(entry, key, "rekor.example.com");

        Assert.Equal(TlogCodes.CheckpointMismatch, result.Code);
    }
}
