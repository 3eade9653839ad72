namespace Signet.Cli.Tests.Commands;

public sealed class VerifyIntegrityCommandTests(DemoImageFixture demo) : IClassFixture<DemoImageFixture>, IDisposable
{
    private static readonly string[] ReportFields = ["image", "digest", "passed", "bytesRead", "bytesUncompressed", "seconds", "objects"];

    private static readonly string[] ObjectFields =
        ["kind", "digest", "mediaType", "size", "platform", "parent", "position", "diffId", "actualDiffId", "uncompressedSize", "passed", "code", "message"];

    private readonly CliRunner _cli = new();

    [Fact]
    public async Task VerifyIntegrity_GoodLayoutTable_ExitsZeroAndSaysVerified()
    {
        var result = await _cli.RunAsync("verify-integrity", demo.Layout);

        result.AssertExit(ExitCodes.Success);
        Assert.Contains("integrity verified", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(demo.Digest, result.Stdout, StringComparison.Ordinal);
        foreach (var layer in demo.Layers)
        {
            Assert.Contains(layer, result.Stdout, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("INT10", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task VerifyIntegrity_GoodLayoutJson_ReportsEveryObjectPassed()
    {
        var result = await _cli.RunAsync("verify-integrity", demo.Layout, "--output", "json");

        result.AssertExit(ExitCodes.Success);
        using var json = result.Json();
        var root = json.RootElement;
        Assert.Equal(ReportFields, root.PropertyNames());
        Assert.Equal(demo.Layout, root.GetProperty("image").GetString());
        Assert.Equal(demo.Digest, root.GetProperty("digest").GetString());
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.True(root.GetProperty("bytesRead").GetInt64() > 0);
        Assert.True(root.GetProperty("bytesUncompressed").GetInt64() > root.GetProperty("bytesRead").GetInt64());
        Assert.True(root.GetProperty("seconds").GetDouble() >= 0);

        var objects = root.GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal(["manifest", "config", "layer", "layer", "layer"], objects.Select(o => o.GetProperty("kind").GetString()));
        Assert.Equal(demo.Layers, objects.Where(o => o.GetProperty("kind").GetString() == "layer").Select(o => o.GetProperty("digest").GetString()));
        foreach (var check in objects)
        {
            Assert.Empty(check.PropertyNames().Except(ObjectFields));
            Assert.True(check.GetProperty("passed").GetBoolean());
            Assert.False(check.TryGetProperty("code", out _));
            Assert.False(check.TryGetProperty("message", out _));
            Assert.StartsWith("sha256:", check.GetProperty("digest").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("application/vnd.oci.", check.GetProperty("mediaType").GetString(), StringComparison.Ordinal);
            Assert.True(check.GetProperty("size").GetInt64() > 0);
        }

        foreach (var layer in objects.Where(o => o.GetProperty("kind").GetString() == "layer"))
        {
            Assert.Equal(demo.Digest, layer.GetProperty("parent").GetString());
            Assert.Equal("linux/amd64", layer.GetProperty("platform").GetString());
            Assert.Equal(layer.GetProperty("diffId").GetString(), layer.GetProperty("actualDiffId").GetString());
        }
    }

    [Fact]
    public async Task VerifyIntegrity_Json_WritesMediaTypesUnescaped()
    {
        var result = await _cli.RunAsync("verify-integrity", demo.Layout, "--output", "json");

        result.AssertExit(ExitCodes.Success);
        Assert.Contains("\"application/vnd.oci.image.manifest.v1+json\"", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyIntegrity_Archives_ExitZero()
    {
        foreach (var image in (string[])[demo.DockerArchive, demo.OciArchive])
        {
            var result = await _cli.RunAsync("verify-integrity", image, "--output", "json");

            result.AssertExit(ExitCodes.Success);
            using var json = result.Json();
            Assert.Equal(demo.Digest, json.RootElement.GetProperty("digest").GetString());
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task VerifyIntegrity_TamperedLayerJson_ExitsOneNamingInt1001AndTheLayer(int layerIndex)
    {
        var directory = demo.CopyLayoutDirectory();
        var layer = demo.Layers[layerIndex];
        DemoImageFixture.FlipBit(DemoImageFixture.BlobFile(directory, layer));

        var result = await _cli.RunAsync("verify-integrity", $"oci:{directory}:demo", "--output", "json");

        result.AssertExit(ExitCodes.VerificationFailed);
        using var json = result.Json();
        Assert.False(json.RootElement.GetProperty("passed").GetBoolean());
        var failed = Assert.Single(json.RootElement.GetProperty("objects").EnumerateArray(), o => !o.GetProperty("passed").GetBoolean());
        Assert.Equal("layer", failed.GetProperty("kind").GetString());
        Assert.Equal(layer, failed.GetProperty("digest").GetString());
        Assert.Equal("INT1001", failed.GetProperty("code").GetString());
        Assert.Contains(layer, failed.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyIntegrity_TamperedLayerTable_ExitsOneWithOneLinePerFailure()
    {
        var directory = demo.CopyLayoutDirectory();
        DemoImageFixture.FlipBit(DemoImageFixture.BlobFile(directory, demo.Layers[0]));

        var result = await _cli.RunAsync("verify-integrity", $"oci:{directory}:demo");

        result.AssertExit(ExitCodes.VerificationFailed);
        var lines = result.Stdout.Split('\n');
        var failure = Assert.Single(lines, l => l.StartsWith("INT1001 ", StringComparison.Ordinal));
        Assert.Contains(demo.Layers[0], failure, StringComparison.Ordinal);
        Assert.Contains("do not use it", failure, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("integrity check FAILED: 1 of 5 objects", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyIntegrity_DemoTamperedLayout_ExitsOne()
    {
        var result = await _cli.RunAsync("verify-integrity", $"oci:{Path.Combine(demo.Root, "tampered")}:demo");

        result.AssertExit(ExitCodes.VerificationFailed);
        Assert.Contains("INT1001", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyIntegrity_MissingLayerBlob_ExitsOneWithInt1004()
    {
        var directory = demo.CopyLayoutDirectory();
        File.Delete(DemoImageFixture.BlobFile(directory, demo.Layers[1]));

        var result = await _cli.RunAsync("verify-integrity", $"oci:{directory}:demo", "-o", "json");

        result.AssertExit(ExitCodes.VerificationFailed);
        using var json = result.Json();
        var failed = Assert.Single(json.RootElement.GetProperty("objects").EnumerateArray(), o => !o.GetProperty("passed").GetBoolean());
        Assert.Equal("INT1004", failed.GetProperty("code").GetString());
        Assert.Equal(demo.Layers[1], failed.GetProperty("digest").GetString());
    }

    [Theory]
    [InlineData("oci:{0}/no-such-layout:v1", "{0}/no-such-layout")]
    [InlineData("oci-archive:{0}/no-such.tar:v1", "{0}/no-such.tar")]
    [InlineData("docker-archive:{0}/no-such.tar", "{0}/no-such.tar")]
    public async Task VerifyIntegrity_MissingPath_ExitsInputErrorNamingThePath(string image, string path)
    {
        using var temp = new TempDirectory();

        var result = await _cli.RunAsync("verify-integrity", string.Format(null, image, temp.Path));

        result.AssertExit(ExitCodes.InputError);
        result.AssertCleanError(string.Format(null, path, temp.Path), "does not exist");
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData("INVALID//name::", "is not a valid image reference")]
    [InlineData("dir:/tmp/image", "transport 'dir:' is not supported")]
    [InlineData("oci:", "names no path")]
    [InlineData("oci:/tmp/layout:", "names no tag")]
    public async Task VerifyIntegrity_BadImageName_ExitsUsage(string image, string message)
    {
        var result = await _cli.RunAsync("verify-integrity", image);

        result.AssertExit(ExitCodes.Usage);
        result.AssertCleanError(message);
    }

    [Fact]
    public async Task VerifyIntegrity_PlatformAndAllPlatforms_ExitsUsage()
    {
        var result = await _cli.RunAsync("verify-integrity", demo.Layout, "--platform", "linux/amd64", "--all-platforms");

        result.AssertExit(ExitCodes.Usage);
        result.AssertCleanError("--platform and --all-platforms");
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    public async Task VerifyIntegrity_ParallelismOutOfRange_ExitsUsage(string parallelism)
    {
        var result = await _cli.RunAsync("verify-integrity", demo.Layout, "--parallelism", parallelism);

        result.AssertExit(ExitCodes.Usage);
        result.AssertCleanError("--parallelism must be between 1 and 64");
    }

    [Fact]
    public async Task VerifyIntegrity_ParallelismOne_ExitsZero()
    {
        var result = await _cli.RunAsync("verify-integrity", demo.Layout, "--parallelism", "1", "--all-platforms");

        result.AssertExit(ExitCodes.Success);
    }

    public void Dispose() => _cli.Dispose();
}
