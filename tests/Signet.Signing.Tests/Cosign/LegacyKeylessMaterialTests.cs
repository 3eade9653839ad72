using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Signet.Crypto.Dsse;
using Signet.Signing.Cosign;
using Signet.Sigstore.Bundles;
using Signet.Testing;

namespace Signet.Signing.Tests.Cosign;

/// <summary>
/// Reading cosign's keyless annotations of a legacy layer and turning them into a v0.1 bundle. The certificate here is
/// only parser input (issued by a throwaway CA so it is not self-signed); trust is the bundle verifier's business and is
/// tested end to end against a real Fulcio/Rekor.
/// </summary>
public sealed class LegacyKeylessMaterialTests
{
    private const string Location = "sha256-abc.sig layer 0";
    private static readonly string LogId = Convert.ToHexStringLower(SHA256.HashData("log key"u8));
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"x":1}}""");
    private static readonly byte[] Set = [0x30, 0x45, 0x02, 0x20, 1, 2, 3];
    private static readonly byte[] TimeStampResponse = [0x30, 0x82, 0x01, 0x00, 9, 9, 9];
    private static readonly byte[] LeafDer = IssueLeaf();

    private static byte[] IssueLeaf()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=throwaway test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=leaf", leafKey, HashAlgorithmName.SHA256);
        using var leaf = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5), [1, 2, 3, 4]);
        return leaf.RawData;
    }

    private static string Pem(byte[] der) => PemEncoding.WriteString("CERTIFICATE", der) + "\n";

    private static string RekorBundle(string? set = null, string? body = null, string integratedTime = "1700000000", string logIndex = "42", string? logId = null) =>
        $$$"""{"SignedEntryTimestamp":"{{{set ?? Convert.ToBase64String(Set)}}}","Payload":{"body":"{{{body ?? Convert.ToBase64String(Body)}}}","integratedTime":{{{integratedTime}}},"logIndex":{{{logIndex}}},"logID":"{{{logId ?? LogId}}}"}}""";

    /// <summary>Sets the unused low bit of the last character before the padding: the same bytes, another text.</summary>
    private static string NonCanonical(string base64)
    {
        var last = base64.TrimEnd('=').Length - 1;
        return string.Concat(base64.AsSpan(0, last), ((char)(base64[last] + 1)).ToString(), base64.AsSpan(last + 1));
    }

    private static string Timestamp(string? value = null) => $$"""{"SignedRFC3161Timestamp":"{{value ?? Convert.ToBase64String(TimeStampResponse)}}"}""";

    private static Dictionary<string, string> Annotations(string? bundle = null, string? timestamp = null, string? certificate = null)
    {
        var annotations = new Dictionary<string, string>
        {
            [CosignMediaTypes.SignatureAnnotation] = "MEUCIQ==",
            [CosignMediaTypes.CertificateAnnotation] = certificate ?? Pem(LeafDer),
            [CosignMediaTypes.ChainAnnotation] = "not read",
        };
        if (bundle is not null)
        {
            annotations[CosignMediaTypes.RekorBundleAnnotation] = bundle;
        }

        if (timestamp is not null)
        {
            annotations[CosignMediaTypes.TimestampAnnotation] = timestamp;
        }

        return annotations;
    }

    private static LegacyKeylessFormatException Refused(Dictionary<string, string> annotations) =>
        Assert.Throws<LegacyKeylessFormatException>(() => LegacyKeylessMaterial.Read(annotations, Location));

    [Fact]
    public void Read_NoCertificateAnnotation_IsNullForAKeySignedLayer()
    {
        var annotations = new Dictionary<string, string> { [CosignMediaTypes.SignatureAnnotation] = "MEUCIQ==" };

        Assert.Null(LegacyKeylessMaterial.Read(annotations, Location));
    }

    [Fact]
    public void Read_AllAnnotations_ReadsCertificateEntryAndTimestamp()
    {
        var material = LegacyKeylessMaterial.Read(Annotations(RekorBundle(), Timestamp()), Location)!;

        Assert.Equal(LeafDer, material.Certificate.ToArray());
        var entry = material.TlogEntry!;
        Assert.Equal(42, entry.LogIndex);
        Assert.Equal(1700000000, entry.IntegratedTime);
        Assert.Equal(LogId, Convert.ToHexStringLower(entry.LogKeyId.Span));
        Assert.Equal(Set, entry.SignedEntryTimestamp!.Value.ToArray());
        Assert.Equal(Body, entry.CanonicalizedBody.ToArray());
        Assert.Equal(new KindVersion { Kind = "hashedrekord", Version = "0.0.1" }, entry.KindVersion);
        Assert.Equal(TimeStampResponse, material.SignedTimestamp!.Value.ToArray());
    }

    [Fact]
    public void ToMessageSignatureBundle_AllAnnotations_IsAValidV01BundleOverThePayload()
    {
        var payload = "{\"critical\":{}}"u8.ToArray();
        var material = LegacyKeylessMaterial.Read(Annotations(RekorBundle(), Timestamp()), Location)!;

        var bundle = material.ToMessageSignatureBundle(new byte[] { 0x30, 1, 2 }, payload, Location);

        Assert.Equal(BundleMediaTypes.V01, bundle.MediaType);
        Assert.Empty(bundle.Validate());
        var verification = bundle.VerificationMaterial!;
        Assert.Equal(VerificationMaterialKind.X509CertificateChain, verification.Kind);
        Assert.Equal(LeafDer, Assert.Single(verification.Certificates).ToArray());
        Assert.Equal(Set, Assert.Single(verification.TlogEntries).SignedEntryTimestamp!.Value.ToArray());
        Assert.Equal(TimeStampResponse, Assert.Single(verification.Rfc3161Timestamps).ToArray());
        Assert.Equal(BundleHashAlgorithm.Sha256, bundle.MessageSignature!.MessageDigest!.Algorithm);
        Assert.Equal(SHA256.HashData(payload), bundle.MessageSignature.MessageDigest.Digest.ToArray());
        Assert.Equal([0x30, 1, 2], bundle.MessageSignature.Signature.ToArray());
    }

    [Fact]
    public void ToDsseBundle_WithTimestamp_CarriesTheEnvelopeButNotTheEnvelopeTimestamp()
    {
        var envelope = DsseEnvelope.Create(DsseProtocol.InTotoPayloadType, "{}"u8.ToArray(), [new DsseSignature { KeyId = string.Empty, Signature = new byte[] { 1, 2, 3 } }]);
        var material = LegacyKeylessMaterial.Read(Annotations(RekorBundle(), Timestamp()), Location)!;

        var bundle = material.ToDsseBundle(envelope, Location);

        Assert.Equal(BundleContentKind.DsseEnvelope, bundle.ContentKind);
        Assert.Equal("{}"u8.ToArray(), bundle.DsseEnvelope!.Payload.ToArray());
        Assert.Single(bundle.VerificationMaterial!.TlogEntries);
        Assert.Empty(bundle.VerificationMaterial.Rfc3161Timestamps);
    }

    [Fact]
    public void ToMessageSignatureBundle_NoRekorBundle_HasNoTlogEntryForTheVerifierToJudge()
    {
        var material = LegacyKeylessMaterial.Read(Annotations(), Location)!;

        var bundle = material.ToMessageSignatureBundle(new byte[] { 1 }, "x"u8, Location);

        Assert.Null(material.TlogEntry);
        Assert.Null(material.SignedTimestamp);
        Assert.Empty(bundle.VerificationMaterial!.TlogEntries);
        Assert.Empty(bundle.Validate());
    }

    [Fact]
    public void ToMessageSignatureBundle_SelfSignedCertificate_IsRefusedAsARootInTheBundle()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var self = new CertificateRequest("CN=self", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1));
        var material = LegacyKeylessMaterial.Read(Annotations(certificate: Pem(self.RawData)), Location)!;

        var e = Assert.Throws<LegacyKeylessFormatException>(() => material.ToMessageSignatureBundle(new byte[] { 1 }, "x"u8, Location));

        Assert.Contains(BundleCodes.RootCertificateInBundle, e.Message, StringComparison.Ordinal);
        Assert.Contains(Location, e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> MalformedRekorBundles => new()
    {
        { "{\"SignedEntryTimestamp\":", "not valid JSON" },
        { "[]", "must be an object" },
        { RekorBundle().Replace("\"SignedEntryTimestamp\"", "\"Signed\"", StringComparison.Ordinal), "'SignedEntryTimestamp' is required" },
        { RekorBundle(set: "!!!"), "SignedEntryTimestamp is not base64" },
        { RekorBundle(body: "%%%"), "Payload.body is not base64" },
        { RekorBundle(body: Convert.ToBase64String(Body).TrimEnd('=')), "Payload.body is not base64" },
        { RekorBundle(body: NonCanonical(Convert.ToBase64String(Body))), "not canonical padded standard base64" },
        { RekorBundle(body: Convert.ToBase64String("[1]"u8)), "must be an object" },
        { RekorBundle(body: Convert.ToBase64String("{\"kind\":\"hashedrekord\"}"u8)), "'apiVersion' is required" },
        { RekorBundle(logId: LogId.ToUpperInvariant()), "64 lowercase hex digits" },
        { RekorBundle(logId: LogId[..63]), "64 lowercase hex digits" },
        { RekorBundle(logId: "zz" + LogId[2..]), "64 lowercase hex digits" },
        { RekorBundle(integratedTime: "\"1700000000\""), "'Payload.integratedTime' must be an integer" },
        { RekorBundle(integratedTime: "0"), "must be set and not negative" },
        { RekorBundle(logIndex: "-1"), "must be set and not negative" },
        { """{"SignedEntryTimestamp":"AQ==","Payload":"x"}""", "'Payload' must be an object" },
        { """{"SignedEntryTimestamp":"AQ==","SignedEntryTimestamp":"AQ==","Payload":{}}""", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(MalformedRekorBundles))]
    public void Read_MalformedRekorBundle_NamesTheAnnotationAndTheProblem(string bundle, string problem)
    {
        var e = Refused(Annotations(bundle));

        Assert.Contains(CosignMediaTypes.RekorBundleAnnotation, e.Message, StringComparison.Ordinal);
        Assert.Contains(Location, e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> MalformedTimestampsAndCertificates => new()
    {
        { CosignMediaTypes.TimestampAnnotation, "{}", "'SignedRFC3161Timestamp' is required" },
        { CosignMediaTypes.TimestampAnnotation, "{\"SignedRFC3161Timestamp\":\"\"}", "is empty" },
        { CosignMediaTypes.TimestampAnnotation, "{\"SignedRFC3161Timestamp\":\"MII=*\"}", "is not base64" },
        { CosignMediaTypes.TimestampAnnotation, "{\"SignedRFC3161Timestamp\":\"MII BAA==\"}", "contains whitespace" },
        { CosignMediaTypes.TimestampAnnotation, "\"MIIBAA==\"", "must be an object" },
        { CosignMediaTypes.CertificateAnnotation, "MIIB", "not one PEM certificate" },
        { CosignMediaTypes.CertificateAnnotation, "-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----", "is not base64" },
        { CosignMediaTypes.CertificateAnnotation, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----", "empty certificate" },
        {
            CosignMediaTypes.CertificateAnnotation,
            "-----BEGIN CERTIFICATE-----\nAQ==\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAQ==\n-----END CERTIFICATE-----",
            "more than one PEM block"
        },
    };

    [Theory]
    [MemberData(nameof(MalformedTimestampsAndCertificates))]
    public void Read_MalformedTimestampOrCertificate_NamesTheAnnotationAndTheProblem(string annotation, string value, string problem)
    {
        var e = Refused(annotation == CosignMediaTypes.TimestampAnnotation ? Annotations(timestamp: value) : Annotations(certificate: value));

        Assert.Contains(annotation, e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OversizeAnnotations_AreRefusedUnread()
    {
        var certificate = Refused(Annotations(certificate: new string('A', LegacyKeylessMaterial.MaxCertificateChars + 1)));
        var bundle = Refused(Annotations(bundle: new string(' ', LegacyKeylessMaterial.MaxRekorBundleChars + 1)));
        var timestamp = Refused(Annotations(timestamp: new string(' ', LegacyKeylessMaterial.MaxTimestampChars + 1)));

        Assert.Contains($"at most {LegacyKeylessMaterial.MaxCertificateChars}", certificate.Message, StringComparison.Ordinal);
        Assert.Contains($"at most {LegacyKeylessMaterial.MaxRekorBundleChars}", bundle.Message, StringComparison.Ordinal);
        Assert.Contains($"at most {LegacyKeylessMaterial.MaxTimestampChars}", timestamp.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MutatedAnnotations_ReadOrRefuseWithTheirOwnException()
    {
        var seeds = new[] { Encoding.UTF8.GetBytes(RekorBundle()), Encoding.UTF8.GetBytes(Timestamp()), Encoding.UTF8.GetBytes(Pem(LeafDer)) };
        var property = Prop.ForAll(Mutation.Of(seeds, 1, 6).ToArbitrary(), bytes =>
        {
            var text = Encoding.UTF8.GetString(bytes);
            foreach (var annotations in new[] { Annotations(bundle: text), Annotations(timestamp: text), Annotations(certificate: text) })
            {
                try
                {
                    var material = LegacyKeylessMaterial.Read(annotations, Location);
                    material?.ToMessageSignatureBundle(new byte[] { 1 }, "x"u8, Location);
                }
                catch (LegacyKeylessFormatException)
                {
                    // Refused with the documented exception: what the verifier turns into SIG1005.
                }
            }
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }
}
