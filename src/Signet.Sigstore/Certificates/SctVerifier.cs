using System.Security.Cryptography.X509Certificates;
using Signet.Sigstore.TrustedRoots;

namespace Signet.Sigstore.Certificates;

/// <summary>Embedded signed certificate timestamps (RFC 6962) checked against the trusted root's CT logs.</summary>
public static class SctVerifier
{
    /// <summary>The embedded SCT list extension (RFC 6962 §3.3).</summary>
    public const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";

    /// <summary>At least <paramref name="threshold"/> embedded SCTs must verify over the rebuilt precertificate.</summary>
    public static CheckResult Verify(FulcioCertificate leaf, X509Certificate2 issuer, TrustedRoot root, int threshold = 1) => throw new NotImplementedException();
}
