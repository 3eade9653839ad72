using Signet.Sigstore.Bundles;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.Timestamps;
using Signet.Sigstore.TransparencyLog;
using Signet.Sigstore.Verification;

namespace Signet.Sigstore.Tests.Conformance;

/// <summary>
/// The sigstore-conformance bundle-verify suite (shared data, sigstore/sigstore-conformance a73de497): every case,
/// once with the artifact file and once with its sha256 digest, as the conformance harness runs a client. "Now" is
/// the real clock, as in the harness. A failing case must fail for its reason: the code of the first failed check
/// is pinned per case (taken from the case's README).
/// </summary>
public sealed class BundleVerifyConformanceTests
{
    /// <summary>Why each <c>_fail</c> case fails: the code of the check that must refuse it.</summary>
    private static readonly Dictionary<string, string> ExpectedFailures = new()
    {
        ["bundle-empty-certificate-chain_fail"] = BundleCodes.EmptyCertificateChain,
        ["bundle-from-wrong-instance_fail"] = VerificationCodes.NoVerifiedTlogEntry,
        ["bundle-invalid-base64-signature_fail"] = BundleCodes.InvalidBase64,
        ["bundle-malformed-json_fail"] = BundleCodes.MalformedJson,
        ["bundle-negative-log-index_fail"] = BundleCodes.NegativeLogIndex,
        ["bundle-unknown-version_fail"] = BundleCodes.UnsupportedVersion,
        ["bundle-with-root-cert_fail"] = BundleCodes.RootCertificateInBundle,
        ["checkpoint-bad-keyhint_fail"] = TlogCodes.CheckpointNoMatchingSignature,
        ["checkpoint-wrong-roothash_fail"] = TlogCodes.CheckpointMismatch,

        // The DSSE cases were made by changing the envelope after logging: the logged signature or envelope differs.
        ["dsse-invalid-sig_fail"] = TlogCodes.BodyMismatch,
        ["dsse-mismatch-envelope_fail"] = TlogCodes.BodyMismatch,
        ["dsse-mismatch-sig_fail"] = TlogCodes.BodyMismatch,
        ["inclusion-proof-corrupted-hash_fail"] = TlogCodes.RootMismatch,

        // The public key in the logged body was changed, so the SET over the body no longer verifies.
        ["incorrect-public-key_fail"] = TlogCodes.SetBadSignature,
        ["integrated-time-in-future_fail"] = CertificateCodes.NotValidAtTime,
        ["intoto-expired-certificate_fail"] = CertificateCodes.NotValidAtTime,
        ["intoto-log-entry-mismatch_fail"] = TlogCodes.BodyMismatch,
        ["intoto-missing-inclusion-proof_fail"] = BundleCodes.MissingInclusionProof,
        ["intoto-set-outside-signing-cert-validity_fail"] = CertificateCodes.NotValidAtTime,
        ["intoto-tsa-timestamp-outside-cert-validity_fail"] = CertificateCodes.NotValidAtTime,
        ["invalid-checkpoint-signature_fail"] = TlogCodes.CheckpointBadSignature,
        ["invalid-ct-key_fail"] = CertificateCodes.UnknownCtLog,
        ["invalid-inclusion-proof_fail"] = TlogCodes.RootMismatch,
        ["managed-key-no-key_fail"] = VerificationCodes.PolicyMismatch,

        // Its key.pub is damaged PEM: a client cannot load the key, so it never verifies.
        ["managed-key-wrong-key_fail"] = ConformanceCase.KeyUnreadable,
        ["message-digest-mismatch_fail"] = TlogCodes.BodyMismatch,
        ["rekor2-checkpoint-missing-log-signature_fail"] = TlogCodes.MalformedCheckpoint,
        ["rekor2-checkpoint-missing-origin_fail"] = TlogCodes.MalformedCheckpoint,
        ["rekor2-checkpoint-missing-root-hash_fail"] = TlogCodes.MalformedCheckpoint,
        ["rekor2-checkpoint-missing-size_fail"] = TlogCodes.MalformedCheckpoint,
        ["rekor2-checkpoint-no-matching-signature_fail"] = TlogCodes.CheckpointMismatch,
        ["rekor2-dsse-invalid-sig_fail"] = TlogCodes.BodyMismatch,
        ["rekor2-dsse-mismatch-envelope_fail"] = TlogCodes.BodyMismatch,
        ["rekor2-dsse-mismatch-sig_fail"] = TlogCodes.BodyMismatch,
        ["rekor2-no-inclusion-proof_fail"] = BundleCodes.MissingInclusionProof,
        ["rekor2-no-timestamp_fail"] = VerificationCodes.TimestampThresholdNotMet,
        ["rekor2-timestamp-outside-trust-root-tsa-validity_fail"] = TimestampCodes.OutsideAuthorityValidity,
        ["rekor2-timestamp-outside-tsa-cert-validity_fail"] = TimestampCodes.OutsideCertificateValidity,
        ["rekor2-timestamp-payload-mismatch_fail"] = TimestampCodes.ImprintMismatch,
        ["rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail"] = TimestampCodes.UntrustedAuthority,
        ["rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail"] = TimestampCodes.UntrustedAuthority,
        ["rekor2-timestamp-with-incorrect-time_fail"] = CertificateCodes.NotValidAtTime,
        ["set-invalid-signature_fail"] = TlogCodes.SetBadSignature,
        ["signature-mismatch_fail"] = TlogCodes.BodyMismatch,
        ["trust-root-tlog-missing-validity-start_fail"] = ConformanceCase.TrustedRootUnreadable,
        ["wrong-hashedrekord-artifact_fail"] = TlogCodes.BodyMismatch,
        ["wrong-hashedrekord-cert-and-sig_fail"] = TlogCodes.BodyMismatch,
        ["wrong-hashedrekord-entry_fail"] = TlogCodes.BodyMismatch,
        ["wrong-material_fail"] = VerificationCodes.ArtifactMismatch,
    };

    public static TheoryData<string, ArtifactInput> Runs()
    {
        var data = new TheoryData<string, ArtifactInput>();
        foreach (var name in ConformanceCase.Names())
        {
            data.Add(name, ArtifactInput.File);
            data.Add(name, ArtifactInput.Digest);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Verify_ConformanceCase_HasExpectedOutcome(string name, ArtifactInput input)
    {
        var conformanceCase = ConformanceCase.Load(name);

        var result = conformanceCase.Run(input);

        if (conformanceCase.MustFail)
        {
            Assert.False(result.IsValid, $"{name} ({input}) must fail verification, and it passed");
            Assert.True(ExpectedFailures[name] == result.Code, $"{name} ({input}) must fail with {ExpectedFailures[name]}, and failed with {result}");
        }
        else
        {
            Assert.True(result.IsValid, $"{name} ({input}) must verify: {result}");
        }
    }

    [Fact]
    public void Verify_PassingCase_ReportsCertificateOrKeyAndTimes()
    {
        var keyless = ConformanceCase.Load("happy-path-v0.3").Run(ArtifactInput.File);
        var dsse = ConformanceCase.Load("happy-path-intoto-in-dsse-v3").Run(ArtifactInput.Digest);
        var keyed = ConformanceCase.Load("managed-key-happy-path").Run(ArtifactInput.File);

        Assert.Equal(ConformanceCase.DefaultIdentity, Assert.Single(keyless.Certificate!.SubjectAlternativeNames).Value);
        Assert.Equal("https://rekor.sigstore.dev", Assert.Single(keyless.Timestamps).Authority);
        Assert.Equal("application/vnd.in-toto+json", dsse.PayloadType);
        Assert.NotNull(dsse.Payload);
        Assert.Null(keyed.Certificate);
    }

    [Fact]
    public void Suite_HasSeventyCases_FortyNineOfThemFailing()
    {
        var names = ConformanceCase.Names().ToList();

        Assert.Equal(70, names.Count);
        Assert.Equal(49, names.Count(n => n.EndsWith("_fail", StringComparison.Ordinal)));
        Assert.Equal(names.Where(n => n.EndsWith("_fail", StringComparison.Ordinal)).Order(StringComparer.Ordinal), ExpectedFailures.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(140, Runs().Count);
    }
}
