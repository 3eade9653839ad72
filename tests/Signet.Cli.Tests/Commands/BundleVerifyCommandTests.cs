using System.Security.Cryptography;
using TestData = Signet.Testing.TestData;

namespace Signet.Cli.Tests.Commands;

/// <summary>
/// <c>signet verify-bundle</c> over sigstore-conformance cases (shared data), with the arguments the conformance harness
/// passes (identity and issuer, or key.pub; the case's trusted root, else the production one given explicitly).
/// </summary>
public sealed class BundleVerifyCommandTests : IDisposable
{
    private const string Identity =
        "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";

    private const string Issuer = "https://token.actions.githubusercontent.com";

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private static string Case(string name) => TestData.Require($"sigstore-conformance/bundle-verify/{name}");

    private static string Production => TestData.Require("sigstore-conformance/trusted_root.production.json");

    private static string TrustedRoot(string name) =>
        File.Exists(Path.Combine(Case(name), "trusted_root.json")) ? Path.Combine(Case(name), "trusted_root.json") : Production;

    private static string ArtifactOf(string name) =>
        File.Exists(Path.Combine(Case(name), "artifact")) ? Path.Combine(Case(name), "artifact") : TestData.Require("sigstore-conformance/bundle-verify/a.txt");

    private static string DigestOf(string path) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private Task<CliResult> KeylessAsync(string name, string artifact, params string[] extra) => _cli.RunAsync(
        ["verify-bundle", "--bundle", Path.Combine(Case(name), "bundle.sigstore.json"), "--certificate-identity", Identity,
            "--certificate-oidc-issuer", Issuer, "--trusted-root", TrustedRoot(name), .. extra, artifact]);

    [Theory]
    [InlineData("happy-path-v0.3")]
    [InlineData("rekor2-happy-path")]
    [InlineData("happy-path-intoto-in-dsse-v3")]
    public async Task VerifyBundle_PassingCase_FileAndDigest_ExitZero(string name)
    {
        var file = await KeylessAsync(name, ArtifactOf(name));
        var digest = await KeylessAsync(name, DigestOf(ArtifactOf(name)));

        file.AssertExit(ExitCodes.Success);
        Assert.Contains("verified ", file.Stdout, StringComparison.Ordinal);
        digest.AssertExit(ExitCodes.Success);
    }

    [Theory]
    [InlineData("signature-mismatch_fail")]
    [InlineData("bundle-from-wrong-instance_fail")]
    [InlineData("rekor2-no-timestamp_fail")]
    [InlineData("wrong-material_fail")]
    public async Task VerifyBundle_FailingCase_ExitOneWithACode(string name)
    {
        var result = await KeylessAsync(name, ArtifactOf(name));

        result.AssertExit(ExitCodes.VerificationFailed);
        Assert.Contains("verification FAILED", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyBundle_MalformedBundle_ExitOneWithTheBundleCode()
    {
        var result = await KeylessAsync("bundle-malformed-json_fail", ArtifactOf("bundle-malformed-json_fail"));

        result.AssertExit(ExitCodes.VerificationFailed);
        Assert.Contains("BND1001", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyBundle_ManagedKey_ExitZero()
    {
        const string Name = "managed-key-happy-path";

        var result = await _cli.RunAsync(
            "verify-bundle", "--bundle", Path.Combine(Case(Name), "bundle.sigstore.json"), "--key", Path.Combine(Case(Name), "key.pub"),
            "--trusted-root", Production, DigestOf(ArtifactOf(Name)));

        result.AssertExit(ExitCodes.Success);
        Assert.Contains("signed with the ecdsa-p256 key", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyBundle_KeySignedBundleWithIdentity_JsonReportsPolicyMismatch()
    {
        var result = await KeylessAsync("managed-key-no-key_fail", ArtifactOf("managed-key-no-key_fail"), "--output", "json");

        result.AssertExit(ExitCodes.VerificationFailed);
        using var json = result.Json();
        var root = json.RootElement;
        Assert.False(root.GetProperty("passed").GetBoolean());
        Assert.Equal("SGV1006", root.GetProperty("code").GetString());
        Assert.Equal(DigestOf(ArtifactOf("managed-key-no-key_fail")), root.GetProperty("digest").GetString());
        Assert.False(root.TryGetProperty("signer", out _));
    }

    [Fact]
    public async Task VerifyBundle_Passing_JsonNamesTheSignerAndTimes()
    {
        var result = await KeylessAsync("happy-path-v0.3", ArtifactOf("happy-path-v0.3"), "--output", "json");

        result.AssertExit(ExitCodes.Success);
        using var json = result.Json();
        var signer = json.RootElement.GetProperty("signer");
        Assert.Equal("certificate", signer.GetProperty("kind").GetString());
        Assert.Equal(Identity, signer.GetProperty("subjectAlternativeNames")[0].GetString());
        Assert.Equal(Issuer, signer.GetProperty("issuer").GetString());
        Assert.True(json.RootElement.GetProperty("timestamps").GetArrayLength() >= 1);
    }

    [Fact]
    public async Task VerifyBundle_NoTrustedRootOption_UsesTheShippedPublicGoodRoot()
    {
        using var emptyTrustDirectory = new TempDirectory();
        var environment = new Dictionary<string, string?> { ["SIGNET_TRUST_DIR"] = emptyTrustDirectory.Path };
        string[] args =
        [
            "verify-bundle", "--bundle", Path.Combine(Case("happy-path-v0.2"), "bundle.sigstore.json"), "--certificate-identity", Identity,
            "--certificate-oidc-issuer", Issuer, ArtifactOf("happy-path-v0.2"),
        ];

        var production = await _cli.RunAsync(args, stdin: null, environment: environment);
        var staging = await _cli.RunAsync(
            ["verify-bundle", "--bundle", Path.Combine(Case("bundle-from-wrong-instance_fail"), "bundle.sigstore.json"), "--certificate-identity", Identity,
                "--certificate-oidc-issuer", Issuer, ArtifactOf("bundle-from-wrong-instance_fail")],
            stdin: null,
            environment: environment);

        production.AssertExit(ExitCodes.Success);
        staging.AssertExit(ExitCodes.VerificationFailed);
        Assert.Contains("SGV1001", staging.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyBundle_StagingWithoutTrustedRoot_IsAUsageError()
    {
        var result = await _cli.RunAsync(
            "verify-bundle", "--staging", "--bundle", Path.Combine(Case("happy-path-v0.3"), "bundle.sigstore.json"),
            "--certificate-identity", Identity, "--certificate-oidc-issuer", Issuer, ArtifactOf("happy-path-v0.3"));

        result.AssertExit(ExitCodes.Usage);
        Assert.Contains("--staging needs --trusted-root", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--certificate-identity", Identity)]
    [InlineData("--certificate-oidc-issuer", Issuer)]
    public async Task VerifyBundle_IdentityHalf_IsAUsageError(string option, string value)
    {
        var result = await _cli.RunAsync(
            "verify-bundle", "--bundle", Path.Combine(Case("happy-path-v0.3"), "bundle.sigstore.json"), option, value,
            "--trusted-root", Production, ArtifactOf("happy-path-v0.3"));

        result.AssertExit(ExitCodes.Usage);
    }

    [Fact]
    public async Task VerifyBundle_KeyAndIdentity_IsAUsageError()
    {
        var result = await KeylessAsync("happy-path-v0.3", ArtifactOf("happy-path-v0.3"), "--key", Path.Combine(Case("managed-key-happy-path"), "key.pub"));

        result.AssertExit(ExitCodes.Usage);
        Assert.Contains("give either --key", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyBlob_KeylessConformanceBundle_PassesWithIdentityAndFailsWithAnother()
    {
        var bundle = Path.Combine(Case("happy-path-v0.3"), "bundle.sigstore.json");
        var artifact = ArtifactOf("happy-path-v0.3");

        var passed = await _cli.RunAsync(
            "verify-blob", "--certificate-identity", Identity, "--certificate-oidc-issuer", Issuer, "--trusted-root", Production, "--bundle", bundle, artifact);
        var regexp = await _cli.RunAsync(
            "verify-blob", "--certificate-identity-regexp", "https://github\\.com/sigstore-conformance/.*", "--certificate-oidc-issuer-regexp", "https://token\\.actions\\..*",
            "--trusted-root", Production, "--bundle", bundle, artifact);
        var other = await _cli.RunAsync(
            "verify-blob", "--certificate-identity", "someone@example.com", "--certificate-oidc-issuer", Issuer, "--trusted-root", Production, "--bundle", bundle, artifact);

        passed.AssertExit(ExitCodes.Success);
        regexp.AssertExit(ExitCodes.Success);
        other.AssertExit(ExitCodes.VerificationFailed);
        Assert.Contains("CRT", other.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyBlob_KeyWithTrustedRoot_IsAUsageError()
    {
        const string Name = "managed-key-happy-path";

        var result = await _cli.RunAsync(
            "verify-blob", "--key", Path.Combine(Case(Name), "key.pub"), "--trusted-root", Production, "--bundle", Path.Combine(Case(Name), "bundle.sigstore.json"), ArtifactOf(Name));

        result.AssertExit(ExitCodes.Usage);
    }
}
