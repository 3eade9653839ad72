using System.Collections.Immutable;

namespace Signet.Sigstore.Certificates;

/// <summary>
/// The X.509 extensions Fulcio writes into signing certificates (Fulcio <c>docs/oid-info.md</c>, arc
/// 1.3.6.1.4.1.57264.1). The deprecated .1.1 to .1.6 hold their value as raw bytes; .1.8 and later hold a DER
/// UTF8String. .1.7 is not an extension: it is the type id of the OtherName subject alternative name Fulcio writes
/// for usernames.
/// </summary>
public static class FulcioExtensions
{
    /// <summary>The Fulcio OID arc; every Fulcio extension is <c>Arc.N</c>.</summary>
    public const string Arc = "1.3.6.1.4.1.57264.1";

    /// <summary>OIDC issuer, raw bytes (deprecated in favour of <see cref="Issuer"/>).</summary>
    public const string IssuerV1 = Arc + ".1";

    /// <summary>OtherName SAN type id: a UTF8String username.</summary>
    public const string OtherNameSan = Arc + ".7";

    /// <summary>OIDC issuer, DER UTF8String.</summary>
    public const string Issuer = Arc + ".8";

    /// <summary>Highest extension number read into <see cref="FulcioCertificate.Extensions"/>.</summary>
    public const int LastKnown = 22;

    private static readonly ImmutableDictionary<string, int> Numbers = Enumerable.Range(1, LastKnown)
        .Where(n => n != 7)
        .ToImmutableDictionary(n => $"{Arc}.{n}", n => n, StringComparer.Ordinal);

    /// <summary>
    /// Names for the extensions, as the cosign flags <c>--certificate-github-workflow-*</c> and Fulcio's documentation
    /// spell them, to their OIDs. The CLI uses them to build <see cref="CertificateIdentityPolicy.Extensions"/>.
    /// </summary>
    public static readonly ImmutableSortedDictionary<string, string> ByName = new Dictionary<string, string>
    {
        ["issuer-v1"] = IssuerV1,
        ["github-workflow-trigger"] = Arc + ".2",
        ["github-workflow-sha"] = Arc + ".3",
        ["github-workflow-name"] = Arc + ".4",
        ["github-workflow-repository"] = Arc + ".5",
        ["github-workflow-ref"] = Arc + ".6",
        ["issuer"] = Issuer,
        ["build-signer-uri"] = Arc + ".9",
        ["build-signer-digest"] = Arc + ".10",
        ["runner-environment"] = Arc + ".11",
        ["source-repository-uri"] = Arc + ".12",
        ["source-repository-digest"] = Arc + ".13",
        ["source-repository-ref"] = Arc + ".14",
        ["source-repository-identifier"] = Arc + ".15",
        ["source-repository-owner-uri"] = Arc + ".16",
        ["source-repository-owner-identifier"] = Arc + ".17",
        ["build-config-uri"] = Arc + ".18",
        ["build-config-digest"] = Arc + ".19",
        ["build-trigger"] = Arc + ".20",
        ["run-invocation-uri"] = Arc + ".21",
        ["source-repository-visibility-at-signing"] = Arc + ".22",
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The extension number N of a Fulcio OID <c>Arc.N</c> with 1 &lt;= N &lt;= <see cref="LastKnown"/>, except the
    /// OtherName type id .7; 0 for any other OID.
    /// </summary>
    public static int Number(string oid)
    {
        ArgumentNullException.ThrowIfNull(oid);
        return Numbers.GetValueOrDefault(oid);
    }

    /// <summary>True for .1.1 to .1.6, whose value is the raw bytes of the text rather than a DER UTF8String.</summary>
    public static bool IsRawValue(int number) => number is >= 1 and <= 6;

    /// <summary>
    /// Builds the OID-keyed extension map of an identity policy from extension names (<see cref="ByName"/>) or OIDs
    /// of the Fulcio arc; throws <see cref="ArgumentException"/> naming the known names for anything else.
    /// </summary>
    public static ImmutableSortedDictionary<string, string> FromNames(IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            var oid = ByName.TryGetValue(name, out var known) ? known
                : Number(name) > 0 ? name
                : throw new ArgumentException($"'{name}' is not a Fulcio certificate extension; use an OID {Arc}.N or one of: {string.Join(", ", ByName.Keys)}", nameof(values));
            if (!builder.TryAdd(oid, value))
            {
                throw new ArgumentException($"Fulcio extension '{name}' ({oid}) is given twice; give each extension once", nameof(values));
            }
        }

        return builder.ToImmutable();
    }
}
