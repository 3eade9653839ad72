using System.Collections.Immutable;
using Signet.Sigstore.Services;
using Signet.Sigstore.TrustedRoots;

namespace Signet.Signing.Keyless;

/// <summary>Where a keyless signature is certified, logged and timestamped, and with which identity.</summary>
public sealed record KeylessOptions
{
    /// <summary>The public-good Fulcio, the default certificate authority.</summary>
    public static readonly Uri PublicGoodFulcio = new("https://fulcio.sigstore.dev");

    /// <summary>The public-good Rekor, the default transparency log.</summary>
    public static readonly Uri PublicGoodRekor = new("https://rekor.sigstore.dev");

    /// <summary>The OIDC token whose identity Fulcio certifies.</summary>
    public required IdentityToken Token { get; init; }

    public required Uri FulcioUrl { get; init; }

    /// <summary>The Rekor v1 logs every signature is uploaded to (one entry each; at least one).</summary>
    public required ImmutableArray<Uri> RekorUrls { get; init; }

    /// <summary>Full URLs of RFC 3161 timestamp authorities; each signature is timestamped by every one (none by default).</summary>
    public ImmutableArray<Uri> TimestampUrls { get; init; } = [];

    public ServiceOptions Service { get; init; } = ServiceOptions.Default;

    /// <summary>
    /// When given, what the services return is checked before it is used: the Fulcio leaf must chain to one of this
    /// root's certificate authorities and carry an SCT of one of its CT logs, every log entry's SET and inclusion proof
    /// (with the checkpoint) must verify with the key this root holds for the log, and every RFC 3161 timestamp must
    /// verify against the root's timestamp authorities.
    /// </summary>
    public TrustedRoot? TrustedRoot { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the fix when something needed is missing.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Token);
        ArgumentNullException.ThrowIfNull(FulcioUrl);
        if (RekorUrls.IsDefaultOrEmpty)
        {
            throw new ArgumentException("keyless signing needs a transparency log: give --rekor-url (or a signing config with rekorTlogUrls)");
        }

        Service.Validate();
    }
}
