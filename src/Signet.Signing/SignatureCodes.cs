namespace Signet.Signing;

/// <summary>
/// Stable codes of signature and attestation verification (docs/error-codes.md). Each failed check and each failed
/// report carries one; the CLI, the policy engine and the webhook print the same codes.
/// </summary>
public static class SignatureCodes
{
    /// <summary>No signature (or attestation) was found for the image in either format.</summary>
    public const string NoSignatures = "SIG1001";

    /// <summary>The signature does not verify with any of the given keys.</summary>
    public const string NotVerified = "SIG1002";

    /// <summary>The signature verifies, but the digest it signs is another image's.</summary>
    public const string DigestMismatch = "SIG1003";

    /// <summary>The signature verifies, but a required <c>-a key=value</c> annotation is missing or different.</summary>
    public const string AnnotationMismatch = "SIG1004";

    /// <summary>The payload, bundle, envelope, statement or signature encoding is malformed.</summary>
    public const string Malformed = "SIG1005";

    /// <summary>Something is over a limit (payload, bundle, layer count, referrer count) and was refused unread.</summary>
    public const string Oversize = "SIG1006";

    /// <summary>A DSSE envelope carries more than one signature; exactly one is accepted.</summary>
    public const string MultipleDsseSignatures = "SIG1007";

    /// <summary>Fewer distinct keys verified than the threshold requires.</summary>
    public const string ThresholdNotMet = "SIG1008";

    /// <summary>The signed content is of the wrong type (simple-signing critical.type, DSSE payloadType or predicate type).</summary>
    public const string WrongType = "SIG1009";

    /// <summary>A signature object could not be read intact: missing blob, or content that does not match its digest.</summary>
    public const string Unreadable = "SIG1010";

    /// <summary>Attestations exist, but none of the requested predicate type.</summary>
    public const string NoMatchingAttestations = "SIG1011";

    /// <summary>
    /// The signature's verification material does not fit the mode: a certificate (keyless) when verifying with
    /// <c>--key</c>, or a key-signed signature when verifying by certificate identity.
    /// </summary>
    public const string MaterialMismatch = "SIG1012";

    /// <summary>
    /// A keyless signature's Sigstore evidence did not verify: certificate chain, SCT, transparency log entry, timestamp
    /// or the signature itself. The check's <c>sigstoreCode</c> names the precise check.
    /// </summary>
    public const string KeylessNotVerified = "SIG1013";

    /// <summary>
    /// A keyless signature and all its Sigstore evidence verified, but the certificate names another signer: its
    /// identity, OIDC issuer or a GitHub workflow extension differs from the <c>--certificate-*</c> options.
    /// </summary>
    public const string IdentityMismatch = "SIG1014";
}
