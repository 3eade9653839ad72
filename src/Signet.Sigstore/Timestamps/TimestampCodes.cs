namespace Signet.Sigstore.Timestamps;

/// <summary>Stable codes for RFC 3161 timestamp failures (documented in docs/error-codes.md, section TSA).</summary>
public static class TimestampCodes
{
    /// <summary>The signed timestamp is empty, or not a DER TimeStampResp or TimeStampToken (RFC 3161 §2.4.2).</summary>
    public const string Malformed = "TSA1001";

    /// <summary>The signed timestamp is larger than <see cref="TimestampVerifier.MaxBytes"/>.</summary>
    public const string TooLarge = "TSA1002";

    /// <summary>The TimeStampResp status is neither granted nor grantedWithMods, or it carries no token.</summary>
    public const string NotGranted = "TSA1003";

    /// <summary>The token's message imprint uses a hash other than SHA-256, SHA-384 or SHA-512.</summary>
    public const string UnsupportedHashAlgorithm = "TSA1004";

    /// <summary>The token's message imprint is not the hash of the signature it is presented for.</summary>
    public const string ImprintMismatch = "TSA1005";

    /// <summary>No timestamp authority of the trusted root signed the token (unknown signer, or the trusted root has none).</summary>
    public const string UntrustedAuthority = "TSA1006";

    /// <summary>The token names a trusted authority's certificate as signer, but its CMS signature does not verify.</summary>
    public const string BadSignature = "TSA1007";

    /// <summary>The token's time (genTime) is outside the authority's validity window in the trusted root.</summary>
    public const string OutsideAuthorityValidity = "TSA1008";

    /// <summary>The token's time (genTime) is outside the TSA signing certificate's validity.</summary>
    public const string OutsideCertificateValidity = "TSA1009";

    /// <summary>The TSA signing certificate does not have the extended key usage timeStamping (1.3.6.1.5.5.7.3.8).</summary>
    public const string MissingTimestampingUsage = "TSA1010";

    /// <summary>The TSA signing certificate does not chain to the authority's root in the trusted root at the token's time.</summary>
    public const string ChainInvalid = "TSA1011";
}
