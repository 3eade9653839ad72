using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Signet.Crypto.Dsse;
using Signet.Crypto.InToto;
using Signet.Oci;
using Signet.Testing;
using Signet.Testing.Signers;

namespace Signet.Crypto.Tests.InToto;

/// <summary>in-toto Statement v1 and v0.1: parsing, building, cosign predicate short names and subject matching.</summary>
public sealed class InTotoStatementTests
{
    private const string Hex = "97fc222cee7991b5b061d4d4afdb5f3428fcb0c9054e1690313786befa1e4e36";
    private static readonly Digest ImageDigest = Digest.Parse($"sha256:{Hex}");

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    [Fact]
    public void ForImageSignature_Digest_WritesCosignV3Statement()
    {
        var statement = InTotoStatement.ForImageSignature(ImageDigest);

        Assert.Equal(
            """{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"@0@"}}],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}""".Replace("@0@", Hex, StringComparison.Ordinal),
            Text(statement.Raw));
        Assert.True(statement.IsV1);
        Assert.True(statement.HasSubject(ImageDigest));
    }

    [Fact]
    public void ForImageSignature_Annotations_WrittenSortedOnTheSubject()
    {
        var statement = InTotoStatement.ForImageSignature(ImageDigest, new Dictionary<string, string> { ["z"] = "1", ["a"] = "<b>" });

        Assert.Contains("""{"digest":{"sha256":"@0@"},"annotations":{"a":"<b>","z":"1"}}""".Replace("@0@", Hex, StringComparison.Ordinal), Text(statement.Raw), StringComparison.Ordinal);
        Assert.Equal("""{"a":"<b>","z":"1"}""", Text(statement.Subjects[0].Annotations!.Value));
    }

    [Fact]
    public void Create_V01WithShortName_WritesLegacyOrderAndResolvesUri()
    {
        var statement = InTotoStatement.Create(
            [InTotoSubject.For(ImageDigest, "registry.example/app")],
            "slsaprovenance",
            Utf8("""{"builder":{"id":"x"}}"""),
            InTotoStatement.V01Type);

        Assert.Equal(
            """{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2","subject":[{"name":"registry.example/app","digest":{"sha256":"@0@"}}],"predicate":{"builder":{"id":"x"}}}""".Replace("@0@", Hex, StringComparison.Ordinal),
            Text(statement.Raw));
        Assert.False(statement.IsV1);
    }

    [Fact]
    public void Parse_CosignLegacyV01Statement_ReadsEveryField()
    {
        var raw = Utf8("""
            {"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://cosign.sigstore.dev/attestation/v1","subject":[{"name":"index.docker.io/library/app","digest":{"sha256":"@0@"}}],"predicate":{"Data":"hello\n","Timestamp":"2024-01-01T00:00:00Z"}}
            """.Replace("@0@", Hex, StringComparison.Ordinal));

        var statement = InTotoStatement.Parse(raw);

        Assert.Equal(InTotoStatement.V01Type, statement.Type);
        Assert.Equal(PredicateTypes.Custom, statement.PredicateType);
        var subject = Assert.Single(statement.Subjects);
        Assert.Equal("index.docker.io/library/app", subject.Name);
        Assert.Equal(Hex, subject.Digest["sha256"]);
        Assert.Null(subject.Annotations);
        Assert.Equal("""{"Data":"hello\n","Timestamp":"2024-01-01T00:00:00Z"}""", Text(statement.Predicate!.Value));
        Assert.Equal(raw, statement.Raw.ToArray());
    }

    [Fact]
    public void Parse_ConformanceStatement_ReadsAndKeepsBytes()
    {
        var path = Signet.Testing.TestData.Require("sigstore-conformance/statement.json");
        var raw = File.ReadAllBytes(path);

        var statement = InTotoStatement.Parse(raw);

        Assert.NotEmpty(statement.Subjects);
        Assert.Equal(raw, statement.Raw.ToArray());
        Assert.All(statement.Subjects, subject => Assert.NotEmpty(subject.Digest));
    }

    [Fact]
    public void HasSubject_MultipleSubjectsAndAlgorithms_MatchesOnlyTheSameHash()
    {
        var other = Digest.Compute("other"u8);
        var sha512 = Digest.Compute("x"u8, Digest.Sha512);
        var statement = InTotoStatement.Parse(Utf8("""
            {"_type":"https://in-toto.io/Statement/v1","subject":[
              {"name":"a","digest":{"sha512":"@0@","gitCommit":"abc"}},
              {"name":"b","digest":{"sha256":"@1@"}}],
             "predicateType":"https://example.com/p"}
            """.Replace("@0@", sha512.Encoded, StringComparison.Ordinal).Replace("@1@", Hex.ToUpperInvariant(), StringComparison.Ordinal)));

        Assert.True(statement.HasSubject(ImageDigest));
        Assert.True(statement.HasSubject(sha512));
        Assert.False(statement.HasSubject(other));
        Assert.False(statement.HasSubject(Digest.FromHash(Digest.Sha512, new byte[64])));
        Assert.Null(statement.Predicate);
    }

    [Fact]
    public async Task Statement_SignedInDsse_VerifiesAndMatchesImage()
    {
        using var signer = new EcdsaTestSigner();
        var statement = InTotoStatement.ForImageSignature(ImageDigest);
        var envelope = await DsseEnvelope.SignAsync(signer, DsseProtocol.InTotoPayloadType, statement.Raw);

        var parsed = DsseEnvelope.Parse(envelope.Raw);
        var inner = InTotoStatement.Parse(parsed.Payload);

        Assert.True(parsed.Verify(signer.PublicKey).IsVerified);
        Assert.True(inner.HasSubject(ImageDigest));
        Assert.Equal(statement.Raw.ToArray(), inner.Raw.ToArray());
    }

    [Theory]
    [InlineData("custom", "https://cosign.sigstore.dev/attestation/v1")]
    [InlineData("slsaprovenance", "https://slsa.dev/provenance/v0.2")]
    [InlineData("slsaprovenance02", "https://slsa.dev/provenance/v0.2")]
    [InlineData("slsaprovenance1", "https://slsa.dev/provenance/v1")]
    [InlineData("spdx", "https://spdx.dev/Document")]
    [InlineData("spdxjson", "https://spdx.dev/Document")]
    [InlineData("cyclonedx", "https://cyclonedx.org/bom")]
    [InlineData("link", "https://in-toto.io/Link/v1")]
    [InlineData("vuln", "https://cosign.sigstore.dev/attestation/vuln/v1")]
    [InlineData("openvex", "https://openvex.dev/ns")]
    [InlineData("https://example.com/predicate/v1", "https://example.com/predicate/v1")]
    [InlineData("urn:example:predicate", "urn:example:predicate")]
    public void Resolve_ShortNameOrUri_CosignUri(string value, string expected)
    {
        Assert.Equal(expected, PredicateTypes.Resolve(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("SPDX")]
    [InlineData("provenance")]
    [InlineData("example.com/predicate")]
    [InlineData("https://exa mple.com/p")]
    [InlineData("1http://x")]
    [InlineData("https:")]
    public void Resolve_NeitherShortNameNorAbsoluteUri_Refused(string value)
    {
        Assert.False(PredicateTypes.TryResolve(value, out _));
        Assert.Throws<ArgumentException>(() => PredicateTypes.Resolve(value));
    }

    [Theory]
    [InlineData("""{"subject":[{"digest":{"sha256":"a"}}],"predicateType":"p"}""", "_type")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v0.2","subject":[{"digest":{"sha256":"a"}}],"predicateType":"p"}""", "_type")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v1","predicateType":"p"}""", "subject")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"p"}""", "subject")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"x"}],"predicateType":"p"}""", "subject[0].digest")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{}}],"predicateType":"p"}""", "subject[0].digest")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":1}}],"predicateType":"p"}""", "subject[0].digest.sha256")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"a"}}]}""", "predicateType")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"a"}}],"predicateType":""}""", "predicateType")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"a"}}],"predicateType":"p","predicate":[1]}""", "predicate")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"a"},"annotations":"x"}],"predicateType":"p"}""", "annotations")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v1","_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"p"}""", "JSON")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"a","sha256":"b"}}],"predicateType":"p"}""", "JSON")]
    [InlineData("\"statement\"", "object")]
    public void Parse_MalformedStatement_RefusedNamingTheField(string json, string expected)
    {
        var error = Assert.Throws<InTotoFormatException>(() => InTotoStatement.Parse(Utf8(json)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OverSizeCap_Refused()
    {
        var raw = Utf8("""{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"@0@"}}],"predicateType":"p"}""".Replace("@0@", Hex, StringComparison.Ordinal));

        Assert.Throws<InTotoFormatException>(() => InTotoStatement.Parse(raw, maxBytes: raw.Length - 1));
        Assert.NotNull(InTotoStatement.Parse(raw, maxBytes: raw.Length));
    }

    [Fact]
    public void Create_PredicateNotAnObject_ArgumentException()
    {
        Assert.Throws<ArgumentException>(() => InTotoStatement.Create([InTotoSubject.For(ImageDigest)], "custom", Utf8("[1]")));
        Assert.Throws<ArgumentException>(() => InTotoStatement.Create([InTotoSubject.For(ImageDigest)], "custom", Utf8("{")));
        Assert.Throws<ArgumentException>(() => InTotoStatement.Create([], "custom", null));
        Assert.Throws<ArgumentException>(() => InTotoStatement.Create([InTotoSubject.For(ImageDigest)], "not a uri", null));
    }

    [Fact]
    public void Parse_RandomBytes_OnlyInTotoFormatException()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(ArbMap.Default.GeneratorFor<byte[]>().ToArbitrary(), ParsesOrRefuses));
    }

    [Fact]
    public void Parse_MutatedStatements_OnlyInTotoFormatException()
    {
        var seeds = new[]
        {
            InTotoStatement.ForImageSignature(ImageDigest, new Dictionary<string, string> { ["k"] = "v" }).Raw.ToArray(),
            InTotoStatement.Create([InTotoSubject.For(ImageDigest, "n")], "spdx", Utf8("""{"a":[1,2,{"b":null}]}"""), InTotoStatement.V01Type).Raw.ToArray(),
        };
        var gen = Mutation.Of(seeds, 1, 5, Gen.Elements<byte>((byte)'"', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)':', (byte)',', (byte)'\\', (byte)'u', (byte)'n', 0x00, 0xc3, 0xff));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), Prop.ForAll(gen.ToArbitrary(), ParsesOrRefuses));
    }

    private static bool ParsesOrRefuses(byte[] raw)
    {
        try
        {
            InTotoStatement.Parse(raw).HasSubject(ImageDigest);
        }
        catch (InTotoFormatException)
        {
        }

        return true;
    }
}
