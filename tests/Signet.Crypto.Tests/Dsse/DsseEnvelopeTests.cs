using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Signet.Crypto.Dsse;
using Signet.Testing;
using Signet.Testing.Signers;

namespace Signet.Crypto.Tests.Dsse;

/// <summary>DSSE v1: PAE vectors from secure-systems-lab/dsse protocol.md, envelope parsing, signing and verification.</summary>
public sealed class DsseEnvelopeTests
{
    private const string HelloType = "http://example.com/HelloWorld";

    // protocol.md "Test Vectors": the envelope and the P-256 public key (decimal X, Y) that made it (raw r||s signature).
    private const string SpecEnvelope = """
        {"payload": "aGVsbG8gd29ybGQ=",
         "payloadType": "http://example.com/HelloWorld",
         "signatures": [{"sig": "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="}]}
        """;

    private const string SpecX = "46950820868899156662930047687818585632848591499744589407958293238635476079160";
    private const string SpecY = "5640078356564379163099075877009565129882514886557779369047442380624545832820";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static DsseFormatException Refused(string json) => Assert.Throws<DsseFormatException>(() => DsseEnvelope.Parse(Utf8(json)));

    [Theory]
    [InlineData(HelloType, "hello world", "DSSEv1 29 http://example.com/HelloWorld 11 hello world")]
    [InlineData("", "", "DSSEv1 0  0 ")]
    [InlineData("application/vnd.in-toto+json", "{}", "DSSEv1 28 application/vnd.in-toto+json 2 {}")]
    [InlineData("t", "0123456789", "DSSEv1 1 t 10 0123456789")]
    public void PreAuthenticationEncoding_SpecVectors_ExactBytes(string type, string body, string expected)
    {
        Assert.Equal(Utf8(expected), DsseProtocol.PreAuthenticationEncoding(type, Utf8(body)));
    }

    [Fact]
    public void PreAuthenticationEncoding_NonAsciiType_CountsUtf8Bytes()
    {
        // "é" is two UTF-8 bytes: LEN counts bytes, not characters.
        var pae = DsseProtocol.PreAuthenticationEncoding("é", [0x00, 0xff]);

        Assert.Equal([.. "DSSEv1 2 "u8, 0xc3, 0xa9, .. " 2 "u8, 0x00, 0xff], pae);
    }

    [Fact]
    public void Parse_SpecTestVector_SignatureVerifiesOverPae()
    {
        var envelope = DsseEnvelope.Parse(Utf8(SpecEnvelope));

        Assert.Equal(HelloType, envelope.PayloadType);
        Assert.Equal(Utf8("hello world"), envelope.Payload.ToArray());
        var signature = Assert.Single(envelope.Signatures);
        Assert.Equal(string.Empty, signature.KeyId);
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Coordinate(SpecX), Y = Coordinate(SpecY) },
        });
        Assert.True(key.VerifyData(envelope.PreAuthenticationEncoding(), signature.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.Equal(Utf8(SpecEnvelope), envelope.Raw.ToArray());
    }

    private static byte[] Coordinate(string decimalValue)
    {
        var bytes = BigInteger.Parse(decimalValue, CultureInfo.InvariantCulture).ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. new byte[32 - bytes.Length], .. bytes];
    }

    [Fact]
    public async Task SignAsync_EcdsaP256_VerifiesWithPublicKey()
    {
        using var signer = new EcdsaTestSigner();
        var envelope = await DsseEnvelope.SignAsync(signer, DsseProtocol.InTotoPayloadType, Utf8("{\"_type\":\"x\"}"), keyId: "k1");

        var result = envelope.Verify(signer.PublicKey);

        Assert.True(result.IsVerified);
        Assert.Equal([0], result.VerifiedIndexes.ToArray());
        Assert.Equal(1, result.SignatureCount);
        Assert.Equal("k1", envelope.Signatures[0].KeyId);
    }

    [Fact]
    public async Task SignAsync_CosignLayout_WritesCosignFieldOrder()
    {
        using var signer = new EcdsaTestSigner();
        var envelope = await DsseEnvelope.SignAsync(signer, DsseProtocol.InTotoPayloadType, Utf8("{}"));
        var sig = Convert.ToBase64String(envelope.Signatures[0].Signature.Span);

        Assert.Equal($$"""{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[{"keyid":"","sig":"{{sig}}"}]}""", Encoding.UTF8.GetString(envelope.Raw.Span));
    }

    [Fact]
    public async Task SignAsync_BundleLayout_WritesProtoFieldOrderAndOmitsEmptyKeyId()
    {
        using var signer = new EcdsaTestSigner();
        var envelope = await DsseEnvelope.SignAsync(signer, DsseProtocol.InTotoPayloadType, Utf8("{}"), layout: DsseJsonLayout.SigstoreBundle);
        var sig = Convert.ToBase64String(envelope.Signatures[0].Signature.Span);

        Assert.Equal($$"""{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"{{sig}}"}]}""", Encoding.UTF8.GetString(envelope.Raw.Span));
        Assert.Equal($$"""{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"{{sig}}","keyid":"k"}]}""",
            Encoding.UTF8.GetString(DsseEnvelope.Create(envelope.PayloadType, envelope.Payload, [envelope.Signatures[0] with { KeyId = "k" }], DsseJsonLayout.SigstoreBundle).Raw.Span));
    }

    [Theory]
    [InlineData(DsseJsonLayout.Cosign)]
    [InlineData(DsseJsonLayout.SigstoreBundle)]
    public async Task Parse_WrittenEnvelope_RoundTripsBytesAndFields(DsseJsonLayout layout)
    {
        using var signer = new EcdsaTestSigner();
        var written = await DsseEnvelope.SignAsync(signer, "application/vnd.example+json", Utf8("payload <&> +/"), "id", layout);

        var parsed = DsseEnvelope.Parse(written.Raw);

        Assert.Equal(written.Raw.ToArray(), parsed.Raw.ToArray());
        Assert.Equal(written.PayloadType, parsed.PayloadType);
        Assert.Equal(written.Payload.ToArray(), parsed.Payload.ToArray());
        Assert.Equal(written.Signatures[0].Signature.ToArray(), parsed.Signatures[0].Signature.ToArray());
        Assert.Equal(written.Raw.ToArray(), parsed.ToJson(layout));
        Assert.True(parsed.Verify(signer.PublicKey).IsVerified);
    }

    [Fact]
    public async Task Verify_TamperedPayload_NotVerified()
    {
        using var signer = new EcdsaTestSigner();
        var envelope = await DsseEnvelope.SignAsync(signer, DsseProtocol.InTotoPayloadType, Utf8("original"));

        var tampered = envelope with { Payload = Utf8("originaL") };

        Assert.False(tampered.Verify(signer.PublicKey).IsVerified);
    }

    [Fact]
    public async Task Verify_TamperedPayloadType_NotVerified()
    {
        using var signer = new EcdsaTestSigner();
        var envelope = await DsseEnvelope.SignAsync(signer, DsseProtocol.InTotoPayloadType, Utf8("body"));

        var tampered = envelope with { PayloadType = "application/vnd.in-toto+jsoN" };

        Assert.False(tampered.Verify(signer.PublicKey).IsVerified);
    }

    [Fact]
    public async Task Verify_TamperedSignatureBytes_NotVerifiedAndDoesNotThrow()
    {
        using var signer = new EcdsaTestSigner();
        var envelope = await DsseEnvelope.SignAsync(signer, DsseProtocol.InTotoPayloadType, Utf8("body"));
        var sig = envelope.Signatures[0].Signature.ToArray();
        sig[^1] ^= 0x01;

        var flipped = envelope with { Signatures = [envelope.Signatures[0] with { Signature = sig }] };
        var garbage = envelope with { Signatures = [new DsseSignature { KeyId = string.Empty, Signature = new byte[] { 1, 2, 3 } }] };
        var empty = envelope with { Signatures = [new DsseSignature { KeyId = string.Empty, Signature = ReadOnlyMemory<byte>.Empty }] };

        Assert.False(flipped.Verify(signer.PublicKey).IsVerified);
        Assert.False(garbage.Verify(signer.PublicKey).IsVerified);
        Assert.False(empty.Verify(signer.PublicKey).IsVerified);
    }

    [Fact]
    public async Task Verify_TamperedRawJson_ParsedEnvelopeNotVerified()
    {
        using var signer = new EcdsaTestSigner();
        var envelope = await DsseEnvelope.SignAsync(signer, DsseProtocol.InTotoPayloadType, Utf8("{\"a\":1}"));
        var text = Encoding.UTF8.GetString(envelope.Raw.Span).Replace("eyJhIjoxfQ==", "eyJhIjoyfQ==", StringComparison.Ordinal);

        var parsed = DsseEnvelope.Parse(Utf8(text));

        Assert.Equal("{\"a\":2}", Encoding.UTF8.GetString(parsed.Payload.Span));
        Assert.False(parsed.Verify(signer.PublicKey).IsVerified);
    }

    [Fact]
    public async Task Verify_TwoSignaturesTwoKeys_ReportsWhichVerified()
    {
        using var first = new EcdsaTestSigner();
        using var second = new EcdsaTestSigner();
        using var stranger = new EcdsaTestSigner();
        var one = await DsseEnvelope.SignAsync(first, DsseProtocol.InTotoPayloadType, Utf8("shared"), "first");
        var both = await one.AddSignatureAsync(second, "second");

        var parsed = DsseEnvelope.Parse(both.Raw);

        Assert.Equal(2, parsed.Signatures.Length);
        Assert.Equal(["first", "second"], parsed.Signatures.Select(s => s.KeyId));
        Assert.Equal([0], parsed.Verify(first.PublicKey).VerifiedIndexes.ToArray());
        Assert.Equal([1], parsed.Verify(second.PublicKey).VerifiedIndexes.ToArray());
        Assert.False(parsed.Verify(stranger.PublicKey).IsVerified);
        Assert.Equal(2, parsed.Verify(stranger.PublicKey).SignatureCount);
    }

    [Fact]
    public async Task Verify_KeyIdHintMisleading_IgnoredAndSignatureStillChecked()
    {
        using var signer = new EcdsaTestSigner();
        using var other = new EcdsaTestSigner();
        var good = await DsseEnvelope.SignAsync(signer, DsseProtocol.InTotoPayloadType, Utf8("x"), "other-key");
        var bad = await DsseEnvelope.SignAsync(other, DsseProtocol.InTotoPayloadType, Utf8("x"), "signer-key");
        var mixed = DsseEnvelope.Create(good.PayloadType, good.Payload, [bad.Signatures[0], good.Signatures[0]]);

        Assert.Equal([1], mixed.Verify(signer.PublicKey).VerifiedIndexes.ToArray());
    }

    [Theory]
    [InlineData("aGVsbG8gd29ybGQ=", "hello world")]
    [InlineData("aGVsbG8gd29ybGQ", "hello world")]
    [InlineData("P_8-", "?\u00ff>")]
    [InlineData("P/8+", "?\u00ff>")]
    [InlineData("", "")]
    [InlineData("aGVsbG8g\\nd29ybGQ=\\r\\n", "hello world")]
    public void Parse_Base64Variants_Accepted(string payload, string expectedLatin1)
    {
        var envelope = DsseEnvelope.Parse(Utf8($$"""{"payloadType":"t","payload":"{{payload}}","signatures":[]}"""));

        Assert.Equal(Encoding.Latin1.GetBytes(expectedLatin1), envelope.Payload.ToArray());
    }

    [Theory]
    [InlineData("P/8-")]
    [InlineData("aGVsbG8gd29ybGQ==")]
    [InlineData("aGVsbG8 d29ybGQ=")]
    [InlineData("aGVsbG8gd29ybGQ=\\t")]
    [InlineData("a")]
    [InlineData("aGVs=bG8")]
    [InlineData("!!!!")]
    public void Parse_InvalidBase64Payload_Refused(string payload)
    {
        var error = Refused($$"""{"payloadType":"t","payload":"{{payload}}","signatures":[]}""");

        Assert.Contains("payload", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"payload":"","signatures":[]}""", "payloadType")]
    [InlineData("""{"payloadType":"t","signatures":[]}""", "payload")]
    [InlineData("""{"payloadType":"t","payload":""}""", "signatures")]
    [InlineData("""{"payloadType":"t","payload":"","signatures":[{"keyid":"k"}]}""", "signatures[0].sig")]
    [InlineData("""{"payloadType":1,"payload":"","signatures":[]}""", "payloadType")]
    [InlineData("""{"payloadType":"t","payload":"","signatures":{}}""", "signatures")]
    [InlineData("""{"payloadType":"t","payload":"","signatures":["x"]}""", "signatures[0]")]
    [InlineData("""{"payloadType":"t","payload":"","signatures":[{"sig":"","keyid":5}]}""", "keyid")]
    [InlineData("""{"payloadType":"t","payload":"","payloadUtf8":"hi","signatures":[]}""", "payloadUtf8")]
    [InlineData("""{"payloadType":"t","PayloadType":"u","payload":"","signatures":[]}""", "PayloadType")]
    [InlineData("""{"payloadType":"t","payload":"","payload":"","signatures":[]}""", "JSON")]
    [InlineData("""[]""", "object")]
    [InlineData("""{"payloadType":"t","payload":"",""", "JSON")]
    public void Parse_MalformedEnvelope_RefusedNamingTheField(string json, string expected)
    {
        var error = Refused(json);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownFields_Ignored()
    {
        var envelope = DsseEnvelope.Parse(Utf8("""{"payloadType":"t","payload":"","signatures":[{"sig":"","extra":1}],"future":{"x":[1]}}"""));

        Assert.Equal("t", envelope.PayloadType);
        Assert.Single(envelope.Signatures);
    }

    [Fact]
    public void Parse_PayloadOverCap_Refused()
    {
        var payload = Convert.ToBase64String(new byte[1025]);
        var json = Utf8($$"""{"payloadType":"t","payload":"{{payload}}","signatures":[]}""");

        var error = Assert.Throws<DsseFormatException>(() => DsseEnvelope.Parse(json, new DsseParseOptions { MaxPayloadBytes = 1024 }));
        var atCap = DsseEnvelope.Parse(Utf8($$"""{"payloadType":"t","payload":"{{Convert.ToBase64String(new byte[1024])}}","signatures":[]}"""), new DsseParseOptions { MaxPayloadBytes = 1024 });

        Assert.Contains("1024", error.Message, StringComparison.Ordinal);
        Assert.Equal(1024, atCap.Payload.Length);
    }

    [Fact]
    public void Parse_TooManySignatures_Refused()
    {
        var signatures = string.Join(',', Enumerable.Repeat("""{"sig":""}""", 33));

        var error = Refused($$"""{"payloadType":"t","payload":"","signatures":[{{signatures}}]}""");

        Assert.Contains("33", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EnvelopeOverByteCap_RefusedBeforeParsing()
    {
        var options = new DsseParseOptions { MaxPayloadBytes = 16, MaxSignatures = 1 };
        var json = new byte[options.MaxEnvelopeBytes + 1];

        Assert.Throws<DsseFormatException>(() => DsseEnvelope.Parse(json, options));
    }

    [Fact]
    public void Parse_RandomBytes_OnlyDsseFormatException()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(ArbMap.Default.GeneratorFor<byte[]>().ToArbitrary(), ParsesOrRefuses));
    }

    [Fact]
    public void Parse_MutatedEnvelopes_OnlyDsseFormatException()
    {
        var seeds = new[]
        {
            Utf8(SpecEnvelope),
            Utf8("""{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[{"keyid":"","sig":"MEUCIQ=="},{"sig":"AA"}]}"""),
        };
        var gen = Mutation.Of(seeds, 1, 5, Gen.Elements<byte>((byte)'"', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)':', (byte)',', (byte)'\\', (byte)'=', (byte)'-', 0x00, 0xc3, 0xff, (byte)'A'));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), Prop.ForAll(gen.ToArbitrary(), ParsesOrRefuses));
    }

    private static bool ParsesOrRefuses(byte[] raw)
    {
        try
        {
            DsseEnvelope.Parse(raw).Verify(PublicKey.FromSubjectPublicKeyInfo(SpecKey.Value));
        }
        catch (DsseFormatException)
        {
        }

        return true;
    }

    private static readonly Lazy<byte[]> SpecKey = new(() =>
    {
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Coordinate(SpecX), Y = Coordinate(SpecY) },
        });
        return key.ExportSubjectPublicKeyInfo();
    });
}
