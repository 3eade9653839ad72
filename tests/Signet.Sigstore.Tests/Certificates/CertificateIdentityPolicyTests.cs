using System.Collections.Immutable;
using Signet.Sigstore.Certificates;

namespace Signet.Sigstore.Tests.Certificates;

public sealed class CertificateIdentityPolicyTests
{
    private static readonly FulcioCertificate HappyPath = ConformanceCertificates.Leaf("happy-path-v0.3");

    [Fact]
    public void Match_ConformanceDefaultIdentityAndIssuer_Matches()
    {
        var policy = new CertificateIdentityPolicy { SubjectAlternativeName = ConformanceCertificates.DefaultIdentity, Issuer = ConformanceCertificates.DefaultIssuer };

        Assert.True(policy.Match(HappyPath).IsValid);
    }

    [Theory]
    [InlineData(@"https://github\.com/sigstore-conformance/.*", null)]
    [InlineData(null, @"https://token\.actions\.githubusercontent\.com")]
    [InlineData(@".*@refs/heads/main", @"https://token\.actions\..*")]
    public void Match_AnchoredRegexMatchingWholeValue_Matches(string? san, string? issuer)
    {
        Assert.True(new CertificateIdentityPolicy { SubjectAlternativeNameRegex = san, IssuerRegex = issuer }.Match(HappyPath).IsValid);
    }

    [Theory]
    [InlineData("sigstore-conformance")]
    [InlineData("https://github.com/sigstore-conformance")]
    [InlineData(".*@refs/heads/mai")]
    public void Match_SanRegexMatchingOnlyPart_SanMismatch(string regex)
    {
        // Go's regexp (cosign) is unanchored; Signet anchors, so a partial match is not enough.
        var result = new CertificateIdentityPolicy { SubjectAlternativeNameRegex = regex }.Match(HappyPath);

        Assert.Equal(CertificateCodes.SanMismatch, result.Code);
        Assert.Contains($"Uri '{ConformanceCertificates.DefaultIdentity}'", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_DollarBeforeTrailingNewline_DoesNotMatch()
    {
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Sans = [new(SanKind.Email, "dev@example.com\n")] }));

        Assert.Equal(CertificateCodes.SanMismatch, new CertificateIdentityPolicy { SubjectAlternativeNameRegex = "dev@example\\.com" }.Match(leaf).Code);
        Assert.Equal(CertificateCodes.SanMismatch, new CertificateIdentityPolicy { SubjectAlternativeNameRegex = "dev@example\\.com$" }.Match(leaf).Code);
    }

    [Fact]
    public void Match_UnbalancedGroupTryingToEscapeAnchors_InvalidRegex()
    {
        var result = new CertificateIdentityPolicy { SubjectAlternativeNameRegex = "x)|(?:.*" }.Match(HappyPath);

        Assert.Equal(CertificateCodes.InvalidRegex, result.Code);
    }

    [Fact]
    public void Match_ExactSanDiffers_SanMismatchListingSans()
    {
        var result = new CertificateIdentityPolicy { SubjectAlternativeName = "https://github.com/other/repo/.github/workflows/x.yml@refs/heads/main" }.Match(HappyPath);

        Assert.Equal(CertificateCodes.SanMismatch, result.Code);
        Assert.Contains(ConformanceCertificates.DefaultIdentity, result.Reason, StringComparison.Ordinal);
        Assert.Contains("'https://github.com/other/repo", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_ExactSanCaseDiffers_SanMismatch()
    {
        var result = new CertificateIdentityPolicy { SubjectAlternativeName = ConformanceCertificates.DefaultIdentity.ToUpperInvariant() }.Match(HappyPath);

        Assert.Equal(CertificateCodes.SanMismatch, result.Code);
    }

    [Theory]
    [InlineData(SanKind.Email, "dev@example.com")]
    [InlineData(SanKind.Dns, "build.example.com")]
    [InlineData(SanKind.IpAddress, "192.0.2.7")]
    [InlineData(SanKind.OtherName, "octocat!github.com")]
    public void Match_AnySanKind_MatchesAmongSeveral(SanKind kind, string value)
    {
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Sans = [new(SanKind.Uri, "https://example.com/first"), new(kind, value)] }));

        Assert.True(new CertificateIdentityPolicy { SubjectAlternativeName = value }.Match(leaf).IsValid);
    }

    [Fact]
    public void Match_ExactAndRegexBothSet_BothMustHold()
    {
        var exactOnly = new CertificateIdentityPolicy { SubjectAlternativeName = ConformanceCertificates.DefaultIdentity, SubjectAlternativeNameRegex = "mailto:.*" };
        var both = exactOnly with { SubjectAlternativeNameRegex = "https://.*" };

        Assert.Equal(CertificateCodes.SanMismatch, exactOnly.Match(HappyPath).Code);
        Assert.True(both.Match(HappyPath).IsValid);
    }

    [Fact]
    public void Match_IssuerDiffers_IssuerMismatchShowingFound()
    {
        var result = new CertificateIdentityPolicy { SubjectAlternativeName = ConformanceCertificates.DefaultIdentity, Issuer = "https://accounts.google.com" }.Match(HappyPath);

        Assert.Equal(CertificateCodes.IssuerMismatch, result.Code);
        Assert.Contains($"is '{ConformanceCertificates.DefaultIssuer}', 'https://accounts.google.com' was expected", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_IssuerRegexOnlyPartial_IssuerMismatch()
    {
        var result = new CertificateIdentityPolicy { IssuerRegex = "https://token" }.Match(HappyPath);

        Assert.Equal(CertificateCodes.IssuerMismatch, result.Code);
        Assert.Contains("matching 'https://token'", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_CertificateWithoutIssuer_IssuerMismatch()
    {
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Fulcio = new Dictionary<int, string>() }));

        var result = new CertificateIdentityPolicy { IssuerRegex = ".*" }.Match(leaf);

        Assert.Equal(CertificateCodes.IssuerMismatch, result.Code);
        Assert.Contains("names no OIDC issuer", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_LegacyIssuerOnly_MatchesIssuer()
    {
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Fulcio = new Dictionary<int, string> { [1] = "https://oauth2.sigstore.dev/auth" } }));

        Assert.True(new CertificateIdentityPolicy { Issuer = "https://oauth2.sigstore.dev/auth" }.Match(leaf).IsValid);
    }

    [Theory]
    [InlineData(null, null, null, null)]
    [InlineData("", "", "", "")]
    public void Match_NothingGiven_NoIdentityGiven(string? san, string? sanRegex, string? issuer, string? issuerRegex)
    {
        var policy = new CertificateIdentityPolicy
        {
            SubjectAlternativeName = san,
            SubjectAlternativeNameRegex = sanRegex,
            Issuer = issuer,
            IssuerRegex = issuerRegex,
            Extensions = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>(FulcioExtensions.Issuer, ConformanceCertificates.DefaultIssuer)]),
        };

        Assert.Equal(CertificateCodes.NoIdentityGiven, policy.Match(HappyPath).Code);
    }

    [Fact]
    public void Match_GitHubWorkflowClaims_Match()
    {
        var policy = new CertificateIdentityPolicy
        {
            SubjectAlternativeName = ConformanceCertificates.DefaultIdentity,
            Issuer = ConformanceCertificates.DefaultIssuer,
            Extensions = FulcioExtensions.FromNames(new Dictionary<string, string>
            {
                ["github-workflow-trigger"] = "workflow_dispatch",
                ["github-workflow-repository"] = "sigstore-conformance/extremely-dangerous-public-oidc-beacon",
                ["source-repository-ref"] = "refs/heads/main",
                ["runner-environment"] = "github-hosted",
            }),
        };

        Assert.True(policy.Match(HappyPath).IsValid);
    }

    [Fact]
    public void Match_ExtensionValueDiffers_ExtensionMismatchNamingIt()
    {
        var policy = new CertificateIdentityPolicy
        {
            Issuer = ConformanceCertificates.DefaultIssuer,
            Extensions = FulcioExtensions.FromNames([new("github-workflow-trigger", "push")]),
        };

        var result = policy.Match(HappyPath);

        Assert.Equal(CertificateCodes.ExtensionMismatch, result.Code);
        Assert.Contains("github-workflow-trigger (1.3.6.1.4.1.57264.1.2) is 'workflow_dispatch', 'push' was expected", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_ExtensionMissing_ExtensionMismatch()
    {
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf());
        var policy = new CertificateIdentityPolicy
        {
            IssuerRegex = ".*",
            Extensions = FulcioExtensions.FromNames([new("build-trigger", "push")]),
        };

        var result = policy.Match(leaf);

        Assert.Equal(CertificateCodes.ExtensionMismatch, result.Code);
        Assert.Contains("has no Fulcio extension build-trigger", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(unclosed", null)]
    [InlineData(null, "[z-a]")]
    public void Match_InvalidRegex_InvalidRegex(string? san, string? issuer)
    {
        var result = new CertificateIdentityPolicy { SubjectAlternativeNameRegex = san, IssuerRegex = issuer }.Match(HappyPath);

        Assert.Equal(CertificateCodes.InvalidRegex, result.Code);
        Assert.Contains(san ?? issuer!, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_CatastrophicBacktracking_RegexTimeout()
    {
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Sans = [new(SanKind.Email, new string('a', 40) + "!")] }));

        var result = new CertificateIdentityPolicy { SubjectAlternativeNameRegex = "(a+)+" }.Match(leaf);

        Assert.Equal(CertificateCodes.RegexTimeout, result.Code);
        Assert.Contains("(a+)+", result.Reason, StringComparison.Ordinal);
    }
}
