using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Signet.Images.Integrity;

namespace Signet.Cli.Tests;

/// <summary>
/// Keeps docs/cli.md and docs/error-codes.md true. Every <c>```sh</c> block in cli.md preceded by
/// <c>&lt;!-- test: exit=N [contains="TEXT"] --&gt;</c> is run, in document order, command by command, in a sandbox
/// where <c>/tmp/signet-demo</c> is a fresh temporary directory; each command must exit with N and print TEXT (stdout
/// or stderr). Only plain <c>signet ...</c> lines may be marked (no pipes or redirections).
/// </summary>
public sealed partial class DocsExamplesTests : IDisposable
{
    private const string DocumentedDemoDirectory = "/tmp/signet-demo";

    private static readonly string[] OfflineCommands =
    [
        "demo", "verify-integrity", "inspect", "copy", "logout",
        "generate-key-pair", "import-key-pair", "public-key", "sign-blob", "verify-blob", "verify-bundle",
    ];

    /// <summary>The passphrase docs/cli.md says its tested examples run with.</summary>
    private static readonly Dictionary<string, string?> ExampleEnvironment = new()
    {
        ["SIGNET_PASSWORD"] = "example-passphrase",
        ["COSIGN_PASSWORD"] = null,
    };

    private readonly CliRunner _cli = new();
    private readonly TempDirectory _sandbox = new();

    private static string Doc(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "docs", name);
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new FileNotFoundException($"docs/{name} is not in the test output; Signet.Cli.Tests.csproj links it as content", path);
    }

    internal sealed record Example(int Line, string Command, int Exit, string? Contains);

    internal static IReadOnlyList<Example> Examples(string markdown)
    {
        var examples = new List<Example>();
        foreach (Match block in TestedBlock().Matches(markdown))
        {
            var attributes = block.Groups["attributes"].Value;
            var exit = ExitAttribute().Match(attributes) is { Success: true } e
                ? int.Parse(e.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
                : throw new FormatException($"docs/cli.md line {LineOf(markdown, block.Index)}: a test marker needs exit=N");
            var contains = ContainsAttribute().Match(attributes) is { Success: true } c ? c.Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal) : null;
            var firstLine = LineOf(markdown, block.Groups["body"].Index);
            var lines = block.Groups["body"].Value.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.Length > 0 && !line.StartsWith('#'))
                {
                    examples.Add(new Example(firstLine + i, line, exit, contains));
                }
            }
        }

        return examples;
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    /// <summary>Splits a command line as a POSIX shell would for plain words and '...' or "..." quoting.</summary>
    internal static List<string> Split(string commandLine)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var ch in commandLine)
        {
            if (quote is { } q)
            {
                if (ch == q)
                {
                    quote = null;
                }
                else
                {
                    word.Append(ch);
                }
            }
            else if (ch is '\'' or '"')
            {
                quote = ch;
                inWord = true;
            }
            else if (char.IsWhiteSpace(ch))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else if (ch is '|' or '>' or '<' or ';' or '&' or '$' or '`')
            {
                throw new FormatException($"'{commandLine}': tested examples must be plain signet commands, without '{ch}'");
            }
            else
            {
                word.Append(ch);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            throw new FormatException($"'{commandLine}': unterminated quote");
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    [Fact]
    public async Task CliDoc_TestedExamples_ExitAsDocumented()
    {
        var markdown = Doc("cli.md");
        var examples = Examples(markdown);
        var sandboxDemo = Path.Combine(_sandbox.Path, "signet-demo");
        var documentedDigest = DemoDigest().Match(markdown) is { Success: true } d ? d.Groups[1].Value : null;
        string? actualDigest = null;
        var failures = new List<string>();
        foreach (var example in examples)
        {
            var words = Split(example.Command);
            Assert.True(words.Count > 0 && words[0] == "signet", $"docs/cli.md line {example.Line}: a tested example must start with 'signet': {example.Command}");
            var args = words.Skip(1)
                .Select(w => w.Replace(DocumentedDemoDirectory, sandboxDemo, StringComparison.Ordinal))
                .Select(w => documentedDigest is null || actualDigest is null ? w : w.Replace(documentedDigest, actualDigest, StringComparison.Ordinal))
                .ToArray();

            var result = await _cli.RunAsync(args, stdin: null, environment: ExampleEnvironment);

            if (args.Length > 0 && args[0] == "demo" && DemoDigest().Match(result.Stdout) is { Success: true } built)
            {
                actualDigest = built.Groups[1].Value;
            }

            var output = (result.Stdout + result.Stderr).Replace(sandboxDemo, DocumentedDemoDirectory, StringComparison.Ordinal);
            if (result.ExitCode != example.Exit)
            {
                failures.Add($"docs/cli.md line {example.Line}: '{example.Command}' documents exit code {example.Exit} but exited {result.ExitCode}\n{result}");
            }
            else if (example.Contains is { } expected && !output.Contains(expected, StringComparison.Ordinal))
            {
                failures.Add($"docs/cli.md line {example.Line}: '{example.Command}' documents output containing '{expected}', which it did not print\n{result}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public void CliDoc_TestedExamples_CoverEveryOfflineCommandAndExitCode()
    {
        var examples = Examples(Doc("cli.md"));

        Assert.True(examples.Count >= 20, $"only {examples.Count} tested examples in docs/cli.md");
        foreach (var command in OfflineCommands)
        {
            Assert.Contains(examples, e => Split(e.Command).ElementAtOrDefault(1) == command);
        }

        Assert.Equal([0, 1, 2, 3], examples.Select(e => e.Exit).Distinct().Order());
    }

    [Fact]
    public async Task CliDoc_EveryCommandAndOption_IsDocumented()
    {
        var markdown = Doc("cli.md");
        var root = await _cli.RunAsync("--help");
        root.AssertExit(ExitCodes.Success);
        var commands = HelpCommand().Matches(root.Stdout.Split("Commands:")[1]).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("verify-integrity", commands);

        foreach (var command in commands)
        {
            Assert.Contains($"\n## signet {command}\n", markdown, StringComparison.Ordinal);
            var help = await _cli.RunAsync(command, "--help");
            help.AssertExit(ExitCodes.Success);
            foreach (var option in HelpOption().Matches(help.Stdout).Select(m => m.Groups[1].Value).Distinct())
            {
                Assert.True(markdown.Contains($"`{option}", StringComparison.Ordinal), $"docs/cli.md does not document {option} of signet {command}");
            }
        }
    }

    [Fact]
    public void ErrorCodesDoc_EveryIntegrityCode_HasASection() => AssertEveryCodeDocumented(typeof(IntegrityCodes), IntegrityHeading(), 10, "INT1001");

    [Fact]
    public void ErrorCodesDoc_EveryBlobCode_HasASection() => AssertEveryCodeDocumented(typeof(Signet.Signing.Blobs.BlobCodes), BlobHeading(), 7, "BLB1004");

    [Fact]
    public void ErrorCodesDoc_EverySigstoreVerificationCode_HasASection() =>
        AssertEveryCodeDocumented(typeof(Signet.Sigstore.Verification.VerificationCodes), VerificationHeading(), 14, "SGV1001");

    /// <summary>
    /// Every constant of <paramref name="codesType"/> (there are <paramref name="count"/>) has a section in
    /// error-codes.md, in code order, and cli.md mentions <paramref name="mentionedInCli"/>.
    /// </summary>
    private static void AssertEveryCodeDocumented(Type codesType, Regex heading, int count, string mentionedInCli)
    {
        var markdown = Doc("error-codes.md");
        var codes = codesType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        var documented = heading.Matches(markdown).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(count, codes.Count);
        Assert.Equal(codes.Order(StringComparer.Ordinal), documented);
        Assert.Contains(mentionedInCli, Doc("cli.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorCodesDoc_EveryTufCode_HasASection()
    {
        var markdown = Doc("error-codes.md");
        var codes = typeof(Signet.Sigstore.Tuf.TufCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        var documented = TufHeading().Matches(markdown).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(10, codes.Count);
        Assert.Equal(codes.Order(StringComparer.Ordinal), documented);
    }

    [Fact]
    public void Docs_EveryExitCode_IsInBothTables()
    {
        var codes = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (int)f.GetRawConstantValue()!)
            .ToList();

        Assert.Equal([0, 1, 2, 3, 130], codes.Order());
        foreach (var doc in (string[])["cli.md", "error-codes.md"])
        {
            var markdown = Doc(doc);
            foreach (var code in codes)
            {
                Assert.True(markdown.Contains($"\n| {code} | ", StringComparison.Ordinal), $"docs/{doc} has no exit code table row for {code}");
            }
        }
    }

    [Theory]
    [InlineData("signet verify-integrity oci:/x:demo --output json", new[] { "signet", "verify-integrity", "oci:/x:demo", "--output", "json" })]
    [InlineData("signet copy 'oci:/a b:v1' \"oci:/c:v2\"", new[] { "signet", "copy", "oci:/a b:v1", "oci:/c:v2" })]
    public void Split_PlainCommand_GivesShellWords(string commandLine, string[] expected) =>
        Assert.Equal(expected, Split(commandLine));

    [Theory]
    [InlineData("signet inspect oci:/x --raw | sha256sum")]
    [InlineData("signet inspect $IMAGE")]
    [InlineData("signet inspect 'oci:/x")]
    public void Split_ShellSyntax_IsRefused(string commandLine) =>
        Assert.Throws<FormatException>(() => Split(commandLine));

    [GeneratedRegex("<!-- test:(?<attributes>[^>]*)-->\\s*\\n```sh\\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex TestedBlock();

    [GeneratedRegex("\\bexit=(\\d+)")]
    private static partial Regex ExitAttribute();

    [GeneratedRegex("\\bcontains=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex ContainsAttribute();

    [GeneratedRegex("built oci:[^ ]+: (sha256:[0-9a-f]{64})")]
    private static partial Regex DemoDigest();

    [GeneratedRegex("^  ([a-z][a-z-]*)\\b", RegexOptions.Multiline)]
    private static partial Regex HelpCommand();

    [GeneratedRegex("(--[a-z][a-z-]*)")]
    private static partial Regex HelpOption();

    [GeneratedRegex("^### (TUF\\d{4}):", RegexOptions.Multiline)]
    private static partial Regex TufHeading();

    [GeneratedRegex("^### (INT\\d{4}):", RegexOptions.Multiline)]
    private static partial Regex IntegrityHeading();

    [GeneratedRegex("^### (BLB\\d{4}):", RegexOptions.Multiline)]
    private static partial Regex BlobHeading();

    [GeneratedRegex("^### (SGV\\d{4}):", RegexOptions.Multiline)]
    private static partial Regex VerificationHeading();

    public void Dispose()
    {
        _cli.Dispose();
        _sandbox.Dispose();
    }
}
