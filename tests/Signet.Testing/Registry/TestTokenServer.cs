using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Signet.Testing.Registry;

/// <summary>The JWT signature algorithm the test token server uses.</summary>
public enum TokenSigningAlgorithm
{
    ES256,
    RS256,
}

/// <summary>What one account may do: <paramref name="Repository"/> is a name, <c>prefix/*</c>, or <c>*</c>.</summary>
public sealed record TokenGrant(string Repository, ImmutableArray<string> Actions)
{
    public bool Matches(string repository) =>
        Repository == "*"
        || Repository == repository
        || (Repository.EndsWith("/*", StringComparison.Ordinal) && repository.StartsWith(Repository[..^1], StringComparison.Ordinal));
}

/// <summary>An account of the test token server: a password, an optional identity (refresh) token, and its grants.</summary>
public sealed record TokenAccount(string Username, string Password, ImmutableArray<TokenGrant> Grants, string? IdentityToken = null);

/// <summary>One request the token server answered, for assertions.</summary>
public sealed record TokenRequestRecord(string Method, string? Username, ImmutableArray<string> Scopes, HttpStatusCode Status);

/// <summary>
/// A distribution token server for tests (distribution <c>token.md</c>, <c>jwt.md</c>, <c>oauth.md</c>), on Kestrel at
/// 127.0.0.1 with a free port. <c>GET /token?service=&amp;scope=</c> with Basic credentials or anonymously, and
/// <c>POST /token</c> with <c>grant_type=refresh_token</c> or <c>password</c>. Tokens are JWTs signed with a fresh key
/// whose self-signed certificate is in the <c>x5c</c> header and in <see cref="RootCertificatePem"/> (the registry's
/// <c>rootcertbundle</c>). Each requested action is granted only when an account grant allows it; a wrong password is a 401.
/// </summary>
public sealed class TestTokenServer : IAsyncDisposable
{
    public const string Service = "signet-test-registry";
    public const string Issuer = "signet-test-token-issuer";

    private readonly WebApplication _app;
    private readonly ImmutableDictionary<string, TokenAccount> _accounts;
    private readonly TokenSigningAlgorithm _algorithm;
    private readonly AsymmetricAlgorithm _key;
    private readonly X509Certificate2 _certificate;
    private readonly TimeSpan _lifetime;
    private readonly ConcurrentQueue<TokenRequestRecord> _requests = new();

    private TestTokenServer(WebApplication app, IEnumerable<TokenAccount> accounts, TokenSigningAlgorithm algorithm, TimeSpan lifetime)
    {
        _app = app;
        _accounts = accounts.ToImmutableDictionary(a => a.Username, StringComparer.Ordinal);
        _algorithm = algorithm;
        _lifetime = lifetime;
        (_key, _certificate) = CreateSigningKey(algorithm);
        RootCertificatePem = _certificate.ExportCertificatePem() + "\n";
    }

    /// <summary>The token endpoint, as the registry's <c>auth.token.realm</c>.</summary>
    public Uri Realm { get; private set; } = null!;

    /// <summary>The PEM the registry trusts (its <c>rootcertbundle</c>).</summary>
    public string RootCertificatePem { get; }

    /// <summary>Every request answered so far, in order.</summary>
    public IReadOnlyList<TokenRequestRecord> Requests => [.. _requests];

    /// <summary>How many tokens were asked for (successful or not).</summary>
    public int RequestCount => _requests.Count;

    public static async Task<TestTokenServer> StartAsync(
        IEnumerable<TokenAccount> accounts,
        TokenSigningAlgorithm algorithm = TokenSigningAlgorithm.ES256,
        TimeSpan? lifetime = null,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new TestTokenServer(app, accounts, algorithm, lifetime ?? TimeSpan.FromMinutes(5));
        app.MapGet("/token", (Func<HttpContext, IResult>)server.HandleGet);
        app.MapPost("/token", (Func<HttpContext, Task<IResult>>)server.HandlePostAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Realm = new Uri(new Uri(address), "/token");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
        _certificate.Dispose();
    }

    private IResult HandleGet(HttpContext context)
    {
        var scopes = context.Request.Query["scope"].Where(s => !string.IsNullOrEmpty(s)).SelectMany(s => s!.Split(' ')).ToImmutableArray();
        TokenAccount? account = null;
        if (context.Request.Headers.Authorization.ToString() is { Length: > 0 } header)
        {
            if (!TryBasic(header, out var user, out var password) || !_accounts.TryGetValue(user, out account) || account.Password != password)
            {
                return Record("GET", user, scopes, Results.Json(new { errors = new[] { new { code = "UNAUTHORIZED", message = "invalid username or password" } } }, statusCode: 401));
            }
        }

        return Issue("GET", context.Request.Query["service"].ToString(), account, scopes, oauth: false);
    }

    private async Task<IResult> HandlePostAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var scopes = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToImmutableArray();
        var grantType = form["grant_type"].ToString();
        TokenAccount? account = grantType switch
        {
            "refresh_token" => _accounts.Values.FirstOrDefault(a => a.IdentityToken is not null && a.IdentityToken == form["refresh_token"].ToString()),
            "password" => _accounts.TryGetValue(form["username"].ToString(), out var a) && a.Password == form["password"].ToString() ? a : null,
            _ => null,
        };
        return account is null
            ? Record("POST", form["username"].ToString(), scopes, Results.Json(new { error = "invalid_grant", error_description = $"grant '{grantType}' refused" }, statusCode: 401))
            : Issue("POST", form["service"].ToString(), account, scopes, oauth: true);
    }

    private IResult Issue(string method, string service, TokenAccount? account, ImmutableArray<string> scopes, bool oauth)
    {
        if (service != Service)
        {
            return Record(method, account?.Username, scopes, Results.Json(new { errors = new[] { new { code = "DENIED", message = $"unknown service '{service}'" } } }, statusCode: 400));
        }

        var access = new JsonArray();
        foreach (var scope in scopes)
        {
            var parts = scope.Split(':');
            if (parts.Length < 3 || parts[0] != "repository")
            {
                continue;
            }

            var name = string.Join(':', parts[1..^1]);
            var granted = parts[^1].Split(',')
                .Where(action => account is not null && account.Grants.Any(g => g.Matches(name) && (g.Actions.Contains(action) || g.Actions.Contains("*"))))
                .Distinct()
                .ToArray();
            access.Add(new JsonObject { ["type"] = "repository", ["name"] = name, ["actions"] = new JsonArray([.. granted.Select(a => (JsonNode)a)]) });
        }

        var now = DateTimeOffset.UtcNow;
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = account?.Username ?? string.Empty,
            ["aud"] = Service,
            ["exp"] = (now + _lifetime).ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds() - 1,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var token = Sign(claims);
        var body = new JsonObject
        {
            [oauth ? "access_token" : "token"] = token,
            ["expires_in"] = (long)_lifetime.TotalSeconds,
            ["issued_at"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        return Record(method, account?.Username, scopes, Results.Text(body.ToJsonString(), "application/json"));
    }

    private string Sign(JsonObject claims)
    {
        var header = new JsonObject
        {
            ["typ"] = "JWT",
            ["alg"] = _algorithm.ToString(),
            ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)),
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = _key switch
        {
            // JWS ES256 is the raw R||S pair (IEEE P1363), which is .NET's default ECDSA signature format.
            ECDsa ec => ec.SignData(data, HashAlgorithmName.SHA256),
            RSA rsa => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new InvalidOperationException("unsupported key"),
        };
        return signingInput + "." + Base64Url(signature);
    }

    private IResult Record(string method, string? user, ImmutableArray<string> scopes, IResult result)
    {
        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? (HttpStatusCode)code : HttpStatusCode.OK;
        _requests.Enqueue(new TokenRequestRecord(method, string.IsNullOrEmpty(user) ? null : user, scopes, status));
        return result;
    }

    private static bool TryBasic(string header, out string user, out string password)
    {
        user = password = string.Empty;
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return false;
            }

            (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static (AsymmetricAlgorithm Key, X509Certificate2 Certificate) CreateSigningKey(TokenSigningAlgorithm algorithm)
    {
        var subject = new X500DistinguishedName("CN=Signet test token issuer");
        CertificateRequest request;
        AsymmetricAlgorithm key;
        if (algorithm == TokenSigningAlgorithm.ES256)
        {
            var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            request = new CertificateRequest(subject, ec, HashAlgorithmName.SHA256);
            key = ec;
        }
        else
        {
            var rsa = RSA.Create(2048);
            request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            key = rsa;
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        var now = DateTimeOffset.UtcNow;
        return (key, request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1)));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
