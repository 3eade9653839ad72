using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Signet.Registry.Auth;

/// <summary>A bearer token and when to stop using it.</summary>
internal sealed record BearerToken(string Value, DateTimeOffset ExpiresAt, ScopeSet Scopes);

/// <summary>The token endpoint's JSON (distribution <c>token.md</c> "Token Response Fields", <c>oauth.md</c>).</summary>
internal sealed record TokenResponse
{
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("expires_in")]
    public long? ExpiresIn { get; init; }

    [JsonPropertyName("issued_at")]
    public string? IssuedAt { get; init; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }
}

/// <summary>
/// Gets bearer tokens from a token server (distribution <c>token.md</c>): <c>GET realm?service=S&amp;scope=A&amp;scope=B</c>
/// with Basic credentials or anonymously, or, for identity tokens, the OAuth2 <c>POST</c> with
/// <c>grant_type=refresh_token</c> (<c>oauth.md</c>). Responses are bounded to 1 MiB.
/// </summary>
internal sealed class TokenClient(HttpMessageInvoker http, TimeProvider time, string clientId, bool insecureAllowCredentialsOverHttp)
{
    internal const int MaxResponseBytes = 1024 * 1024;
    internal static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    public async Task<BearerToken> FetchAsync(AuthChallenge challenge, ScopeSet scopes, Credential? credential, CancellationToken cancellationToken)
    {
        var realm = Realm(challenge);
        var service = challenge["service"];
        var sendsSecret = credential is { IsBasic: true } or { IdentityToken: not null };
        if (sendsSecret && realm.Scheme == Uri.UriSchemeHttp && !realm.IsLoopback && !insecureAllowCredentialsOverHttp)
        {
            throw new RegistryAuthenticationException(
                $"refusing to send credentials to token realm {realm} over plain HTTP; the registry must use an https token realm (or run it on loopback)",
                HttpMethod.Get, realm, null);
        }

        using var request = credential?.IdentityToken is { } refreshToken
            ? OAuthRequest(realm, service, scopes, refreshToken)
            : GetRequest(realm, service, scopes, credential);
        var received = time.GetUtcNow();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryAuthenticationException($"token request {request.Method} {realm} failed: {e.Message}; check that the token server is reachable", request.Method, realm, null, e);
        }

        using (response)
        {
            var body = await ReadBoundedAsync(response, realm, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var who = credential is { Username: { } user } ? $"user '{user}'" : credential is null ? "anonymous access" : "the stored token";
                throw new RegistryAuthenticationException(
                    $"token server {realm} answered {(int)response.StatusCode} {response.ReasonPhrase} for {who}, service '{service}', scope '{scopes}': {Excerpt(body)}; " +
                    (response.StatusCode == HttpStatusCode.Unauthorized ? "check the username and password (signet login)" : "check the realm and the account's permissions"),
                    request.Method, realm, response.StatusCode);
            }

            TokenResponse? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(body, AuthJsonContext.Default.TokenResponse);
            }
            catch (JsonException e)
            {
                throw new RegistryAuthenticationException($"token server {realm} answered with a body that is not token JSON ({e.Message}): {Excerpt(body)}", request.Method, realm, response.StatusCode, e);
            }

            var token = parsed?.Token is { Length: > 0 } t ? t : parsed?.AccessToken;
            if (string.IsNullOrEmpty(token))
            {
                throw new RegistryAuthenticationException($"token server {realm} answered without 'token' or 'access_token': {Excerpt(body)}", request.Method, realm, response.StatusCode);
            }

            var lifetime = parsed!.ExpiresIn is > 0 and < 365L * 24 * 3600 ? TimeSpan.FromSeconds(parsed.ExpiresIn.Value) : DefaultLifetime;
            return new BearerToken(token, received + lifetime, scopes);
        }
    }

    internal static Uri Realm(AuthChallenge challenge)
    {
        var realm = challenge["realm"];
        return Uri.TryCreate(realm, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new RegistryAuthenticationException($"the registry's Bearer challenge has realm '{realm}', which is not an http(s) URL; the registry's token auth is misconfigured");
    }

    private static HttpRequestMessage GetRequest(Uri realm, string? service, ScopeSet scopes, Credential? credential)
    {
        var query = new StringBuilder(realm.Query.TrimStart('?'));
        void Add(string name, string value)
        {
            if (query.Length > 0)
            {
                query.Append('&');
            }

            query.Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        if (service is not null)
        {
            Add("service", service);
        }

        foreach (var scope in scopes.Scopes)
        {
            Add("scope", scope);
        }

        if (credential is { IsBasic: true, Username: { } account })
        {
            Add("account", account);
        }

        var uri = new UriBuilder(realm) { Query = query.ToString() }.Uri;
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (credential is { IsBasic: true })
        {
            request.Headers.Authorization = BasicHeader(credential);
        }

        return request;
    }

    private HttpRequestMessage OAuthRequest(Uri realm, string? service, ScopeSet scopes, string refreshToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", clientId),
        };
        if (service is not null)
        {
            form.Add(new("service", service));
        }

        if (!scopes.IsEmpty)
        {
            form.Add(new("scope", scopes.Key));
        }

        return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
    }

    internal static AuthenticationHeaderValue BasicHeader(Credential credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));

    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, Uri realm, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new RegistryAuthenticationException($"token server {realm} sent {response.Content.Headers.ContentLength} bytes, more than the {MaxResponseBytes / 1024} KiB limit for a token response", HttpMethod.Get, realm, response.StatusCode);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[Math.Min(MaxResponseBytes + 1, (int?)response.Content.Headers.ContentLength + 1 ?? 16 * 1024)];
            var total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (buffer.Length > MaxResponseBytes)
                    {
                        throw new RegistryAuthenticationException($"token server {realm} sent more than the {MaxResponseBytes / 1024} KiB limit for a token response", HttpMethod.Get, realm, response.StatusCode);
                    }

                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxResponseBytes + 1));
                }

                var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, total);
        }
    }

    internal static string Excerpt(string body)
    {
        var flat = body.ReplaceLineEndings(" ").Trim();
        return flat.Length == 0 ? "(empty body)" : flat.Length <= 300 ? flat : flat[..300] + "...";
    }
}
