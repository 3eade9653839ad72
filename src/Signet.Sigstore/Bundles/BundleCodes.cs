namespace Signet.Sigstore.Bundles;

/// <summary>
/// Stable codes for Sigstore bundle problems (docs/sigstore-bundle-codes.md). BND10xx: the JSON cannot be read as a
/// bundle (<see cref="BundleFormatException"/>); BND11xx-BND15xx: the bundle reads but breaks a structural rule of its
/// version (<see cref="SigstoreBundle.Validate"/>).
/// </summary>
public static class BundleCodes
{
    /// <summary>Not UTF-8, not JSON, or not a JSON object.</summary>
    public const string MalformedJson = "BND1001";

    /// <summary>A field has the wrong JSON type, an int64 that is not an integer, or an unknown enum name.</summary>
    public const string InvalidField = "BND1002";

    /// <summary>A bytes field is not valid base64.</summary>
    public const string InvalidBase64 = "BND1003";

    /// <summary>The bundle, or one of its arrays, is over a hard read limit.</summary>
    public const string OverLimit = "BND1004";

    /// <summary>Two members of one oneof are set (for example both messageSignature and dsseEnvelope), or a field is given twice.</summary>
    public const string AmbiguousField = "BND1005";

    /// <summary>The dsseEnvelope is not a valid DSSE envelope.</summary>
    public const string InvalidDsseEnvelope = "BND1006";

    /// <summary>mediaType is missing or is not a Sigstore bundle media type.</summary>
    public const string UnknownMediaType = "BND1101";

    /// <summary>The bundle version is not supported (0.1, 0.2 and 0.3 are).</summary>
    public const string UnsupportedVersion = "BND1102";

    /// <summary>verificationMaterial is missing.</summary>
    public const string MissingVerificationMaterial = "BND1201";

    /// <summary>verificationMaterial has none of publicKey, x509CertificateChain, certificate.</summary>
    public const string MissingVerificationContent = "BND1202";

    /// <summary>x509CertificateChain in a v0.3 bundle (v0.3 requires certificate).</summary>
    public const string CertificateChainNotAllowed = "BND1203";

    /// <summary>x509CertificateChain has no certificates.</summary>
    public const string EmptyCertificateChain = "BND1204";

    /// <summary>A certificate's rawBytes is empty or not a DER X.509 certificate.</summary>
    public const string InvalidCertificate = "BND1205";

    /// <summary>The bundle carries a self-signed (root) certificate; roots come only from the trusted root.</summary>
    public const string RootCertificateInBundle = "BND1206";

    /// <summary>More than 32 transparency log entries.</summary>
    public const string TooManyTlogEntries = "BND1301";

    /// <summary>A tlog entry has a negative logIndex.</summary>
    public const string NegativeLogIndex = "BND1302";

    /// <summary>A v0.1 bundle's tlog entry has no inclusionPromise.</summary>
    public const string MissingInclusionPromise = "BND1303";

    /// <summary>A v0.2+ bundle's tlog entry has no inclusionProof.</summary>
    public const string MissingInclusionProof = "BND1304";

    /// <summary>A tlog entry lacks logId.keyId, kindVersion or canonicalizedBody.</summary>
    public const string IncompleteTlogEntry = "BND1305";

    /// <summary>Two tlog entries have the same log key id and log index.</summary>
    public const string DuplicateTlogEntry = "BND1306";

    /// <summary>An inclusion proof has a negative index or size, an index outside the tree, or no root hash.</summary>
    public const string InvalidInclusionProof = "BND1307";

    /// <summary>More than 32 RFC 3161 timestamps.</summary>
    public const string TooManyTimestamps = "BND1401";

    /// <summary>An RFC 3161 timestamp is empty.</summary>
    public const string EmptyTimestamp = "BND1402";

    /// <summary>Neither messageSignature nor dsseEnvelope is set.</summary>
    public const string MissingContent = "BND1501";

    /// <summary>The DSSE envelope does not have exactly one signature.</summary>
    public const string DsseSignatureCount = "BND1502";

    /// <summary>messageSignature.signature is empty.</summary>
    public const string EmptySignature = "BND1503";

    /// <summary>messageSignature.messageDigest has an unspecified algorithm or a digest of the wrong length.</summary>
    public const string InvalidMessageDigest = "BND1504";
}
