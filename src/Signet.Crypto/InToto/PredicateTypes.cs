using System.Diagnostics.CodeAnalysis;

namespace Signet.Crypto.InToto;

/// <summary>
/// Predicate type URIs and the short names cosign accepts for <c>--type</c> (cosign
/// <c>cmd/cosign/cli/options/predicate.go</c>).
/// </summary>
public static class PredicateTypes
{
    public const string Custom = "https://cosign.sigstore.dev/attestation/v1";
    public const string SlsaProvenance02 = "https://slsa.dev/provenance/v0.2";
    public const string SlsaProvenance1 = "https://slsa.dev/provenance/v1";
    public const string Spdx = "https://spdx.dev/Document";
    public const string CycloneDx = "https://cyclonedx.org/bom";
    public const string Link = "https://in-toto.io/Link/v1";
    public const string Vuln = "https://cosign.sigstore.dev/attestation/vuln/v1";
    public const string OpenVex = "https://openvex.dev/ns";

    /// <summary>What cosign v3 signs for an image signature: a statement with this predicate type and predicate <c>{}</c>.</summary>
    public const string CosignSign = "https://sigstore.dev/cosign/sign/v1";

    /// <summary>The short names, each with its URI.</summary>
    public static IReadOnlyDictionary<string, string> ShortNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["custom"] = Custom,
        ["slsaprovenance"] = SlsaProvenance02,
        ["slsaprovenance02"] = SlsaProvenance02,
        ["slsaprovenance1"] = SlsaProvenance1,
        ["spdx"] = Spdx,
        ["spdxjson"] = Spdx,
        ["cyclonedx"] = CycloneDx,
        ["link"] = Link,
        ["vuln"] = Vuln,
        ["openvex"] = OpenVex,
    }.AsReadOnly();

    /// <summary>
    /// Maps a <c>--type</c> value to its predicate type URI: a short name, or any absolute URI as given. Throws
    /// <see cref="ArgumentException"/> naming the short names otherwise.
    /// </summary>
    public static string Resolve(string value) =>
        TryResolve(value, out var uri)
            ? uri
            : throw new ArgumentException($"predicate type '{value}' is neither a short name ({string.Join(", ", ShortNames.Keys)}) nor an absolute URI", nameof(value));

    public static bool TryResolve([NotNullWhen(true)] string? value, [NotNullWhen(true)] out string? uri)
    {
        uri = null;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        if (ShortNames.TryGetValue(value, out var known))
        {
            uri = known;
            return true;
        }

        if (IsAbsoluteUri(value))
        {
            uri = value;
            return true;
        }

        return false;
    }

    /// <summary>An RFC 3986 absolute URI: a scheme, a colon and something after it, no spaces or control characters.</summary>
    public static bool IsAbsoluteUri(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == value.Length - 1 || !char.IsAsciiLetter(value[0]))
        {
            return false;
        }

        for (var i = 1; i < colon; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(value[i]) || value[i] is '+' or '-' or '.'))
            {
                return false;
            }
        }

        foreach (var c in value)
        {
            if (c <= ' ' || c == '\u007f')
            {
                return false;
            }
        }

        return Uri.TryCreate(value, UriKind.Absolute, out _);
    }
}
