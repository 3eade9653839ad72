namespace Signet.Sigstore.Verification;

/// <summary>
/// Stable codes of the bundle verifier's own checks (docs/error-codes.md, "Sigstore verification codes"). Failures
/// found by a sub-verifier keep that verifier's code (BND, tlog-, CRT, TSA); never reuse or renumber, add at the end.
/// </summary>
public static class VerificationCodes
{
    /// <summary>No transparency log entry from a log in the trusted root verified.</summary>
    public const string NoVerifiedTlogEntry = "SGV1001";

    /// <summary>Fewer distinct transparency logs verified an entry than the policy's threshold.</summary>
    public const string TlogThresholdNotMet = "SGV1002";

    /// <summary>The log key's validity window in the trusted root does not contain the entry's time.</summary>
    public const string LogKeyNotValidAtTime = "SGV1003";

    /// <summary>A verified integrated time lies in the future.</summary>
    public const string IntegratedTimeInFuture = "SGV1004";

    /// <summary>Fewer verified observer timestamps (SET integrated times, RFC 3161 timestamps) than required.</summary>
    public const string TimestampThresholdNotMet = "SGV1005";

    /// <summary>The policy and the bundle disagree: identity asked of a key-signed bundle, or a key given for a certificate bundle.</summary>
    public const string PolicyMismatch = "SGV1006";

    /// <summary>The bundle's public-key hint names another key than the one given.</summary>
    public const string KeyMismatch = "SGV1007";

    /// <summary>The signature does not verify over the artifact (message signature) or the PAE (DSSE).</summary>
    public const string SignatureInvalid = "SGV1008";

    /// <summary>The artifact is not the one signed: message digest or in-toto subjects differ from it.</summary>
    public const string ArtifactMismatch = "SGV1009";

    /// <summary>The artifact, as given, cannot be checked against the bundle (none given, or only a digest where bytes are needed).</summary>
    public const string ArtifactUnusable = "SGV1010";

    /// <summary>The DSSE payload is not an in-toto statement that can be matched with the artifact.</summary>
    public const string UnsupportedPayload = "SGV1011";

    /// <summary>The bundle's signing certificate cannot be read.</summary>
    public const string CertificateUnreadable = "SGV1012";

    /// <summary>A trusted-root log key cannot be read.</summary>
    public const string LogKeyUnreadable = "SGV1013";

    /// <summary>A transparency log entry has neither an inclusion promise (SET) nor an inclusion proof.</summary>
    public const string TlogEntryUnproven = "SGV1014";
}
