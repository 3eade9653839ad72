using System.Text;
using System.Text.Json;
using Signet.Oci.Json;

namespace Signet.Sigstore.Services;

/// <summary>A malformed OIDC identity token.</summary>
public class IdentityTokenException : FormatException
{
    public IdentityTokenException()
    {
    }

    public IdentityTokenException(string message)
        : base(message)
    {
    }

    public IdentityTokenException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// An OIDC identity token (a JWT) as Fulcio takes it. Signet does not verify the token's signature (Fulcio does); it
/// reads the claims it needs: the issuer, and the subject the proof of possession signs, which is the <c>email</c> claim
/// when there is one (it must then be verified, <c>email_verified: true</c>) and the <c>sub</c> claim otherwise, as
/// Fulcio and sigstore-js choose it.
/// </summary>
public sealed record IdentityToken
{
    /// <summary>Largest token accepted.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The environment variable sigstore clients read a token from.</summary>
    public const string Variable = "SIGSTORE_ID_TOKEN";

    /// <summary>The token exactly as given.</summary>
    public required string Raw { get; init; }

    /// <summary>The <c>iss</c> claim; null when absent.</summary>
    public string? Issuer { get; init; }

    /// <summary>What the proof of possession signs: <c>email</c> or <c>sub</c>.</summary>
    public required string Subject { get; init; }

    /// <summary>Reads the claims of a compact JWT (three base64url parts); throws <see cref="IdentityTokenException"/>.</summary>
    public static IdentityToken Parse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        token = token.Trim();
        if (token.Length == 0)
        {
            throw new IdentityTokenException("the identity token is empty; pass an OIDC token with --identity-token or SIGSTORE_ID_TOKEN");
        }

        if (token.Length > MaxBytes)
        {
            throw new IdentityTokenException($"the identity token is {token.Length} characters long; at most {MaxBytes} are accepted");
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            throw new IdentityTokenException($"the identity token is not a JWT: it has {parts.Length} dot-separated parts, a JWT has 3 (header.claims.signature)");
        }

        byte[] claims;
        try
        {
            claims = Base64Url(parts[1]);
        }
        catch (FormatException e)
        {
            throw new IdentityTokenException("the identity token's claims (its second part) are not base64url", e);
        }

        var json = new StrictJson("identity token claims", (message, inner) => new IdentityTokenException(message, inner));
        using var document = json.Parse(claims);
        var root = json.RequireObject(document.RootElement, string.Empty);
        var issuer = json.OptionalString(root, "iss", string.Empty);
        var email = json.OptionalString(root, "email", string.Empty);
        if (email is not null)
        {
            if (!(StrictJson.TryGet(root, "email_verified", out var verified) && verified.ValueKind == JsonValueKind.True))
            {
                throw new IdentityTokenException($"the identity token names the email {email} but its issuer has not verified it (email_verified is not true); Fulcio refuses such tokens");
            }

            return new IdentityToken { Raw = token, Issuer = issuer, Subject = email };
        }

        var subject = json.OptionalString(root, "sub", string.Empty);
        return subject is { Length: > 0 }
            ? new IdentityToken { Raw = token, Issuer = issuer, Subject = subject }
            : throw new IdentityTokenException("the identity token has neither an email nor a sub claim, so there is no identity to certify");
    }

    private static byte[] Base64Url(string text)
    {
        var standard = new StringBuilder(text.Length + 3).Append(text.Replace('-', '+').Replace('_', '/'));
        while (standard.Length % 4 != 0)
        {
            standard.Append('=');
        }

        return Convert.FromBase64String(standard.ToString());
    }

    /// <summary>The token without its claims, for messages (a token is a credential and is never printed).</summary>
    public override string ToString() => $"identity token for {Subject} from {Issuer ?? "an unnamed issuer"}";
}
