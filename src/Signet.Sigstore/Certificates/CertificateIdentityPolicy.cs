using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Signet.Sigstore.Certificates;

/// <summary>
/// Who must have signed: a subject alternative name (exact or an anchored regular expression), an OIDC issuer (exact
/// or anchored regular expression) and exact values of further Fulcio extensions by OID.
/// </summary>
/// <remarks>
/// A name matches when any subject alternative name of the certificate (email, URI, DNS, IP address or Fulcio
/// username) equals <see cref="SubjectAlternativeName"/> and any matches <see cref="SubjectAlternativeNameRegex"/>
/// (both when both are set). Regular expressions are .NET syntax and must match the whole value (they are wrapped
/// as <c>\A(?:...)\z</c>), each match limited to <see cref="MatchTimeout"/>. At least one SAN or issuer constraint is
/// required, so that an empty policy never accepts any certificate.
/// </remarks>
public sealed record CertificateIdentityPolicy
{
    /// <summary>Longest a regular expression may take on one value before the match fails (CRT1017).</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    public string? SubjectAlternativeName { get; init; }

    public string? SubjectAlternativeNameRegex { get; init; }

    public string? Issuer { get; init; }

    public string? IssuerRegex { get; init; }

    /// <summary>Fulcio extensions by OID with their exact expected value; <see cref="FulcioExtensions.FromNames"/> builds it from names.</summary>
    public ImmutableSortedDictionary<string, string> Extensions { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public CheckResult Match(FulcioCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!IsSet(SubjectAlternativeName) && !IsSet(SubjectAlternativeNameRegex) && !IsSet(Issuer) && !IsSet(IssuerRegex))
        {
            return CheckResult.Fail(CertificateCodes.NoIdentityGiven,
                "no certificate identity or OIDC issuer was given, so any certificate would match; give --certificate-identity[-regexp] and --certificate-oidc-issuer[-regexp]");
        }

        if (!TryCompile(SubjectAlternativeNameRegex, "certificate identity", out var sanRegex, out var failure)
            || !TryCompile(IssuerRegex, "OIDC issuer", out var issuerRegex, out failure))
        {
            return failure;
        }

        try
        {
            return MatchSans(certificate, sanRegex) is { IsValid: false } sans ? sans
                : MatchIssuer(certificate, issuerRegex) is { IsValid: false } issuer ? issuer
                : MatchExtensions(certificate);
        }
        catch (RegexMatchTimeoutException e)
        {
            return CheckResult.Fail(CertificateCodes.RegexTimeout,
                $"the regular expression '{e.Pattern}' took longer than {MatchTimeout.TotalSeconds:0.#} s on '{e.Input}'; simplify it (avoid nested repetition)");
        }
    }

    private CheckResult MatchSans(FulcioCertificate certificate, Regex? regex)
    {
        var values = certificate.SubjectAlternativeNames.Select(s => s.Value).ToList();
        var exactFails = IsSet(SubjectAlternativeName) && !values.Contains(SubjectAlternativeName!, StringComparer.Ordinal);
        if (!exactFails && (regex is null || values.Any(regex.IsMatch)))
        {
            return CheckResult.Success;
        }

        var expected = exactFails ? $"'{SubjectAlternativeName}'" : $"a name matching '{SubjectAlternativeNameRegex}' (whole value)";
        var found = values.Count == 0 ? "none" : string.Join(", ", certificate.SubjectAlternativeNames.Select(s => $"{s.Kind} '{s.Value}'"));
        return CheckResult.Fail(CertificateCodes.SanMismatch,
            $"signing certificate's subject alternative names ({found}) do not include {expected}; the artifact was signed by another identity, or --certificate-identity is wrong");
    }

    private CheckResult MatchIssuer(FulcioCertificate certificate, Regex? regex)
    {
        if (!IsSet(Issuer) && regex is null)
        {
            return CheckResult.Success;
        }

        var actual = certificate.Issuer;
        if (actual is not null && (!IsSet(Issuer) || actual == Issuer) && (regex is null || regex.IsMatch(actual)))
        {
            return CheckResult.Success;
        }

        var expected = IsSet(Issuer) && actual != Issuer ? $"'{Issuer}'" : $"an issuer matching '{IssuerRegex}' (whole value)";
        return CheckResult.Fail(CertificateCodes.IssuerMismatch, actual is null
            ? $"signing certificate names no OIDC issuer (extension {FulcioExtensions.Issuer} or {FulcioExtensions.IssuerV1}), {expected} was expected; it is not a Fulcio certificate"
            : $"signing certificate's OIDC issuer is '{actual}', {expected} was expected; the identity was verified by another provider, or --certificate-oidc-issuer is wrong");
    }

    private CheckResult MatchExtensions(FulcioCertificate certificate)
    {
        foreach (var (oid, expected) in Extensions)
        {
            var name = FulcioExtensions.ByName.FirstOrDefault(p => p.Value == oid).Key is { } known ? $"{known} ({oid})" : oid;
            if (!certificate.Extensions.TryGetValue(oid, out var actual))
            {
                return CheckResult.Fail(CertificateCodes.ExtensionMismatch,
                    $"signing certificate has no Fulcio extension {name}; '{expected}' was expected (the signer's identity provider did not supply this claim)");
            }

            if (actual != expected)
            {
                return CheckResult.Fail(CertificateCodes.ExtensionMismatch,
                    $"signing certificate's Fulcio extension {name} is '{actual}', '{expected}' was expected; the artifact was signed by another workflow, repository or ref");
            }
        }

        return CheckResult.Success;
    }

    private static bool TryCompile(string? pattern, string what, out Regex? regex, out CheckResult failure)
    {
        regex = null;
        failure = CheckResult.Success;
        if (!IsSet(pattern))
        {
            return true;
        }

        try
        {
            // Compiled alone first: a pattern with an unbalanced ')' could otherwise close the anchoring group.
            _ = new Regex(pattern!, RegexOptions.None, MatchTimeout);
            regex = new Regex($@"\A(?:{pattern})\z", RegexOptions.None, MatchTimeout);
            return true;
        }
        catch (ArgumentException e)
        {
            failure = CheckResult.Fail(CertificateCodes.InvalidRegex, $"the {what} regular expression '{pattern}' is not valid: {e.Message}");
            return false;
        }
    }

    private static bool IsSet(string? value) => !string.IsNullOrEmpty(value);
}
