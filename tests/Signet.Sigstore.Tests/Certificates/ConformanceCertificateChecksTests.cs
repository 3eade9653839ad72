using Signet.Sigstore.Bundles;
using Signet.Sigstore.Certificates;
using TestData = Signet.Testing.TestData;

namespace Signet.Sigstore.Tests.Certificates;

/// <summary>
/// The certificate checks in sigstore-go's order (chain at the log's integrated time, SCT, identity) on the
/// conformance cases whose outcome they decide, and on happy paths where they must all pass.
/// </summary>
public sealed class ConformanceCertificateChecksTests
{
    [Theory]
    [InlineData("happy-path-v0.1", "ok", "ok", "ok")]
    [InlineData("happy-path-v0.2", "ok", "ok", "ok")]
    [InlineData("happy-path-v0.3", "ok", "ok", "ok")]
    [InlineData("happy-path-v0.3-new-mediaType", "ok", "ok", "ok")]
    [InlineData("happy-path-intoto-in-dsse-v3", "ok", "ok", "ok")]
    [InlineData("intoto-with-custom-trust-root", "ok", "ok", "ok")]
    [InlineData("bundle-with-sct-with-extensions", "ok", "ok", "ok")]
    [InlineData("rekor2-happy-path", "ok", "ok", "ok")]
    [InlineData("trust-root-tlog-validity-end-inclusive", "ok", "ok", "ok")]
    [InlineData("bundle-from-wrong-instance_fail", CertificateCodes.ChainNotBuilt, "-", "ok")]
    [InlineData("integrated-time-in-future_fail", CertificateCodes.NotValidAtTime, "-", "ok")]
    [InlineData("intoto-set-outside-signing-cert-validity_fail", CertificateCodes.NotValidAtTime, "-", "ok")]
    [InlineData("intoto-expired-certificate_fail", CertificateCodes.NotValidAtTime, "-", "ok")]
    [InlineData("invalid-ct-key_fail", "ok", CertificateCodes.UnknownCtLog, "ok")]
    public void CertificateChecks_ConformanceCase_GiveExpectedCodes(string caseName, string chainCode, string sctCode, string identityCode)
    {
        var directory = TestData.Require($"sigstore-conformance/bundle-verify/{caseName}");
        var material = SigstoreBundle.Parse(File.ReadAllBytes(Path.Combine(directory, "bundle.sigstore.json"))).VerificationMaterial!;
        var leaf = FulcioCertificate.Parse(material.Certificates[0]);
        var root = ConformanceCertificates.Root(caseName);

        // Rekor v1 entries carry the observed time; Rekor v2 ones do not (their time comes from a TSA): use the leaf's.
        var integrated = material.TlogEntries.Select(e => e.IntegratedTime).FirstOrDefault(t => t > 0);
        var time = integrated > 0 ? DateTimeOffset.FromUnixTimeSeconds(integrated) : leaf.NotBefore.AddMinutes(1);
        var chain = FulcioChainVerifier.Verify(leaf, root, time);
        var sct = chain.Result.IsValid ? SctVerifier.Verify(leaf, chain.Chain[1], root).Code ?? "ok" : "-";
        var identity = new CertificateIdentityPolicy
        {
            SubjectAlternativeName = CaseFile(directory, "identity") ?? ConformanceCertificates.DefaultIdentity,
            Issuer = CaseFile(directory, "issuer") ?? ConformanceCertificates.DefaultIssuer,
        }.Match(leaf);

        Assert.Equal((chainCode, sctCode, identityCode), (chain.Result.Code ?? "ok", sct, identity.Code ?? "ok"));
    }

    private static string? CaseFile(string directory, string name) =>
        File.Exists(Path.Combine(directory, name)) ? File.ReadAllText(Path.Combine(directory, name)).Trim() : null;
}
