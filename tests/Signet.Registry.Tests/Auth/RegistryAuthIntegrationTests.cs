using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Signet.Registry.Auth;
using Signet.Testing;
using Signet.Testing.Registry;

namespace Signet.Registry.Tests.Auth;

internal static class RegistryClients
{
    /// <summary>An HttpClient whose pipeline is AuthHandler over SocketsHttpHandler, as the registry client builds it.</summary>
    public static (HttpClient Client, AuthHandler Handler) Create(ICredentialProvider credentials)
    {
        var handler = new AuthHandler(credentials, new SocketsHttpHandler());
        return (new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) }, handler);
    }

    public static ICredentialProvider None { get; } = new NoCredentials();

    public static ICredentialProvider For(RegistryProcess registry, Credential credential) =>
        new ExplicitCredentialProvider(registry.Host, credential);

    private sealed class NoCredentials : ICredentialProvider
    {
        public Task<Credential?> GetAsync(string registryHost, CancellationToken cancellationToken = default) => Task.FromResult<Credential?>(null);
    }
}

public class AnonymousRegistryTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    [Fact]
    public async Task Get_V2WithoutCredentials_Returns200()
    {
        var (client, _) = RegistryClients.Create(RegistryClients.None);
        using (client)
        {
            using var response = await client.GetAsync(new Uri(fixture.Registry.BaseUri, "/v2/"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task AuthorizeAsync_OpenRegistry_Succeeds()
    {
        var (client, handler) = RegistryClients.Create(RegistryClients.None);
        using (client)
        {
            await handler.AuthorizeAsync(fixture.Registry.BaseUri, RegistryScope.PullPush("open/app"));

            using var response = await client.GetAsync(new Uri(fixture.Registry.BaseUri, "/v2/open/app/manifests/latest"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task BlobDataPath_PushedBlob_PointsAtStoredBytes()
    {
        var (client, _) = RegistryClients.Create(RegistryClients.None);
        using (client)
        {
            var blob = "signet tamper test"u8.ToArray();
            var digest = await PushBlobAsync(client, fixture.Registry.BaseUri, "tamper/app", blob);

            var path = fixture.Registry.BlobDataPath(digest);
            Assert.Equal(blob, await File.ReadAllBytesAsync(path));

            var tampered = blob.ToArray();
            tampered[0] ^= 0xff;
            await File.WriteAllBytesAsync(path, tampered);
            var served = await client.GetByteArrayAsync(new Uri(fixture.Registry.BaseUri, $"/v2/tamper/app/blobs/{digest}"));
            Assert.Equal(tampered, served);
        }
    }

    internal static async Task<string> PushBlobAsync(HttpClient client, Uri registry, string repository, byte[] blob)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        using var start = await client.PostAsync(new Uri(registry, $"/v2/{repository}/blobs/uploads/"), null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = new Uri(registry, start.Headers.Location!);
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var content = new ByteArrayContent(blob);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await client.PutAsync(new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest)), content);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return digest;
    }
}

public class HtpasswdRegistryTests(HtpasswdRegistryFixture fixture) : IClassFixture<HtpasswdRegistryFixture>
{
    private RegistryProcess Registry => fixture.Registry;

    [Fact]
    public async Task Get_NoCredentials_ThrowsClearError()
    {
        var (client, _) = RegistryClients.Create(RegistryClients.None);
        using (client)
        {
            var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetAsync(new Uri(Registry.BaseUri, "/v2/")));

            Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
            Assert.Contains("requires Basic authentication", e.Message, StringComparison.Ordinal);
            Assert.Contains(Registry.Host, e.Message, StringComparison.Ordinal);
            Assert.Contains($"signet login {Registry.Host}", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_RightCredentials_Returns200()
    {
        var (client, _) = RegistryClients.Create(RegistryClients.For(Registry, Credential.Basic(RegistryProcess.HtpasswdUser, RegistryProcess.HtpasswdPassword)));
        using (client)
        {
            using var first = await client.GetAsync(new Uri(Registry.BaseUri, "/v2/"));
            using var second = await client.GetAsync(new Uri(Registry.BaseUri, "/v2/some/app/tags/list"));

            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
            Assert.Equal("Basic", second.RequestMessage?.Headers.Authorization?.Scheme);
        }
    }

    [Fact]
    public async Task Get_CredentialsFromLoginStore_Returns200()
    {
        using var temp = new TempDir();
        var options = new CredentialStoreOptions { Home = temp.Path };
        await new LoginStore(options).StoreAsync(Registry.Host, Credential.Basic(RegistryProcess.HtpasswdUser, RegistryProcess.HtpasswdPassword));
        var (client, _) = RegistryClients.Create(new DockerCredentialProvider(options));
        using (client)
        {
            using var response = await client.GetAsync(new Uri(Registry.BaseUri, "/v2/"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Get_WrongPassword_ThrowsRefused()
    {
        var (client, _) = RegistryClients.Create(RegistryClients.For(Registry, Credential.Basic(RegistryProcess.HtpasswdUser, "wrong")));
        using (client)
        {
            var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetAsync(new Uri(Registry.BaseUri, "/v2/")));

            Assert.Contains($"user '{RegistryProcess.HtpasswdUser}'", e.Message, StringComparison.Ordinal);
            Assert.Contains("refused", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Post_StreamContentAfterAuthorizeAsync_SentAuthorisedFirstTime()
    {
        var (client, handler) = RegistryClients.Create(RegistryClients.For(Registry, Credential.Basic(RegistryProcess.HtpasswdUser, RegistryProcess.HtpasswdPassword)));
        using (client)
        {
            await handler.AuthorizeAsync(Registry.BaseUri, RegistryScope.PullPush("stream/app"));
            using var content = new StreamContent(new MemoryStream([]));

            using var response = await client.PostAsync(new Uri(Registry.BaseUri, "/v2/stream/app/blobs/uploads/"), content);

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }
}

public class TokenRegistryTests(TokenRegistryFixture fixture) : IClassFixture<TokenRegistryFixture>
{
    private RegistryProcess Registry => fixture.Registry;

    private TestTokenServer Tokens => fixture.Registry.TokenServer!;

    private int TokenRequestsFor(string repository) =>
        Tokens.Requests.Count(r => r.Scopes.Any(s => s.StartsWith($"repository:{repository}:", StringComparison.Ordinal)));

    [Fact]
    public async Task Get_UnknownManifestAsPullUser_Returns404AfterTokenFlow()
    {
        var (client, _) = RegistryClients.Create(RegistryClients.For(Registry, Credential.Basic(RegistryProcess.PullUser, RegistryProcess.PullPassword)));
        using (client)
        {
            using var response = await client.GetAsync(new Uri(Registry.BaseUri, "/v2/pull-only/app/manifests/latest"));

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("Bearer", response.RequestMessage?.Headers.Authorization?.Scheme);
            var request = Assert.Single(Tokens.Requests, r => r.Scopes.Contains("repository:pull-only/app:pull"));
            Assert.Equal(RegistryProcess.PullUser, request.Username);
            Assert.Equal(HttpStatusCode.OK, request.Status);
        }
    }

    [Fact]
    public async Task Get_SecondRequestSameRepository_ReusesCachedToken()
    {
        var (client, _) = RegistryClients.Create(RegistryClients.For(Registry, Credential.Basic(RegistryProcess.PullUser, RegistryProcess.PullPassword)));
        using (client)
        {
            using var first = await client.GetAsync(new Uri(Registry.BaseUri, "/v2/cached/app/manifests/v1"));
            using var second = await client.GetAsync(new Uri(Registry.BaseUri, "/v2/cached/app/manifests/v2"));
            using var third = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(Registry.BaseUri, "/v2/cached/app/blobs/sha256:" + new string('0', 64))));

            Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, third.StatusCode);
            Assert.Equal(1, TokenRequestsFor("cached/app"));
        }
    }

    [Fact]
    public async Task Post_PushAsPullUser_ThrowsDenied()
    {
        var (client, _) = RegistryClients.Create(RegistryClients.For(Registry, Credential.Basic(RegistryProcess.PullUser, RegistryProcess.PullPassword)));
        using (client)
        {
            var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.PostAsync(new Uri(Registry.BaseUri, "/v2/denied/app/blobs/uploads/"), null));

            Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
            Assert.Equal(HttpMethod.Post, e.Method);
            Assert.Contains("denied", e.Message, StringComparison.Ordinal);
            Assert.Contains("repository:denied/app:pull,push", e.Message, StringComparison.Ordinal);
            Assert.Contains($"user '{RegistryProcess.PullUser}'", e.Message, StringComparison.Ordinal);
            Assert.Contains("insufficient_scope", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Post_PushAsPushUser_Returns202()
    {
        var (client, _) = RegistryClients.Create(RegistryClients.For(Registry, Credential.Basic(RegistryProcess.PushUser, RegistryProcess.PushPassword)));
        using (client)
        {
            var digest = await AnonymousRegistryTests.PushBlobAsync(client, Registry.BaseUri, "pushed/app", [1, 2, 3]);

            Assert.True(File.Exists(Registry.BlobDataPath(digest)));
        }
    }

    [Fact]
    public async Task Get_IdentityToken_ExchangesWithOAuthPost()
    {
        var (client, _) = RegistryClients.Create(RegistryClients.For(Registry, Credential.FromIdentityToken(RegistryProcess.PushIdentityToken)));
        using (client)
        {
            using var response = await client.GetAsync(new Uri(Registry.BaseUri, "/v2/oauth/app/manifests/latest"));

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var request = Assert.Single(Tokens.Requests, r => r.Scopes.Contains("repository:oauth/app:pull"));
            Assert.Equal("POST", request.Method);
            Assert.Equal(RegistryProcess.PushUser, request.Username);
        }
    }

    [Fact]
    public async Task Get_WrongPassword_ThrowsWithRealmAndStatus()
    {
        var (client, _) = RegistryClients.Create(RegistryClients.For(Registry, Credential.Basic(RegistryProcess.PullUser, "wrong")));
        using (client)
        {
            var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetAsync(new Uri(Registry.BaseUri, "/v2/wrongpw/app/manifests/latest")));

            Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
            Assert.Contains(Tokens.Realm.ToString(), e.Message, StringComparison.Ordinal);
            Assert.Contains("401", e.Message, StringComparison.Ordinal);
            Assert.Contains("invalid username or password", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_Anonymous_NoGrantIsDenied()
    {
        var (client, _) = RegistryClients.Create(RegistryClients.None);
        using (client)
        {
            var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetAsync(new Uri(Registry.BaseUri, "/v2/anon/app/manifests/latest")));

            Assert.Contains("anonymous access", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Post_StreamContentWithoutAuthorize_Returns401ThenSucceedsOnResend()
    {
        var (client, _) = RegistryClients.Create(RegistryClients.For(Registry, Credential.Basic(RegistryProcess.PushUser, RegistryProcess.PushPassword)));
        using (client)
        {
            var uri = new Uri(Registry.BaseUri, "/v2/resend/app/blobs/uploads/");
            using var first = await client.PostAsync(uri, new StreamContent(new MemoryStream([])));
            using var second = await client.PostAsync(uri, new StreamContent(new MemoryStream([])));

            Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
            Assert.Equal(1, TokenRequestsFor("resend/app"));
        }
    }

    [Fact]
    public async Task AuthorizeAsync_BeforeStreamingUpload_SentWithTokenFirstTime()
    {
        var (client, handler) = RegistryClients.Create(RegistryClients.For(Registry, Credential.Basic(RegistryProcess.PushUser, RegistryProcess.PushPassword)));
        using (client)
        {
            await handler.AuthorizeAsync(Registry.BaseUri, RegistryScope.PullPush("primed/app"));
            var before = TokenRequestsFor("primed/app");

            using var response = await client.PostAsync(new Uri(Registry.BaseUri, "/v2/primed/app/blobs/uploads/"), new StreamContent(new MemoryStream([])));

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal(1, before);
            Assert.Equal(1, TokenRequestsFor("primed/app"));
        }
    }
}

public class TokenRegistryRs256Tests
{
    [Fact]
    public async Task Get_Rs256SignedToken_AcceptedByRegistry()
    {
        await using var registry = await RegistryProcess.StartAsync(new RegistryOptions { Mode = RegistryAuthMode.Token, TokenAlgorithm = TokenSigningAlgorithm.RS256 });
        var (client, _) = RegistryClients.Create(RegistryClients.For(registry, Credential.Basic(RegistryProcess.PullUser, RegistryProcess.PullPassword)));
        using (client)
        {
            using var response = await client.GetAsync(new Uri(registry.BaseUri, "/v2/rsa/app/tags/list"));

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task DisposeAsync_StopsOnlyItsProcess()
    {
        var registry = await RegistryProcess.StartAsync();
        var pid = registry.ProcessId;
        var storage = registry.StorageRoot;

        await registry.DisposeAsync();

        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));
        Assert.False(Directory.Exists(storage));
    }
}
