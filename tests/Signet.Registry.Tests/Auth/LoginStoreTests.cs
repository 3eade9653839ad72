using System.Text.Json.Nodes;
using Signet.Registry.Auth;
using Signet.Testing;
using static Signet.Registry.Tests.Auth.AuthTestData;

namespace Signet.Registry.Tests.Auth;

public sealed class LoginStoreTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string ConfigPath => _temp.Combine("home", ".docker", "config.json");

    [Fact]
    public async Task StoreAsync_NoConfig_CreatesFileWithMode0600AndRoundTrips()
    {
        var options = Options(_temp);
        var store = new LoginStore(options);

        var where = await store.StoreAsync("https://registry.example.com:5000/", Credential.Basic("alice", "pw:1"));
        var credential = await new DockerCredentialProvider(options).GetAsync("registry.example.com:5000");

        Assert.Equal(ConfigPath, where);
        Assert.Equal("alice", credential?.Username);
        Assert.Equal("pw:1", credential?.Password);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));
        }

        Assert.Equal(["config.json"], Directory.GetFiles(Path.GetDirectoryName(ConfigPath)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task StoreAsync_ExistingConfig_KeepsOtherMembersAndHosts()
    {
        _temp.Write("home/.docker/config.json", """
            {
              "auths": { "other.example": { "auth": "@bob:x@" }, "https://r.example/v2/": { "auth": "@stale:x@" } },
              "proxies": { "default": { "httpProxy": "http://proxy:3128" } },
              "detachKeys": "ctrl-e,e"
            }
            """);
        var store = new LoginStore(Options(_temp));

        await store.StoreAsync("r.example", Credential.Basic("alice", "pw"));

        var root = JsonNode.Parse(File.ReadAllText(ConfigPath))!;
        Assert.Equal("http://proxy:3128", (string?)root["proxies"]!["default"]!["httpProxy"]);
        Assert.Equal("ctrl-e,e", (string?)root["detachKeys"]);
        Assert.Equal(Base64("bob:x"), (string?)root["auths"]!["other.example"]!["auth"]);
        Assert.Equal(Base64("alice:pw"), (string?)root["auths"]!["r.example"]!["auth"]);
        Assert.Null(root["auths"]!["https://r.example/v2/"]);
    }

    [Fact]
    public async Task StoreAsync_DockerHub_UsesLegacyKey()
    {
        await new LoginStore(Options(_temp)).StoreAsync("registry-1.docker.io", Credential.FromIdentityToken("idt"));

        var root = JsonNode.Parse(File.ReadAllText(ConfigPath))!;
        Assert.Equal("idt", (string?)root["auths"]!["https://index.docker.io/v1/"]!["identitytoken"]);
    }

    [Fact]
    public async Task EraseAsync_StoredHost_RemovesOnlyThatHost()
    {
        var options = Options(_temp);
        var store = new LoginStore(options);
        await store.StoreAsync("a.example", Credential.Basic("a", "1"));
        await store.StoreAsync("b.example", Credential.Basic("b", "2"));

        Assert.True(await store.EraseAsync("a.example"));
        Assert.False(await store.EraseAsync("a.example"));

        var provider = new DockerCredentialProvider(options);
        Assert.Null(await provider.GetAsync("a.example"));
        Assert.Equal("b", (await provider.GetAsync("b.example"))?.Username);
    }

    [Fact]
    public async Task EraseAsync_NoConfig_ReturnsFalse()
    {
        Assert.False(await new LoginStore(Options(_temp)).EraseAsync("a.example"));
    }

    [Fact]
    public async Task StoreAsync_CredsStore_StoresThroughHelperNotFile()
    {
        var bin = _temp.Combine("bin");
        WriteTestHelper(bin);
        _temp.Write("home/.docker/config.json", """{"credsStore":"test"}""");
        var options = Options(_temp);
        var store = new LoginStore(options);

        var where = await store.StoreAsync("r.example:5000", Credential.Basic("alice", "pw"));
        var credential = await new DockerCredentialProvider(options).GetAsync("r.example:5000");
        var erased = await store.EraseAsync("r.example:5000");

        Assert.Equal("docker-credential-test", where);
        Assert.Equal("pw", credential?.Password);
        Assert.DoesNotContain("pw", File.ReadAllText(ConfigPath), StringComparison.Ordinal);
        Assert.True(erased);
        Assert.False(File.Exists(HelperStoreFile(bin, "r.example:5000")));
        Assert.Equal(["store", "get", "erase"], File.ReadAllLines(Path.Combine(bin, "calls.log")));
    }

    [Fact]
    public async Task StoreAsync_CredHelperForHost_UsesThatHelper()
    {
        var bin = _temp.Combine("bin");
        WriteTestHelper(bin);
        _temp.Write("home/.docker/config.json", """{"credHelpers":{"r.example":"test"}}""");

        await new LoginStore(Options(_temp)).StoreAsync("r.example", Credential.FromIdentityToken("idt"));

        var stored = JsonNode.Parse(File.ReadAllText(HelperStoreFile(bin, "r.example")))!;
        Assert.Equal("<token>", (string?)stored["Username"]);
        Assert.Equal("idt", (string?)stored["Secret"]);
        Assert.Equal("r.example", (string?)stored["ServerURL"]);
    }

    [Fact]
    public async Task StoreAsync_NoHomeOrDockerConfig_ThrowsWithFix()
    {
        var store = new LoginStore(new CredentialStoreOptions());

        var e = await Assert.ThrowsAsync<CredentialStoreException>(() => store.StoreAsync("r.example", Credential.Basic("a", "b")));

        Assert.Contains("DOCKER_CONFIG", e.Message, StringComparison.Ordinal);
    }
}
