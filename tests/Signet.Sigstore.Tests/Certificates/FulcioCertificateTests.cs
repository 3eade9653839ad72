using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FsCheck;
using FsCheck.Fluent;
using Signet.Sigstore.Certificates;

namespace Signet.Sigstore.Tests.Certificates;

public sealed class FulcioCertificateTests
{
    [Fact]
    public void Parse_ConformanceHappyPath_ReadsIdentityAndExtensions()
    {
        var certificate = ConformanceCertificates.Leaf("happy-path-v0.3");

        Assert.Equal([new SubjectAlternativeName(SanKind.Uri, ConformanceCertificates.DefaultIdentity)], certificate.SubjectAlternativeNames.ToArray());
        Assert.Equal(ConformanceCertificates.DefaultIssuer, certificate.Issuer);
        Assert.Equal(new DateTimeOffset(2024, 3, 19, 17, 26, 26, TimeSpan.Zero), certificate.NotBefore);
        Assert.Equal(new DateTimeOffset(2024, 3, 19, 17, 36, 26, TimeSpan.Zero), certificate.NotAfter);
        Assert.Equal(Signet.Crypto.KeyAlgorithm.EcdsaP256, certificate.PublicKey.Algorithm);

        // Values confirmed with `openssl x509 -text`: .1.1-.1.6 raw, .1.8+ UTF8String.
        Assert.Equal("https://token.actions.githubusercontent.com", certificate.Extensions[FulcioExtensions.IssuerV1]);
        Assert.Equal("workflow_dispatch", certificate.Extensions["1.3.6.1.4.1.57264.1.2"]);
        Assert.Equal("c7b3dfb335f051e1c86bda4c716fac97df62ad81", certificate.Extensions["1.3.6.1.4.1.57264.1.3"]);
        Assert.Equal("refs/heads/main", certificate.Extensions["1.3.6.1.4.1.57264.1.6"]);
        Assert.Equal("https://token.actions.githubusercontent.com", certificate.Extensions[FulcioExtensions.Issuer]);
        Assert.Equal("github-hosted", certificate.Extensions["1.3.6.1.4.1.57264.1.11"]);
        Assert.Equal("632596897", certificate.Extensions["1.3.6.1.4.1.57264.1.15"]);
        Assert.Equal("https://github.com/sigstore-conformance", certificate.Extensions["1.3.6.1.4.1.57264.1.16"]);
        Assert.All(certificate.Extensions.Keys, oid => Assert.True(FulcioExtensions.Number(oid) > 0));
        Assert.Equal(ConformanceCertificates.LeafDer("happy-path-v0.3").ToArray(), certificate.Raw.ToArray());
    }

    [Fact]
    public void Parse_AllSansAndLegacyIssuer_ReadsEachKind()
    {
        using var pki = TestPki.Create();
        var der = pki.IssueLeaf(new LeafSpec
        {
            Sans =
            [
                new(SanKind.Email, "dev@example.com"),
                new(SanKind.Uri, "https://example.com/ci"),
                new(SanKind.Dns, "build.example.com"),
                new(SanKind.IpAddress, "192.0.2.7"),
                new(SanKind.IpAddress, "2001:db8::1"),
                new(SanKind.OtherName, "octocat!github.com"),
            ],
            Fulcio = new Dictionary<int, string> { [1] = "https://accounts.example.com", [2] = "push" },
        });

        var certificate = FulcioCertificate.Parse(der);

        Assert.Equal(
            ["Email:dev@example.com", "Uri:https://example.com/ci", "Dns:build.example.com", "IpAddress:192.0.2.7", "IpAddress:2001:db8::1", "OtherName:octocat!github.com"],
            certificate.SubjectAlternativeNames.Select(s => $"{s.Kind}:{s.Value}"));
        Assert.Equal("https://accounts.example.com", certificate.Issuer);
        Assert.Equal("push", certificate.Extensions["1.3.6.1.4.1.57264.1.2"]);
    }

    [Fact]
    public void Parse_IssuerV2AndV1_PrefersV2()
    {
        using var pki = TestPki.Create();
        var der = pki.IssueLeaf(new LeafSpec { Fulcio = new Dictionary<int, string> { [1] = "https://old.example", [8] = "https://new.example" } });

        Assert.Equal("https://new.example", FulcioCertificate.Parse(der).Issuer);
    }

    [Fact]
    public void Parse_NoIssuerExtension_IssuerIsNull()
    {
        using var pki = TestPki.Create();

        Assert.Null(FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Fulcio = new Dictionary<int, string>() })).Issuer);
    }

    [Fact]
    public void Parse_OtherNameOfAnotherType_IsNotAnIdentity()
    {
        using var pki = TestPki.Create();
        var builder = new SubjectAlternativeNameBuilder();
        builder.AddUserPrincipalName("user@corp.example");
        builder.AddUri(new Uri("https://example.com/x"));
        var der = pki.IssueLeaf(new LeafSpec { Sans = [], Extra = [builder.Build(true)] });

        Assert.Equal([new SubjectAlternativeName(SanKind.Uri, "https://example.com/x")], FulcioCertificate.Parse(der).SubjectAlternativeNames.ToArray());
    }

    [Fact]
    public void Parse_UnknownFulcioArcMember_IsNotInExtensions()
    {
        using var pki = TestPki.Create();
        var der = pki.IssueLeaf(new LeafSpec { Extra = [new X509Extension("1.3.6.1.4.1.57264.1.99", TestPki.Utf8String("x"), false), new X509Extension("1.3.6.1.4.1.57264.1.3.1", TestPki.Utf8String("y"), false)] });

        Assert.Equal([FulcioExtensions.Issuer], FulcioCertificate.Parse(der).Extensions.Keys);
    }

    [Fact]
    public void Parse_Pem_FailsNamingPem()
    {
        var pem = System.Text.Encoding.ASCII.GetBytes(PemEncoding.WriteString("CERTIFICATE", ConformanceCertificates.LeafDer("happy-path-v0.3").Span));

        var e = Assert.Throws<CertificateFormatException>(() => FulcioCertificate.Parse(pem));
        Assert.Contains("PEM", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TrailingBytes_Fails()
    {
        var der = ConformanceCertificates.LeafDer("happy-path-v0.3").ToArray();

        var e = Assert.Throws<CertificateFormatException>(() => FulcioCertificate.Parse(der.Concat(new byte[] { 0x30, 0x00 }).ToArray()));
        Assert.Contains("followed by 2 more bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoCertificates_Fails()
    {
        var der = ConformanceCertificates.LeafDer("happy-path-v0.3").ToArray();

        Assert.Throws<CertificateFormatException>(() => FulcioCertificate.Parse(der.Concat(der).ToArray()));
    }

    [Fact]
    public void Parse_OverLimit_FailsBeforeReading()
    {
        var e = Assert.Throws<CertificateFormatException>(() => FulcioCertificate.Parse(new byte[FulcioCertificate.MaxBytes + 1]));
        Assert.Contains("at most 65536", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 0x04, 0x00 }, "not valid DER")]
    [InlineData(new byte[] { 0x30, 0x81, 0x01, 0x00 }, "not valid DER")]
    public void Parse_NotACertificate_FailsNamingProblem(byte[] der, string expected)
    {
        var e = Assert.Throws<CertificateFormatException>(() => FulcioCertificate.Parse(der));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SerialNumberNotInteger_FailsAsUnreadable()
    {
        // The outline is valid DER, so only the X.509 reader behind X509Certificate2 sees the wrong type.
        var der = ConformanceCertificates.LeafDer("happy-path-v0.3").ToArray();
        Assert.Equal([0xa0, 0x03, 0x02, 0x01, 0x02, 0x02], der[8..14]);
        der[13] = 0x04;

        var e = Assert.Throws<CertificateFormatException>(() => FulcioCertificate.Parse(der));
        Assert.Contains("certificate cannot be read", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateExtension_Fails()
    {
        using var pki = TestPki.Create();
        var der = TestPki.WithDuplicateExtension(pki.IssueLeaf(), FulcioExtensions.Issuer);

        var e = Assert.Throws<CertificateFormatException>(() => FulcioCertificate.Parse(der));
        Assert.Contains($"extension {FulcioExtensions.Issuer} twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IssuerV2NotUtf8String_Fails()
    {
        using var pki = TestPki.Create();
        var der = pki.IssueLeaf(new LeafSpec { Fulcio = new Dictionary<int, string>(), Extra = [new X509Extension(FulcioExtensions.Issuer, "https://raw.example"u8.ToArray(), false)] });

        Assert.Throws<CertificateFormatException>(() => FulcioCertificate.Parse(der));
    }

    [Fact]
    public void Parse_LegacyExtensionNotUtf8_Fails()
    {
        using var pki = TestPki.Create();
        var der = pki.IssueLeaf(new LeafSpec { Extra = [new X509Extension("1.3.6.1.4.1.57264.1.2", [0xff, 0xfe], false)] });

        var e = Assert.Throws<CertificateFormatException>(() => FulcioCertificate.Parse(der));
        Assert.Contains("not UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IpSanOfWrongLength_Fails()
    {
        using var pki = TestPki.Create();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteOctetString([1, 2, 3], new Asn1Tag(TagClass.ContextSpecific, 7));
        }

        var der = pki.IssueLeaf(new LeafSpec { Sans = [], Extra = [new X509Extension(FulcioCertificate.SubjectAlternativeNameOid, writer.Encode(), true)] });

        var e = Assert.Throws<CertificateFormatException>(() => FulcioCertificate.Parse(der));
        Assert.Contains("3 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnsupportedKey_FailsNamingKey()
    {
        using var pki = TestPki.Create();
        using var rsa = RSA.Create(1024);
        var request = new CertificateRequest("CN=weak", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.Create(pki.Intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(pki.IntermediateKey), TestPki.Epoch, TestPki.Epoch.AddDays(1), [5]);

        var e = Assert.Throws<CertificateFormatException>(() => FulcioCertificate.Parse(certificate.RawData));
        Assert.Contains("public key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MutatedCertificate_ThrowsOnlyCertificateFormatException()
    {
        var der = ConformanceCertificates.LeafDer("happy-path-v0.3").ToArray();
        var gen = from position in Gen.Choose(0, der.Length - 1)
                  from value in Gen.Choose(0, 255)
                  from cut in Gen.Choose(0, 3)
                  select (position, value, cut);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1500), Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var mutated = der.ToArray();
            mutated[input.position] = (byte)input.value;
            var bytes = input.cut == 0 ? mutated.AsMemory(0, input.position) : mutated;
            try
            {
                var certificate = FulcioCertificate.Parse(bytes);
                return certificate.Raw.Length == bytes.Length;
            }
            catch (CertificateFormatException e)
            {
                return e.Message.Length > 0;
            }
        }));
    }

    [Fact]
    public void FromNames_GitHubNamesAndOids_MapToOids()
    {
        var map = FulcioExtensions.FromNames(new Dictionary<string, string>
        {
            ["github-workflow-trigger"] = "push",
            ["source-repository-ref"] = "refs/heads/main",
            ["1.3.6.1.4.1.57264.1.22"] = "public",
        });

        Assert.Equal(
            [("1.3.6.1.4.1.57264.1.14", "refs/heads/main"), ("1.3.6.1.4.1.57264.1.2", "push"), ("1.3.6.1.4.1.57264.1.22", "public")],
            map.Select(p => (p.Key, p.Value)));
    }

    [Theory]
    [InlineData("github-workflow-colour")]
    [InlineData("1.3.6.1.4.1.57264.1.7")]
    [InlineData("1.3.6.1.4.1.57264.1.23")]
    public void FromNames_Unknown_ThrowsNamingKnownNames(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => FulcioExtensions.FromNames([new(name, "x")]));
        Assert.Contains("github-workflow-trigger", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromNames_SameExtensionTwice_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => FulcioExtensions.FromNames([new("issuer", "a"), new(FulcioExtensions.Issuer, "b")]));
        Assert.Contains("twice", e.Message, StringComparison.Ordinal);
    }
}
