using System.Text.Json;
using Signet.Signing.Cosign;
using Signet.Testing;
using Signet.Testing.Interop;

namespace Signet.Cli.Tests.Commands;

/// <summary>
/// Keyless sign-blob, sign-bundle and sign through the real CLI against @sigstore/mock (Fulcio, Rekor) and OpenSSL's
/// TSA served over loopback HTTP; bundles are verified by sigstore-js (@sigstore/verify 3.1.1) with the mock's trusted root
/// and by signet verify-blob / verify-bundle, which also verify sigstore-js's keyless bundles.
/// </summary>
public sealed class KeylessCommandsTests(SigstoreMockFixture sigstore, DemoImageFixture demo)
    : IClassFixture<SigstoreMockFixture>, IClassFixture<DemoImageFixture>, IDisposable
{
    private const string Subject = "https://github.com/signet/signet/.github/workflows/release.yml@refs/heads/main";

    private readonly CliRunner _cli = new();
    private readonly TempDirectory _dir = new();

    private string Url => sigstore.Mock.Url.ToString().TrimEnd('/');

    private string Tsa => Url + "/openssl-tsa";

    private async Task<string> ArtifactAsync(string content = "keyless artifact\n")
    {
        var path = _dir["artifact.txt"];
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    private Task<NodeResult> VerifyWithSigstoreJsAsync(string bundle, string artifact, int timestamps = 1) =>
        NpmPeers.RunAsync(SigstoreMockFixture.Script("verify-keyless.mjs"), bundle, artifact, sigstore.Mock.TrustedRoot, Subject, SigstoreMock.Issuer, timestamps.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static readonly Dictionary<string, string?> NoEnvironmentToken = new() { ["SIGSTORE_ID_TOKEN"] = null };

    [Fact]
    public async Task SignBlob_KeylessWithTokenFileAndTsa_VerifiesWithSigstoreJs()
    {
        var artifact = await ArtifactAsync();
        var tokenFile = _dir["token.jwt"];
        await File.WriteAllTextAsync(tokenFile, SigstoreMock.Token(Subject) + "\n");
        var bundle = _dir["artifact.sigstore.json"];

        var signed = await _cli.RunAsync(
            ["sign-blob", "--identity-token", tokenFile, "--fulcio-url", Url, "--rekor-url", Url, "--timestamp-server-url", Tsa, "--bundle", bundle, artifact, "-o", "json"],
            stdin: null, environment: NoEnvironmentToken);
        var js = await VerifyWithSigstoreJsAsync(bundle, artifact, timestamps: 2);

        signed.AssertExit(ExitCodes.Success);
        Assert.True(js.ExitCode == 0, js.ToString());
        using var json = JsonDocument.Parse(signed.Stdout);
        Assert.Equal(Subject, json.RootElement.GetProperty("identity").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("tlogEntries").GetArrayLength());
        Assert.Equal(1, json.RootElement.GetProperty("timestamps").GetInt32());
    }

    [Fact]
    public async Task SignBlobThenVerifyBlob_Keyless_RoundTripsThroughSignet_AndAnotherIdentityFails()
    {
        var artifact = await ArtifactAsync();
        var bundle = _dir["roundtrip.sigstore.json"];
        (await _cli.RunAsync("sign-blob", "--identity-token", SigstoreMock.Token(Subject), "--fulcio-url", Url, "--rekor-url", Url, "--timestamp-server-url", Tsa, "--bundle", bundle, artifact))
            .AssertExit(ExitCodes.Success);

        var verified = await _cli.RunAsync("verify-blob", "--bundle", bundle, "--trusted-root", sigstore.Mock.TrustedRoot,
            "--certificate-identity", Subject, "--certificate-oidc-issuer", SigstoreMock.Issuer, artifact);
        var other = await _cli.RunAsync("verify-blob", "--bundle", bundle, "--trusted-root", sigstore.Mock.TrustedRoot,
            "--certificate-identity", "https://github.com/someone/else", "--certificate-oidc-issuer", SigstoreMock.Issuer, artifact);

        verified.AssertExit(ExitCodes.Success);
        other.AssertExit(ExitCodes.VerificationFailed);
    }

    [Fact]
    public async Task SigstoreJsKeylessBundle_VerifiesWithSignetVerifyBundle()
    {
        var artifact = await ArtifactAsync("signed by sigstore-js\n");
        var bundle = _dir["js.sigstore.json"];
        var js = await NpmPeers.RunAsync(SigstoreMockFixture.Script("sign-keyless.mjs"), artifact, bundle, Url, SigstoreMock.Token(Subject), "message");
        Assert.True(js.ExitCode == 0, js.ToString());

        var verified = await _cli.RunAsync("verify-bundle", "--bundle", bundle, "--trusted-root", sigstore.Mock.TrustedRoot,
            "--certificate-identity", Subject, "--certificate-oidc-issuer", SigstoreMock.Issuer, artifact);
        await File.AppendAllTextAsync(artifact, "tampered");
        var tampered = await _cli.RunAsync("verify-bundle", "--bundle", bundle, "--trusted-root", sigstore.Mock.TrustedRoot,
            "--certificate-identity", Subject, "--certificate-oidc-issuer", SigstoreMock.Issuer, artifact);

        verified.AssertExit(ExitCodes.Success);
        tampered.AssertExit(ExitCodes.VerificationFailed);
    }

    [Fact]
    public async Task SignBlob_TokenFromEnvironment_PrintsTheBundle()
    {
        var artifact = await ArtifactAsync();

        var signed = await _cli.RunAsync(
            ["sign-blob", "--fulcio-url", Url, "--rekor-url", Url, artifact], stdin: null, environment: new Dictionary<string, string?> { ["SIGSTORE_ID_TOKEN"] = SigstoreMock.Token(Subject) });
        var bundle = _dir["stdout.sigstore.json"];
        await File.WriteAllBytesAsync(bundle, signed.StdoutBytes);

        signed.AssertExit(ExitCodes.Success);
        var js = await VerifyWithSigstoreJsAsync(bundle, artifact);
        Assert.True(js.ExitCode == 0, js.ToString());
    }

    [Fact]
    public async Task SignBlob_KeyAndToken_IsAUsageError()
    {
        var result = await _cli.RunAsync("sign-blob", "--key", _dir["absent.key"], "--identity-token", SigstoreMock.Token(Subject), await ArtifactAsync());

        result.AssertExit(ExitCodes.Usage);
        result.AssertCleanError("--key and --identity-token exclude each other");
    }

    [Fact]
    public async Task SignBlob_RekorRefuses_ExitsThreeNamingUrlAndStatus()
    {
        var result = await _cli.RunAsync("sign-blob", "--identity-token", SigstoreMock.Token(Subject), "--fulcio-url", Url, "--rekor-url", Url + "/no-such-log", await ArtifactAsync());

        result.AssertExit(ExitCodes.InputError);
        result.AssertCleanError($"Rekor at {Url}/no-such-log/api/v1/log/entries answered HTTP 404");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SignBundle_ConformanceProtocol_VerifiesWithSigstoreJs(bool inToto)
    {
        var artifact = await ArtifactAsync();
        var input = artifact;
        if (inToto)
        {
            input = _dir["statement.json"];
            await File.WriteAllTextAsync(input, "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"artifact.txt\",\"digest\":{\"sha256\":\"" +
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(artifact))) + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{}}");
        }

        var bundle = _dir["conformance.sigstore.json"];
        string[] args = ["sign-bundle", "--identity-token", SigstoreMock.Token(Subject), "--bundle", bundle, "--fulcio-url", Url, "--rekor-url", Url, "--trusted-root", sigstore.Mock.TrustedRoot, input];
        var signed = await _cli.RunAsync(inToto ? [.. args[..^1], "--in-toto", input] : args);
        var js = await VerifyWithSigstoreJsAsync(bundle, inToto ? "-" : artifact);

        signed.AssertExit(ExitCodes.Success);
        Assert.True(js.ExitCode == 0, js.ToString());
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(bundle));
        Assert.Equal(inToto, json.RootElement.TryGetProperty("dsseEnvelope", out _));
    }

    [Fact]
    public async Task SignBundle_SigningConfig_ChoosesTheServicesItNames()
    {
        var config = _dir["signing_config.json"];
        string Service(string url) => $"[{{\"url\":\"{url}\",\"majorApiVersion\":1,\"validFor\":{{\"start\":\"2024-01-01T00:00:00Z\"}},\"operator\":\"mock\"}}]";
        await File.WriteAllTextAsync(config, "{\"mediaType\":\"application/vnd.dev.sigstore.signingconfig.v0.2+json\"," +
            $"\"caUrls\":{Service(Url)},\"rekorTlogUrls\":{Service(Url)},\"tsaUrls\":{Service(Tsa)},\"rekorTlogConfig\":{{\"selector\":\"ANY\"}},\"tsaConfig\":{{\"selector\":\"ANY\"}}}}");
        var artifact = await ArtifactAsync();
        var bundle = _dir["configured.sigstore.json"];

        var signed = await _cli.RunAsync("sign-bundle", "--identity-token", SigstoreMock.Token(Subject), "--signing-config", config, "--bundle", bundle, artifact);
        var js = await VerifyWithSigstoreJsAsync(bundle, artifact, timestamps: 2);

        signed.AssertExit(ExitCodes.Success);
        Assert.True(js.ExitCode == 0, js.ToString());
    }

    [Fact]
    public async Task SignBundle_TrustedRootOfAnotherDeployment_ExitsThreeAndWritesNothing()
    {
        var bundle = _dir["refused.sigstore.json"];
        var productionRoot = TestData.Require("sigstore-root-signing/targets/trusted_root.json");

        var result = await _cli.RunAsync("sign-bundle", "--identity-token", SigstoreMock.Token(Subject), "--fulcio-url", Url, "--rekor-url", Url, "--trusted-root", productionRoot, "--bundle", bundle, await ArtifactAsync());

        result.AssertExit(ExitCodes.InputError);
        Assert.Contains($"Fulcio at {Url}/api/v2/signingCert issued a certificate that does not verify against the trusted root", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(bundle));
    }

    [Fact]
    public async Task SignBundle_WithoutToken_IsAUsageError()
    {
        var result = await _cli.RunAsync(["sign-bundle", "--bundle", _dir["b.json"], await ArtifactAsync()], stdin: null, environment: NoEnvironmentToken);

        result.AssertExit(ExitCodes.Usage);
        Assert.Contains("SIGSTORE_ID_TOKEN", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bundle")]
    [InlineData("legacy")]
    public async Task Sign_KeylessLayout_WritesTheKeylessSignature(string format)
    {
        var layout = demo.CopyLayoutDirectory();
        var image = $"oci:{layout}:demo";

        var signed = await _cli.RunAsync("sign", "--identity-token", SigstoreMock.Token(Subject), "--fulcio-url", Url, "--rekor-url", Url, "--format", format, image, "-o", "json");
        var attested = await _cli.RunAsync("attest", "--identity-token", SigstoreMock.Token(Subject), "--fulcio-url", Url, "--rekor-url", Url, "--format", format,
            "--predicate", await WritePredicateAsync(), "--type", "openvex", image);
        var tree = await _cli.RunAsync("tree", image, "-o", "json");

        signed.AssertExit(ExitCodes.Success);
        attested.AssertExit(ExitCodes.Success);
        tree.AssertExit(ExitCodes.Success);
        using var json = JsonDocument.Parse(signed.Stdout);
        var written = Assert.Single(json.RootElement.EnumerateArray());
        var layer = DemoImageFixture.BlobFile(layout, written.GetProperty("layer").GetString()!);
        if (format == "bundle")
        {
            var js = await NpmPeers.RunAsync(SigstoreMockFixture.Script("verify-keyless.mjs"), layer, "-", sigstore.Mock.TrustedRoot, Subject, SigstoreMock.Issuer);
            Assert.True(js.ExitCode == 0, js.ToString());
        }
        else
        {
            Assert.Contains("dev.cosignproject.cosign/signature", await File.ReadAllTextAsync(ManifestOf(layout, written.GetProperty("location").GetString()!)), StringComparison.Ordinal);
            Assert.Contains(CosignMediaTypes.RekorBundleAnnotation, await File.ReadAllTextAsync(ManifestOf(layout, written.GetProperty("location").GetString()!)), StringComparison.Ordinal);
        }

        Assert.Equal(2, JsonDocument.Parse(tree.Stdout).RootElement.GetProperty("attachments").GetArrayLength());
    }

    private async Task<string> WritePredicateAsync()
    {
        var path = _dir["vex.json"];
        await File.WriteAllTextAsync(path, "{\"statements\":[]}\n");
        return path;
    }

    /// <summary>The manifest file a tag of an OCI layout names.</summary>
    private static string ManifestOf(string layout, string tag)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        var entry = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Single(m => m.TryGetProperty("annotations", out var a) && a.TryGetProperty("org.opencontainers.image.ref.name", out var name) && name.GetString() == tag);
        return DemoImageFixture.BlobFile(layout, entry.GetProperty("digest").GetString()!);
    }

    public void Dispose()
    {
        _cli.Dispose();
        _dir.Dispose();
    }
}
