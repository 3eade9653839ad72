using Signet.Testing.Registry;

namespace Signet.Cli.Tests.Commands;

/// <summary>copy, inspect and verify-integrity against a real Distribution registry without authentication.</summary>
public sealed class RegistryCommandTests(DemoImageFixture demo, AnonymousRegistryFixture registry)
    : IClassFixture<DemoImageFixture>, IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private readonly CliRunner _cli = new();

    private string Image(string repository) => $"docker://{registry.Registry.Host}/{repository}";

    [Fact]
    public async Task Copy_ToRegistryAndBack_KeepsTheDigestAndVerifies()
    {
        using var temp = new TempDirectory();
        var pushed = Image("cli/roundtrip:v1");

        var push = await _cli.RunAsync("copy", demo.Layout, pushed, "--output", "json");
        push.AssertExit(ExitCodes.Success);
        using (var json = push.Json())
        {
            Assert.Equal(demo.Digest, json.RootElement.GetProperty("digest").GetString());
            Assert.Equal(4, json.RootElement.GetProperty("blobsCopied").GetInt32());
        }

        var verify = await _cli.RunAsync("verify-integrity", pushed, "--output", "json");
        verify.AssertExit(ExitCodes.Success);
        using (var json = verify.Json())
        {
            Assert.True(json.RootElement.GetProperty("passed").GetBoolean());
            Assert.Equal(demo.Digest, json.RootElement.GetProperty("digest").GetString());
            Assert.Equal(5, json.RootElement.GetProperty("objects").GetArrayLength());
        }

        var pull = await _cli.RunAsync("copy", pushed, $"docker-archive:{temp["pulled.tar"]}:cli/roundtrip:v1", "--output", "json");
        pull.AssertExit(ExitCodes.Success);
        using (var json = pull.Json())
        {
            Assert.Equal(demo.Digest, json.RootElement.GetProperty("digest").GetString());
        }

        (await _cli.RunAsync("verify-integrity", $"docker-archive:{temp["pulled.tar"]}")).AssertExit(ExitCodes.Success);
    }

    [Fact]
    public async Task VerifyIntegrity_RegistryByDigestAndBareReference_ExitsZero()
    {
        (await _cli.RunAsync("copy", demo.Layout, Image("cli/bydigest:v1"))).AssertExit(ExitCodes.Success);

        var byDigest = await _cli.RunAsync("verify-integrity", Image($"cli/bydigest@{demo.Digest}"));
        var bare = await _cli.RunAsync("verify-integrity", $"{registry.Registry.Host}/cli/bydigest:v1");

        byDigest.AssertExit(ExitCodes.Success);
        bare.AssertExit(ExitCodes.Success);
        Assert.Contains("integrity verified", bare.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_RegistryRaw_BytesHashToTheDigest()
    {
        (await _cli.RunAsync("copy", demo.Layout, Image("cli/inspect:v1"))).AssertExit(ExitCodes.Success);

        var raw = await _cli.RunAsync("inspect", Image("cli/inspect:v1"), "--raw");
        var json = await _cli.RunAsync("inspect", Image("cli/inspect:v1"), "-o", "json");

        raw.AssertExit(ExitCodes.Success);
        Assert.Equal(demo.Digest, "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(raw.StdoutBytes)));
        json.AssertExit(ExitCodes.Success);
        using var document = json.Json();
        Assert.Equal(demo.Layers, document.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()));
    }

    [Fact]
    public async Task VerifyIntegrity_UnknownTag_ExitsOneWithInt1004()
    {
        var result = await _cli.RunAsync("verify-integrity", Image("cli/absent:v1"), "-o", "json");

        result.AssertExit(ExitCodes.VerificationFailed);
        using var json = result.Json();
        var failed = Assert.Single(json.RootElement.GetProperty("objects").EnumerateArray());
        Assert.Equal("INT1004", failed.GetProperty("code").GetString());
    }

    [Fact]
    public async Task VerifyIntegrity_UnreachableRegistry_ExitsWithTransportCodeOrInputError()
    {
        var result = await _cli.RunAsync("verify-integrity", "docker://127.0.0.1:1/cli/none:v1", "-o", "json");

        result.AssertExit(ExitCodes.VerificationFailed);
        using var json = result.Json();
        var failed = Assert.Single(json.RootElement.GetProperty("objects").EnumerateArray());
        Assert.Equal("INT1009", failed.GetProperty("code").GetString());
        Assert.Contains("127.0.0.1:1", failed.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}

/// <summary>A blob altered in the registry's own storage is caught (its own registry: blobs are shared across repositories).</summary>
public sealed class RegistryTamperTests(DemoImageFixture demo, AnonymousRegistryFixture registry)
    : IClassFixture<DemoImageFixture>, IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private readonly CliRunner _cli = new();

    [Fact]
    public async Task VerifyIntegrity_BlobAlteredInRegistryStorage_ExitsOneNamingInt1001AndTheLayer()
    {
        var image = $"docker://{registry.Registry.Host}/cli/tampered:v1";
        (await _cli.RunAsync("copy", demo.Layout, image)).AssertExit(ExitCodes.Success);
        DemoImageFixture.FlipBit(registry.Registry.BlobDataPath(demo.Layers[2]));

        var result = await _cli.RunAsync("verify-integrity", image, "--output", "json");

        result.AssertExit(ExitCodes.VerificationFailed);
        using var json = result.Json();
        var failed = Assert.Single(json.RootElement.GetProperty("objects").EnumerateArray(), o => !o.GetProperty("passed").GetBoolean());
        Assert.Equal("INT1001", failed.GetProperty("code").GetString());
        Assert.Equal(demo.Layers[2], failed.GetProperty("digest").GetString());
    }

    public void Dispose() => _cli.Dispose();
}
