namespace Signet.Sigstore.Tuf;

/// <summary>Stable codes of <see cref="TufException"/>; each is documented in docs/error-codes.md.</summary>
public static class TufCodes
{
    /// <summary>Metadata cannot be read: not JSON, a required field missing or of the wrong kind, wrong <c>_type</c>, over a bound.</summary>
    public const string Malformed = "TUF1001";

    /// <summary>Fewer distinct keys of the role made valid signatures than its threshold.</summary>
    public const string ThresholdNotMet = "TUF1002";

    /// <summary>A version lower than the trusted one (rollback), for a role or a role listed in snapshot/timestamp meta.</summary>
    public const string Rollback = "TUF1003";

    /// <summary>A version other than the one required: root N+1, snapshot as timestamp says, targets as snapshot says, the URL's version.</summary>
    public const string VersionMismatch = "TUF1004";

    /// <summary>Metadata expired (freeze attack protection).</summary>
    public const string Expired = "TUF1005";

    /// <summary>Length or hash of downloaded metadata or a target differs from what the referring metadata says.</summary>
    public const string HashMismatch = "TUF1006";

    /// <summary>A download exceeded its maximum length.</summary>
    public const string TooLarge = "TUF1007";

    /// <summary>A download failed: not found, HTTP error, network or file error.</summary>
    public const string FetchFailed = "TUF1008";

    /// <summary>No trusted targets metadata describes the requested target path.</summary>
    public const string TargetNotFound = "TUF1009";

    /// <summary>Metadata the workflow needs is absent: a role missing from snapshot meta, a delegator not loaded, no trusted root.</summary>
    public const string MissingMetadata = "TUF1010";
}
