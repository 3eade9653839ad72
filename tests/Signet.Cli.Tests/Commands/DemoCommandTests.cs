namespace Signet.Cli.Tests.Commands;

public sealed class DemoCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Demo_NewDirectory_ExitsZeroAndSaysDemoComplete()
    {
        var dir = _temp["demo"];

        var result = await _cli.RunAsync("demo", "--dir", dir);

        result.AssertExit(ExitCodes.Success);
        Assert.Contains("demo complete", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, result.Stdout.Split("same digest").Length - 1);
        Assert.Contains("INT1001", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(result.Stderr);
        Assert.True(Directory.Exists(Path.Combine(dir, "layout", "blobs")));
        Assert.True(File.Exists(Path.Combine(dir, "demo-docker.tar")));
        Assert.True(File.Exists(Path.Combine(dir, "demo-oci.tar")));
    }

    [Fact]
    public async Task Demo_ItsOwnDirectoryAgain_EmptiesItAndExitsZero()
    {
        var dir = _temp["demo"];
        (await _cli.RunAsync("demo", "--dir", dir)).AssertExit(ExitCodes.Success);
        var leftover = Path.Combine(dir, "leftover.txt");
        await File.WriteAllTextAsync(leftover, "from an earlier run");

        var result = await _cli.RunAsync("demo", "--dir", dir);

        result.AssertExit(ExitCodes.Success);
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public async Task Demo_NonEmptyDirectoryItDidNotMake_RefusesAndKeepsTheFiles()
    {
        var precious = _temp["precious.txt"];
        await File.WriteAllTextAsync(precious, "not the demo's");

        var result = await _cli.RunAsync("demo", "--dir", _temp.Path);

        result.AssertExit(ExitCodes.Usage);
        result.AssertCleanError(_temp.Path, "not empty");
        Assert.True(File.Exists(precious));
    }

    [Fact]
    public async Task Demo_UnmarkedDirectoryOfAnOlderDemo_IsEmptied()
    {
        Directory.CreateDirectory(_temp["layout"]);
        await File.WriteAllTextAsync(_temp["demo-oci.tar"], "left by a demo that wrote no marker");

        var result = await _cli.RunAsync("demo", "--dir", _temp.Path);

        result.AssertExit(ExitCodes.Success);
        Assert.True(File.Exists(_temp[".signet-demo"]));
    }

    [Fact]
    public async Task Demo_EmptyDirectory_IsUsed()
    {
        var result = await _cli.RunAsync("demo", "--dir", _temp.Path);

        result.AssertExit(ExitCodes.Success);
    }

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }
}
