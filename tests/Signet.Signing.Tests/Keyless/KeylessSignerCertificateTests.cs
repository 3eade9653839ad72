using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Signet.Signing.Keyless;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.Services;
using Signet.Sigstore.TrustedRoots;

namespace Signet.Signing.Tests.Keyless;

/// <summary>The check of what Fulcio issued, before the signer uses it, against a trusted root.</summary>
public sealed class KeylessSignerCertificateTests
{
    [Fact]
    public void CheckCertificate_LeafThatIsItselfTheTrustedCa_StillNeedsAnSct()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=self", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(FulcioChainVerifier.CodeSigningOid)], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddHours(1));
        var root = TrustedRoot.Parse(Encoding.UTF8.GetBytes($$"""
            {
              "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
              "certificateAuthorities": [
                {
                  "subject": {"commonName": "self"},
                  "uri": "https://fulcio.signet.test",
                  "certChain": {"certificates": [{"rawBytes": "{{Convert.ToBase64String(certificate.RawData)}}"}]},
                  "validFor": {"start": "{{now.AddDays(-1).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}"}
                }
              ]
            }
            """));
        var issued = new FulcioSigningCertificate { Chain = [certificate.RawData] };

        var e = Assert.Throws<SigstoreServiceException>(() => KeylessSigner.CheckCertificate(issued, root, new Uri("https://fulcio.signet.test")));

        Assert.Contains(CertificateCodes.NoSct, e.Message, StringComparison.Ordinal);
    }
}
