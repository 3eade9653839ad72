using System.CommandLine;
using Signet.Crypto;
using Signet.Signing.Keyless;
using Signet.Sigstore.Services;

namespace Signet.Cli.Commands;

/// <summary>
/// The keyless options of <c>sign</c>, <c>attest</c>, <c>sign-blob</c> and <c>sign-bundle</c>: an OIDC token (given,
/// never fetched: there is no browser flow), the Fulcio and Rekor deployments (public-good by default), optional
/// timestamp authorities, or a signing config that names them.
/// </summary>
internal static class KeylessAccess
{
    /// <summary>Sigstore's staging deployment (<c>sign-bundle --staging</c>).</summary>
    public static readonly Uri StagingFulcio = new("https://fulcio.sigstage.dev");

    public static readonly Uri StagingRekor = new("https://rekor.sigstage.dev");

    public static readonly Option<string?> IdentityTokenOption = new("--identity-token")
    {
        Description = $"Sign keyless with this OIDC token (or a file holding it); default ${IdentityToken.Variable}. Tokens only: the interactive browser flow (cosign's --oidc-issuer) is not offered.",
        HelpName = "TOKEN",
    };

    public static readonly Option<string?> FulcioUrl = new("--fulcio-url")
    {
        Description = $"Keyless: the Fulcio certificate authority (default {KeylessOptions.PublicGoodFulcio}, or the signing config's).",
        HelpName = "URL",
    };

    public static readonly Option<string?> RekorUrl = new("--rekor-url")
    {
        Description = $"Keyless: the Rekor v1 transparency log (default {KeylessOptions.PublicGoodRekor}, or the signing config's).",
        HelpName = "URL",
    };

    public static readonly Option<string?> TimestampServerUrl = new("--timestamp-server-url")
    {
        Description = "Keyless: also timestamp each signature at this RFC 3161 timestamp authority (the full URL of its endpoint).",
        HelpName = "URL",
    };

    public static readonly Option<string?> SigningConfigOption = new("--signing-config")
    {
        Description = "Keyless: take the Fulcio, Rekor and TSA URLs from this signing_config.v0.2.json; the URL options override it.",
        HelpName = "FILE",
    };

    /// <summary>The options to add to a signing command.</summary>
    public static Option[] Options => [IdentityTokenOption, FulcioUrl, RekorUrl, TimestampServerUrl, SigningConfigOption];

    /// <summary>The token from --identity-token (a token or a file holding one) or SIGSTORE_ID_TOKEN; null when neither is given.</summary>
    public static async Task<IdentityToken?> TokenAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var value = result.GetValue(IdentityTokenOption);
        if (string.IsNullOrEmpty(value))
        {
            value = Environment.GetEnvironmentVariable(IdentityToken.Variable);
            return string.IsNullOrWhiteSpace(value) ? null : IdentityToken.Parse(value);
        }

        if (File.Exists(value))
        {
            var info = new FileInfo(value);
            if (info.Length > IdentityToken.MaxBytes)
            {
                throw new InvalidDataException($"--identity-token {value} is {info.Length} bytes; a token file holds at most {IdentityToken.MaxBytes}");
            }

            value = await File.ReadAllTextAsync(value, cancellationToken).ConfigureAwait(false);
        }

        return IdentityToken.Parse(value);
    }

    /// <summary>
    /// The keyless options for <paramref name="token"/>: the signing config's selection (when given) overridden by the
    /// URL options, else the given defaults.
    /// </summary>
    public static async Task<KeylessOptions> ResolveAsync(
        ParseResult result, IdentityToken token, Uri defaultFulcio, Uri defaultRekor, string? signingConfigPath, CancellationToken cancellationToken)
    {
        SelectedServices? selected = null;
        if (signingConfigPath is not null)
        {
            var info = new FileInfo(signingConfigPath);
            if (!info.Exists)
            {
                throw new FileNotFoundException($"--signing-config {signingConfigPath}: file not found", signingConfigPath);
            }

            if (info.Length > SigningConfig.MaxBytes)
            {
                throw new InvalidDataException($"--signing-config {signingConfigPath} is {info.Length} bytes; at most {SigningConfig.MaxBytes} are read");
            }

            var config = SigningConfig.Parse(await File.ReadAllBytesAsync(signingConfigPath, cancellationToken).ConfigureAwait(false), signingConfigPath);
            selected = config.Select(DateTimeOffset.UtcNow);
        }

        var timestamp = Url(result, TimestampServerUrl);
        return new KeylessOptions
        {
            Token = token,
            FulcioUrl = Url(result, FulcioUrl) ?? selected?.CertificateAuthority ?? defaultFulcio,
            RekorUrls = Url(result, RekorUrl) is { } rekor ? [rekor] : selected?.TransparencyLogs ?? [defaultRekor],
            TimestampUrls = timestamp is not null ? [timestamp] : selected?.TimestampAuthorities ?? [],
        };
    }

    /// <summary>A keyless signer for the command's options, or null when no token was given.</summary>
    public static async Task<KeylessSigner?> TryCreateSignerAsync(ParseResult result, HttpClient http, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(result, cancellationToken).ConfigureAwait(false);
        if (token is null)
        {
            return null;
        }

        var options = await ResolveAsync(result, token, KeylessOptions.PublicGoodFulcio, KeylessOptions.PublicGoodRekor, result.GetValue(SigningConfigOption), cancellationToken).ConfigureAwait(false);
        return await KeylessSigner.CreateAsync(http, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The signer of a signing command: the --key (through <paramref name="loadKey"/>) when one is given, else a keyless
    /// signer for the token. Neither, or --key together with --identity-token, is a usage error.
    /// </summary>
    public static async Task<ISigner> SignerAsync(
        ParseResult result, string? key, Func<string, Task<ISigner>> loadKey, HttpClient http, CancellationToken cancellationToken)
    {
        if (key is not null)
        {
            return result.GetValue(IdentityTokenOption) is null
                ? await loadKey(key).ConfigureAwait(false)
                : throw new ArgumentException("--key and --identity-token exclude each other: sign with a key, or keyless with a token");
        }

        return await TryCreateSignerAsync(result, http, cancellationToken).ConfigureAwait(false) ?? throw NoKeyNoToken();
    }

    /// <summary>The usage error for a signing command given neither a key nor a token.</summary>
    public static ArgumentException NoKeyNoToken() => new(
        $"give --key REF to sign with a key, or an OIDC identity token with --identity-token or {IdentityToken.Variable} to sign keyless " +
        "(Signet does not run the interactive browser flow)");

    private static Uri? Url(ParseResult result, Option<string?> option)
    {
        var value = result.GetValue(option);
        if (value is null)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new ArgumentException($"{option.Name} '{value}' is not an http or https URL");
    }
}
