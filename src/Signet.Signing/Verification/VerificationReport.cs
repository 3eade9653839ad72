using System.Collections.Immutable;
using Signet.Crypto;
using Signet.Crypto.InToto;
using Signet.Oci;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.Timestamps;
using Signet.Sigstore.TrustedRoots;

namespace Signet.Signing.Verification;

/// <summary>
/// Who must have signed and which claims a verification requires: keys (<c>--key</c>) or a keyless identity
/// (<c>--certificate-identity</c>...), never both.
/// </summary>
public sealed record VerifyOptions
{
    /// <summary>The keys any of which may have made a signature; empty for a keyless verification.</summary>
    public ImmutableArray<PublicKey> Keys { get; init; } = [];

    /// <summary>The certificate identity a keyless signature must carry; null when verifying with keys.</summary>
    public CertificateIdentityPolicy? Identity { get; init; }

    /// <summary>The Sigstore trusted root keyless signatures are verified against (required with <see cref="Identity"/>).</summary>
    public TrustedRoot? TrustedRoot { get; init; }

    /// <summary>Unsafe: accept keyless signatures without transparency log evidence (<c>--insecure-ignore-tlog</c>).</summary>
    public bool InsecureIgnoreTlog { get; init; }

    /// <summary>True when signatures are verified by certificate identity rather than by key.</summary>
    public bool Keyless => Identity is not null;

    /// <summary>How many distinct keys must have made a valid signature (default 1).</summary>
    public int Threshold { get; init; } = 1;

    /// <summary><c>-a key=value</c>: each must appear in the simple-signing <c>optional</c> object or on the statement subject.</summary>
    public ImmutableSortedDictionary<string, string> Annotations { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>For attestations: only statements of this predicate type (short name or URI); null for all.</summary>
    public string? PredicateType { get; init; }

    /// <summary>Checks the options once, with messages that name the fix.</summary>
    public void Validate()
    {
        var keys = Keys.IsDefault ? 0 : Keys.Length;
        if (keys == 0 && Identity is null)
        {
            throw new ArgumentException(
                "verification needs a key or a keyless identity: give --key, or --certificate-identity (or --certificate-identity-regexp) " +
                "with --certificate-oidc-issuer (or --certificate-oidc-issuer-regexp)");
        }

        if (keys > 0 && Identity is not null)
        {
            throw new ArgumentException("--key and the --certificate-* identity options exclude each other: verify key-signed images with --key, keyless-signed ones by identity");
        }

        if (Identity is { } identity)
        {
            ValidateIdentity(identity);
        }
        else if (Threshold < 1 || Threshold > keys)
        {
            throw new ArgumentException($"--threshold {Threshold} must be between 1 and the number of keys given ({keys})");
        }

        if (PredicateType is not null && !PredicateTypes.TryResolve(PredicateType, out _))
        {
            throw new ArgumentException($"--type '{PredicateType}' is neither a short name ({string.Join(", ", PredicateTypes.ShortNames.Keys)}) nor a URI");
        }
    }

    private void ValidateIdentity(CertificateIdentityPolicy identity)
    {
        if (Threshold != 1)
        {
            throw new ArgumentException($"--threshold {Threshold} counts distinct keys and needs --key; a keyless verification passes when one signature of the identity verifies");
        }

        Exclusive(identity.SubjectAlternativeName, identity.SubjectAlternativeNameRegex, "--certificate-identity", "the signer's identity (an email address or URI)");
        Exclusive(identity.Issuer, identity.IssuerRegex, "--certificate-oidc-issuer", "the OIDC issuer that vouched for it (e.g. https://token.actions.githubusercontent.com)");
        foreach (var (pattern, option) in new[] { (identity.SubjectAlternativeNameRegex, "--certificate-identity-regexp"), (identity.IssuerRegex, "--certificate-oidc-issuer-regexp") })
        {
            if (pattern is null)
            {
                continue;
            }

            try
            {
                _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{option} '{pattern}' is not a valid regular expression: {e.Message}", e);
            }
        }
    }

    private static void Exclusive(string? exact, string? pattern, string option, string what)
    {
        if (exact is null == pattern is null)
        {
            throw new ArgumentException(exact is null
                ? $"keyless verification needs {option} or {option}-regexp: {what}"
                : $"{option} and {option}-regexp exclude each other; give one");
        }
    }
}

/// <summary>One signature or attestation found, and what became of it.</summary>
public sealed record SignatureCheck
{
    public required SignatureFormat Format { get; init; }

    /// <summary>Where it was found: <c>sha256-….sig layer 2</c> or <c>referrer sha256:…</c>.</summary>
    public required string Location { get; init; }

    /// <summary>The payload, envelope or bundle blob (null when the check failed before a blob was named).</summary>
    public Digest? Blob { get; init; }

    /// <summary>True when a given key (or, keyless, the Sigstore evidence for the identity) verified it and every claim held.</summary>
    public required bool Verified { get; init; }

    /// <summary>The failure code (<see cref="SignatureCodes"/>) or null when verified.</summary>
    public string? Code { get; init; }

    /// <summary>What failed and what to do, or a short description when verified.</summary>
    public required string Message { get; init; }

    /// <summary>The index into <see cref="VerifyOptions.Keys"/> of the key that verified the signature.</summary>
    public int? KeyIndex { get; init; }

    /// <summary>The certificate identity of a keyless signature whose Sigstore evidence verified.</summary>
    public SignerIdentity? Signer { get; init; }

    /// <summary>The times the Sigstore evidence proves the signature existed at (log integration, RFC 3161 timestamps).</summary>
    public ImmutableArray<VerifiedTimestamp> VerifiedTimes { get; init; } = [];

    /// <summary>For a failed keyless verification: the precise code of the Sigstore check that failed (docs/error-codes.md).</summary>
    public string? SigstoreCode { get; init; }

    /// <summary>The signed payload's exact bytes: the simple-signing JSON or the in-toto statement (when the signature verified).</summary>
    public ReadOnlyMemory<byte>? Payload { get; init; }

    /// <summary>The in-toto statement, for bundles and attestations whose signature verified.</summary>
    public InTotoStatement? Statement { get; init; }

    /// <summary>The digest the signature names (payload critical.image or a statement subject), when it could be read.</summary>
    public Digest? SignedDigest { get; init; }
}

/// <summary>The verdict on an image's signatures (or attestations): every one found, each with its outcome.</summary>
public sealed record VerificationReport
{
    public required string Image { get; init; }

    /// <summary>The digest that was verified (the tag was resolved to it first).</summary>
    public required Digest Digest { get; init; }

    public required ImmutableArray<SignatureCheck> Checks { get; init; }

    public required int Threshold { get; init; }

    /// <summary>The indexes into <see cref="VerifyOptions.Keys"/> of the distinct keys with at least one verified signature.</summary>
    public required ImmutableArray<int> VerifiedKeys { get; init; }

    /// <summary>The distinct certificate identities with at least one verified keyless signature.</summary>
    public ImmutableArray<SignerIdentity> Signers { get; init; } = [];

    /// <summary>
    /// Null when passed; otherwise SIG1001 (nothing found), SIG1006 (refused over a limit), SIG1008 (threshold not met,
    /// or no signature of the keyless identity verified) or SIG1011.
    /// </summary>
    public string? Code { get; init; }

    public required string Message { get; init; }

    public bool Passed => Code is null;

    public IEnumerable<SignatureCheck> Verified => Checks.Where(c => c.Verified);
}

/// <summary>Who signed keyless: the certificate's subject alternative name and the OIDC issuer it names.</summary>
public sealed record SignerIdentity(string SubjectAlternativeName, string? Issuer)
{
    /// <summary>The identity of a verified Fulcio certificate (its first subject alternative name).</summary>
    public static SignerIdentity Of(FulcioCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var san = certificate.SubjectAlternativeNames.IsDefaultOrEmpty ? string.Empty : certificate.SubjectAlternativeNames[0].Value;
        return new SignerIdentity(san, certificate.Issuer);
    }

    public override string ToString() => Issuer is null ? SubjectAlternativeName : $"{SubjectAlternativeName} ({Issuer})";
}
