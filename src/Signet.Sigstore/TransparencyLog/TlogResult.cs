namespace Signet.Sigstore.TransparencyLog;

/// <summary>Stable codes for transparency log verification failures.</summary>
public static class TlogCodes
{
    public const string InvalidInput = "tlog-invalid-input";
    public const string IndexOutOfRange = "tlog-index-out-of-range";
    public const string ProofTooLong = "tlog-proof-too-long";
    public const string ProofWrongLength = "tlog-proof-wrong-length";
    public const string RootMismatch = "tlog-root-mismatch";
    public const string MissingInclusionProof = "tlog-missing-inclusion-proof";
    public const string MissingCheckpoint = "tlog-missing-checkpoint";
    public const string MalformedCheckpoint = "tlog-malformed-checkpoint";
    public const string CheckpointMismatch = "tlog-checkpoint-mismatch";
    public const string CheckpointNoMatchingSignature = "tlog-checkpoint-no-matching-signature";
    public const string CheckpointBadSignature = "tlog-checkpoint-bad-signature";
    public const string MissingSet = "tlog-missing-set";
    public const string SetUnsupportedKey = "tlog-set-unsupported-key";
    public const string SetBadSignature = "tlog-set-bad-signature";

    /// <summary>The entry body is not the JSON its kind and version define, or is over the size limit.</summary>
    public const string MalformedBody = "tlog-malformed-body";

    /// <summary>The entry's kind and version are not one Signet checks (hashedrekord, dsse, intoto as listed in docs).</summary>
    public const string UnsupportedKind = "tlog-unsupported-kind";

    /// <summary>The entry body describes another signature, key, certificate, digest or envelope than the bundle's.</summary>
    public const string BodyMismatch = "tlog-body-mismatch";

    /// <summary>The bundle is signed with a public key, and the key to compare the entry body with was not given.</summary>
    public const string BodyKeyRequired = "tlog-body-key-required";
}

/// <summary>The outcome of one transparency log check: success, or a failure code with a readable reason.</summary>
public readonly record struct TlogResult
{
    private TlogResult(string? code, string? reason)
    {
        Code = code;
        Reason = reason;
    }

    public static TlogResult Success { get; }

    /// <summary>The <see cref="TlogCodes"/> value of a failure; null on success.</summary>
    public string? Code { get; }

    /// <summary>Why the check failed; null on success.</summary>
    public string? Reason { get; }

    public bool IsValid => Code is null;

    public static TlogResult Fail(string code, string reason) => new(code, reason);

    public override string ToString() => IsValid ? "valid" : $"{Code}: {Reason}";
}
