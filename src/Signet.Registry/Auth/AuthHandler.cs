using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;

namespace Signet.Registry.Auth;

/// <summary>
/// Authenticates registry requests. It sends each request with the token or Basic credentials already known for the
/// registry and the request's scope; on <c>401</c> it parses <c>WWW-Authenticate</c>, gets Basic credentials from the
/// <see cref="ICredentialProvider"/> or a Bearer token from the token server (cached per realm, service and scopes), and
/// retries once. Requests whose body cannot be sent twice (anything but no content, <see cref="ByteArrayContent"/> or
/// <see cref="ReadOnlyMemoryContent"/>) get the <c>401</c> back with the token primed in the cache, so the caller can
/// re-send; call <see cref="AuthorizeAsync"/> before a streaming upload to have it authorised the first time.
/// </summary>
/// <remarks>
/// The scope is taken from <see cref="ScopeOption"/> on the request when set, else from the path
/// (<c>/v2/NAME/{manifests,blobs,tags,referrers}/...</c>: GET/HEAD pull, DELETE delete, other methods pull,push; a
/// cross-repository mount adds pull on the <c>from</c> repository). Credentials never go over plain HTTP to a non-loopback
/// host, and an <c>Authorization</c> header is only ever added for the host that asked for it. A request that already
/// has an <c>Authorization</c> header is passed through untouched.
/// </remarks>
public sealed class AuthHandler : DelegatingHandler
{
    /// <summary>Set on a request to state the scopes it needs (space-separated), overriding the scope taken from the path.</summary>
    public static readonly HttpRequestOptionsKey<string> ScopeOption = new("Signet.Registry.Auth.Scope");

    private const int MaxErrorBodyChars = 2048;

    private readonly ICredentialProvider _credentials;
    private readonly AuthHandlerOptions _options;
    private readonly TokenCache _cache;
    private readonly ConcurrentDictionary<string, HostState> _hosts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<Credential?>> _credentialLookups = new(StringComparer.Ordinal);
    private TokenClient? _tokenClient;

    public AuthHandler(ICredentialProvider credentials, AuthHandlerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _credentials = credentials;
        _options = options ?? new AuthHandlerOptions();
        _cache = new TokenCache(_options.TimeProvider);
    }

    public AuthHandler(ICredentialProvider credentials, HttpMessageHandler innerHandler, AuthHandlerOptions? options = null)
        : this(credentials, options)
    {
        InnerHandler = innerHandler;
    }

    internal TokenCache Cache => _cache;

    /// <summary>
    /// Makes sure requests to <paramref name="registryBase"/> for <paramref name="scope"/> are sent authorised the first
    /// time: learns the registry's challenge (an anonymous <c>GET /v2/</c>) when not known yet, then fetches and caches a
    /// token for the scope (Bearer) or checks that credentials exist (Basic). Nothing is needed when the registry is open.
    /// </summary>
    /// <param name="registryBase">The registry's base URL, for example <c>https://registry.example.com</c>.</param>
    /// <param name="scope">One or more space-separated scopes, for example <see cref="RegistryScope.PullPush"/>.</param>
    /// <param name="cancellationToken">Cancels the probe and the token request.</param>
    /// <exception cref="RegistryAuthenticationException">No credentials, or the token server refused.</exception>
    public async Task AuthorizeAsync(Uri registryBase, string scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registryBase);
        var scopes = ParseScopeArgument(scope);
        if (!registryBase.IsAbsoluteUri)
        {
            throw new ArgumentException($"registry base '{registryBase}' must be an absolute http(s) URL", nameof(registryBase));
        }

        var authority = Authority(registryBase);
        if (!_hosts.TryGetValue(authority, out var state))
        {
            using var probe = new HttpRequestMessage(HttpMethod.Get, new Uri(registryBase, "/v2/"));
            using var response = await base.SendAsync(probe, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                _hosts[authority] = HostState.Open;
                return;
            }

            state = Learn(authority, probe, response);
        }

        if (state.Challenge is not { } challenge)
        {
            return;
        }

        if (challenge.IsBearer)
        {
            if (FindCachedToken(challenge, scopes) is null)
            {
                await FetchTokenAsync(registryBase, challenge, scopes, HttpMethod.Get, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await RequireBasicAsync(registryBase, HttpMethod.Get, challenge, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is not { IsAbsoluteUri: true } uri || request.Headers.Authorization is not null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var authority = Authority(uri);
        var scopes = RequestScopes(request);
        var sentAuthorization = false;
        if (_hosts.TryGetValue(authority, out var known) && known.Challenge is { } knownChallenge)
        {
            sentAuthorization = await TryAuthorizeFromCacheAsync(request, knownChallenge, scopes, cancellationToken).ConfigureAwait(false);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !HasChallenge(response))
        {
            return response;
        }

        var state = Learn(authority, request, response);
        var challenge = state.Challenge!;
        var needed = challenge.IsBearer ? scopes.Union(ChallengeScopes(challenge, request)) : scopes;
        AuthenticationHeaderValue authorization;
        if (challenge.IsBearer)
        {
            if (sentAuthorization)
            {
                _cache.Remove(TokenClient.Realm(challenge).AbsoluteUri, challenge["service"], needed);
            }

            var token = FindCachedToken(challenge, needed) is { } cached && !sentAuthorization
                ? cached
                : await FetchTokenAsync(uri, challenge, needed, request.Method, cancellationToken).ConfigureAwait(false);
            authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        }
        else
        {
            var credential = await RequireBasicAsync(uri, request.Method, challenge, cancellationToken).ConfigureAwait(false);
            if (sentAuthorization)
            {
                var refused = await DescribeAsync(response, cancellationToken).ConfigureAwait(false);
                response.Dispose();
                throw new RegistryAuthenticationException(
                    $"{request.Method} {uri}: registry {authority} refused the Basic credentials of user '{credential.Username}' ({refused}); check the password or log in again (signet login {RegistryHost.FromUri(uri)})",
                    request.Method, uri, HttpStatusCode.Unauthorized);
            }

            authorization = TokenClient.BasicHeader(credential);
        }

        if (!CanResend(request.Content))
        {
            // The body may already be consumed; the token is now cached, so the caller's next attempt is authorised.
            return response;
        }

        response.Dispose();
        request.Headers.Authorization = authorization;
        var retried = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (retried.StatusCode != HttpStatusCode.Unauthorized)
        {
            return retried;
        }

        using (retried)
        {
            var detail = await DescribeAsync(retried, cancellationToken).ConfigureAwait(false);
            var credential = await GetCredentialAsync(uri, cancellationToken).ConfigureAwait(false);
            var who = credential is { Username: { } user } ? $"user '{user}'" : credential is null ? "anonymous access" : "the stored token";
            var what = challenge.IsBearer
                ? $"the token for scope '{needed}' was not enough ({detail}); {who} lacks that access: ask for it, or log in as an account that has it (signet login {RegistryHost.FromUri(uri)})"
                : $"the Basic credentials of {who} were refused ({detail}); check the password or log in again (signet login {RegistryHost.FromUri(uri)})";
            throw new RegistryAuthenticationException($"{request.Method} {uri}: denied by registry {authority}: {what}", request.Method, uri, HttpStatusCode.Unauthorized);
        }
    }

    private async Task<bool> TryAuthorizeFromCacheAsync(HttpRequestMessage request, AuthChallenge challenge, ScopeSet scopes, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        if (challenge.IsBearer)
        {
            var needed = scopes.IsEmpty && challenge["scope"] is null ? ScopeSet.Empty : scopes;
            if (FindCachedToken(challenge, needed) is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
                return true;
            }

            return false;
        }

        if (challenge.IsBasic && await GetCredentialAsync(uri, cancellationToken).ConfigureAwait(false) is { IsBasic: true } credential)
        {
            RefuseOverPlainHttp(uri, request.Method, "Basic credentials");
            request.Headers.Authorization = TokenClient.BasicHeader(credential);
            return true;
        }

        return false;
    }

    private BearerToken? FindCachedToken(AuthChallenge challenge, ScopeSet scopes) =>
        _cache.Find(TokenClient.Realm(challenge).AbsoluteUri, challenge["service"], scopes);

    private async Task<BearerToken> FetchTokenAsync(Uri uri, AuthChallenge challenge, ScopeSet scopes, HttpMethod method, CancellationToken cancellationToken)
    {
        var credential = await GetCredentialAsync(uri, cancellationToken).ConfigureAwait(false);
        if (credential?.RegistryToken is { } registryToken)
        {
            RefuseOverPlainHttp(uri, method, "a registry token");
            return new BearerToken(registryToken, _options.TimeProvider.GetUtcNow() + TokenClient.DefaultLifetime, scopes);
        }

        if (credential is not null)
        {
            RefuseOverPlainHttp(uri, method, "a token obtained with credentials");
        }

        _tokenClient ??= new TokenClient(
            new HttpMessageInvoker(InnerHandler ?? throw new InvalidOperationException("AuthHandler has no InnerHandler; set one or pass it to the constructor"), disposeHandler: false),
            _options.TimeProvider,
            _options.ClientId,
            _options.InsecureAllowCredentialsOverHttp);
        var token = await _tokenClient.FetchAsync(challenge, scopes, credential, cancellationToken).ConfigureAwait(false);
        _cache.Add(TokenClient.Realm(challenge).AbsoluteUri, challenge["service"], token);
        return token;
    }

    private async Task<Credential> RequireBasicAsync(Uri uri, HttpMethod method, AuthChallenge challenge, CancellationToken cancellationToken)
    {
        var host = RegistryHost.FromUri(uri);
        var credential = await GetCredentialAsync(uri, cancellationToken).ConfigureAwait(false);
        if (credential is not { IsBasic: true })
        {
            var realm = challenge["realm"] is { } r ? $" (realm \"{r}\")" : string.Empty;
            throw new RegistryAuthenticationException(
                credential is null
                    ? $"{method} {uri}: registry {host} requires Basic authentication{realm} and no credentials were found for it; run 'signet login {host}' or pass --username with --password-stdin"
                    : $"{method} {uri}: registry {host} requires Basic authentication{realm} but the stored credential is a token; log in with a username and password (signet login {host})",
                method, uri, HttpStatusCode.Unauthorized);
        }

        RefuseOverPlainHttp(uri, method, "Basic credentials");
        return credential;
    }

    private void RefuseOverPlainHttp(Uri uri, HttpMethod method, string what)
    {
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback && !_options.InsecureAllowCredentialsOverHttp)
        {
            throw new RegistryAuthenticationException(
                $"{method} {uri}: refusing to send {what} over plain HTTP to {uri.Authority}, which is not loopback; use https for this registry",
                method, uri, null);
        }
    }

    private Task<Credential?> GetCredentialAsync(Uri uri, CancellationToken cancellationToken)
    {
        // One lookup per host for the handler's lifetime (a credential helper run is slow); a failed one is retried.
        // The shared lookup is not tied to one caller's token; each caller stops waiting when its own token fires.
        var host = RegistryHost.FromUri(uri);
        var lookup = _credentialLookups.GetOrAdd(host, h => _credentials.GetAsync(h, CancellationToken.None));
        if (lookup.IsFaulted || lookup.IsCanceled)
        {
            _credentialLookups.TryRemove(new KeyValuePair<string, Task<Credential?>>(host, lookup));
        }

        return lookup.WaitAsync(cancellationToken);
    }

    private HostState Learn(string authority, HttpRequestMessage request, HttpResponseMessage response)
    {
        ImmutableArray<AuthChallenge> challenges;
        try
        {
            challenges = AuthChallengeParser.Parse(ChallengeValues(response));
        }
        catch (FormatException e)
        {
            response.Dispose();
            throw new RegistryAuthenticationException($"{request.Method} {request.RequestUri}: the registry's 401 has an unusable WWW-Authenticate header: {e.Message}", request.Method, request.RequestUri, HttpStatusCode.Unauthorized, e);
        }

        var chosen = challenges.FirstOrDefault(c => c.IsBearer && c["realm"] is not null) ?? challenges.FirstOrDefault(c => c.IsBasic);
        if (chosen is null)
        {
            response.Dispose();
            throw new RegistryAuthenticationException(
                $"{request.Method} {request.RequestUri}: the registry asks for {string.Join(", ", challenges.Select(c => c.Scheme))} authentication; Signet supports Basic and Bearer (token) authentication",
                request.Method, request.RequestUri, HttpStatusCode.Unauthorized);
        }

        var state = new HostState(chosen);
        _hosts[authority] = state;
        return state;
    }

    private static ScopeSet ChallengeScopes(AuthChallenge challenge, HttpRequestMessage request)
    {
        try
        {
            return ScopeSet.Parse(challenge["scope"]);
        }
        catch (FormatException e)
        {
            throw new RegistryAuthenticationException($"{request.Method} {request.RequestUri}: the registry's Bearer challenge has a malformed scope: {e.Message}", request.Method, request.RequestUri, HttpStatusCode.Unauthorized, e);
        }
    }

    private static bool HasChallenge(HttpResponseMessage response) => ChallengeValues(response).Length > 0;

    private static string[] ChallengeValues(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values) ? [.. values] : [];

    private static bool CanResend(HttpContent? content) => content is null or ByteArrayContent or ReadOnlyMemoryContent;

    private static string Authority(Uri uri) => uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();

    private static ScopeSet ParseScopeArgument(string scope)
    {
        try
        {
            return ScopeSet.Parse(scope);
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, nameof(scope), e);
        }
    }

    /// <summary>The scopes a request needs: <see cref="ScopeOption"/> when set, else inferred from the distribution API path.</summary>
    internal static ScopeSet RequestScopes(HttpRequestMessage request)
    {
        if (request.Options.TryGetValue(ScopeOption, out var explicitScope))
        {
            return ParseScopeArgument(explicitScope);
        }

        var path = request.RequestUri!.AbsolutePath;
        if (!path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            return ScopeSet.Empty;
        }

        var marker = -1;
        foreach (var m in (ReadOnlySpan<string>)["/manifests/", "/blobs/", "/tags/", "/referrers/"])
        {
            marker = Math.Max(marker, path.LastIndexOf(m, StringComparison.Ordinal));
        }

        if (marker <= 4)
        {
            return ScopeSet.Empty;
        }

        var repository = Uri.UnescapeDataString(path[4..marker]);
        var method = request.Method;
        var actions = method == HttpMethod.Get || method == HttpMethod.Head ? "pull"
            : method == HttpMethod.Delete ? "delete"
            : "pull,push";
        var scopes = $"repository:{repository}:{actions}";
        if (method == HttpMethod.Post && QueryValue(request.RequestUri, "from") is { Length: > 0 } from && QueryValue(request.RequestUri, "mount") is not null)
        {
            scopes += $" repository:{from}:pull";
        }

        return ScopeSet.Parse(scopes);
    }

    private static string? QueryValue(Uri uri, string name)
    {
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? pair : pair[..eq];
            if (key == name)
            {
                return eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
        }

        return null;
    }

    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var parts = new List<string>();
        try
        {
            var bearer = AuthChallengeParser.Parse(ChallengeValues(response)).FirstOrDefault(c => c["error"] is not null);
            if (bearer is not null)
            {
                parts.Add($"error=\"{bearer["error"]}\"" + (bearer["error_description"] is { } d ? $" \"{d}\"" : string.Empty));
            }
        }
        catch (FormatException)
        {
            parts.Add("unparsable WWW-Authenticate");
        }

        var body = await ReadExcerptAsync(response, cancellationToken).ConfigureAwait(false);
        if (body.Length > 0)
        {
            parts.Add(body);
        }

        return parts.Count == 0 ? "401 Unauthorized" : "401: " + string.Join("; ", parts);
    }

    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new char[MaxErrorBodyChars];
            using var reader = new StreamReader(stream);
            var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            return TokenClient.Excerpt(new string(buffer, 0, read));
        }
    }

    /// <summary>What a registry authority asked for last: null when it answered without a challenge.</summary>
    private sealed record HostState(AuthChallenge? Challenge)
    {
        public static HostState Open { get; } = new((AuthChallenge?)null);
    }
}
