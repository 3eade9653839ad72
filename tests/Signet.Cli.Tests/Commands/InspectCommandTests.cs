using System.Security.Cryptography;

namespace Signet.Cli.Tests.Commands;

public sealed class InspectCommandTests(DemoImageFixture demo) : IClassFixture<DemoImageFixture>, IDisposable
{
    private readonly CliRunner _cli = new();

    [Fact]
    public async Task Inspect_Json_ShowsDigestConfigAndLayers()
    {
        var result = await _cli.RunAsync("inspect", demo.Layout, "--output", "json");

        result.AssertExit(ExitCodes.Success);
        using var json = result.Json();
        var root = json.RootElement;
        Assert.Equal(["name", "digest", "mediaType", "size", "manifestDigest", "config", "layers", "referrers"], root.PropertyNames());
        Assert.Equal(demo.Layout, root.GetProperty("name").GetString());
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", root.GetProperty("mediaType").GetString());
        Assert.Equal(demo.Digest, root.GetProperty("manifestDigest").GetString());
        var config = root.GetProperty("config");
        Assert.Equal("linux/amd64", config.GetProperty("platform").GetString());
        Assert.Equal(["/usr/local/bin/hello"], config.GetProperty("cmd").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("signet-demo", config.GetProperty("labels").GetProperty("org.opencontainers.image.title").GetString());
        var layers = root.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(demo.Layers, layers.Select(l => l.GetProperty("digest").GetString()));
        Assert.Equal(["base files", "add hello and data", "update motd"], layers.Select(l => l.GetProperty("createdBy").GetString()));
        Assert.All(layers, l => Assert.StartsWith("sha256:", l.GetProperty("diffId").GetString(), StringComparison.Ordinal));
        Assert.Empty(root.GetProperty("referrers").EnumerateArray());
    }

    [Fact]
    public async Task Inspect_Raw_BytesHashToTheDigest()
    {
        var result = await _cli.RunAsync("inspect", demo.Layout, "--raw");

        result.AssertExit(ExitCodes.Success);
        Assert.Equal(demo.Digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(result.StdoutBytes)));
        using var json = result.Json();
        Assert.Equal(2, json.RootElement.GetProperty("schemaVersion").GetInt32());
    }

    [Fact]
    public async Task Inspect_RawFromDockerArchive_BytesHashToTheSameDigest()
    {
        var result = await _cli.RunAsync("inspect", demo.DockerArchive, "--raw");

        result.AssertExit(ExitCodes.Success);
        Assert.Equal(demo.Digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(result.StdoutBytes)));
    }

    [Fact]
    public async Task Inspect_Table_ShowsDigestLayersAndHistory()
    {
        var result = await _cli.RunAsync("inspect", demo.Layout);

        result.AssertExit(ExitCodes.Success);
        Assert.Contains(demo.Digest, result.Stdout, StringComparison.Ordinal);
        Assert.Contains("linux/amd64", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("/usr/local/bin/hello", result.Stdout, StringComparison.Ordinal);
        foreach (var layer in demo.Layers)
        {
            Assert.Contains(layer, result.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("add hello and data", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("referrers: none", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_MissingPath_ExitsInputError()
    {
        using var temp = new TempDirectory();

        var result = await _cli.RunAsync("inspect", $"oci:{temp["absent"]}:v1");

        result.AssertExit(ExitCodes.InputError);
        result.AssertCleanError(temp["absent"]);
    }

    public void Dispose() => _cli.Dispose();
}
