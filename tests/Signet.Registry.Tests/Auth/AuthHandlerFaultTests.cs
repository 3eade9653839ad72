using System.Net;
using System.Text;
using Signet.Registry.Auth;

namespace Signet.Registry.Tests.Auth;

/// <summary>
/// Faults a loopback Distribution registry cannot produce (non-loopback plain HTTP, foreign hosts, broken token
/// servers), answered by an in-process handler.
/// </summary>
public class AuthHandlerFaultTests
{
    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<(string Method, Uri Uri, string? Authorization)> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add((request.Method.Method, request.RequestUri!, request.Headers.Authorization?.ToString()));
            var response = answer(request);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }

    private static HttpResponseMessage Challenge(string header)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("""{"errors":[{"code":"UNAUTHORIZED"}]}""") };
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", header);
        return response;
    }

    private static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpClient Client(StubHandler stub, Credential? credential, string host = "registry.example", TimeProvider? time = null) =>
        new(new AuthHandler(
            credential is null ? new ExplicitCredentialProvider("unused.example", Credential.Basic("x", "y")) : new ExplicitCredentialProvider(host, credential),
            stub,
            new AuthHandlerOptions { TimeProvider = time ?? TimeProvider.System }));

    [Fact]
    public async Task Send_BasicOverPlainHttpToRemoteHost_RefusesToSendCredentials()
    {
        var stub = new StubHandler(_ => Challenge("Basic realm=\"r\""));
        using var client = Client(stub, Credential.Basic("alice", "pw"));

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetAsync(new Uri("http://registry.example/v2/")));

        Assert.Contains("plain HTTP", e.Message, StringComparison.Ordinal);
        Assert.All(stub.Seen, s => Assert.Null(s.Authorization));
    }

    [Fact]
    public async Task Send_TokenRealmOverPlainHttpWithCredentials_Refuses()
    {
        var stub = new StubHandler(_ => Challenge("Bearer realm=\"http://auth.example/token\",service=\"s\""));
        using var client = Client(stub, Credential.Basic("alice", "pw"));

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetAsync(new Uri("https://registry.example/v2/a/manifests/1")));

        Assert.Contains("token realm http://auth.example/token", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(stub.Seen, s => s.Uri.Host == "auth.example");
    }

    [Fact]
    public async Task Send_OtherHostAfterChallenge_NeverGetsTheToken()
    {
        var stub = new StubHandler(request => request.RequestUri!.Host switch
        {
            "auth.example" => Json("""{"access_token":"tok-1"}"""),
            "registry.example" when request.Headers.Authorization is null => Challenge("Bearer realm=\"https://auth.example/token\",service=\"s\",scope=\"repository:a:pull\""),
            _ => new HttpResponseMessage(HttpStatusCode.OK),
        });
        using var client = Client(stub, null);

        using var first = await client.GetAsync(new Uri("https://registry.example/v2/a/blobs/sha256:00"));
        using var redirected = await client.GetAsync(new Uri("https://blobs.cdn.example/v2/a/blobs/sha256:00"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("Bearer tok-1", stub.Seen.Single(s => s.Uri.Host == "registry.example" && s.Authorization is not null).Authorization);
        Assert.Null(stub.Seen.Single(s => s.Uri.Host == "blobs.cdn.example").Authorization);
        Assert.Null(stub.Seen.Single(s => s.Uri.Host == "auth.example").Authorization);
    }

    [Fact]
    public async Task Send_AccessTokenWithoutExpiry_CachedForDefaultSixtySeconds()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch.AddYears(55));
        var stub = new StubHandler(request => request.RequestUri!.Host == "auth.example"
            ? Json("""{"access_token":"tok"}""")
            : request.Headers.Authorization is null ? Challenge("Bearer realm=\"https://auth.example/token\",service=\"s\",scope=\"repository:a:pull\"") : new HttpResponseMessage(HttpStatusCode.OK));
        using var client = Client(stub, null, time: clock);
        var uri = new Uri("https://registry.example/v2/a/manifests/1");

        (await client.GetAsync(uri)).Dispose();
        clock.Advance(TimeSpan.FromSeconds(50));
        (await client.GetAsync(uri)).Dispose();
        clock.Advance(TimeSpan.FromSeconds(10));
        (await client.GetAsync(uri)).Dispose();

        Assert.Equal(2, stub.Seen.Count(s => s.Uri.Host == "auth.example"));
    }

    [Fact]
    public async Task Send_TokenServerError_ThrowsWithRealmStatusAndBody()
    {
        var stub = new StubHandler(request => request.RequestUri!.Host == "auth.example"
            ? Json("""{"details":"backend database unavailable"}""", HttpStatusCode.ServiceUnavailable)
            : Challenge("Bearer realm=\"https://auth.example/token\",service=\"s\""));
        using var client = Client(stub, null);

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetAsync(new Uri("https://registry.example/v2/")));

        Assert.Contains("https://auth.example/token", e.Message, StringComparison.Ordinal);
        Assert.Contains("503", e.Message, StringComparison.Ordinal);
        Assert.Contains("backend database unavailable", e.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
    }

    [Theory]
    [InlineData("""{"expires_in":60}""", "neither")]
    [InlineData("<html>login</html>", "not token JSON")]
    public async Task Send_UnusableTokenResponse_ThrowsNamingRealm(string body, string reason)
    {
        var stub = new StubHandler(request => request.RequestUri!.Host == "auth.example"
            ? Json(body)
            : Challenge("Bearer realm=\"https://auth.example/token\",service=\"s\""));
        using var client = Client(stub, null);

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetAsync(new Uri("https://registry.example/v2/")));

        Assert.Contains(reason == "neither" ? "without 'token' or 'access_token'" : reason, e.Message, StringComparison.Ordinal);
        Assert.Contains("https://auth.example/token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_TokenResponseOverLimit_Throws()
    {
        var big = "{\"token\":\"" + new string('a', TokenClient.MaxResponseBytes) + "\"}";
        var stub = new StubHandler(request => request.RequestUri!.Host == "auth.example"
            ? Json(big)
            : Challenge("Bearer realm=\"https://auth.example/token\",service=\"s\""));
        using var client = Client(stub, null);

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetAsync(new Uri("https://registry.example/v2/")));

        Assert.Contains("limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_UnsupportedScheme_ThrowsNamingScheme()
    {
        var stub = new StubHandler(_ => Challenge("Negotiate abc=="));
        using var client = Client(stub, null);

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetAsync(new Uri("https://registry.example/v2/")));

        Assert.Contains("Negotiate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_MalformedChallenge_ThrowsQuotingHeader()
    {
        var stub = new StubHandler(_ => Challenge("Bearer realm=\"unterminated"));
        using var client = Client(stub, null);

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetAsync(new Uri("https://registry.example/v2/")));

        Assert.Contains("unterminated quoted string", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_RequestQueryAndTokenScopes_GetSendsServiceAndEachScope()
    {
        var stub = new StubHandler(request => request.RequestUri!.Host == "auth.example"
            ? Json("""{"token":"t","expires_in":300}""")
            : request.Headers.Authorization is null
                ? Challenge("Bearer realm=\"https://auth.example/token?x=1\",service=\"reg svc\",scope=\"repository:b:pull\"")
                : new HttpResponseMessage(HttpStatusCode.Created));
        using var client = Client(stub, Credential.Basic("alice", "pw"));

        using var response = await client.PostAsync(new Uri("https://registry.example/v2/a/blobs/uploads/?mount=sha256:00&from=b"), null);

        var tokenRequest = stub.Seen.Single(s => s.Uri.Host == "auth.example");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("?x=1&service=reg%20svc&scope=repository%3Aa%3Apull%2Cpush&scope=repository%3Ab%3Apull&account=alice", tokenRequest.Uri.Query);
        Assert.StartsWith("Basic ", tokenRequest.Authorization, StringComparison.Ordinal);
    }
}
