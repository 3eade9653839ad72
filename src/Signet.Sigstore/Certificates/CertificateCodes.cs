namespace Signet.Sigstore.Certificates;

/// <summary>
/// Stable codes of the keyless certificate checks (docs/error-codes.md, "Certificate codes (CRT)"): reading the
/// signing certificate, its chain to the trusted root, its embedded SCTs and its identity. A code is never reused.
/// </summary>
public static class CertificateCodes
{
    /// <summary>The signing certificate (or a trusted root certificate) cannot be read as one DER X.509 certificate.</summary>
    public const string MalformedCertificate = "CRT1001";

    /// <summary>No certificate authority of the trusted root is valid at the time the signature was observed.</summary>
    public const string NoAuthorityAtTime = "CRT1002";

    /// <summary>No chain from the signing certificate to a trusted root certificate authority could be built.</summary>
    public const string ChainNotBuilt = "CRT1003";

    /// <summary>The signing certificate, or a certificate of its chain, was not valid at the observed time.</summary>
    public const string NotValidAtTime = "CRT1004";

    /// <summary>The signing certificate has no extended key usage codeSigning (1.3.6.1.5.5.7.3.3).</summary>
    public const string MissingCodeSigning = "CRT1005";

    /// <summary>The signing certificate carries no embedded signed certificate timestamp.</summary>
    public const string NoSct = "CRT1006";

    /// <summary>The embedded SCT list (extension 1.3.6.1.4.1.11129.2.4.2) cannot be read.</summary>
    public const string MalformedSctList = "CRT1007";

    /// <summary>An SCT names a log id that no CT log of the trusted root has.</summary>
    public const string UnknownCtLog = "CRT1008";

    /// <summary>An SCT's timestamp is outside the validity window of its CT log's key.</summary>
    public const string SctOutsideLogValidity = "CRT1009";

    /// <summary>An SCT's signature does not verify with its CT log's key over the rebuilt precertificate.</summary>
    public const string SctSignatureInvalid = "CRT1010";

    /// <summary>Some SCTs verified, but fewer than the required threshold.</summary>
    public const string SctThresholdNotMet = "CRT1011";

    /// <summary>The identity policy names neither a subject alternative name nor an OIDC issuer.</summary>
    public const string NoIdentityGiven = "CRT1012";

    /// <summary>No subject alternative name of the certificate matches the expected identity.</summary>
    public const string SanMismatch = "CRT1013";

    /// <summary>The certificate's OIDC issuer is not the expected one.</summary>
    public const string IssuerMismatch = "CRT1014";

    /// <summary>A Fulcio extension of the certificate does not have the expected value.</summary>
    public const string ExtensionMismatch = "CRT1015";

    /// <summary>A regular expression of the identity policy is not a valid .NET regular expression.</summary>
    public const string InvalidRegex = "CRT1016";

    /// <summary>Matching a regular expression of the identity policy took longer than its time limit.</summary>
    public const string RegexTimeout = "CRT1017";
}
