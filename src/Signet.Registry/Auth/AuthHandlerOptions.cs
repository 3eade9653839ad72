namespace Signet.Registry.Auth;

/// <summary>Settings for <see cref="AuthHandler"/>.</summary>
public sealed record AuthHandlerOptions
{
    /// <summary>The OAuth2 <c>client_id</c> sent with identity-token exchanges.</summary>
    public string ClientId { get; init; } = "signet";

    /// <summary>The clock for token expiry.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Unsafe: allows sending passwords, identity tokens and credential-derived tokens over plain HTTP to a host that
    /// is not loopback. Off by default; loopback hosts never need it.
    /// </summary>
    public bool InsecureAllowCredentialsOverHttp { get; init; }
}
