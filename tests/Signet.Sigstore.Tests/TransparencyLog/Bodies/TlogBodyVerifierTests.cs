using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.TransparencyLog;
using Signet.Sigstore.TransparencyLog.Bodies;
using Signet.Testing;
using static Signet.Sigstore.Tests.TransparencyLog.Bodies.BodyCases;

namespace Signet.Sigstore.Tests.TransparencyLog.Bodies;

public class TlogBodyVerifierTests
{
    private const string HashedRekordV1 = "happy-path-v0.3";
    private const string DsseV1 = "happy-path-intoto-in-dsse-v3";
    private const string IntotoV2 = "intoto-with-custom-trust-root";
    private const string HashedRekordV2 = "rekor2-happy-path";
    private const string HashedRekordV2OverDsse = "rekor2-dsse-happy-path";

    /// <summary>Conformance cases whose log entry describes another signature, signer or content than the bundle.</summary>
    private static readonly Dictionary<string, string> Inconsistent = new()
    {
        ["dsse-invalid-sig_fail"] = "spec.signatures[0].signature",
        ["dsse-mismatch-envelope_fail"] = "spec.signatures[0].signature",
        ["dsse-mismatch-sig_fail"] = "spec.signatures[0].signature",
        ["incorrect-public-key_fail"] = "spec.signature.publicKey.content",
        ["intoto-log-entry-mismatch_fail"] = "spec.content.envelope.signatures[0].sig",
        ["message-digest-mismatch_fail"] = "spec.data.hash.value",
        ["rekor2-dsse-invalid-sig_fail"] = "spec.hashedRekordV002.signature.content",
        ["rekor2-dsse-mismatch-envelope_fail"] = "spec.hashedRekordV002.signature.content",
        ["rekor2-dsse-mismatch-sig_fail"] = "spec.hashedRekordV002.signature.content",
        ["signature-mismatch_fail"] = "spec.signature.content",
        ["wrong-hashedrekord-artifact_fail"] = "spec.signature.content",
        ["wrong-hashedrekord-cert-and-sig_fail"] = "spec.signature.content",
        ["wrong-hashedrekord-entry_fail"] = "spec.signature.content",
    };

    /// <summary>Cases that cannot reach the body check: unreadable bundles, no signer, a key file that is not PEM, stub bodies.</summary>
    private static readonly Dictionary<string, string?> Other = new()
    {
        ["bundle-invalid-base64-signature_fail"] = null,
        ["bundle-malformed-json_fail"] = null,
        ["bundle-empty-certificate-chain_fail"] = TlogCodes.InvalidInput,
        ["bundle-negative-log-index_fail"] = TlogCodes.MalformedBody,
        ["bundle-unknown-version_fail"] = TlogCodes.MalformedBody,
        ["managed-key-no-key_fail"] = TlogCodes.BodyKeyRequired,
        ["managed-key-wrong-key_fail"] = null,
    };

    [Fact]
    public void Verify_EveryConformanceBundle_BodyConsistentUnlessItsEntryIsForSomethingElse()
    {
        var checkedCases = 0;
        foreach (var directory in Directory.GetDirectories(Signet.Testing.TestData.Require("sigstore-conformance/bundle-verify")).Order(StringComparer.Ordinal))
        {
            var name = System.IO.Path.GetFileName(directory);
            if (!File.Exists(System.IO.Path.Combine(directory, "bundle.sigstore.json")) || (Other.TryGetValue(name, out var code) && code is null))
            {
                continue;
            }

            var bundle = Bundle(name);
            var key = File.Exists(System.IO.Path.Combine(directory, "key.pub")) ? Key(name) : [];
            var result = TlogBodyVerifier.Verify(bundle.VerificationMaterial!.TlogEntries[0], bundle, key);
            if (Inconsistent.TryGetValue(name, out var field))
            {
                Assert.True(result.Code == TlogCodes.BodyMismatch, $"{name}: {result}");
                Assert.Contains($"'{field}'", result.Reason, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(result.Code == code, $"{name}: {result}");
            }

            checkedCases++;
        }

        Assert.True(checkedCases >= 60, $"only {checkedCases} conformance cases were checked");
    }

    [Theory]
    [InlineData(HashedRekordV1)]
    [InlineData(DsseV1)]
    [InlineData(IntotoV2)]
    [InlineData(HashedRekordV2)]
    [InlineData(HashedRekordV2OverDsse)]
    public void Verify_HappyPathOfEachKind_IsValid(string name)
    {
        var bundle = Bundle(name);

        Assert.True(TlogBodyVerifier.Verify(bundle.VerificationMaterial!.TlogEntries[0], bundle).IsValid);
    }

    public static TheoryData<string, string, string, string> FieldEdits()
    {
        var otherSignature = Convert.ToBase64String(OtherSignature());
        var otherCertificate = OtherCertificate();
        var otherCertificatePem = Pem("CERTIFICATE", Convert.FromBase64String(otherCertificate));
        const string v2 = "spec.hashedRekordV002";
        const string intoto = "spec.content.envelope";
        return new()
        {
            { HashedRekordV1, "spec.signature.content", otherSignature, "spec.signature.content" },
            { HashedRekordV1, "spec.signature.publicKey.content", otherCertificatePem, "spec.signature.publicKey.content" },
            { HashedRekordV1, "spec.data.hash.value", new string('0', 64), "spec.data.hash.value" },
            { HashedRekordV1, "spec.data.hash.algorithm", "sha512", "spec.data.hash.algorithm" },
            { DsseV1, "spec.signatures[0].signature", otherSignature, "spec.signatures[0].signature" },
            { DsseV1, "spec.signatures[0].verifier", otherCertificatePem, "spec.signatures[0].verifier" },
            { DsseV1, "spec.payloadHash.value", new string('1', 64), "spec.payloadHash" },
            { DsseV1, "spec.envelopeHash.value", new string('2', 64), "spec.envelopeHash" },
            { IntotoV2, $"{intoto}.signatures[0].sig", Convert.ToBase64String(Encoding.ASCII.GetBytes(otherSignature)), $"{intoto}.signatures[0].sig" },
            { IntotoV2, $"{intoto}.signatures[0].sig", otherSignature, $"{intoto}.signatures[0].sig" },
            { IntotoV2, $"{intoto}.signatures[0].publicKey", otherCertificatePem, $"{intoto}.signatures[0].publicKey" },
            { IntotoV2, $"{intoto}.payloadType", "text/plain", $"{intoto}.payloadType" },
            { IntotoV2, $"{intoto}.payload", Convert.ToBase64String("e30="u8.ToArray()), $"{intoto}.payload" },
            { IntotoV2, "spec.content.payloadHash.value", new string('3', 64), "spec.content.payloadHash" },
            { HashedRekordV2, $"{v2}.signature.content", otherSignature, $"{v2}.signature.content" },
            { HashedRekordV2, $"{v2}.signature.verifier.x509Certificate.rawBytes", otherCertificate, $"{v2}.signature.verifier.x509Certificate.rawBytes" },
            { HashedRekordV2, $"{v2}.data.digest", Convert.ToBase64String(new byte[32]), $"{v2}.data.digest" },
            { HashedRekordV2, $"{v2}.data.algorithm", "SHA2_512", $"{v2}.data.algorithm" },
            { HashedRekordV2OverDsse, $"{v2}.data.digest", Convert.ToBase64String(new byte[32]), $"{v2}.data.digest" },
            { HashedRekordV2OverDsse, $"{v2}.signature.content", otherSignature, $"{v2}.signature.content" },
        };
    }

    [Theory]
    [MemberData(nameof(FieldEdits))]
    public void Verify_BodyFieldChanged_IsMismatchNamingTheField(string name, string path, string value, string field)
    {
        var bundle = Edited(name, body => Set(body, path, value));

        AssertFails(bundle, TlogCodes.BodyMismatch, $"'{field}'");
    }

    /// <summary>payloadType is not in dsse 0.0.1's payloadHash: only envelopeHash binds it.</summary>
    [Fact]
    public void Verify_DsseBundlePayloadTypeChanged_EnvelopeHashMismatch()
    {
        var bundle = Edited(DsseV1, editBundle: b => Set(b, "dsseEnvelope.payloadType", "text/plain"));

        AssertFails(bundle, TlogCodes.BodyMismatch, "'spec.envelopeHash'");
    }

    [Fact]
    public void Verify_DsseV1WithoutEnvelopeHash_ChecksTheRest()
    {
        var bundle = Edited(DsseV1, body => Set(body, "spec.envelopeHash", null));

        Assert.True(TlogBodyVerifier.Verify(bundle.VerificationMaterial!.TlogEntries[0], bundle).IsValid);
    }

    [Fact]
    public void Verify_HashedRekordOverDssePayloadTypeChanged_DigestIsNotThePae()
    {
        var bundle = Edited(HashedRekordV2OverDsse, editBundle: b => Set(b, "dsseEnvelope.payloadType", "text/plain"));

        AssertFails(bundle, TlogCodes.BodyMismatch, "pre-authentication encoding");
    }

    [Fact]
    public void Verify_DsseV1TwoSignaturesInBody_IsMismatch()
    {
        var bundle = Edited(DsseV1, body => body["spec"]!["signatures"]!.AsArray().Add(body["spec"]!["signatures"]![0]!.DeepClone()));

        AssertFails(bundle, TlogCodes.BodyMismatch, "has 2 signatures");
    }

    [Theory]
    [InlineData(HashedRekordV1, "spec.signature.publicKey.content")]
    [InlineData(HashedRekordV2, "spec.hashedRekordV002.signature.verifier.publicKey.rawBytes")]
    public void Verify_BodyNamesTheCertificatesKeyInsteadOfTheCertificate_IsMismatch(string name, string field)
    {
        var bundle = Bundle(name);
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(bundle.VerificationMaterial!.Certificates[0].Span);
        var spki = certificate.PublicKey.ExportSubjectPublicKeyInfo();
        var edited = Edited(name, body =>
        {
            if (name == HashedRekordV1)
            {
                Set(body, field, Pem("PUBLIC KEY", spki));
            }
            else
            {
                Set(body, "spec.hashedRekordV002.signature.verifier.x509Certificate", null);
                Set(body, "spec.hashedRekordV002.signature.verifier.publicKey", new JsonObject { ["rawBytes"] = Convert.ToBase64String(spki) });
            }
        });

        AssertFails(edited, TlogCodes.BodyMismatch, $"'{field}' is a public key");
    }

    [Fact]
    public void Verify_DsseV2BodyBuiltFromTheBundle_IsValidAndEachFieldIsChecked()
    {
        var happy = Edited(HashedRekordV2OverDsse, DsseV2Body(_ => { }), KindVersion("dsse", "0.0.2"));
        Assert.True(TlogBodyVerifier.Verify(happy.VerificationMaterial!.TlogEntries[0], happy).IsValid);

        var edits = new (Action<JsonObject> Edit, string Field)[]
        {
            (v => v["signatures"]![0]!["content"] = Convert.ToBase64String(OtherSignature()), "spec.dsseV002.signatures[0].content"),
            (v => v["signatures"]![0]!["verifier"]!["x509Certificate"]!["rawBytes"] = OtherCertificate(), "spec.dsseV002.signatures[0].verifier.x509Certificate.rawBytes"),
            (v => v["payloadHash"]!["digest"] = Convert.ToBase64String(new byte[32]), "spec.dsseV002.payloadHash"),
            (v => v["signatures"]!.AsArray().Add(v["signatures"]![0]!.DeepClone()), "spec.dsseV002.signatures"),
        };
        foreach (var (edit, field) in edits)
        {
            AssertFails(Edited(HashedRekordV2OverDsse, DsseV2Body(edit), KindVersion("dsse", "0.0.2")), TlogCodes.BodyMismatch, $"'{field}'");
        }
    }

    [Theory]
    [InlineData(HashedRekordV1, "dsse", "0.0.1")]
    [InlineData(HashedRekordV1, "intoto", "0.0.2")]
    [InlineData(HashedRekordV1, "dsse", "0.0.2")]
    [InlineData(DsseV1, "hashedrekord", "0.0.1")]
    public void Verify_KindForTheOtherContent_IsMismatchOnKind(string name, string kind, string version)
    {
        var bundle = Edited(name, body =>
        {
            body["kind"] = kind;
            body["apiVersion"] = version;
        }, KindVersion(kind, version));

        AssertFails(bundle, TlogCodes.BodyMismatch, "'kind'");
    }

    [Fact]
    public void Verify_BodyKindDiffersFromKindVersion_IsMismatch()
    {
        var bundle = Edited(HashedRekordV1, body => body["apiVersion"] = "0.0.2");

        AssertFails(bundle, TlogCodes.BodyMismatch, "'kind/apiVersion'");
    }

    [Theory]
    [InlineData("rekord", "0.0.1")]
    [InlineData("hashedrekord", "0.0.3")]
    [InlineData("intoto", "0.0.1")]
    public void Verify_UnknownKindOrVersion_IsUnsupported(string kind, string version)
    {
        var bundle = Edited(HashedRekordV1, body =>
        {
            body["kind"] = kind;
            body["apiVersion"] = version;
        }, KindVersion(kind, version));

        Assert.Equal(TlogCodes.UnsupportedKind, TlogBodyVerifier.Verify(bundle.VerificationMaterial!.TlogEntries[0], bundle).Code);
    }

    public static TheoryData<string, string, string?> MalformedEdits() => new()
    {
        { HashedRekordV1, "spec.data", null },
        { HashedRekordV1, "spec.signature.publicKey.content", Convert.ToBase64String("not PEM at all"u8.ToArray()) },
        { HashedRekordV1, "spec.signature.content", "%%%" },
        { HashedRekordV1, "spec.data.hash.value", "xyz" },
        { DsseV1, "spec.payloadHash", null },
        { IntotoV2, "spec.content.envelope", null },
        { HashedRekordV2, "spec.hashedRekordV002.signature.verifier.keyDetails", null },
        { HashedRekordV2, "spec.hashedRekordV002.signature.verifier.x509Certificate", null },
        { HashedRekordV2, "spec.hashedRekordV002", null },
    };

    [Theory]
    [MemberData(nameof(MalformedEdits))]
    public void Verify_BodyMissingOrBadField_IsMalformed(string name, string path, string? value)
    {
        var bundle = Edited(name, body => Set(body, path, value is null ? null : JsonValue.Create(value)));

        AssertFails(bundle, TlogCodes.MalformedBody, "canonicalizedBody: ");
    }

    [Fact]
    public void Verify_VerifierWithKeyAndCertificate_IsMalformed()
    {
        var bundle = Edited(HashedRekordV2, body => Set(body, "spec.hashedRekordV002.signature.verifier.publicKey", new JsonObject { ["rawBytes"] = "AAAA" }));

        AssertFails(bundle, TlogCodes.MalformedBody, "exactly one of publicKey and x509Certificate");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"kind\":\"hashedrekord\",\"kind\":\"dsse\",\"apiVersion\":\"0.0.1\",\"spec\":{}}")]
    public void Verify_BodyNotAnEntryObject_IsMalformed(string text)
    {
        var bundle = Bundle(HashedRekordV1);
        var entry = bundle.VerificationMaterial!.TlogEntries[0] with { CanonicalizedBody = Encoding.UTF8.GetBytes(text) };

        Assert.Equal(TlogCodes.MalformedBody, TlogBodyVerifier.Verify(entry, bundle).Code);
    }

    [Fact]
    public void Verify_BodyOverLimit_IsMalformedWithoutParsing()
    {
        var bundle = Bundle(HashedRekordV1);
        var entry = bundle.VerificationMaterial!.TlogEntries[0] with { CanonicalizedBody = new byte[TlogBodyVerifier.MaxBodyBytes + 1] };

        var result = TlogBodyVerifier.Verify(entry, bundle);

        Assert.Equal(TlogCodes.MalformedBody, result.Code);
        Assert.Contains($"{TlogBodyVerifier.MaxBodyBytes}", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_KeySignedBundle_ComparesWithTheGivenKey()
    {
        var bundle = Bundle("managed-key-happy-path");
        var entry = bundle.VerificationMaterial!.TlogEntries[0];
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.True(TlogBodyVerifier.Verify(entry, bundle, Key("managed-key-happy-path")).IsValid);
        Assert.Equal(TlogCodes.BodyKeyRequired, TlogBodyVerifier.Verify(entry, bundle).Code);
        var wrong = TlogBodyVerifier.Verify(entry, bundle, other.ExportSubjectPublicKeyInfo());
        Assert.Equal(TlogCodes.BodyMismatch, wrong.Code);
        Assert.Contains("another public key", wrong.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_HashedRekordWithoutBundleMessageDigest_IsMismatch()
    {
        var bundle = Edited(HashedRekordV1, editBundle: b => b["messageSignature"]!.AsObject().Remove("messageDigest"));

        AssertFails(bundle, TlogCodes.BodyMismatch, "no messageSignature.messageDigest");
    }

    [Fact]
    public void Verify_MutatedBodies_NeverThrowAndFailWithABodyCode()
    {
        var seeds = new[] { HashedRekordV1, DsseV1, IntotoV2, HashedRekordV2, HashedRekordV2OverDsse }
            .Select(n => (Bundle: Bundle(n), Body: Bundle(n).VerificationMaterial!.TlogEntries[0].CanonicalizedBody.ToArray()))
            .ToList();
        var gen = from index in Gen.Choose(0, seeds.Count - 1)
                  from body in Mutation.Of([seeds[index].Body], 1, 3)
                  select (index, body);
        string?[] allowed = [null, TlogCodes.MalformedBody, TlogCodes.BodyMismatch, TlogCodes.UnsupportedKind];

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var (bundle, _) = seeds[input.index];
            var entry = bundle.VerificationMaterial!.TlogEntries[0] with { CanonicalizedBody = input.body };
            var result = TlogBodyVerifier.Verify(entry, bundle);
            return allowed.Contains(result.Code) && (result.IsValid || result.Reason!.Length > 0);
        }));
    }

    private static Action<JsonObject> KindVersion(string kind, string version) => bundle =>
    {
        var kindVersion = bundle["verificationMaterial"]!["tlogEntries"]![0]!["kindVersion"]!;
        kindVersion["kind"] = kind;
        kindVersion["version"] = version;
    };

    /// <summary>Replaces the body with a dsse 0.0.2 body of the bundle's own envelope and certificate, then applies <paramref name="edit"/> to <c>dsseV002</c>.</summary>
    private static Action<JsonObject> DsseV2Body(Action<JsonObject> edit) => body =>
    {
        var bundle = Bundle(HashedRekordV2OverDsse);
        var envelope = bundle.DsseEnvelope!;
        var entry = new JsonObject
        {
            ["payloadHash"] = new JsonObject { ["algorithm"] = "SHA2_256", ["digest"] = Convert.ToBase64String(SHA256.HashData(envelope.Payload.Span)) },
            ["signatures"] = new JsonArray(new JsonObject
            {
                ["content"] = Convert.ToBase64String(envelope.Signatures[0].Signature.Span),
                ["verifier"] = new JsonObject
                {
                    ["keyDetails"] = "PKIX_ECDSA_P256_SHA_256",
                    ["x509Certificate"] = new JsonObject { ["rawBytes"] = Convert.ToBase64String(bundle.VerificationMaterial!.Certificates[0].Span) },
                },
            }),
        };
        edit(entry);
        body.Clear();
        body["apiVersion"] = "0.0.2";
        body["kind"] = "dsse";
        body["spec"] = new JsonObject { ["dsseV002"] = entry };
    };

    /// <summary>The bundle's first log entry fails with <paramref name="code"/> and a reason containing <paramref name="text"/>.</summary>
    private static void AssertFails(SigstoreBundle bundle, string code, string text)
    {
        var result = TlogBodyVerifier.Verify(bundle.VerificationMaterial!.TlogEntries[0], bundle);

        Assert.Equal(code, result.Code);
        Assert.Contains(text, result.Reason, StringComparison.Ordinal);
    }
}
