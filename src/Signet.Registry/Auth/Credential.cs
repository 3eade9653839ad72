namespace Signet.Registry.Auth;

/// <summary>
/// A secret that authenticates to one registry: a username and password, an identity (refresh) token that is
/// exchanged at the token server (distribution <c>oauth.md</c>), or a registry (bearer) token sent as is.
/// </summary>
/// <remarks><see cref="ToString"/> never prints the secret.</remarks>
public sealed record Credential
{
    private Credential(string? username, string? password, string? identityToken, string? registryToken)
    {
        Username = username;
        Password = password;
        IdentityToken = identityToken;
        RegistryToken = registryToken;
    }

    /// <summary>The account name; set for <see cref="Basic"/> and optionally for identity tokens.</summary>
    public string? Username { get; }

    /// <summary>The password for <see cref="Username"/>.</summary>
    public string? Password { get; }

    /// <summary>An OAuth2 refresh token (Docker's <c>identitytoken</c>), exchanged with <c>grant_type=refresh_token</c>.</summary>
    public string? IdentityToken { get; }

    /// <summary>A bearer token for the registry itself (Docker's <c>registrytoken</c>); no token server round trip.</summary>
    public string? RegistryToken { get; }

    /// <summary>True when this credential is a username and password.</summary>
    public bool IsBasic => Username is not null && Password is not null;

    /// <summary>A username and password credential.</summary>
    public static Credential Basic(string username, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        return username.Contains(':', StringComparison.Ordinal)
            ? throw new ArgumentException($"the username '{username}' contains ':', which Basic authentication cannot carry; use the account name without ':'", nameof(username))
            : new Credential(username, password, null, null);
    }

    /// <summary>An identity (refresh) token; <paramref name="username"/> is sent as the OAuth2 <c>username</c> hint when known.</summary>
    public static Credential FromIdentityToken(string identityToken, string? username = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(identityToken);
        return new Credential(string.IsNullOrEmpty(username) ? null : username, null, identityToken, null);
    }

    /// <summary>A bearer token sent to the registry as is.</summary>
    public static Credential FromRegistryToken(string registryToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(registryToken);
        return new Credential(null, null, null, registryToken);
    }

    /// <summary>Describes the kind of credential and the user, never the secret.</summary>
    public override string ToString() => this switch
    {
        { IsBasic: true } => $"Credential {{ Basic, Username = {Username} }}",
        { IdentityToken: not null } => $"Credential {{ IdentityToken, Username = {Username ?? "(none)"} }}",
        _ => "Credential { RegistryToken }",
    };
}
