using Signet.Registry.Auth;
using Signet.Testing;
using static Signet.Registry.Tests.Auth.AuthTestData;

namespace Signet.Registry.Tests.Auth;

public sealed class DockerCredentialProviderTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string DockerConfig(string json) => _temp.Write("home/.docker/config.json", json);

    [Fact]
    public async Task GetAsync_AuthsBasic_ReturnsUsernameAndPassword()
    {
        DockerConfig("""{"auths":{"registry.example.com":{"auth":"@user:pa:ss@"}}}""");

        var credential = await new DockerCredentialProvider(Options(_temp)).GetAsync("registry.example.com");

        Assert.NotNull(credential);
        Assert.True(credential.IsBasic);
        Assert.Equal("user", credential.Username);
        Assert.Equal("pa:ss", credential.Password);
        Assert.DoesNotContain("pa:ss", credential.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_AuthsIdentityToken_ReturnsIdentityToken()
    {
        DockerConfig("""{"auths":{"registry.example.com":{"auth":"@user:@","identitytoken":"refresh-123"}}}""");

        var credential = await new DockerCredentialProvider(Options(_temp)).GetAsync("registry.example.com");

        Assert.Equal("refresh-123", credential?.IdentityToken);
        Assert.False(credential!.IsBasic);
    }

    [Theory]
    [InlineData("https://registry.example.com/v2/", "registry.example.com")]
    [InlineData("http://registry.example.com:5000", "registry.example.com:5000")]
    [InlineData("Registry.Example.com/ns/repo", "registry.example.com")]
    public async Task GetAsync_KeyWithSchemeOrPath_MatchesHost(string key, string host)
    {
        DockerConfig("""{"auths":{"%KEY%":{"auth":"@u:p@"}}}""".Replace("%KEY%", key, StringComparison.Ordinal));

        var credential = await new DockerCredentialProvider(Options(_temp)).GetAsync(host);

        Assert.Equal("u", credential?.Username);
    }

    [Theory]
    [InlineData("docker.io")]
    [InlineData("index.docker.io")]
    [InlineData("registry-1.docker.io")]
    [InlineData("https://index.docker.io/v1/")]
    public async Task GetAsync_DockerHubAlias_FindsLegacyKey(string alias)
    {
        DockerConfig("""{"auths":{"https://index.docker.io/v1/":{"auth":"@hub:secret@"}}}""");

        var credential = await new DockerCredentialProvider(Options(_temp)).GetAsync(alias);

        Assert.Equal("hub", credential?.Username);
    }

    [Fact]
    public async Task GetAsync_ExactKeyAndNormalisedKey_PrefersExact()
    {
        DockerConfig("""{"auths":{"https://r.example/v2/":{"auth":"@old:x@"},"r.example":{"auth":"@new:y@"}}}""");

        var credential = await new DockerCredentialProvider(Options(_temp)).GetAsync("r.example");

        Assert.Equal("new", credential?.Username);
    }

    [Fact]
    public async Task GetAsync_UnknownHost_ReturnsNull()
    {
        DockerConfig("""{"auths":{"a.example":{"auth":"@u:p@"}, "b.example":{}}}""");
        var provider = new DockerCredentialProvider(Options(_temp));

        Assert.Null(await provider.GetAsync("c.example"));
        Assert.Null(await provider.GetAsync("b.example"));
    }

    [Fact]
    public async Task GetAsync_NoFiles_ReturnsNull()
    {
        Assert.Null(await new DockerCredentialProvider(Options(_temp)).GetAsync("registry.example.com"));
    }

    [Fact]
    public async Task GetAsync_DockerConfigVariable_OverridesHome()
    {
        DockerConfig("""{"auths":{"r.example":{"auth":"@home:x@"}}}""");
        _temp.Write("dc/config.json", """{"auths":{"r.example":{"auth":"@dockerconfig:x@"}}}""");
        var options = Options(_temp) with { DockerConfigDirectory = _temp.Combine("dc") };

        var credential = await new DockerCredentialProvider(options).GetAsync("r.example");

        Assert.Equal("dockerconfig", credential?.Username);
    }

    [Fact]
    public async Task GetAsync_ContainersAuthFiles_ReadInOrderBeforeDocker()
    {
        DockerConfig("""{"auths":{"r.example":{"auth":"@docker:x@"},"only-docker.example":{"auth":"@d:x@"}}}""");
        _temp.Write("home/.config/containers/auth.json", """{"auths":{"r.example":{"auth":"@config-home:x@"}}}""");
        var runtime = _temp.Combine("run");
        _temp.Write("run/containers/auth.json", """{"auths":{"r.example":{"auth":"@runtime:x@"}}}""");
        var explicitFile = _temp.Write("explicit.json", """{"auths":{"r.example/ns/app":{"auth":"@registry-auth-file:x@"}}}""");

        var plain = new DockerCredentialProvider(Options(_temp));
        var withRuntime = new DockerCredentialProvider(Options(_temp) with { XdgRuntimeDirectory = runtime });
        var withAuthFile = new DockerCredentialProvider(Options(_temp) with { XdgRuntimeDirectory = runtime, RegistryAuthFile = explicitFile });

        Assert.Equal("config-home", (await plain.GetAsync("r.example"))?.Username);
        Assert.Equal("runtime", (await withRuntime.GetAsync("r.example"))?.Username);
        Assert.Equal("registry-auth-file", (await withAuthFile.GetAsync("r.example"))?.Username);
        Assert.Equal("d", (await withAuthFile.GetAsync("only-docker.example"))?.Username);
    }

    [Fact]
    public void FromEnvironment_Variables_SetsPaths()
    {
        var options = CredentialStoreOptions.FromEnvironment(new Dictionary<string, string>
        {
            ["HOME"] = "/h",
            ["DOCKER_CONFIG"] = "/dc",
            ["REGISTRY_AUTH_FILE"] = "/raf.json",
            ["XDG_RUNTIME_DIR"] = "/run/user/1",
            ["PATH"] = "/bin",
        });

        Assert.Equal("/dc/config.json", options.DockerConfigFile);
        Assert.Equal(["/raf.json", "/h/.config/containers/auth.json"], options.ContainersAuthFiles);
        Assert.Equal("/bin", options.Path);
    }

    [Fact]
    public async Task GetAsync_CredHelpers_RunsHelperForThatHost()
    {
        var bin = _temp.Combine("bin");
        WriteTestHelper(bin);
        File.WriteAllText(HelperStoreFile(bin, "r.example:5000"), """{"ServerURL":"r.example:5000","Username":"helper-user","Secret":"helper-secret"}""");
        DockerConfig("""{"credHelpers":{"r.example:5000":"test"},"auths":{"r.example:5000":{"auth":"@file:x@"}}}""");

        var credential = await new DockerCredentialProvider(Options(_temp)).GetAsync("r.example:5000");

        Assert.Equal("helper-user", credential?.Username);
        Assert.Equal("helper-secret", credential?.Password);
        Assert.Equal("get", File.ReadAllText(Path.Combine(bin, "calls.log")).Trim());
    }

    [Fact]
    public async Task GetAsync_CredsStoreWithTokenUser_ReturnsIdentityToken()
    {
        var bin = _temp.Combine("bin");
        WriteTestHelper(bin);
        File.WriteAllText(HelperStoreFile(bin, "https://index.docker.io/v1/"), """{"ServerURL":"https://index.docker.io/v1/","Username":"<token>","Secret":"idt"}""");
        DockerConfig("""{"credsStore":"test","auths":{"https://index.docker.io/v1/":{}}}""");

        var credential = await new DockerCredentialProvider(Options(_temp)).GetAsync("index.docker.io");

        Assert.Equal("idt", credential?.IdentityToken);
    }

    [Fact]
    public async Task GetAsync_CredsStoreWithoutEntry_FallsBackToAuths()
    {
        WriteTestHelper(_temp.Combine("bin"));
        DockerConfig("""{"credsStore":"test","auths":{"r.example":{"auth":"@file:x@"}}}""");

        var credential = await new DockerCredentialProvider(Options(_temp)).GetAsync("r.example");

        Assert.Equal("file", credential?.Username);
    }

    [Fact]
    public async Task GetAsync_HelperMissing_ThrowsNamingHelperAndFile()
    {
        var config = DockerConfig("""{"credHelpers":{"r.example":"nosuch"}}""");

        var e = await Assert.ThrowsAsync<CredentialStoreException>(() => new DockerCredentialProvider(Options(_temp)).GetAsync("r.example"));

        Assert.Contains("docker-credential-nosuch", e.Message, StringComparison.Ordinal);
        Assert.Contains("not found on PATH", e.Message, StringComparison.Ordinal);
        Assert.Contains(config, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_HelperFails_ThrowsWithExitCodeAndOutput()
    {
        var bin = _temp.Combine("bin");
        Directory.CreateDirectory(bin);
        WriteScript(Path.Combine(bin, "docker-credential-broken"), "#!/bin/sh\necho 'keyring is locked' >&2\nexit 3\n");
        DockerConfig("""{"credsStore":"broken"}""");

        var e = await Assert.ThrowsAsync<CredentialStoreException>(() => new DockerCredentialProvider(Options(_temp)).GetAsync("r.example"));

        Assert.Contains("exit code 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("keyring is locked", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_HelperHangs_TimesOut()
    {
        var bin = _temp.Combine("bin");
        Directory.CreateDirectory(bin);
        WriteScript(Path.Combine(bin, "docker-credential-slow"), "#!/bin/sh\nexec sleep 30\n");
        DockerConfig("""{"credsStore":"slow"}""");
        var options = Options(_temp) with { HelperTimeout = TimeSpan.FromMilliseconds(300) };

        var e = await Assert.ThrowsAsync<CredentialStoreException>(() => new DockerCredentialProvider(options).GetAsync("r.example"));

        Assert.Contains("did not answer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_HelperFloodsOutput_ThrowsAtLimit()
    {
        var bin = _temp.Combine("bin");
        Directory.CreateDirectory(bin);
        WriteScript(Path.Combine(bin, "docker-credential-flood"), "#!/bin/sh\ncat >/dev/null\nhead -c 200000 /dev/zero | tr '\\0' a\n");
        DockerConfig("""{"credsStore":"flood"}""");

        var e = await Assert.ThrowsAsync<CredentialStoreException>(() => new DockerCredentialProvider(Options(_temp)).GetAsync("r.example"));

        Assert.Contains("more than 64 KiB", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("""{"auths":{"r.example":{"auth":"***"}}}""", "not base64")]
    [InlineData("""{"auths":{"r.example":{"auth":"dXNlcg=="}}}""", "user:password")]
    public async Task GetAsync_MalformedFile_ThrowsNamingFile(string content, string reason)
    {
        var config = DockerConfig(content);

        var e = await Assert.ThrowsAsync<CredentialStoreException>(() => new DockerCredentialProvider(Options(_temp)).GetAsync("r.example"));

        Assert.Contains(config, e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_FileOverLimit_Throws()
    {
        DockerConfig("{\"x\":\"" + new string('a', AuthConfigFile.MaxFileBytes) + "\"}");

        var e = await Assert.ThrowsAsync<CredentialStoreException>(() => new DockerCredentialProvider(Options(_temp)).GetAsync("r.example"));

        Assert.Contains("limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplicitCredentialProvider_MatchingHost_OverridesStores()
    {
        DockerConfig("""{"auths":{"r.example":{"auth":"@stored:x@"},"other.example":{"auth":"@other:x@"}}}""");
        var provider = new ExplicitCredentialProvider("https://R.example/", Credential.Basic("cli", "pw"), new DockerCredentialProvider(Options(_temp)));

        Assert.Equal("cli", (await provider.GetAsync("r.example"))?.Username);
        Assert.Equal("other", (await provider.GetAsync("other.example"))?.Username);
    }

    [Theory]
    [InlineData("s3cret\n", "s3cret")]
    [InlineData("s3cret\r\n\n", "s3cret")]
    [InlineData("with space \n", "with space ")]
    public async Task ReadPasswordAsync_Stdin_TrimsLineBreaks(string input, string expected)
    {
        Assert.Equal(expected, await ExplicitCredentialProvider.ReadPasswordAsync(new StringReader(input)));
    }

    [Fact]
    public async Task ReadPasswordAsync_Empty_ThrowsWithHint()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ExplicitCredentialProvider.ReadPasswordAsync(new StringReader("\n")));

        Assert.Contains("--password-stdin", e.Message, StringComparison.Ordinal);
    }

    private static void WriteScript(string path, string content)
    {
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
