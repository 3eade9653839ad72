using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Signet.Sigstore.TrustedRoots;
using Signet.Testing;
using Signet.Testing.Tools;

namespace Signet.Sigstore.Tests.Timestamps;

/// <summary>
/// A timestamp authority run with the real <c>openssl ts -reply</c>: a root CA and a TSA leaf (extendedKeyUsage
/// critical timeStamping, as openssl requires) made with <see cref="CertificateRequest"/>, so their validity can be
/// placed anywhere in time, and a trusted root that lists them.
/// </summary>
internal sealed class OpenSslTsa : IDisposable
{
    private readonly TempDir _dir = new("signet-tsa-");
    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public OpenSslTsa(DateTimeOffset? leafNotBefore = null, DateTimeOffset? leafNotAfter = null)
    {
        var now = DateTimeOffset.UtcNow;
        var rootRequest = new CertificateRequest("CN=Signet Test TSA Root, O=signet.test", _rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        // Every instance is a distinct authority: a fresh key and serial, so no two share an issuer and serial.
        Root = rootRequest.CreateSelfSigned(now.AddYears(-10), now.AddYears(10));
        LeafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Leaf = IssueLeaf(LeafKey, leafNotBefore ?? now.AddYears(-1), leafNotAfter ?? now.AddYears(1), timeStamping: true);

        File.WriteAllText(_dir.Combine("tsa.pem"), Leaf.ExportCertificatePem());
        File.WriteAllText(_dir.Combine("tsa.key"), LeafKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(_dir.Combine("chain.pem"), Root.ExportCertificatePem());
        File.WriteAllText(_dir.Combine("serial"), "01\n");
        File.WriteAllText(_dir.Combine("tsa.cnf"), $"""
            [ tsa ]
            default_tsa = signet_tsa

            [ signet_tsa ]
            serial = {_dir.Combine("serial")}
            crypto_device = builtin
            signer_cert = {_dir.Combine("tsa.pem")}
            certs = {_dir.Combine("chain.pem")}
            signer_key = {_dir.Combine("tsa.key")}
            signer_digest = sha256
            default_policy = 1.3.6.1.4.1.57264.99.1
            digests = sha256, sha384, sha512
            accuracy = secs:1
            ordering = yes
            tsa_name = yes
            ess_cert_id_chain = no
            ess_cert_id_alg = sha256

            """);
    }

    /// <summary>The root CA, with its private key.</summary>
    public X509Certificate2 Root { get; }

    public X509Certificate2 Leaf { get; }

    public ECDsa LeafKey { get; }

    /// <summary>A TSA certificate issued by <see cref="Root"/>, with or without the (critical) timeStamping usage.</summary>
    public X509Certificate2 IssueLeaf(ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter, bool timeStamping)
    {
        var request = new CertificateRequest("CN=Signet Test TSA, O=signet.test", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (timeStamping)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], true));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.Create(Root, notBefore, notAfter, [0x01, .. RandomNumberGenerator.GetBytes(8)]);
    }

    /// <summary>
    /// A DER TimeStampResp (or, with <paramref name="tokenOnly"/>, the bare TimeStampToken) from <c>openssl ts</c>
    /// over <paramref name="data"/>; <paramref name="embedCertificate"/> asks for the signer certificate in the token.
    /// </summary>
    public byte[] Stamp(byte[] data, bool embedCertificate = true, bool tokenOnly = false, string digest = "sha256")
    {
        var id = Guid.NewGuid().ToString("N");
        var dataPath = _dir.Combine($"{id}.bin");
        File.WriteAllBytes(dataPath, data);
        var query = _dir.Combine($"{id}.tsq");
        var reply = _dir.Combine($"{id}.tsr");
        Tool.Run("openssl", ["ts", "-query", "-data", dataPath, $"-{digest}", .. embedCertificate ? new[] { "-cert" } : [], "-out", query]);
        Tool.Run("openssl", ["ts", "-reply", "-config", _dir.Combine("tsa.cnf"), "-queryfile", query, .. tokenOnly ? new[] { "-token_out" } : [], "-out", reply]);
        return File.ReadAllBytes(reply);
    }

    /// <summary>A trusted root with this authority (leaf then root), valid from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public TrustedRoot Trust(DateTimeOffset? start = null, DateTimeOffset? end = null, params X509Certificate2[] certificates)
    {
        var window = new StringBuilder();
        window.Append(CultureInfo.InvariantCulture, $"\"start\": \"{(start ?? DateTimeOffset.UtcNow.AddYears(-1)).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\"");
        if (end is { } e)
        {
            window.Append(CultureInfo.InvariantCulture, $", \"end\": \"{e.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\"");
        }

        var chain = certificates.Length > 0 ? certificates : [Leaf, Root];
        var rawBytes = string.Join(", ", chain.Select(c => $"{{\"rawBytes\": \"{Convert.ToBase64String(c.RawData)}\"}}"));
        var json = $$"""
            {
              "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
              "timestampAuthorities": [
                {
                  "subject": {"organization": "signet.test", "commonName": "Signet Test TSA"},
                  "uri": "https://tsa.signet.test",
                  "certChain": {"certificates": [{{rawBytes}}]},
                  "validFor": { {{window}} }
                }
              ]
            }
            """;
        return TrustedRoot.Parse(Encoding.UTF8.GetBytes(json));
    }

    public void Dispose()
    {
        Root.Dispose();
        Leaf.Dispose();
        LeafKey.Dispose();
        _rootKey.Dispose();
        _dir.Dispose();
    }
}
