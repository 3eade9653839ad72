using System.Collections.Immutable;

namespace Signet.Sigstore.Certificates;

/// <summary>
/// Who must have signed: a subject alternative name (exact or an anchored regular expression), an OIDC issuer (exact
/// or anchored regular expression) and exact values of further Fulcio extensions by OID.
/// </summary>
public sealed record CertificateIdentityPolicy
{
    public string? SubjectAlternativeName { get; init; }

    public string? SubjectAlternativeNameRegex { get; init; }

    public string? Issuer { get; init; }

    public string? IssuerRegex { get; init; }

    public ImmutableSortedDictionary<string, string> Extensions { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public CheckResult Match(FulcioCertificate certificate) => throw new NotImplementedException();
}
