namespace Signet.Cli.Tests;

/// <summary>The command tree as a whole: help, version, and command lines that do not parse.</summary>
public sealed class ProgramTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public static TheoryData<string, string, string[]> Commands => new()
    {
        { "verify-integrity", "Prove an image's integrity", ["<image>", "--platform", "--all-platforms", "--parallelism", "--output", "table|json", "--insecure-registry", "--ca-cert", "--username", "--password-stdin"] },
        { "inspect", "Show an image", ["<image>", "--platform", "--raw", "--output", "table|json", "--insecure-registry", "--ca-cert", "--username", "--password-stdin"] },
        { "copy", "Copy an image between any two transports", ["<source>", "<destination>", "--platform", "--all-platforms", "--with-referrers", "--output", "--insecure-registry", "--ca-cert", "--username", "--password-stdin"] },
        { "login", "Check credentials against a registry and store them", ["<registry>", "--username", "--password-stdin", "--insecure-registry", "--ca-cert"] },
        { "logout", "Remove a registry's stored credentials", ["<registry>"] },
        { "demo", "end to end offline", ["--dir"] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_EveryCommand_DescribesPurposeAndOptions(string command, string purpose, string[] options)
    {
        var result = await _cli.RunAsync(command, "--help");

        result.AssertExit(ExitCodes.Success);
        Assert.Contains(purpose, result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"signet {command}", result.Stdout, StringComparison.Ordinal);
        foreach (var option in options)
        {
            Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
        }

        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task Help_Root_ListsEveryCommandAndTransport()
    {
        var result = await _cli.RunAsync("--help");

        result.AssertExit(ExitCodes.Success);
        foreach (var command in Commands.Select(row => (string)row[0]))
        {
            Assert.Contains($"  {command}", result.Stdout, StringComparison.Ordinal);
        }

        foreach (var transport in (string[])["oci:DIR[:TAG]", "oci-archive:FILE[:TAG]", "docker-archive:FILE[:REF]", "docker://REF"])
        {
            Assert.Contains(transport, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Version_Always_PrintsVersionAndExitsZero()
    {
        var result = await _cli.RunAsync("--version");

        result.AssertExit(ExitCodes.Success);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Stdout);
    }

    [Fact]
    public async Task Parse_NoCommand_ExitsUsage()
    {
        var result = await _cli.RunAsync();

        result.AssertExit(ExitCodes.Usage);
        Assert.Contains("Required command was not provided", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("signet --help", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_UnknownOption_ExitsUsageNamingIt()
    {
        var result = await _cli.RunAsync("verify-integrity", "oci:/nowhere:v1", "--bogus");

        result.AssertExit(ExitCodes.Usage);
        Assert.Contains("--bogus", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("signet verify-integrity --help", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Parse_MissingArgument_ExitsUsage()
    {
        var result = await _cli.RunAsync("verify-integrity");

        result.AssertExit(ExitCodes.Usage);
        Assert.Contains("image", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yaml")]
    [InlineData("")]
    public async Task Parse_UnknownOutputFormat_ExitsUsageNamingTheChoices(string format)
    {
        var result = await _cli.RunAsync("verify-integrity", "oci:/nowhere:v1", "--output", format);

        result.AssertExit(ExitCodes.Usage);
        Assert.Contains("table", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("json", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Signet.Cli", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("JSON")]
    [InlineData("Json")]
    public async Task Parse_OutputFormatAnyCase_IsAccepted(string format)
    {
        var result = await _cli.RunAsync("verify-integrity", "oci:/nowhere/signet-cli-test:v1", "--output", format);

        // The format parses; the image then is missing (input error), not a usage error.
        result.AssertExit(ExitCodes.InputError);
    }

    public void Dispose() => _cli.Dispose();
}
