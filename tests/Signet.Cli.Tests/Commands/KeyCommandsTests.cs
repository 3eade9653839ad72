using System.Diagnostics;
using Signet.Crypto.KeyFiles;

namespace Signet.Cli.Tests.Commands;

public sealed class KeyCommandsTests : IDisposable
{
    private const string Passphrase = "correct horse";

    private static readonly Dictionary<string, string?> WithPassphrase = new() { ["SIGNET_PASSWORD"] = Passphrase, ["COSIGN_PASSWORD"] = null };
    private static readonly Dictionary<string, string?> NoPassphrase = new() { ["SIGNET_PASSWORD"] = null, ["COSIGN_PASSWORD"] = null };

    private readonly CliRunner _cli = new();
    private readonly TempDirectory _dir = new();

    private Task<CliResult> RunAsync(Dictionary<string, string?> environment, params string[] args) =>
        _cli.RunAsync(args, stdin: null, environment: environment);

    [Theory]
    [InlineData("ecdsa-p256", "EcdsaP256")]
    [InlineData("ecdsa-p384", "EcdsaP384")]
    [InlineData("ecdsa-p521", "EcdsaP521")]
    [InlineData("rsa-2048", "Rsa2048")]
    [InlineData("ed25519", "Ed25519")]
    public async Task GenerateKeyPair_Algorithm_WritesCosignFiles(string name, string algorithm)
    {
        var prefix = _dir["key"];

        var result = await RunAsync(WithPassphrase, "generate-key-pair", "--algorithm", name, "--output-key-prefix", prefix);

        result.AssertExit(ExitCodes.Success);
        Assert.Contains($"private key written to {prefix}.key", result.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----", await File.ReadAllTextAsync(prefix + ".key"), StringComparison.Ordinal);
        CliAssert.AssertOwnerReadWriteOnly(prefix + ".key");
        var publicKey = PublicKeyPem.Parse(await File.ReadAllTextAsync(prefix + ".pub"), prefix + ".pub");
        Assert.Equal(algorithm, publicKey.Algorithm.ToString());
        using var key = await KeyPairFiles.ReadPrivateKeyAsync(prefix + ".key", new Crypto.Passphrases.FixedPassphraseSource(Passphrase));
        Assert.Equal(publicKey.SubjectPublicKeyInfo.ToArray(), key.PublicKey.SubjectPublicKeyInfo.ToArray());
    }

    [Fact]
    public async Task GenerateKeyPair_ExistingFiles_RefusedWithoutForce()
    {
        var prefix = _dir["key"];
        (await RunAsync(WithPassphrase, "generate-key-pair", "--output-key-prefix", prefix)).AssertExit(ExitCodes.Success);
        var before = await File.ReadAllTextAsync(prefix + ".key");

        var refused = await RunAsync(WithPassphrase, "generate-key-pair", "--output-key-prefix", prefix);
        var forced = await RunAsync(WithPassphrase, "generate-key-pair", "--output-key-prefix", prefix, "--force");

        refused.AssertExit(ExitCodes.InputError);
        refused.AssertCleanError($"{prefix}.key already exists", "nothing was written");
        forced.AssertExit(ExitCodes.Success);
        Assert.NotEqual(before, await File.ReadAllTextAsync(prefix + ".key"));
    }

    [Fact]
    public async Task GenerateKeyPair_DefaultPrefix_IsCosignInTheWorkingDirectory()
    {
        var result = await RunAsync(WithPassphrase, "generate-key-pair");

        result.AssertExit(ExitCodes.Success);
        Assert.True(File.Exists(Path.Combine(_cli.Home, "cosign.key")));
        Assert.True(File.Exists(Path.Combine(_cli.Home, "cosign.pub")));
    }

    [Fact]
    public async Task GenerateKeyPair_NoPassphraseAndNoTerminal_SaysToSetSignetPassword()
    {
        var result = await RunAsync(NoPassphrase, "generate-key-pair", "--output-key-prefix", _dir["key"]);

        result.AssertExit(ExitCodes.InputError);
        result.AssertCleanError("set SIGNET_PASSWORD");
        Assert.False(File.Exists(_dir["key.key"]));
    }

    [Fact]
    public async Task GenerateKeyPair_EmptyPassphrase_IsAllowedAsCosignDoes()
    {
        var prefix = _dir["key"];

        var result = await RunAsync(new() { ["SIGNET_PASSWORD"] = "" }, "generate-key-pair", "--output-key-prefix", prefix);

        result.AssertExit(ExitCodes.Success);
        using var key = await KeyPairFiles.ReadPrivateKeyAsync(prefix + ".key", new Crypto.Passphrases.FixedPassphraseSource(""));
    }

    [Fact]
    public async Task GenerateKeyPair_UnknownAlgorithm_IsAUsageError()
    {
        var result = await RunAsync(WithPassphrase, "generate-key-pair", "--algorithm", "dsa-1024");

        result.AssertExit(ExitCodes.Usage);
        Assert.Contains("--algorithm must be one of ecdsa-p256", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateKeyPair_TerminalPrompt_AsksTwiceWithoutEcho()
    {
        // A real pseudo-terminal through util-linux script(1): stdin is a terminal, so the prompt is used.
        var prefix = _dir["tty"];
        var (exit, output) = await RunInTerminalAsync($"generate-key-pair --output-key-prefix {prefix}", "s3cret\rs3cret\r");

        Assert.True(exit == 0, output);
        Assert.Contains("Enter passphrase for the new key", output, StringComparison.Ordinal);
        Assert.Contains("Enter the passphrase again", output, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", output, StringComparison.Ordinal);
        using var key = await KeyPairFiles.ReadPrivateKeyAsync(prefix + ".key", new Crypto.Passphrases.FixedPassphraseSource("s3cret"));
    }

    [Fact]
    public async Task GenerateKeyPair_TerminalPromptsDiffer_WritesNothing()
    {
        var prefix = _dir["tty"];
        var (exit, output) = await RunInTerminalAsync($"generate-key-pair --output-key-prefix {prefix}", "one\rtwo\r");

        Assert.True(exit == ExitCodes.InputError, output);
        Assert.Contains("the two passphrases differ", output, StringComparison.Ordinal);
        Assert.False(File.Exists(prefix + ".key"));
    }

    [Fact]
    public async Task ImportKeyPair_OpenSslKeys_WritesCosignPairWithTheSamePublicKey()
    {
        // PKCS#8 (PRIVATE KEY), SEC1 (EC PRIVATE KEY) and PKCS#1 (RSA PRIVATE KEY), as OpenSSL writes them.
        foreach (var (name, args) in new[]
        {
            ("pkcs8", new[] { "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out" }),
            ("sec1", new[] { "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out" }),
            ("pkcs1", new[] { "genrsa", "-traditional", "-out" }),
        })
        {
            var source = _dir[$"{name}.pem"];
            Tool("openssl", [.. args, source, .. name == "pkcs1" ? new[] { "2048" } : []]);
            var prefix = _dir[$"imported-{name}"];

            var result = await RunAsync(WithPassphrase, "import-key-pair", "--key", source, "--output-key-prefix", prefix);

            result.AssertExit(ExitCodes.Success);
            var expected = Tool("openssl", "pkey", "-in", source, "-pubout");
            Assert.Equal(expected.Trim(), (await File.ReadAllTextAsync(prefix + ".pub")).Trim());
            var shown = await RunAsync(WithPassphrase, "public-key", "--key", prefix + ".key");
            shown.AssertExit(ExitCodes.Success);
            Assert.Equal(expected.Trim(), shown.Stdout.Trim());
        }
    }

    [Fact]
    public async Task ImportKeyPair_MissingFile_IsAnInputError()
    {
        var result = await RunAsync(WithPassphrase, "import-key-pair", "--key", _dir["absent.pem"]);

        result.AssertExit(ExitCodes.InputError);
        result.AssertCleanError("no such key file");
    }

    [Fact]
    public async Task ImportKeyPair_NotAKey_IsAnInputError()
    {
        await File.WriteAllTextAsync(_dir["junk.pem"], "hello\n");

        var result = await RunAsync(WithPassphrase, "import-key-pair", "--key", _dir["junk.pem"]);

        result.AssertExit(ExitCodes.InputError);
        result.AssertCleanError(_dir["junk.pem"]);
    }

    [Fact]
    public async Task PublicKey_EnvironmentReferenceAndPublicFile_PrintThePem()
    {
        var prefix = _dir["key"];
        (await RunAsync(WithPassphrase, "generate-key-pair", "--output-key-prefix", prefix)).AssertExit(ExitCodes.Success);
        var pub = await File.ReadAllTextAsync(prefix + ".pub");

        var fromEnv = await RunAsync(new(WithPassphrase) { ["SIGNET_TEST_KEY"] = await File.ReadAllTextAsync(prefix + ".key") }, "public-key", "--key", "env://SIGNET_TEST_KEY");
        var fromPub = await RunAsync(NoPassphrase, "public-key", "--key", prefix + ".pub");

        fromEnv.AssertExit(ExitCodes.Success);
        Assert.Equal(pub, fromEnv.Stdout);
        fromPub.AssertExit(ExitCodes.Success);
        Assert.Equal(pub, fromPub.Stdout);
    }

    [Fact]
    public async Task PublicKey_WrongPassphrase_IsAnInputError()
    {
        var prefix = _dir["key"];
        (await RunAsync(WithPassphrase, "generate-key-pair", "--output-key-prefix", prefix)).AssertExit(ExitCodes.Success);

        var result = await RunAsync(new() { ["SIGNET_PASSWORD"] = "wrong" }, "public-key", "--key", prefix + ".key");

        result.AssertExit(ExitCodes.InputError);
        result.AssertCleanError(prefix + ".key");
    }

    [Theory]
    [InlineData("awskms:///alias/release", "not supported")]
    [InlineData("env://1BAD", "does not name an environment variable")]
    public async Task PublicKey_UnsupportedReference_IsAUsageError(string reference, string message)
    {
        var result = await RunAsync(NoPassphrase, "public-key", "--key", reference);

        result.AssertExit(ExitCodes.Usage);
        result.AssertCleanError(message);
    }

    private async Task<(int ExitCode, string Output)> RunInTerminalAsync(string arguments, string typed)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _cli.Home,
        };
        foreach (var arg in (string[])["-q", "-e", "-c", $"{dotnet} {CliRunner.SignetDll} {arguments}", "/dev/null"])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("SIGNET_PASSWORD");
        start.Environment.Remove("COSIGN_PASSWORD");
        start.Environment["HOME"] = _cli.Home;
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        foreach (var ch in typed)
        {
            // One keystroke at a time, after the program has started reading.
            await Task.Delay(ch == typed[0] ? 3000 : 20);
            await process.StandardInput.WriteAsync(ch);
            await process.StandardInput.FlushAsync();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Tool(string name, params string[] args)
    {
        var start = new ProcessStartInfo(name) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{name} failed: {errors}");
    }

    public void Dispose()
    {
        _cli.Dispose();
        _dir.Dispose();
    }
}
