using System.Security.Cryptography;

namespace Signet.Cli.Tests.Commands;

/// <summary>
/// The keyless options of verify and verify-attestation: a key or an identity (never both, never neither), issuer and
/// identity each given once, exact or as a regular expression. Every wrong combination is a usage error (exit 2) that
/// names the fix, found before any image, key store or trusted root is read.
/// </summary>
public sealed class KeylessOptionsTests : IDisposable
{
    private const string Image = "oci:/nonexistent/signet-keyless-options:demo";
    private const string Identity = "--certificate-identity";
    private const string Issuer = "--certificate-oidc-issuer";
    private readonly CliRunner _cli = new();
    private readonly TempDirectory _keys = new();

    public void Dispose()
    {
        _cli.Dispose();
        _keys.Dispose();
    }

    private string PublicKey()
    {
        var path = Path.Combine(_keys.Path, "a.pub");
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(path, ecdsa.ExportSubjectPublicKeyInfoPem());
        return path;
    }

    public static TheoryData<string, string[], string> UsageErrors => new()
    {
        { "verify", [], "give --key, or --certificate-identity" },
        { "verify-attestation", [], "give --key, or --certificate-identity" },
        { "verify", ["--certificate-identity", "a@example.test"], "give exactly one of --certificate-oidc-issuer and --certificate-oidc-issuer-regexp" },
        { "verify", ["--certificate-oidc-issuer", "https://issuer.example.test"], "give exactly one of --certificate-identity and --certificate-identity-regexp" },
        { "verify-attestation", ["--certificate-identity-regexp", ".*@example.test"], "give exactly one of --certificate-oidc-issuer and --certificate-oidc-issuer-regexp" },
        { "verify", [Identity, "a@example.test", "--certificate-identity-regexp", "a@.*", Issuer, "https://i.test"], "give exactly one of --certificate-identity and --certificate-identity-regexp" },
        { "verify", [Identity, "a@example.test", Issuer, "https://i.test", "--certificate-oidc-issuer-regexp", "https://.*"], "give exactly one of --certificate-oidc-issuer and --certificate-oidc-issuer-regexp" },
        { "verify", ["--certificate-identity-regexp", "a@(", Issuer, "https://i.test"], "--certificate-identity-regexp 'a@(' is not a valid regular expression" },
        { "verify-attestation", [Identity, "a@example.test", "--certificate-oidc-issuer-regexp", "[", ], "--certificate-oidc-issuer-regexp '[' is not a valid regular expression" },
        { "verify", ["--certificate-github-workflow-repository", "octo/app"], "give them with --certificate-identity[-regexp] and --certificate-oidc-issuer[-regexp]" },
        { "verify", [Identity, "a@example.test", Issuer, "https://i.test", "--threshold", "2"], "--threshold 2 counts distinct keys and needs --key" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task Verify_WrongIdentityOptions_ExitsTwoNamingTheFix(string command, string[] options, string message)
    {
        var result = await _cli.RunAsync([command, .. options, Image]);

        result.AssertExit(ExitCodes.Usage);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("verify-attestation")]
    public async Task Verify_KeyAndIdentity_ExitsTwo(string command)
    {
        var result = await _cli.RunAsync(command, "--key", PublicKey(), Identity, "a@example.test", Issuer, "https://i.test", Image);

        result.AssertExit(ExitCodes.Usage);
        Assert.Contains("--key and the --certificate-* identity options exclude each other", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TrustedRootWithKey_ExitsTwo()
    {
        var result = await _cli.RunAsync("verify", "--key", PublicKey(), "--trusted-root", Path.Combine(_keys.Path, "trusted_root.json"), Image);

        result.AssertExit(ExitCodes.Usage);
        Assert.Contains("--trusted-root is for keyless verification", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MissingTrustedRootFile_ExitsThreeNamingIt()
    {
        var missing = Path.Combine(_keys.Path, "missing-trusted_root.json");

        var result = await _cli.RunAsync("verify", Identity, "a@example.test", Issuer, "https://i.test", "--trusted-root", missing, Image);

        result.AssertExit(ExitCodes.InputError);
        Assert.Contains(missing, result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("verify-attestation")]
    public async Task Help_KeylessOptions_AreListedAndTlogOptOutSaysUnsafe(string command)
    {
        var help = await _cli.RunAsync(command, "--help");

        help.AssertExit(ExitCodes.Success);
        foreach (var option in new[]
        {
            "--certificate-identity", "--certificate-identity-regexp", "--certificate-oidc-issuer", "--certificate-oidc-issuer-regexp",
            "--certificate-github-workflow-trigger", "--certificate-github-workflow-sha", "--certificate-github-workflow-name",
            "--certificate-github-workflow-repository", "--certificate-github-workflow-ref", "--trusted-root", "--insecure-ignore-tlog",
        })
        {
            Assert.Contains(option, help.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("UNSAFE", help.Stdout, StringComparison.Ordinal);
    }
}
