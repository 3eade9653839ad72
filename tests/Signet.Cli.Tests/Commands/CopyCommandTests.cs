namespace Signet.Cli.Tests.Commands;

public sealed class CopyCommandTests(DemoImageFixture demo) : IClassFixture<DemoImageFixture>, IDisposable
{
    private readonly CliRunner _cli = new();

    public static TheoryData<string[]> Chains => new()
    {
        new[] { "oci:{0}/a:v1", "docker-archive:{0}/b.tar:example/app:v1", "oci-archive:{0}/c.tar:v1", "oci:{0}/d:v1" },
        new[] { "oci-archive:{0}/a.tar:v1", "docker-archive:{0}/b.tar:example/app:v1", "oci:{0}/c:v1" },
        new[] { "docker-archive:{0}/a.tar", "oci-archive:{0}/b.tar", "docker-archive:{0}/c.tar:other/name:v2" },
    };

    [Theory]
    [MemberData(nameof(Chains))]
    public async Task Copy_ThroughTransports_KeepsTheDigest(string[] chain)
    {
        using var temp = new TempDirectory();
        var from = demo.Layout;
        foreach (var template in chain)
        {
            var to = string.Format(null, template, temp.Path);

            var result = await _cli.RunAsync("copy", from, to, "--output", "json");

            result.AssertExit(ExitCodes.Success);
            using var json = result.Json();
            Assert.Equal(["source", "destination", "digest", "manifests", "blobsCopied", "blobsSkipped", "bytesCopied"], json.RootElement.PropertyNames());
            Assert.Equal(from, json.RootElement.GetProperty("source").GetString());
            Assert.Equal(to, json.RootElement.GetProperty("destination").GetString());
            Assert.Equal(demo.Digest, json.RootElement.GetProperty("digest").GetString());
            Assert.Equal(1, json.RootElement.GetProperty("manifests").GetInt32());
            from = to;
        }

        (await _cli.RunAsync("verify-integrity", from)).AssertExit(ExitCodes.Success);
    }

    [Fact]
    public async Task Copy_Table_PrintsOneSummaryLine()
    {
        using var temp = new TempDirectory();
        var to = $"oci:{temp["copy"]}:v1";

        var result = await _cli.RunAsync("copy", demo.Layout, to);

        result.AssertExit(ExitCodes.Success);
        Assert.Equal($"copied {demo.Layout} -> {to}: {demo.Digest}, 1 manifests, 4 blobs (3.9 KiB) sent, 0 already present", result.Stdout.TrimEnd());
    }

    [Fact]
    public async Task Copy_IntoLayoutThatHasTheBlobs_SkipsThem()
    {
        using var temp = new TempDirectory();
        (await _cli.RunAsync("copy", demo.Layout, $"oci:{temp["copy"]}:v1")).AssertExit(ExitCodes.Success);

        var result = await _cli.RunAsync("copy", demo.Layout, $"oci:{temp["copy"]}:v2", "-o", "json");

        result.AssertExit(ExitCodes.Success);
        using var json = result.Json();
        Assert.Equal(0, json.RootElement.GetProperty("blobsCopied").GetInt32());
        Assert.Equal(4, json.RootElement.GetProperty("blobsSkipped").GetInt32());
    }

    [Fact]
    public async Task Copy_TamperedSource_ExitsVerificationFailedNamesTheLayerAndTagsNothing()
    {
        using var temp = new TempDirectory();
        var directory = demo.CopyLayoutDirectory();
        DemoImageFixture.FlipBit(DemoImageFixture.BlobFile(directory, demo.Layers[1]));

        var destination = $"oci:{temp["out"]}:v1";

        var result = await _cli.RunAsync("copy", $"oci:{directory}:demo", destination);

        result.AssertExit(ExitCodes.VerificationFailed);
        result.AssertCleanError(demo.Layers[1], "does not match");
        Assert.False(File.Exists(Path.Combine(temp["out"], "index.json")), "a failed copy must not tag the image at the destination");
    }

    [Fact]
    public async Task Copy_MissingSource_ExitsInputError()
    {
        using var temp = new TempDirectory();

        var result = await _cli.RunAsync("copy", $"oci-archive:{temp["absent.tar"]}", $"oci:{temp["out"]}");

        result.AssertExit(ExitCodes.InputError);
        result.AssertCleanError(temp["absent.tar"]);
    }

    [Fact]
    public async Task Copy_PlatformAndAllPlatforms_ExitsUsage()
    {
        using var temp = new TempDirectory();

        var result = await _cli.RunAsync("copy", demo.Layout, $"oci:{temp["out"]}", "--platform", "linux/arm64", "--all-platforms");

        result.AssertExit(ExitCodes.Usage);
        result.AssertCleanError("--platform and --all-platforms");
    }

    public void Dispose() => _cli.Dispose();
}
