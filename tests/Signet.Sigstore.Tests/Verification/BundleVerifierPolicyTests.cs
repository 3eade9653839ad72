using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.Tests.Conformance;
using Signet.Sigstore.Tests.Timestamps;
using Signet.Sigstore.TrustedRoots;
using Signet.Sigstore.Verification;

namespace Signet.Sigstore.Tests.Verification;

/// <summary>Thresholds, unsafe options and the times the verifier trusts, on conformance bundles (shared data).</summary>
public sealed class BundleVerifierPolicyTests
{
    private static (SigstoreBundle Bundle, TrustedRoot Root, Artifact Artifact, VerificationPolicy Policy) Load(string name)
    {
        var conformanceCase = ConformanceCase.Load(name);
        return (
            SigstoreBundle.Parse(File.ReadAllBytes(conformanceCase.BundlePath)),
            TrustedRoot.Parse(File.ReadAllBytes(conformanceCase.TrustedRootPath)),
            conformanceCase.Artifact(ArtifactInput.File),
            VerificationPolicy.ForIdentity(new CertificateIdentityPolicy { SubjectAlternativeName = conformanceCase.Identity, Issuer = conformanceCase.Issuer }));
    }

    [Fact]
    public void Verify_TwoLogsRequired_OneLogged_FailsTlogThreshold()
    {
        var (bundle, root, artifact, policy) = Load("happy-path-v0.3");

        var result = new BundleVerifier(root).Verify(bundle, artifact, policy with { TlogThreshold = 2 });

        Assert.Equal(VerificationCodes.TlogThresholdNotMet, result.Code);
    }

    [Fact]
    public void Verify_TwoTimestampsRequired_OneSetTime_FailsTimestampThreshold()
    {
        var (bundle, root, artifact, policy) = Load("happy-path-v0.3");

        var result = new BundleVerifier(root).Verify(bundle, artifact, policy with { TimestampThreshold = 2 });

        Assert.Equal(VerificationCodes.TimestampThresholdNotMet, result.Code);
    }

    [Fact]
    public void Verify_SameTimestampTwice_CountsOnceTowardsTheThreshold()
    {
        var (bundle, root, artifact, policy) = Load("rekor2-happy-path");
        var material = bundle.VerificationMaterial!;
        var twice = bundle with { VerificationMaterial = material with { Rfc3161Timestamps = [material.Rfc3161Timestamps[0], material.Rfc3161Timestamps[0]] } };

        var one = new BundleVerifier(root).Verify(twice, artifact, policy);
        var two = new BundleVerifier(root).Verify(twice, artifact, policy with { TimestampThreshold = 2 });

        Assert.True(one.IsValid, one.ToString());
        Assert.Equal(VerificationCodes.TimestampThresholdNotMet, two.Code);
        Assert.Contains("1 distinct", two.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_OneAuthorityStampingTwiceAtDifferentTimes_CountsOnceTowardsTheThreshold()
    {
        var (bundle, _, artifact, policy) = Load("rekor2-happy-path");
        using var tsa = new OpenSslTsa();
        var json = JsonNode.Parse(File.ReadAllBytes(ConformanceCase.Load("rekor2-happy-path").TrustedRootPath))!;
        json["timestampAuthorities"]!.AsArray().Add(new JsonObject
        {
            ["uri"] = "https://tsa.signet.test",
            ["certChain"] = new JsonObject { ["certificates"] = new JsonArray(new JsonObject { ["rawBytes"] = Convert.ToBase64String(tsa.Leaf.RawData) }, new JsonObject { ["rawBytes"] = Convert.ToBase64String(tsa.Root.RawData) }) },
            ["validFor"] = new JsonObject { ["start"] = "2020-01-01T00:00:00Z" },
        });
        var root = TrustedRoot.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()));
        var signature = SignatureChecks.SignatureBytes(bundle).ToArray();
        var first = tsa.Stamp(signature);
        Thread.Sleep(TimeSpan.FromSeconds(1.1));
        var second = tsa.Stamp(signature);
        var material = bundle.VerificationMaterial!;
        var stamped = bundle with { VerificationMaterial = material with { Rfc3161Timestamps = [material.Rfc3161Timestamps[0], first, second] } };

        var result = new BundleVerifier(root).Verify(stamped, artifact, policy with { TimestampThreshold = 3 });

        Assert.Equal(VerificationCodes.TimestampThresholdNotMet, result.Code);
        Assert.Contains("2 distinct", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_RekorV2_ReturnsTheTimestampAuthorityTimeOnly()
    {
        var (bundle, root, artifact, policy) = Load("rekor2-happy-path");

        var result = new BundleVerifier(root).Verify(bundle, artifact, policy);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("https://timestamp.sigstage.dev/api/v1/timestamp", Assert.Single(result.Timestamps).Authority);
    }

    [Fact]
    public void Verify_RekorV2LogKeyNotValidAtTheTimestamp_FailsLogKeyNotValid()
    {
        var (bundle, _, artifact, policy) = Load("rekor2-happy-path");
        var json = JsonNode.Parse(File.ReadAllBytes(ConformanceCase.Load("rekor2-happy-path").TrustedRootPath))!;
        foreach (var log in json["tlogs"]!.AsArray())
        {
            log!["publicKey"]!["validFor"] = new JsonObject { ["start"] = "2025-04-16T00:00:00Z", ["end"] = "2025-05-01T00:00:00Z" };
        }

        var result = new BundleVerifier(TrustedRoot.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()))).Verify(bundle, artifact, policy);

        Assert.Equal(VerificationCodes.LogKeyNotValidAtTime, result.Code);
    }

    [Fact]
    public void Verify_RekorV2WithoutTimestamps_LogKeyCheckedAtTheCurrentTime()
    {
        var (bundle, _, artifact, policy) = Load("rekor2-happy-path");
        var json = JsonNode.Parse(File.ReadAllBytes(ConformanceCase.Load("rekor2-happy-path").TrustedRootPath))!;
        foreach (var log in json["tlogs"]!.AsArray())
        {
            log!["publicKey"]!["validFor"] = new JsonObject { ["start"] = "2025-01-01T00:00:00Z", ["end"] = "2026-01-01T00:00:00Z" };
        }

        var root = TrustedRoot.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()));
        var unstamped = bundle with { VerificationMaterial = bundle.VerificationMaterial! with { Rfc3161Timestamps = [] } };

        var before = new BundleVerifier(root).Verify(unstamped, artifact, policy, new DateTimeOffset(2025, 12, 31, 0, 0, 0, TimeSpan.Zero));
        var after = new BundleVerifier(root).Verify(unstamped, artifact, policy, new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero));

        Assert.NotEqual(VerificationCodes.LogKeyNotValidAtTime, before.Code);
        Assert.Equal(VerificationCodes.LogKeyNotValidAtTime, after.Code);
        Assert.Contains("the current time", after.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_InsecureIgnoreTlog_RekorV2WithTimestamp_IsValidWithoutTheLog()
    {
        var (bundle, _, artifact, policy) = Load("rekor2-happy-path");
        var json = JsonNode.Parse(File.ReadAllBytes(ConformanceCase.Load("rekor2-happy-path").TrustedRootPath))!;
        json["tlogs"] = new JsonArray();
        var withoutLogs = TrustedRoot.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()));

        var required = new BundleVerifier(withoutLogs).Verify(bundle, artifact, policy);
        var ignored = new BundleVerifier(withoutLogs).Verify(bundle, artifact, policy with { InsecureIgnoreTlog = true });

        Assert.Equal(VerificationCodes.NoVerifiedTlogEntry, required.Code);
        Assert.True(ignored.IsValid, ignored.ToString());
    }

    [Fact]
    public void Verify_InsecureIgnoreTlogWithoutTimestamps_ChecksTheCertificateNow()
    {
        var (bundle, root, artifact, policy) = Load("happy-path-v0.3");

        var result = new BundleVerifier(root).Verify(bundle, artifact, policy with { InsecureIgnoreTlog = true });

        Assert.Equal(CertificateCodes.NotValidAtTime, result.Code);
        Assert.Contains("expired", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_OtherIdentity_FailsWithTheIdentityCode()
    {
        var (bundle, root, artifact, _) = Load("happy-path-v0.3");
        var policy = VerificationPolicy.ForIdentity(new CertificateIdentityPolicy { SubjectAlternativeName = "someone@example.com", Issuer = ConformanceCase.DefaultIssuer });

        var result = new BundleVerifier(root).Verify(bundle, artifact, policy);

        Assert.False(result.IsValid);
        Assert.StartsWith("CRT", result.Code, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_KeyForACertificateBundle_FailsPolicyMismatch()
    {
        var (bundle, root, artifact, _) = Load("happy-path-v0.3");
        using var signer = new Signet.Testing.Signers.EcdsaTestSigner();

        var result = new BundleVerifier(root).Verify(bundle, artifact, VerificationPolicy.ForKey(signer.PublicKey));

        Assert.Equal(VerificationCodes.PolicyMismatch, result.Code);
    }

    [Fact]
    public void Verify_CertificateFulcioCannotRead_FailsCertificateUnreadable()
    {
        var (bundle, root, artifact, policy) = Load("happy-path-v0.3");
        var material = bundle.VerificationMaterial! with { Certificates = [LeafWithFiveByteIpAddress()] };

        var result = new BundleVerifier(root).Verify(bundle with { VerificationMaterial = material }, artifact, policy with { InsecureIgnoreTlog = true });

        Assert.Equal(VerificationCodes.CertificateUnreadable, result.Code);
        Assert.Contains("IP address", result.Reason, StringComparison.Ordinal);
    }

    /// <summary>A CA-issued leaf that X.509 loaders read but whose IP address SAN has 5 bytes, which Fulcio parsing refuses.</summary>
    private static byte[] LeafWithFiveByteIpAddress()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=test ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=leaf", leafKey, HashAlgorithmName.SHA256);
        byte[] san = [0x30, 0x07, 0x87, 0x05, 10, 0, 0, 0, 1];
        leafRequest.CertificateExtensions.Add(new X509Extension("2.5.29.17", san, critical: false));
        using var leaf = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), [1, 2, 3, 4]);
        return leaf.RawData;
    }
}
