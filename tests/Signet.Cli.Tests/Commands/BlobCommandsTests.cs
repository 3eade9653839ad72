using Signet.Testing.Hsm;
using Signet.Testing.Interop;

namespace Signet.Cli.Tests.Commands;

public sealed class BlobCommandsTests : IDisposable
{
    private static readonly Dictionary<string, string?> WithPassphrase = new() { ["SIGNET_PASSWORD"] = "pw", ["COSIGN_PASSWORD"] = null };

    private readonly CliRunner _cli = new();
    private readonly TempDirectory _dir = new();

    private Task<CliResult> RunAsync(params string[] args) => _cli.RunAsync(args, stdin: null, environment: WithPassphrase);

    private async Task<string> KeyPairAsync(string algorithm = "ecdsa-p256")
    {
        var prefix = _dir[$"key-{algorithm}"];
        (await RunAsync("generate-key-pair", "--algorithm", algorithm, "--output-key-prefix", prefix)).AssertExit(ExitCodes.Success);
        return prefix;
    }

    private async Task<string> ArtifactAsync(string content = "release artifact\n")
    {
        var path = _dir["artifact.txt"];
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    [Theory]
    [InlineData("ecdsa-p256")]
    [InlineData("ecdsa-p384")]
    [InlineData("rsa-3072")]
    [InlineData("ed25519")]
    public async Task SignBlob_ThenVerifyBlob_Passes(string algorithm)
    {
        var key = await KeyPairAsync(algorithm);
        var artifact = await ArtifactAsync();
        var bundle = _dir["artifact.sigstore.json"];

        var signed = await RunAsync("sign-blob", "--key", key + ".key", "--bundle", bundle, artifact, "--output", "json");
        var verified = await RunAsync("verify-blob", "--key", key + ".pub", "--bundle", bundle, artifact, "--output", "json");

        signed.AssertExit(ExitCodes.Success);
        using var signedJson = signed.Json();
        Assert.Equal(["file", "bundle", "mediaType", "digest", "size", "digestAlgorithm", "keyAlgorithm", "keyHint"], signedJson.RootElement.PropertyNames());
        Assert.Equal(algorithm, signedJson.RootElement.GetProperty("keyAlgorithm").GetString());
        verified.AssertExit(ExitCodes.Success);
        using var verifiedJson = verified.Json();
        Assert.True(verifiedJson.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal(signedJson.RootElement.GetProperty("digest").GetString(), verifiedJson.RootElement.GetProperty("digest").GetString());
        Assert.Equal(0, verifiedJson.RootElement.GetProperty("problems").GetArrayLength());
    }

    [Fact]
    public async Task SignBlob_WithoutBundleOption_PrintsTheBundleOnly()
    {
        var key = await KeyPairAsync();
        var artifact = await ArtifactAsync();

        var result = await RunAsync("sign-blob", "--key", key + ".key", artifact);

        result.AssertExit(ExitCodes.Success);
        using var json = result.Json();
        Assert.Equal("application/vnd.dev.sigstore.bundle.v0.3+json", json.RootElement.GetProperty("mediaType").GetString());
        Assert.Equal("SHA2_256", json.RootElement.GetProperty("messageSignature").GetProperty("messageDigest").GetProperty("algorithm").GetString());
    }

    [Fact]
    public async Task VerifyBlob_TamperedFile_ExitsOneWithBlb1004()
    {
        var key = await KeyPairAsync();
        var artifact = await ArtifactAsync();
        var bundle = _dir["b.json"];
        (await RunAsync("sign-blob", "--key", key + ".key", "--bundle", bundle, artifact)).AssertExit(ExitCodes.Success);
        await File.AppendAllTextAsync(artifact, "!");

        var table = await RunAsync("verify-blob", "--key", key + ".pub", "--bundle", bundle, artifact);
        var json = await RunAsync("verify-blob", "--key", key + ".pub", "--bundle", bundle, artifact, "-o", "json");

        table.AssertExit(ExitCodes.VerificationFailed);
        Assert.Contains("BLB1004 digest:", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("verification FAILED", table.Stdout, StringComparison.Ordinal);
        json.AssertExit(ExitCodes.VerificationFailed);
        using var document = json.Json();
        Assert.False(document.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal(["BLB1004", "BLB1005"], document.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task VerifyBlob_OtherKey_ExitsOneWithBlb1005()
    {
        var key = await KeyPairAsync();
        var other = await KeyPairAsync("ecdsa-p384");
        var artifact = await ArtifactAsync();
        var bundle = _dir["b.json"];
        (await RunAsync("sign-blob", "--key", key + ".key", "--bundle", bundle, artifact)).AssertExit(ExitCodes.Success);

        var result = await RunAsync("verify-blob", "--key", other + ".pub", "--bundle", bundle, artifact);

        result.AssertExit(ExitCodes.VerificationFailed);
        Assert.Contains("BLB1005 signature:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyBlob_MissingBundle_IsAnInputError()
    {
        var key = await KeyPairAsync();
        var artifact = await ArtifactAsync();

        var result = await RunAsync("verify-blob", "--key", key + ".pub", "--bundle", _dir["absent.json"], artifact);

        result.AssertExit(ExitCodes.InputError);
        result.AssertCleanError("absent.json: no such file");
    }

    [Fact]
    public async Task SignBlob_MissingFile_IsAnInputError()
    {
        var key = await KeyPairAsync();

        var result = await RunAsync("sign-blob", "--key", key + ".key", _dir["absent.bin"]);

        result.AssertExit(ExitCodes.InputError);
        result.AssertCleanError("absent.bin: no such file");
    }

    [Fact]
    public async Task SignBlob_PublicKeyGivenAsSigningKey_IsAnInputError()
    {
        var key = await KeyPairAsync();
        var artifact = await ArtifactAsync();

        var result = await RunAsync("sign-blob", "--key", key + ".pub", artifact);

        result.AssertExit(ExitCodes.InputError);
        result.AssertCleanError(key + ".pub");
    }

    [Fact]
    public async Task VerifyBlob_MissingOptions_IsAUsageError()
    {
        var noBundle = await RunAsync("verify-blob", _dir["x"]);
        var noSigner = await RunAsync("verify-blob", "--bundle", _dir["x.sigstore.json"], _dir["x"]);

        noBundle.AssertExit(ExitCodes.Usage);
        Assert.Contains("--bundle", noBundle.Stderr, StringComparison.Ordinal);
        noSigner.AssertExit(ExitCodes.Usage);
        Assert.Contains("give either --key", noSigner.Stderr, StringComparison.Ordinal);
        Assert.Contains("--certificate-identity", noSigner.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignBlob_Bundle_VerifiesWithSigstoreJs()
    {
        var key = await KeyPairAsync();
        var artifact = await ArtifactAsync();
        var bundle = _dir["b.json"];
        (await RunAsync("sign-blob", "--key", key + ".key", "--bundle", bundle, artifact)).AssertExit(ExitCodes.Success);

        var js = await NpmPeers.RunAsync(Path.Combine(AppContext.BaseDirectory, "interop", "verify-bundle.mjs"), bundle, artifact, key + ".pub");

        Assert.True(js.ExitCode == 0, js.ToString());
    }

    public void Dispose()
    {
        _cli.Dispose();
        _dir.Dispose();
    }
}

/// <summary>SoftHSM end to end: the CLI signs with a pkcs11: URI and verifies with the .pub that public-key exports from the token.</summary>
[Collection(SoftHsmCliTests.Name)]
public sealed class BlobCommandsSoftHsmTests(SoftHsmFixture hsm) : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly TempDirectory _dir = new();

    private Task<CliResult> RunAsync(params string[] args) =>
        _cli.RunAsync(args, stdin: null, environment: new Dictionary<string, string?> { [SoftHsmFixture.ConfigVariable] = hsm.ConfigPath });

    [Theory]
    [InlineData("ec-p256")]
    [InlineData("ec-p384")]
    [InlineData("rsa-2048")]
    public async Task SignBlob_Pkcs11Key_VerifiesWithTheExportedPublicKey(string label)
    {
        var uri = hsm.Uri(label);
        var artifact = _dir["artifact.bin"];
        await File.WriteAllBytesAsync(artifact, System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 * 1024 * 1024));
        var bundle = _dir["artifact.sigstore.json"];

        var exported = await RunAsync("public-key", "--key", uri);
        exported.AssertExit(ExitCodes.Success);
        var pub = _dir["token.pub"];
        await File.WriteAllTextAsync(pub, exported.Stdout);
        var signed = await RunAsync("sign-blob", "--key", uri, "--bundle", bundle, artifact);
        var verified = await RunAsync("verify-blob", "--key", pub, "--bundle", bundle, artifact, "-o", "json");

        signed.AssertExit(ExitCodes.Success);
        verified.AssertExit(ExitCodes.Success);
        Assert.DoesNotContain(SoftHsmFixture.UserPin, signed.Stdout + signed.Stderr, StringComparison.Ordinal);
        await File.AppendAllTextAsync(artifact, "x");
        (await RunAsync("verify-blob", "--key", pub, "--bundle", bundle, artifact)).AssertExit(ExitCodes.VerificationFailed);
    }

    [Fact]
    public async Task PublicKey_Pkcs11Key_EqualsPkcs11ToolsKey()
    {
        var exported = await RunAsync("public-key", "--key", hsm.Uri(SoftHsmFixture.EcP256.Label));

        exported.AssertExit(ExitCodes.Success);
        var der = hsm.ReadPublicKeyDer(SoftHsmFixture.EcP256);
        Assert.Equal(new string(System.Security.Cryptography.PemEncoding.Write("PUBLIC KEY", der)) + "\n", exported.Stdout);
    }

    [Fact]
    public async Task SignBlob_Pkcs11WrongPin_IsAnInputErrorWithoutThePin()
    {
        var result = await RunAsync("sign-blob", "--key", hsm.Uri(SoftHsmFixture.EcP256.Label, SoftHsmFixture.PinTokenLabel, "0000"), _dir["x"]);

        result.AssertExit(ExitCodes.InputError);
        Assert.StartsWith("signet: ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("0000", result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _cli.Dispose();
        _dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SoftHsmCliTests : ICollectionFixture<SoftHsmFixture>
{
    public const string Name = "SoftHSM CLI";
}
