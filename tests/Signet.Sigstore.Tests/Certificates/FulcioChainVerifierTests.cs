using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Sigstore.Certificates;

namespace Signet.Sigstore.Tests.Certificates;

public sealed class FulcioChainVerifierTests
{
    [Theory]
    [InlineData("happy-path-v0.1")]
    [InlineData("happy-path-v0.2")]
    [InlineData("happy-path-v0.3")]
    [InlineData("happy-path-intoto-in-dsse-v3")]
    [InlineData("bundle-with-sct-with-extensions")]
    [InlineData("intoto-with-custom-trust-root")]
    [InlineData("rekor2-happy-path")]
    public void Verify_ConformanceHappyPath_BuildsChainToTrustedRoot(string caseName)
    {
        var leaf = ConformanceCertificates.Leaf(caseName);
        var root = ConformanceCertificates.Root(caseName);

        var result = FulcioChainVerifier.Verify(leaf, root, leaf.NotBefore.AddMinutes(1));

        Assert.True(result.Result.IsValid, result.Result.ToString());
        Assert.Same(leaf.Certificate, result.Chain[0]);
        Assert.True(result.Chain.Length >= 2);
        var authority = root.CertificateAuthorities.Single(a => a.Certificates[^1].Span.SequenceEqual(result.Chain[^1].RawData));
        Assert.Equal(authority.Certificates.Length + 1, result.Chain.Length);
    }

    [Fact]
    public void Verify_ConformanceCertificateAfterExpiry_NotValidAtTime()
    {
        var leaf = ConformanceCertificates.Leaf("happy-path-v0.3");

        var result = FulcioChainVerifier.Verify(leaf, ConformanceCertificates.Root("happy-path-v0.3"), leaf.NotAfter.AddSeconds(1));

        Assert.Equal(CertificateCodes.NotValidAtTime, result.Result.Code);
        Assert.Contains("expired", result.Result.Reason, StringComparison.Ordinal);
        Assert.True(result.Chain.IsEmpty);
    }

    [Fact]
    public void Verify_ConformanceExpiredCertificateCase_NotValidAtTime()
    {
        // intoto-expired-certificate_fail: the leaf (2030) was issued after its CA certificate expired (2024), and the
        // log saw the signature (2023) before the leaf was valid.
        var leaf = ConformanceCertificates.Leaf("intoto-expired-certificate_fail");
        var root = ConformanceCertificates.Root("intoto-expired-certificate_fail");

        var atLeafTime = FulcioChainVerifier.Verify(leaf, root, leaf.NotBefore.AddMinutes(1));
        var atLogTime = FulcioChainVerifier.Verify(leaf, root, DateTimeOffset.FromUnixTimeSeconds(1675209600));

        Assert.Equal(CertificateCodes.NotValidAtTime, atLeafTime.Result.Code);
        Assert.Contains("'O=sigstore.mock, CN=sigstore' is valid from 2023-01-01T00:00:00.0000000+00:00 to 2024-01-01T00:00:00.0000000+00:00", atLeafTime.Result.Reason, StringComparison.Ordinal);
        Assert.Equal(CertificateCodes.NotValidAtTime, atLogTime.Result.Code);
        Assert.Contains("not yet valid", atLogTime.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ConformanceStagingCertificateAgainstProduction_ChainNotBuilt()
    {
        var leaf = ConformanceCertificates.Leaf("bundle-from-wrong-instance_fail");

        var result = FulcioChainVerifier.Verify(leaf, ConformanceCertificates.Root("happy-path-v0.3"), leaf.NotBefore.AddMinutes(1));

        Assert.Equal(CertificateCodes.ChainNotBuilt, result.Result.Code);
        Assert.Contains("PartialChain", result.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_OwnPki_BuildsLeafIntermediateRoot()
    {
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf());

        var result = FulcioChainVerifier.Verify(leaf, pki.TrustedRoot(), leaf.NotBefore.AddMinutes(1));

        Assert.True(result.Result.IsValid, result.Result.ToString());
        Assert.Equal([leaf.Certificate.RawData, pki.Intermediate.RawData, pki.Root.RawData], result.Chain.Select(c => c.RawData));
    }

    [Fact]
    public void Verify_OtherNameOnlyCriticalSan_Builds()
    {
        // Go's x509 leaves such a SAN unhandled; OpenSSL (behind X509Chain) knows the SAN extension whatever it holds.
        using var pki = TestPki.Create();
        var result = AtOneMinute(pki, new LeafSpec { Sans = [new(SanKind.OtherName, "octocat!github.com")] });

        Assert.True(result.Result.IsValid, result.Result.ToString());
    }

    [Fact]
    public void Verify_UnknownCriticalExtension_ChainNotBuilt()
    {
        using var pki = TestPki.Create();
        var result = AtOneMinute(pki, new LeafSpec { Extra = [new X509Extension("1.3.6.1.4.1.99999.1", [0x05, 0x00], true)] });

        Assert.Equal(CertificateCodes.ChainNotBuilt, result.Result.Code);
        Assert.Contains("HasNotSupportedCriticalExtension", result.Result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(601)]
    public void Verify_TimeOutsideLeafValidity_NotValidAtTime(int secondsAfterNotBefore)
    {
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf());

        var result = FulcioChainVerifier.Verify(leaf, pki.TrustedRoot(), leaf.NotBefore.AddSeconds(secondsAfterNotBefore));

        Assert.Equal(CertificateCodes.NotValidAtTime, result.Result.Code);
        Assert.Contains(secondsAfterNotBefore < 0 ? "not yet valid" : "expired", result.Result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(600)]
    public void Verify_TimeAtLeafValidityBoundary_IsInclusive(int secondsAfterNotBefore)
    {
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf());

        var result = FulcioChainVerifier.Verify(leaf, pki.TrustedRoot(), leaf.NotBefore.AddSeconds(secondsAfterNotBefore));

        Assert.True(result.Result.IsValid, result.Result.ToString());
    }

    [Fact]
    public void Verify_IntermediateExpiredAtTime_NotValidAtTime()
    {
        // The leaf is valid at the time, the intermediate (and root) already expired: only the chain check sees it.
        using var pki = TestPki.Create(caNotAfter: TestPki.Epoch.AddMinutes(12));
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf());

        var result = FulcioChainVerifier.Verify(leaf, pki.TrustedRoot(), TestPki.Epoch.AddMinutes(15));

        Assert.Equal(CertificateCodes.NotValidAtTime, result.Result.Code);
        Assert.Contains("NotTimeValid", result.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_IntermediateValidUntilJustAfterTime_Builds()
    {
        // CA validity is judged at the given time in UTC (run also with TZ=America/Los_Angeles): one minute of margin is enough.
        using var pki = TestPki.Create(caNotAfter: TestPki.Epoch.AddMinutes(16));
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf());

        var result = FulcioChainVerifier.Verify(leaf, pki.TrustedRoot(), TestPki.Epoch.AddMinutes(15));

        Assert.True(result.Result.IsValid, result.Result.ToString());
    }

    [Fact]
    public void Verify_NoCodeSigningEku_MissingCodeSigning()
    {
        using var pki = TestPki.Create();
        var result = AtOneMinute(pki, new LeafSpec { CodeSigning = false });

        Assert.Equal(CertificateCodes.MissingCodeSigning, result.Result.Code);
    }

    [Fact]
    public void Verify_OtherEkuOnly_MissingCodeSigning()
    {
        using var pki = TestPki.Create();
        var serverAuth = new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false);
        var result = AtOneMinute(pki, new LeafSpec { CodeSigning = false, Extra = [serverAuth] });

        Assert.Equal(CertificateCodes.MissingCodeSigning, result.Result.Code);
    }

    [Fact]
    public void Verify_IntermediateEkuWithoutCodeSigning_ChainNotBuilt()
    {
        // As Go's x509 with KeyUsages: every EKU-bearing CA of the chain must allow code signing.
        using var pki = TestPki.Create(intermediateEku: "1.3.6.1.5.5.7.3.1");
        var result = AtOneMinute(pki);

        Assert.Equal(CertificateCodes.ChainNotBuilt, result.Result.Code);
        Assert.Contains("NotValidForUsage", result.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_IntermediateWithoutEku_Builds()
    {
        using var pki = TestPki.Create(intermediateEku: null);
        var result = AtOneMinute(pki);

        Assert.True(result.Result.IsValid, result.Result.ToString());
    }

    [Fact]
    public void Verify_LeafFromUntrustedPki_ChainNotBuilt()
    {
        // A bundle that brings its own root: the attacker's chain is never consulted, only the trusted root's CAs.
        using var trusted = TestPki.Create("trusted");
        using var attacker = TestPki.Create("attacker");
        var leaf = FulcioCertificate.Parse(attacker.IssueLeaf());

        var result = FulcioChainVerifier.Verify(leaf, trusted.TrustedRoot(), leaf.NotBefore.AddMinutes(1));

        Assert.Equal(CertificateCodes.ChainNotBuilt, result.Result.Code);
        Assert.Contains("fulcio.trusted.example", result.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SecondAuthorityIssued_TriesEachAuthority()
    {
        using var first = TestPki.Create("first");
        using var second = TestPki.Create("second");
        var leaf = FulcioCertificate.Parse(second.IssueLeaf());
        var root = TestPki.TrustedRootOf([first.Authority(TestPki.Epoch), second.Authority(TestPki.Epoch)], []);

        var result = FulcioChainVerifier.Verify(leaf, root, leaf.NotBefore.AddMinutes(1));

        Assert.True(result.Result.IsValid, result.Result.ToString());
        Assert.Equal(second.Root.RawData, result.Chain[^1].RawData);
    }

    [Fact]
    public void Verify_AuthorityWindowEndedBeforeTime_NoAuthorityAtTime()
    {
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf());

        var result = FulcioChainVerifier.Verify(leaf, pki.TrustedRoot(TestPki.Epoch, TestPki.Epoch.AddMinutes(5)), leaf.NotBefore.AddMinutes(1));

        Assert.Equal(CertificateCodes.NoAuthorityAtTime, result.Result.Code);
        Assert.Contains("fulcio.test.example", result.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AuthorityWindowStartsAfterTime_NoAuthorityAtTime()
    {
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf());

        var result = FulcioChainVerifier.Verify(leaf, pki.TrustedRoot(TestPki.Epoch.AddMinutes(15)), leaf.NotBefore.AddMinutes(1));

        Assert.Equal(CertificateCodes.NoAuthorityAtTime, result.Result.Code);
    }

    [Fact]
    public void Verify_AuthorityWithoutIntermediate_ChainNotBuiltFromBundleMaterial()
    {
        // The trusted root lists only the root: the intermediate the leaf needs is not taken from anywhere else.
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf());
        var root = TestPki.TrustedRootOf([pki.Authority(TestPki.Epoch, withIntermediate: false)], []);

        var result = FulcioChainVerifier.Verify(leaf, root, leaf.NotBefore.AddMinutes(1));

        Assert.Equal(CertificateCodes.ChainNotBuilt, result.Result.Code);
    }

    [Fact]
    public void Verify_AuthorityCertificateUnreadable_ChainNotBuiltNamingIt()
    {
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf());
        var broken = pki.Authority(TestPki.Epoch);
        broken["certChain"]!["certificates"]![1]!["rawBytes"] = Convert.ToBase64String(TestPki.WithBerTbsLength(pki.Root.RawData));

        var result = FulcioChainVerifier.Verify(leaf, TestPki.TrustedRootOf([broken], []), leaf.NotBefore.AddMinutes(1));

        Assert.Equal(CertificateCodes.ChainNotBuilt, result.Result.Code);
        Assert.Contains("a certificate of this authority cannot be read", result.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NoAuthorities_NoAuthorityAtTime()
    {
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf());

        var result = FulcioChainVerifier.Verify(leaf, TestPki.TrustedRootOf([], []), leaf.NotBefore.AddMinutes(1));

        Assert.Equal(CertificateCodes.NoAuthorityAtTime, result.Result.Code);
        Assert.Contains("authorities: none", result.Result.Reason, StringComparison.Ordinal);
    }

    /// <summary>The chain of a new leaf of <paramref name="pki"/>, one minute into its validity, against that PKI's trusted root.</summary>
    private static ChainResult AtOneMinute(TestPki pki, LeafSpec? spec = null)
    {
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(spec));
        return FulcioChainVerifier.Verify(leaf, pki.TrustedRoot(), leaf.NotBefore.AddMinutes(1));
    }
}
