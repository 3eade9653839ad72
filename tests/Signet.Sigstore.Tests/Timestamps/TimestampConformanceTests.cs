using System.Security.Cryptography.X509Certificates;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Timestamps;
using Signet.Sigstore.TrustedRoots;
using Signet.Testing;

namespace Signet.Sigstore.Tests.Timestamps;

/// <summary>The RFC 3161 timestamps of the sigstore-conformance bundle-verify cases, each with its own trusted root.</summary>
public class TimestampConformanceTests
{
    internal static (SigstoreBundle Bundle, TrustedRoot Root) Case(string name)
    {
        var directory = TestData.Require(Path.Combine("sigstore-conformance", "bundle-verify", name));
        return (
            SigstoreBundle.Parse(File.ReadAllBytes(Path.Combine(directory, "bundle.sigstore.json"))),
            TrustedRoot.Parse(File.ReadAllBytes(Path.Combine(directory, "trusted_root.json"))));
    }

    /// <summary>The bytes a timestamp covers: the message signature, or the single DSSE signature.</summary>
    internal static ReadOnlyMemory<byte> Signature(SigstoreBundle bundle) =>
        bundle.MessageSignature?.Signature ?? bundle.DsseEnvelope!.Signatures.Single().Signature;

    private static TimestampResult VerifyCase(string name)
    {
        var (bundle, root) = Case(name);
        var timestamp = Assert.Single(bundle.VerificationMaterial!.Rfc3161Timestamps);
        return TimestampVerifier.Verify(timestamp, Signature(bundle).Span, root);
    }

    [Theory]
    [InlineData("rekor2-timestamp-with-embedded-cert", "https://timestamp.sigstage.dev/api/v1/timestamp")]
    [InlineData("rekor2-timestamp-without-embedded-cert", null)]
    [InlineData("rekor2-timestamp-with-expired-cert-chain", null)]
    [InlineData("rekor2-happy-path", null)]
    [InlineData("rekor2-dsse-happy-path", null)]
    [InlineData("intoto-with-custom-trust-root", null)]
    [InlineData("bundle-with-sct-with-extensions", null)]
    public void Verify_ValidConformanceTimestamp_ReturnsTimeAndAuthority(string name, string? authority)
    {
        var result = VerifyCase(name);

        Assert.True(result.Result.IsValid, result.Result.ToString());
        Assert.NotNull(result.Timestamp);
        Assert.True(result.Timestamp.Time.Year >= 2023);
        if (authority is not null)
        {
            Assert.Equal(authority, result.Timestamp.Authority);
        }
    }

    [Fact]
    public void Verify_TimeEqualToAuthorityValidityEnd_IsInsideTheClosedWindow()
    {
        var result = VerifyCase("trust-root-tsa-validity-end-inclusive");

        Assert.True(result.Result.IsValid, result.Result.ToString());
        Assert.Equal(DateTimeOffset.Parse("2025-06-12T12:02:20Z", System.Globalization.CultureInfo.InvariantCulture), result.Timestamp!.Time);
    }

    [Theory]
    [InlineData("rekor2-timestamp-outside-trust-root-tsa-validity_fail", TimestampCodes.OutsideAuthorityValidity)]
    [InlineData("rekor2-timestamp-outside-tsa-cert-validity_fail", TimestampCodes.OutsideCertificateValidity)]
    [InlineData("rekor2-timestamp-payload-mismatch_fail", TimestampCodes.ImprintMismatch)]
    [InlineData("rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail", TimestampCodes.UntrustedAuthority)]
    [InlineData("rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail", TimestampCodes.UntrustedAuthority)]
    public void Verify_FailingConformanceTimestamp_FailsWithCode(string name, string code)
    {
        var result = VerifyCase(name);

        Assert.True(result.Result.Code == code, result.Result.ToString());
        Assert.Null(result.Timestamp);
    }

    /// <summary>
    /// These cases fail because the (valid) timestamp's time is outside the Fulcio signing certificate's validity: the
    /// timestamp verifies here, and the time it returns is what the bundle verifier compares with the certificate.
    /// </summary>
    [Theory]
    [InlineData("intoto-tsa-timestamp-outside-cert-validity_fail")]
    [InlineData("rekor2-timestamp-with-incorrect-time_fail")]
    public void Verify_TimestampOutsideSigningCertificate_VerifiesWithATimeTheCertificateDoesNotCover(string name)
    {
        var (bundle, _) = Case(name);
        var result = VerifyCase(name);

        Assert.True(result.Result.IsValid, result.Result.ToString());
        using var signingCertificate = X509CertificateLoader.LoadCertificate(bundle.VerificationMaterial!.Certificates[0].Span);
        var time = result.Timestamp!.Time;
        Assert.True(time < new DateTimeOffset(signingCertificate.NotBefore) || time > new DateTimeOffset(signingCertificate.NotAfter));
    }

    [Fact]
    public void Verify_ConformanceTimestampUnderProductionRoot_IsUntrusted()
    {
        var (bundle, _) = Case("rekor2-timestamp-with-embedded-cert");
        var production = TrustedRoot.Parse(File.ReadAllBytes(TestData.Require("sigstore-conformance/trusted_root.production.json")));

        var result = TimestampVerifier.Verify(bundle.VerificationMaterial!.Rfc3161Timestamps[0], Signature(bundle).Span, production);

        Assert.Equal(TimestampCodes.UntrustedAuthority, result.Result.Code);
    }
}
