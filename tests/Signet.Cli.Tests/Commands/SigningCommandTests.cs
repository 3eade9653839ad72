using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Signet.Signing;
using Signet.Testing.Registry;

namespace Signet.Cli.Tests.Commands;

/// <summary>sign, verify, attest, verify-attestation and tree through the real CLI, on copies of the demo layout and a real registry.</summary>
public sealed partial class SigningCommandTests(DemoImageFixture demo, AnonymousRegistryFixture registry)
    : IClassFixture<DemoImageFixture>, IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly TempDirectory _keys = new();

    public void Dispose()
    {
        _cli.Dispose();
        _keys.Dispose();
    }

    [Theory]
    [InlineData("bundle")]
    [InlineData("legacy")]
    public async Task SignThenVerify_Layout_ExitsZeroAndPrintsThePayload(string format)
    {
        var image = $"oci:{demo.CopyLayoutDirectory()}:demo";
        var (key, pub) = KeyPair("a");

        var signed = await _cli.RunAsync("sign", "--key", key, "--format", format, "-a", "team=blue", image, "-o", "json");
        var verified = await _cli.RunAsync("verify", "--key", pub, "-a", "team=blue", image, "-o", "json");

        signed.AssertExit(ExitCodes.Success);
        verified.AssertExit(ExitCodes.Success);
        using var json = JsonDocument.Parse(verified.Stdout);
        Assert.Equal(demo.Digest, json.RootElement.GetProperty("digest").GetString());
        var signature = Assert.Single(json.RootElement.GetProperty("signatures").EnumerateArray());
        Assert.Equal(format, signature.GetProperty("format").GetString());
        Assert.True(signature.GetProperty("verified").GetBoolean());
        Assert.Equal(JsonValueKind.Object, signature.GetProperty("payload").ValueKind);
    }

    [Fact]
    public async Task Verify_WrongKey_ExitsOneWithNotVerified()
    {
        var image = $"oci:{demo.CopyLayoutDirectory()}:demo";
        (await _cli.RunAsync("sign", "--key", KeyPair("a").Key, image)).AssertExit(ExitCodes.Success);

        var result = await _cli.RunAsync("verify", "--key", KeyPair("b").Pub, image, "-o", "json");

        result.AssertExit(ExitCodes.VerificationFailed);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(SignatureCodes.ThresholdNotMet, json.RootElement.GetProperty("code").GetString());
        Assert.Equal(SignatureCodes.NotVerified, Assert.Single(json.RootElement.GetProperty("signatures").EnumerateArray()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Verify_Unsigned_ExitsOneWithNoSignatures()
    {
        var result = await _cli.RunAsync("verify", "--key", KeyPair("a").Pub, $"oci:{demo.CopyLayoutDirectory()}:demo");

        result.AssertExit(ExitCodes.VerificationFailed);
        Assert.Contains(SignatureCodes.NoSignatures, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ThresholdTwo_NeedsBothSigners()
    {
        var image = $"oci:{demo.CopyLayoutDirectory()}:demo";
        var (a, b) = (KeyPair("a"), KeyPair("b"));
        (await _cli.RunAsync("sign", "--key", a.Key, "--format", "legacy", image)).AssertExit(ExitCodes.Success);

        var one = await _cli.RunAsync("verify", "--key", a.Pub, "--key", b.Pub, "--threshold", "2", image);
        (await _cli.RunAsync("sign", "--key", b.Key, "--format", "legacy", image)).AssertExit(ExitCodes.Success);
        var two = await _cli.RunAsync("verify", "--key", a.Pub, "--key", b.Pub, "--threshold", "2", image);

        one.AssertExit(ExitCodes.VerificationFailed);
        Assert.Contains(SignatureCodes.ThresholdNotMet, one.Stdout, StringComparison.Ordinal);
        two.AssertExit(ExitCodes.Success);
    }

    [Fact]
    public async Task Verify_TruncatedPemKey_ExitsThree()
    {
        var pub = KeyPair("a").Pub;
        var text = await File.ReadAllTextAsync(pub);
        await File.WriteAllTextAsync(pub, text[..(text.Length / 2)]);

        var result = await _cli.RunAsync("verify", "--key", pub, demo.Layout);

        result.AssertExit(ExitCodes.InputError);
        Assert.Contains(pub, result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker-archive", "demo-docker.tar", ":signet/demo:latest")]
    [InlineData("oci-archive", "demo-oci.tar", ":demo")]
    public async Task SignThenVerify_ArchiveCopy_VerifiesAndKeepsIntegrity(string transport, string file, string reference)
    {
        var copy = Path.Combine(_keys.Path, file);
        File.Copy(Path.Combine(demo.Root, file), copy);
        var image = $"{transport}:{copy}{reference}";
        var (key, pub) = KeyPair("a");

        (await _cli.RunAsync("sign", "--key", key, image)).AssertExit(ExitCodes.Success);
        (await _cli.RunAsync("sign", "--key", key, "--format", "legacy", image)).AssertExit(ExitCodes.Success);
        var verified = await _cli.RunAsync("verify", "--key", pub, image, "-o", "json");
        var integrity = await _cli.RunAsync("verify-integrity", image, "-o", "json");

        verified.AssertExit(ExitCodes.Success);
        using var json = JsonDocument.Parse(verified.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("signatures").EnumerateArray().Count(s => s.GetProperty("verified").GetBoolean()));
        integrity.AssertExit(ExitCodes.Success);
        Assert.Contains(demo.Digest, integrity.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AttestThenVerifyAttestationAndTree_Layout_ListsAndVerifiesTheStatement()
    {
        var image = $"oci:{demo.CopyLayoutDirectory()}:demo";
        var (key, pub) = KeyPair("a");
        var predicate = Path.Combine(_keys.Path, "vex.json");
        await File.WriteAllTextAsync(predicate, "{\"statements\":[]}\n");
        (await _cli.RunAsync("attest", "--key", key, "--predicate", predicate, "--type", "openvex", image)).AssertExit(ExitCodes.Success);
        (await _cli.RunAsync("attest", "--key", key, "--predicate", predicate, "--type", "openvex", "--format", "legacy", image)).AssertExit(ExitCodes.Success);

        var verified = await _cli.RunAsync("verify-attestation", "--key", pub, "--type", "openvex", image, "-o", "json");
        var other = await _cli.RunAsync("verify-attestation", "--key", pub, "--type", "cyclonedx", image);
        var tree = await _cli.RunAsync("tree", image, "-o", "json");

        verified.AssertExit(ExitCodes.Success);
        using var json = JsonDocument.Parse(verified.Stdout);
        var attestations = json.RootElement.GetProperty("attestations").EnumerateArray().ToList();
        Assert.Equal(2, attestations.Count);
        Assert.All(attestations, a => Assert.Equal("{\"statements\":[]}", a.GetProperty("statement").GetProperty("predicate").GetRawText()));
        other.AssertExit(ExitCodes.VerificationFailed);
        Assert.Contains(SignatureCodes.NoMatchingAttestations, other.Stdout, StringComparison.Ordinal);
        tree.AssertExit(ExitCodes.Success);
        using var treeJson = JsonDocument.Parse(tree.Stdout);
        Assert.Equal(2, treeJson.RootElement.GetProperty("attachments").EnumerateArray().Count(a => a.GetProperty("kind").GetString() == "attestation"));
    }

    [Theory]
    [InlineData("bundle")]
    [InlineData("legacy")]
    public async Task SignThenVerify_RegistryWithCosignRepository_ExitsZero(string format)
    {
        var image = $"{registry.Registry.Host}/cli/app-{format}:v1";
        (await _cli.RunAsync("copy", demo.Layout, image)).AssertExit(ExitCodes.Success);
        var (key, pub) = KeyPair("a");
        var environment = new Dictionary<string, string?> { ["COSIGN_REPOSITORY"] = $"{registry.Registry.Host}/cli/signatures-{format}" };

        var signed = await _cli.RunAsync(["sign", "--key", key, "--format", format, image], stdin: null, environment: environment);
        var verified = await _cli.RunAsync(["verify", "--key", pub, image], stdin: null, environment: environment);
        var elsewhere = await _cli.RunAsync("verify", "--key", pub, image);

        signed.AssertExit(ExitCodes.Success);
        verified.AssertExit(ExitCodes.Success);
        elsewhere.AssertExit(ExitCodes.VerificationFailed);
    }

    [Fact]
    public void ErrorCodesDoc_EverySignatureCode_HasASection()
    {
        var markdown = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "error-codes.md"));
        var codes = typeof(SignatureCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal);

        Assert.Equal(codes, SignatureHeading().Matches(markdown).Select(m => m.Groups[1].Value));
    }

    /// <summary>A fresh unencrypted PKCS#8 P-256 key pair in the test's key folder (the key-file formats have their own tests).</summary>
    private (string Key, string Pub) KeyPair(string name)
    {
        var key = Path.Combine(_keys.Path, $"{name}.key");
        var pub = Path.Combine(_keys.Path, $"{name}.pub");
        if (!File.Exists(key))
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            File.WriteAllText(key, ecdsa.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(pub, ecdsa.ExportSubjectPublicKeyInfoPem());
        }

        return (key, pub);
    }

    [GeneratedRegex("^### (SIG\\d{4}):", RegexOptions.Multiline)]
    private static partial Regex SignatureHeading();
}
