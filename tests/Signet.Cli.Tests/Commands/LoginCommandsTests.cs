using System.Text;
using System.Text.Json;
using Signet.Testing.Registry;

namespace Signet.Cli.Tests.Commands;

/// <summary>login, logout and stored credentials against a real registry with htpasswd Basic authentication.</summary>
public sealed class LoginCommandsTests(DemoImageFixture demo, HtpasswdRegistryFixture fixture)
    : IClassFixture<DemoImageFixture>, IClassFixture<HtpasswdRegistryFixture>, IDisposable
{
    private readonly CliRunner _cli = new();

    private RegistryProcess Registry => fixture.Registry;

    private string ConfigFile => Path.Combine(_cli.DockerConfigDirectory, "config.json");

    private Task<CliResult> LoginAsync(string password) =>
        _cli.RunAsync(["login", Registry.Host, "--username", RegistryProcess.HtpasswdUser, "--password-stdin"], stdin: password + "\n");

    /// <summary>Pushes the demo image with explicit credentials (no stored ones), as CI would.</summary>
    private async Task<string> PushAsync(string repository)
    {
        var image = $"docker://{Registry.Host}/{repository}";
        using var pusher = new CliRunner();
        var push = await pusher.RunAsync(["copy", demo.Layout, image, "--username", RegistryProcess.HtpasswdUser, "--password-stdin"], stdin: RegistryProcess.HtpasswdPassword);
        push.AssertExit(ExitCodes.Success);
        return image;
    }

    [Fact]
    public async Task Login_RightPassword_StoresCredentialsInConfigJsonWithMode0600()
    {
        var result = await LoginAsync(RegistryProcess.HtpasswdPassword);

        result.AssertExit(ExitCodes.Success);
        Assert.Equal($"login succeeded for {Registry.Host}; credentials stored in {ConfigFile}", result.Stdout.TrimEnd());
        Assert.True(File.Exists(ConfigFile), result.ToString());
        CliAssert.AssertOwnerReadWriteOnly(ConfigFile);
        using var config = JsonDocument.Parse(File.ReadAllBytes(ConfigFile));
        var auth = config.RootElement.GetProperty("auths").GetProperty(Registry.Host).GetProperty("auth").GetString()!;
        Assert.Equal($"{RegistryProcess.HtpasswdUser}:{RegistryProcess.HtpasswdPassword}", Encoding.UTF8.GetString(Convert.FromBase64String(auth)));
        Assert.DoesNotContain(RegistryProcess.HtpasswdPassword, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongPassword_FailsClearlyAndStoresNothing()
    {
        var result = await LoginAsync("not-the-password");

        result.AssertExit(ExitCodes.InputError);
        result.AssertCleanError(Registry.Host);
        Assert.Contains("credentials", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("not-the-password", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(ConfigFile));
    }

    [Fact]
    public async Task Login_WithoutPasswordStdin_ExitsUsage()
    {
        var result = await _cli.RunAsync("login", Registry.Host, "--username", RegistryProcess.HtpasswdUser);

        result.AssertExit(ExitCodes.Usage);
        result.AssertCleanError("--password-stdin");
        Assert.False(File.Exists(ConfigFile));
    }

    [Fact]
    public async Task Login_EmptyStdin_ExitsInputErrorNamingTheFix()
    {
        var result = await _cli.RunAsync(["login", Registry.Host, "--username", RegistryProcess.HtpasswdUser, "--password-stdin"], stdin: string.Empty);

        result.AssertExit(ExitCodes.InputError);
        result.AssertCleanError("stdin was empty");
        Assert.False(File.Exists(ConfigFile));
    }

    [Fact]
    public async Task Inspect_WithoutCredentials_FailsClearly()
    {
        var image = await PushAsync("cli/private:v1");

        var result = await _cli.RunAsync("inspect", image);

        result.AssertExit(ExitCodes.InputError);
        result.AssertCleanError(Registry.Host);
    }

    [Fact]
    public async Task LoginInspectLogout_StoredCredentials_AreUsedThenRemoved()
    {
        var image = await PushAsync("cli/stored:v1");
        (await LoginAsync(RegistryProcess.HtpasswdPassword)).AssertExit(ExitCodes.Success);

        var inspect = await _cli.RunAsync("inspect", image, "--output", "json");
        var verify = await _cli.RunAsync("verify-integrity", image);

        inspect.AssertExit(ExitCodes.Success);
        using (var json = inspect.Json())
        {
            Assert.Equal(demo.Digest, json.RootElement.GetProperty("digest").GetString());
        }

        verify.AssertExit(ExitCodes.Success);

        var logout = await _cli.RunAsync("logout", Registry.Host);

        logout.AssertExit(ExitCodes.Success);
        Assert.Equal($"removed credentials for {Registry.Host}", logout.Stdout.TrimEnd());
        using (var config = JsonDocument.Parse(File.ReadAllBytes(ConfigFile)))
        {
            Assert.False(config.RootElement.TryGetProperty("auths", out var auths) && auths.TryGetProperty(Registry.Host, out _));
        }

        CliAssert.AssertOwnerReadWriteOnly(ConfigFile);
        (await _cli.RunAsync("inspect", image)).AssertExit(ExitCodes.InputError);
        var again = await _cli.RunAsync("logout", Registry.Host);
        again.AssertExit(ExitCodes.Success);
        Assert.Equal($"no stored credentials for {Registry.Host}", again.Stdout.TrimEnd());
    }

    [Fact]
    public async Task Login_KeepsOtherConfigMembers()
    {
        Directory.CreateDirectory(_cli.DockerConfigDirectory);
        await File.WriteAllTextAsync(ConfigFile, """{"auths":{"other.example":{"auth":"b3RoZXI6c2VjcmV0"}},"detachKeys":"ctrl-q"}""");

        (await LoginAsync(RegistryProcess.HtpasswdPassword)).AssertExit(ExitCodes.Success);

        using var config = JsonDocument.Parse(File.ReadAllBytes(ConfigFile));
        Assert.Equal("ctrl-q", config.RootElement.GetProperty("detachKeys").GetString());
        Assert.True(config.RootElement.GetProperty("auths").TryGetProperty("other.example", out _));
        Assert.True(config.RootElement.GetProperty("auths").TryGetProperty(Registry.Host, out _));
    }

    public void Dispose() => _cli.Dispose();
}
