using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Signet.Crypto.Dsse;
using Signet.Sigstore.Bundles;

namespace Signet.Sigstore.Tests.Bundles;

/// <summary>BundleWriter's keyless (certificate) bundles: the v0.3 layout and what it refuses to write.</summary>
public sealed class KeylessBundleWriterTests
{
    private static readonly byte[] Certificate = IssuedLeaf();

    /// <summary>A leaf issued by a throwaway CA (a bundle never carries a self-signed certificate).</summary>
    private static byte[] IssuedLeaf()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=test ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = new CertificateRequest("CN=keyless", key, HashAlgorithmName.SHA256).Create(ca, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(10), [1, 2, 3]);
        return leaf.RawData;
    }

    private static TransparencyLogEntry Entry(bool withProof = true) => new()
    {
        LogIndex = 7,
        LogKeyId = new byte[] { 0xaa },
        KindVersion = new KindVersion { Kind = "hashedrekord", Version = "0.0.1" },
        IntegratedTime = 1700000000,
        SignedEntryTimestamp = new byte[] { 1 },
        InclusionProof = withProof
            ? new InclusionProof { LogIndex = 0, RootHash = new byte[] { 2 }, TreeSize = 1, Hashes = [], Checkpoint = "origin\n1\nAg==\n\n— origin AAAA\n" }
            : null,
        CanonicalizedBody = "{}"u8.ToArray(),
    };

    private static MessageSignature Message => new()
    {
        MessageDigest = new MessageDigest { Algorithm = BundleHashAlgorithm.Sha256, Digest = new byte[32] },
        Signature = new byte[] { 3 },
    };

    [Fact]
    public void CreateCertificateSignedMessage_WritesV03WithCertificateEntriesAndTimestamps()
    {
        var bundle = BundleWriter.CreateCertificateSignedMessage(Message, Certificate, [Entry()], [new byte[] { 9 }]);

        Assert.Equal(
            "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{\"certificate\":{\"rawBytes\":\"" + Convert.ToBase64String(Certificate) + "\"}," +
            "\"tlogEntries\":[{\"logIndex\":\"7\",\"logId\":{\"keyId\":\"qg==\"},\"kindVersion\":{\"kind\":\"hashedrekord\",\"version\":\"0.0.1\"}," +
            "\"integratedTime\":\"1700000000\",\"inclusionPromise\":{\"signedEntryTimestamp\":\"AQ==\"},\"inclusionProof\":{\"rootHash\":\"Ag==\",\"treeSize\":\"1\"," +
            "\"checkpoint\":{\"envelope\":\"origin\\n1\\nAg==\\n\\n— origin AAAA\\n\"}},\"canonicalizedBody\":\"e30=\"}],\"timestampVerificationData\":{\"rfc3161Timestamps\":[{\"signedTimestamp\":\"CQ==\"}]}}," +
            "\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_256\",\"digest\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"},\"signature\":\"Aw==\"}}",
            Encoding.UTF8.GetString(bundle.Raw.Span));
        Assert.Equal(VerificationMaterialKind.Certificate, bundle.VerificationMaterial!.Kind);
        Assert.Empty(SigstoreBundle.Read(bundle.Raw).Problems);
    }

    [Fact]
    public void CreateCertificateSignedDsse_WithoutTimestamps_OmitsTimestampData()
    {
        var envelope = DsseEnvelope.Create("application/vnd.in-toto+json", "{}"u8.ToArray(), [new DsseSignature { KeyId = string.Empty, Signature = new byte[] { 5 } }], DsseJsonLayout.SigstoreBundle);

        var bundle = BundleWriter.CreateCertificateSignedDsse(envelope, Certificate, [Entry()], []);

        Assert.DoesNotContain("timestampVerificationData", Encoding.UTF8.GetString(bundle.Raw.Span), StringComparison.Ordinal);
        Assert.Equal(BundleContentKind.DsseEnvelope, bundle.ContentKind);
        Assert.Empty(SigstoreBundle.Read(bundle.Raw).Problems);
    }

    [Fact]
    public void CreateCertificateSigned_WithoutCertificateOrProofOrSignature_IsRefused()
    {
        var twoSignatures = DsseEnvelope.Create("t", "{}"u8.ToArray(), [new DsseSignature { KeyId = string.Empty, Signature = new byte[] { 1 } }, new DsseSignature { KeyId = string.Empty, Signature = new byte[] { 2 } }]);

        Assert.Throws<ArgumentException>(() => BundleWriter.CreateCertificateSignedMessage(Message, ReadOnlyMemory<byte>.Empty, [Entry()], []));
        Assert.Throws<ArgumentException>(() => BundleWriter.CreateCertificateSignedMessage(Message, Certificate, [Entry(withProof: false)], []));
        Assert.Throws<ArgumentException>(() => BundleWriter.CreateCertificateSignedMessage(Message with { Signature = ReadOnlyMemory<byte>.Empty }, Certificate, [Entry()], []));
        Assert.Throws<ArgumentException>(() => BundleWriter.CreateCertificateSignedDsse(twoSignatures, Certificate, [Entry()], []));
    }
}
