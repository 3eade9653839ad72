using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Signet.Signing;
using Signet.Signing.Cosign;
using Signet.Testing.Interop;
using Signet.Testing.Registry;

namespace Signet.Cli.Tests.Commands;

/// <summary>
/// Keyless verify and verify-attestation through the real CLI: images signed keyless by Signet against @sigstore/mock
/// (Fulcio, Rekor) and OpenSSL's TSA over loopback HTTP, in both cosign formats, in OCI layouts and a real registry,
/// verified by identity with the mock's trusted root. Layouts are then edited the way an attacker would (swapped
/// certificate annotation, log evidence removed) and every edit must fail with its code.
/// </summary>
public sealed class KeylessVerifyCommandTests(SigstoreMockFixture sigstore, DemoImageFixture demo, AnonymousRegistryFixture registry)
    : IClassFixture<SigstoreMockFixture>, IClassFixture<DemoImageFixture>, IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private const string Subject = "https://github.com/signet/release/.github/workflows/release.yml@refs/tags/v1";
    private const string OtherSubject = "https://github.com/mallory/fork/.github/workflows/release.yml@refs/tags/v1";

    private readonly CliRunner _cli = new();
    private readonly TempDirectory _dir = new();

    private string Url => sigstore.Mock.Url.ToString().TrimEnd('/');

    public void Dispose()
    {
        _cli.Dispose();
        _dir.Dispose();
    }

    /// <summary>Signs (or attests) <paramref name="image"/> keyless as <paramref name="subject"/>; with a TSA timestamp when asked.</summary>
    private async Task SignAsync(string image, string format, bool attest = false, string subject = Subject, bool timestamp = false)
    {
        List<string> args = [attest ? "attest" : "sign", "--identity-token", SigstoreMock.Token(subject), "--fulcio-url", Url, "--rekor-url", Url, "--format", format];
        if (timestamp)
        {
            args.AddRange(["--timestamp-server-url", Url + "/openssl-tsa"]);
        }

        if (attest)
        {
            var predicate = _dir["predicate.json"];
            await File.WriteAllTextAsync(predicate, "{\"statements\":[]}\n");
            args.AddRange(["--predicate", predicate, "--type", "openvex"]);
        }

        (await _cli.RunAsync([.. args, image])).AssertExit(ExitCodes.Success);
    }

    private string[] ByIdentity(string subject = Subject, string issuer = SigstoreMock.Issuer) =>
        ["--certificate-identity", subject, "--certificate-oidc-issuer", issuer, "--trusted-root", sigstore.Mock.TrustedRoot];

    private async Task<(CliResult Result, JsonElement Json)> VerifyAsync(string command, string image, params string[] options)
    {
        var result = await _cli.RunAsync([command, .. options, image, "-o", "json"]);
        using var json = JsonDocument.Parse(result.Stdout);
        return (result, json.RootElement.Clone());
    }

    private static JsonElement OnlyCheck(JsonElement report, bool attestation = false) =>
        Assert.Single(report.GetProperty(attestation ? "attestations" : "signatures").EnumerateArray());

    [Theory]
    [InlineData("bundle", false)]
    [InlineData("legacy", false)]
    [InlineData("bundle", true)]
    [InlineData("legacy", true)]
    public async Task Verify_KeylessSignedLayout_VerifiesByIdentityWithSignerAndTimes(string format, bool timestamp)
    {
        var image = $"oci:{demo.CopyLayoutDirectory()}:demo";
        await SignAsync(image, format, timestamp: timestamp);

        var (result, json) = await VerifyAsync("verify", image, ByIdentity());

        result.AssertExit(ExitCodes.Success);
        var signer = Assert.Single(json.GetProperty("signers").EnumerateArray());
        Assert.Equal(Subject, signer.GetProperty("subjectAlternativeName").GetString());
        Assert.Equal(SigstoreMock.Issuer, signer.GetProperty("issuer").GetString());
        var check = OnlyCheck(json);
        Assert.True(check.GetProperty("verified").GetBoolean(), check.ToString());
        Assert.Equal(format, check.GetProperty("format").GetString());
        Assert.Equal(demo.Digest, check.GetProperty("signedDigest").GetString());
        Assert.Equal(Subject, check.GetProperty("signer").GetProperty("subjectAlternativeName").GetString());
        var times = check.GetProperty("verifiedTimes").EnumerateArray().ToList();
        Assert.Equal(timestamp ? 2 : 1, times.Count);
        Assert.All(times, t => Assert.InRange(DateTimeOffset.Parse(t.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1)));
    }

    [Theory]
    [InlineData("bundle", false)]
    [InlineData("legacy", false)]
    [InlineData("legacy", true)]
    public async Task VerifyAttestation_KeylessAttestedLayout_VerifiesTheStatementByIdentity(string format, bool timestamp)
    {
        var image = $"oci:{demo.CopyLayoutDirectory()}:demo";
        await SignAsync(image, format, attest: true, timestamp: timestamp);

        var (result, json) = await VerifyAsync("verify-attestation", image, [.. ByIdentity(), "--type", "openvex"]);

        result.AssertExit(ExitCodes.Success);
        var check = OnlyCheck(json, attestation: true);
        Assert.Equal("https://openvex.dev/ns", check.GetProperty("predicateType").GetString());
        Assert.Equal(JsonValueKind.Object, check.GetProperty("statement").ValueKind);
        Assert.Equal(timestamp ? 2 : 1, check.GetProperty("verifiedTimes").GetArrayLength());
    }

    [Theory]
    [InlineData("bundle", "identity", CertificateCodeSan)]
    [InlineData("legacy", "identity", CertificateCodeSan)]
    [InlineData("bundle", "issuer", CertificateCodeIssuer)]
    [InlineData("legacy", "issuer", CertificateCodeIssuer)]
    public async Task Verify_WrongIdentityOrIssuer_FailsWithIdentityMismatch(string format, string wrong, string sigstoreCode)
    {
        var image = $"oci:{demo.CopyLayoutDirectory()}:demo";
        await SignAsync(image, format);

        var (result, json) = await VerifyAsync("verify", image, wrong == "identity" ? ByIdentity(subject: OtherSubject) : ByIdentity(issuer: "https://accounts.example.test"));

        result.AssertExit(ExitCodes.VerificationFailed);
        Assert.Equal(SignatureCodes.ThresholdNotMet, json.GetProperty("code").GetString());
        var check = OnlyCheck(json);
        Assert.Equal(SignatureCodes.IdentityMismatch, check.GetProperty("code").GetString());
        Assert.Equal(sigstoreCode, check.GetProperty("sigstoreCode").GetString());
        Assert.Empty(json.GetProperty("signers").EnumerateArray());
    }

    private const string CertificateCodeSan = "CRT1013";
    private const string CertificateCodeIssuer = "CRT1014";

    [Theory]
    [InlineData("https://github.com/signet/release/", SignatureCodes.IdentityMismatch)]
    [InlineData("github.com/signet/release/.*", SignatureCodes.IdentityMismatch)]
    [InlineData(@"https://github\.com/signet/release/\.github/workflows/release\.yml@refs/tags/v1", null)]
    [InlineData(@"https://github\.com/signet/.*@refs/tags/v\d+", null)]
    public async Task Verify_IdentityRegexp_MustMatchTheWholeIdentity(string pattern, string? code)
    {
        var image = $"oci:{demo.CopyLayoutDirectory()}:demo";
        await SignAsync(image, "legacy");

        var (result, json) = await VerifyAsync("verify", image, "--certificate-identity-regexp", pattern, "--certificate-oidc-issuer-regexp", @"https://issuer\.signet\.test", "--trusted-root", sigstore.Mock.TrustedRoot);

        result.AssertExit(code is null ? ExitCodes.Success : ExitCodes.VerificationFailed);
        Assert.Equal(code, OnlyCheck(json).TryGetProperty("code", out var c) ? c.GetString() : null);
    }

    [Fact]
    public async Task Verify_GithubWorkflowRepositoryTheCertificateLacks_FailsWithIdentityMismatch()
    {
        var image = $"oci:{demo.CopyLayoutDirectory()}:demo";
        await SignAsync(image, "bundle");

        var (result, json) = await VerifyAsync("verify", image, [.. ByIdentity(), "--certificate-github-workflow-repository", "signet/release"]);

        result.AssertExit(ExitCodes.VerificationFailed);
        var check = OnlyCheck(json);
        Assert.Equal(SignatureCodes.IdentityMismatch, check.GetProperty("code").GetString());
        Assert.Equal("CRT1015", check.GetProperty("sigstoreCode").GetString());
        Assert.Contains("1.3.6.1.4.1.57264.1.5", check.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_LegacyCertificateAnnotationSwapped_FailsTheKeylessEvidence()
    {
        // Mallory's certificate on the victim's signature: the log entry and the signature were made with another key.
        var victim = demo.CopyLayoutDirectory();
        var mallory = demo.CopyLayoutDirectory();
        await SignAsync($"oci:{victim}:demo", "legacy");
        await SignAsync($"oci:{mallory}:demo", "legacy", subject: OtherSubject);
        var stolen = LegacyLayerAnnotation(mallory, CosignMediaTypes.CertificateAnnotation);
        EditLegacyLayer(victim, annotations => annotations[CosignMediaTypes.CertificateAnnotation] = stolen);

        var (result, json) = await VerifyAsync("verify", $"oci:{victim}:demo", ByIdentity(subject: OtherSubject));

        result.AssertExit(ExitCodes.VerificationFailed);
        var check = OnlyCheck(json);
        Assert.Equal(SignatureCodes.KeylessNotVerified, check.GetProperty("code").GetString());
        Assert.Equal("tlog-body-mismatch", check.GetProperty("sigstoreCode").GetString());
    }

    [Fact]
    public async Task VerifyAttestation_LegacyTimestampOfAnotherEnvelope_FailsTheTimestampCheck()
    {
        // The timestamp annotation of a legacy attestation covers its envelope bytes; one taken from another attestation does not.
        var victim = demo.CopyLayoutDirectory();
        var other = demo.CopyLayoutDirectory();
        await SignAsync($"oci:{victim}:demo", "legacy", attest: true, timestamp: true);
        await SignAsync($"oci:{other}:demo", "legacy", attest: true, timestamp: true);
        var foreign = LegacyLayerAnnotation(other, CosignMediaTypes.TimestampAnnotation, ".att");
        EditLegacyLayer(victim, annotations => annotations[CosignMediaTypes.TimestampAnnotation] = foreign, ".att");

        var (result, json) = await VerifyAsync("verify-attestation", $"oci:{victim}:demo", ByIdentity());

        result.AssertExit(ExitCodes.VerificationFailed);
        var check = OnlyCheck(json, attestation: true);
        Assert.Equal(SignatureCodes.KeylessNotVerified, check.GetProperty("code").GetString());
        Assert.Equal("TSA1005", check.GetProperty("sigstoreCode").GetString());
        Assert.Contains(CosignMediaTypes.TimestampAnnotation, check.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_LegacyRekorBundleRemoved_FailsUnlessTheLogIsIgnored()
    {
        var layout = demo.CopyLayoutDirectory();
        await SignAsync($"oci:{layout}:demo", "legacy");
        EditLegacyLayer(layout, annotations => annotations.Remove(CosignMediaTypes.RekorBundleAnnotation));

        var (refused, json) = await VerifyAsync("verify", $"oci:{layout}:demo", ByIdentity());
        var (accepted, _) = await VerifyAsync("verify", $"oci:{layout}:demo", [.. ByIdentity(), "--insecure-ignore-tlog"]);

        refused.AssertExit(ExitCodes.VerificationFailed);
        Assert.Equal(SignatureCodes.KeylessNotVerified, OnlyCheck(json).GetProperty("code").GetString());
        Assert.Equal("SGV1001", OnlyCheck(json).GetProperty("sigstoreCode").GetString());
        accepted.AssertExit(ExitCodes.Success);
    }

    [Fact]
    public async Task Verify_BundleTlogEntriesRemoved_FailsUnlessTheLogIsIgnored()
    {
        var layout = demo.CopyLayoutDirectory();
        await SignAsync($"oci:{layout}:demo", "bundle");
        EditReferrerBundle(layout, bundle => bundle["verificationMaterial"]!.AsObject().Remove("tlogEntries"));

        var (refused, json) = await VerifyAsync("verify", $"oci:{layout}:demo", ByIdentity());
        var (accepted, _) = await VerifyAsync("verify", $"oci:{layout}:demo", [.. ByIdentity(), "--insecure-ignore-tlog"]);

        refused.AssertExit(ExitCodes.VerificationFailed);
        Assert.Equal("SGV1001", OnlyCheck(json).GetProperty("sigstoreCode").GetString());
        accepted.AssertExit(ExitCodes.Success);
    }

    [Theory]
    [InlineData("bundle")]
    [InlineData("legacy")]
    public async Task Verify_KeylessSignatureWithAKey_FailsWithMaterialMismatch(string format)
    {
        var image = $"oci:{demo.CopyLayoutDirectory()}:demo";
        await SignAsync(image, format);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pub = _dir["other.pub"];
        await File.WriteAllTextAsync(pub, ecdsa.ExportSubjectPublicKeyInfoPem());

        var (result, json) = await VerifyAsync("verify", image, "--key", pub);

        result.AssertExit(ExitCodes.VerificationFailed);
        // A legacy layer is verified with the key over its payload (cosign does the same), so it is not the key's.
        Assert.Equal(format == "bundle" ? SignatureCodes.MaterialMismatch : SignatureCodes.NotVerified, OnlyCheck(json).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Verify_TrustedRootOfAnotherDeployment_FailsTheKeylessEvidence()
    {
        var image = $"oci:{demo.CopyLayoutDirectory()}:demo";
        await SignAsync(image, "bundle");

        var (result, json) = await VerifyAsync("verify", image,
            "--certificate-identity", Subject, "--certificate-oidc-issuer", SigstoreMock.Issuer, "--trusted-root", Testing.TestData.Require("sigstore-conformance/trusted_root.production.json"));

        result.AssertExit(ExitCodes.VerificationFailed);
        Assert.Equal(SignatureCodes.KeylessNotVerified, OnlyCheck(json).GetProperty("code").GetString());
        Assert.Equal("SGV1001", OnlyCheck(json).GetProperty("sigstoreCode").GetString());
    }

    [Fact]
    public async Task Verify_KeylessOnRegistry_BothFormatsAndAttestationsVerifyByIdentity()
    {
        var image = $"{registry.Registry.Host}/keyless-verify/app:v1";
        (await _cli.RunAsync("copy", demo.Layout, image)).AssertExit(ExitCodes.Success);
        await SignAsync(image, "bundle");
        await SignAsync(image, "legacy");
        await SignAsync(image, "bundle", attest: true);
        await SignAsync(image, "legacy", attest: true);

        var (signatures, signaturesJson) = await VerifyAsync("verify", image, ByIdentity());
        var (attestations, attestationsJson) = await VerifyAsync("verify-attestation", image, ByIdentity());
        var (wrong, _) = await VerifyAsync("verify", image, ByIdentity(subject: OtherSubject));

        signatures.AssertExit(ExitCodes.Success);
        Assert.Equal(["bundle", "legacy"], signaturesJson.GetProperty("signatures").EnumerateArray().Where(s => s.GetProperty("verified").GetBoolean()).Select(s => s.GetProperty("format").GetString()).Order());
        attestations.AssertExit(ExitCodes.Success);
        Assert.Equal(2, attestationsJson.GetProperty("attestations").EnumerateArray().Count(s => s.GetProperty("verified").GetBoolean()));
        wrong.AssertExit(ExitCodes.VerificationFailed);
    }

    /// <summary>The value of an annotation on the one layer of the layout's <c>.sig</c> manifest.</summary>
    private static string LegacyLayerAnnotation(string layout, string annotation, string suffix = ".sig")
    {
        var (manifest, _) = LegacyManifest(layout, suffix);
        return manifest["layers"]![0]!["annotations"]![annotation]!.GetValue<string>();
    }

    /// <summary>Edits the annotations of the one layer of the layout's <c>.sig</c> manifest; the manifest and index.json follow.</summary>
    private static void EditLegacyLayer(string layout, Action<JsonObject> edit, string suffix = ".sig")
    {
        var (manifest, entry) = LegacyManifest(layout, suffix);
        edit(manifest["layers"]![0]!["annotations"]!.AsObject());
        Replace(layout, entry, manifest);
    }

    /// <summary>Edits the Sigstore bundle of the layout's one referrer; the layer descriptor, manifest and index.json follow.</summary>
    private static void EditReferrerBundle(string layout, Action<JsonObject> edit)
    {
        var (manifest, entry) = Entries(layout).Single(e => e.Manifest["artifactType"]?.GetValue<string>() == CosignMediaTypes.BundleV03);
        var layer = manifest["layers"]![0]!.AsObject();
        var bundle = JsonNode.Parse(File.ReadAllBytes(DemoImageFixture.BlobFile(layout, layer["digest"]!.GetValue<string>())))!.AsObject();
        edit(bundle);
        var bytes = Encoding.UTF8.GetBytes(bundle.ToJsonString());
        layer["digest"] = Write(layout, bytes);
        layer["size"] = bytes.Length;
        Replace(layout, entry, manifest);
    }

    private static (JsonObject Manifest, JsonObject Entry) LegacyManifest(string layout, string suffix) =>
        Entries(layout).Single(e => e.Entry["annotations"]?["org.opencontainers.image.ref.name"]?.GetValue<string>().EndsWith(suffix, StringComparison.Ordinal) == true);

    private static IEnumerable<(JsonObject Manifest, JsonObject Entry)> Entries(string layout)
    {
        var index = JsonNode.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json")))!;
        foreach (var entry in index["manifests"]!.AsArray().Select(e => e!.AsObject()))
        {
            yield return (JsonNode.Parse(File.ReadAllBytes(DemoImageFixture.BlobFile(layout, entry["digest"]!.GetValue<string>())))!.AsObject(), entry);
        }
    }

    /// <summary>Writes <paramref name="manifest"/> as a blob and points the index.json entry that named <paramref name="entry"/>'s digest at it.</summary>
    private static void Replace(string layout, JsonObject entry, JsonObject manifest)
    {
        var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var digest = Write(layout, bytes);
        var indexFile = Path.Combine(layout, "index.json");
        var index = JsonNode.Parse(File.ReadAllBytes(indexFile))!;
        var old = entry["digest"]!.GetValue<string>();
        var target = index["manifests"]!.AsArray().Select(e => e!.AsObject()).Single(e => e["digest"]!.GetValue<string>() == old);
        target["digest"] = digest;
        target["size"] = bytes.Length;
        File.WriteAllText(indexFile, index.ToJsonString());
    }

    private static string Write(string layout, byte[] bytes)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(DemoImageFixture.BlobFile(layout, digest), bytes);
        return digest;
    }
}
