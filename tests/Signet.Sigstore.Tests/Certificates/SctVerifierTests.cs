using FsCheck;
using FsCheck.Fluent;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.Certificates.Wire;

namespace Signet.Sigstore.Tests.Certificates;

public sealed class SctVerifierTests
{
    [Theory]
    [InlineData("happy-path-v0.1")]
    [InlineData("happy-path-v0.3")]
    [InlineData("bundle-with-sct-with-extensions")]
    [InlineData("intoto-with-custom-trust-root")]
    public void Verify_ConformanceCertificate_RealSctVerifiesOverRebuiltPrecertificate(string caseName)
    {
        // The log signed the precertificate; only a byte-exact rebuild of its TBS lets the real signature verify.
        var leaf = ConformanceCertificates.Leaf(caseName);
        var root = ConformanceCertificates.Root(caseName);
        var chain = FulcioChainVerifier.Verify(leaf, root, leaf.NotBefore.AddMinutes(1));
        Assert.True(chain.Result.IsValid, chain.Result.ToString());

        var result = SctVerifier.Verify(leaf, chain.Chain[1], root);

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Verify_SctWithExtensionsCase_HasNonEmptyExtensions()
    {
        var leaf = ConformanceCertificates.Leaf("bundle-with-sct-with-extensions");

        Assert.True(SignedCertificateTimestamp.TryReadList(leaf.Der.Find(SctVerifier.SctListOid)!.Value, out var scts, out var reason), reason);

        // As `openssl x509 -text` prints it: log 2C:A5:..., Jan 15 22:49:24.925 2026 GMT, extensions 00:00:05:00:00:00:00:70.
        var sct = Assert.Single(scts);
        Assert.StartsWith("2ca5cd27a89484c3", Convert.ToHexStringLower(sct.LogId.Span), StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 22, 49, 24, 925, TimeSpan.Zero), DateTimeOffset.FromUnixTimeMilliseconds((long)sct.Timestamp));
        Assert.Equal("0000050000000070", Convert.ToHexStringLower(sct.Extensions.Span));
        Assert.Equal((4, 3), (sct.HashAlgorithm, sct.SignatureAlgorithm));
    }

    [Fact]
    public void Verify_InvalidCtKeyCase_Fails()
    {
        var leaf = ConformanceCertificates.Leaf("invalid-ct-key_fail");
        var root = ConformanceCertificates.Root("invalid-ct-key_fail");
        var chain = FulcioChainVerifier.Verify(leaf, root, leaf.NotBefore.AddMinutes(1));
        Assert.True(chain.Result.IsValid, chain.Result.ToString());

        var result = SctVerifier.Verify(leaf, chain.Chain[1], root);

        Assert.Equal(CertificateCodes.UnknownCtLog, result.Code);
        Assert.Contains("does not list", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ConformanceCertificateWithWrongIssuer_SignatureInvalid()
    {
        // The issuer key hash is part of the signed data: the root's key instead of the intermediate's breaks it.
        var leaf = ConformanceCertificates.Leaf("happy-path-v0.3");
        var root = ConformanceCertificates.Root("happy-path-v0.3");
        var chain = FulcioChainVerifier.Verify(leaf, root, leaf.NotBefore.AddMinutes(1));

        var result = SctVerifier.Verify(leaf, chain.Chain[^1], root);

        Assert.Equal(CertificateCodes.SctSignatureInvalid, result.Code);
    }

    [Theory]
    [InlineData("ecdsa")]
    [InlineData("rsa")]
    [InlineData("ed25519")]
    public void Verify_OwnLogSignedPrecertificate_Verifies(string algorithm)
    {
        using var pki = TestPki.Create();
        using var log = algorithm switch { "rsa" => TestCtLog.Rsa(), "ed25519" => TestCtLog.Ed25519(), _ => TestCtLog.Ecdsa() };
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Scts = (tbs, hash) => TestCtLog.List(log.Sign(tbs, hash, extensions: [1, 2, 3])) }));

        var result = SctVerifier.Verify(leaf, pki.Intermediate, pki.TrustedRoot(ctlogs: log.Entry()));

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Verify_SignedOverOtherTbs_SignatureInvalid()
    {
        using var pki = TestPki.Create();
        using var log = TestCtLog.Ecdsa();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Scts = (tbs, hash) => TestCtLog.List(log.Sign([.. tbs[..^1], (byte)(tbs[^1] ^ 1)], hash)) }));

        var result = SctVerifier.Verify(leaf, pki.Intermediate, pki.TrustedRoot(ctlogs: log.Entry()));

        Assert.Equal(CertificateCodes.SctSignatureInvalid, result.Code);
        Assert.Contains("altered", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ExtensionsChangedAfterSigning_SignatureInvalid()
    {
        using var pki = TestPki.Create();
        using var log = TestCtLog.Ecdsa();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec
        {
            Scts = (tbs, hash) =>
            {
                var sct = log.Sign(tbs, hash, extensions: [1, 2, 3]);
                sct[1 + 32 + 8 + 2] ^= 0xff; // first extension byte
                return TestCtLog.List(sct);
            },
        }));

        Assert.Equal(CertificateCodes.SctSignatureInvalid, SctVerifier.Verify(leaf, pki.Intermediate, pki.TrustedRoot(ctlogs: log.Entry())).Code);
    }

    [Fact]
    public void Verify_IssuerNotDer_MalformedCertificate()
    {
        using var pki = TestPki.Create();
        using var log = TestCtLog.Ecdsa();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Scts = (tbs, hash) => TestCtLog.List(log.Sign(tbs, hash)) }));
        using var berIssuer = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(TestPki.WithBerTbsLength(pki.Intermediate.RawData));

        var result = SctVerifier.Verify(leaf, berIssuer, pki.TrustedRoot(ctlogs: log.Entry()));

        Assert.Equal(CertificateCodes.MalformedCertificate, result.Code);
        Assert.Contains("issuing certificate", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NoSctExtension_NoSct()
    {
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf());

        var result = SctVerifier.Verify(leaf, pki.Intermediate, pki.TrustedRoot());

        Assert.Equal(CertificateCodes.NoSct, result.Code);
    }

    [Fact]
    public void Verify_LogNotInTrustedRoot_UnknownCtLog()
    {
        using var pki = TestPki.Create();
        using var log = TestCtLog.Ecdsa();
        using var other = TestCtLog.Ecdsa();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Scts = (tbs, hash) => TestCtLog.List(log.Sign(tbs, hash)) }));

        var result = SctVerifier.Verify(leaf, pki.Intermediate, pki.TrustedRoot(ctlogs: other.Entry()));

        Assert.Equal(CertificateCodes.UnknownCtLog, result.Code);
        Assert.Contains(Convert.ToHexStringLower(log.LogId), result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(61)]
    public void Verify_SctTimeOutsideLogWindow_SctOutsideLogValidity(int minutesAfterStart)
    {
        using var pki = TestPki.Create();
        using var log = TestCtLog.Ecdsa();
        var start = TestPki.Epoch.AddMinutes(1);
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Scts = (tbs, hash) => TestCtLog.List(log.Sign(tbs, hash, time: start.AddMinutes(minutesAfterStart))) }));

        var result = SctVerifier.Verify(leaf, pki.Intermediate, pki.TrustedRoot(ctlogs: log.Entry(start, start.AddMinutes(60))));

        Assert.Equal(CertificateCodes.SctOutsideLogValidity, result.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    public void Verify_SctTimeOnLogWindowEdge_Verifies(int minutesAfterStart)
    {
        using var pki = TestPki.Create();
        using var log = TestCtLog.Ecdsa();
        var start = TestPki.Epoch.AddMinutes(1);
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Scts = (tbs, hash) => TestCtLog.List(log.Sign(tbs, hash, time: start.AddMinutes(minutesAfterStart))) }));

        Assert.True(SctVerifier.Verify(leaf, pki.Intermediate, pki.TrustedRoot(ctlogs: log.Entry(start, start.AddMinutes(60)))).IsValid);
    }

    [Fact]
    public void Verify_OneGoodOneUnknown_ThresholdOnePasses()
    {
        using var pki = TestPki.Create();
        using var log = TestCtLog.Ecdsa();
        using var unknown = TestCtLog.Ecdsa();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Scts = (tbs, hash) => TestCtLog.List(unknown.Sign(tbs, hash), log.Sign(tbs, hash)) }));

        Assert.True(SctVerifier.Verify(leaf, pki.Intermediate, pki.TrustedRoot(ctlogs: log.Entry())).IsValid);
    }

    [Fact]
    public void Verify_OneGoodOneUnknown_ThresholdTwoNotMet()
    {
        using var pki = TestPki.Create();
        using var log = TestCtLog.Ecdsa();
        using var unknown = TestCtLog.Ecdsa();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Scts = (tbs, hash) => TestCtLog.List(log.Sign(tbs, hash), unknown.Sign(tbs, hash)) }));

        var result = SctVerifier.Verify(leaf, pki.Intermediate, pki.TrustedRoot(ctlogs: log.Entry()), threshold: 2);

        Assert.Equal(CertificateCodes.SctThresholdNotMet, result.Code);
        Assert.Contains("1 of 2 embedded SCTs verified, 2 required", result.Reason, StringComparison.Ordinal);
        Assert.Contains(CertificateCodes.UnknownCtLog, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TwoLogs_ThresholdTwoPasses()
    {
        using var pki = TestPki.Create();
        using var first = TestCtLog.Ecdsa();
        using var second = TestCtLog.Rsa();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Scts = (tbs, hash) => TestCtLog.List(first.Sign(tbs, hash), second.Sign(tbs, hash)) }));

        Assert.True(SctVerifier.Verify(leaf, pki.Intermediate, pki.TrustedRoot(null, null, first.Entry(), second.Entry()), threshold: 2).IsValid);
    }

    [Fact]
    public void Verify_OneSctThresholdTwo_ThresholdNotMet()
    {
        using var pki = TestPki.Create();
        using var log = TestCtLog.Ecdsa();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Scts = (tbs, hash) => TestCtLog.List(log.Sign(tbs, hash)) }));

        Assert.Equal(CertificateCodes.SctThresholdNotMet, SctVerifier.Verify(leaf, pki.Intermediate, pki.TrustedRoot(ctlogs: log.Entry()), threshold: 2).Code);
    }

    [Fact]
    public void Verify_TwoBadScts_FirstCodeAndBothReasons()
    {
        using var pki = TestPki.Create();
        using var log = TestCtLog.Ecdsa();
        using var unknown = TestCtLog.Ecdsa();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Scts = (tbs, hash) => TestCtLog.List(unknown.Sign(tbs, hash), log.Sign(tbs, new byte[32])) }));

        var result = SctVerifier.Verify(leaf, pki.Intermediate, pki.TrustedRoot(ctlogs: log.Entry()));

        Assert.Equal(CertificateCodes.UnknownCtLog, result.Code);
        Assert.Contains("SCT 1", result.Reason, StringComparison.Ordinal);
        Assert.Contains(CertificateCodes.SctSignatureInvalid, result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, 1)]
    [InlineData(2, 3)]
    [InlineData(8, 7)]
    public void Verify_AlgorithmsNotFittingKey_SignatureInvalid(byte hash, byte signature)
    {
        using var pki = TestPki.Create();
        using var log = TestCtLog.Ecdsa();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Scts = (tbs, h) => TestCtLog.List(log.Sign(tbs, h, hashAlgorithm: hash, signatureAlgorithm: signature)) }));

        var result = SctVerifier.Verify(leaf, pki.Intermediate, pki.TrustedRoot(ctlogs: log.Entry()));

        Assert.Equal(CertificateCodes.SctSignatureInvalid, result.Code);
        Assert.Contains("does not fit", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TimestampPastAnyDate_MalformedSctList()
    {
        using var pki = TestPki.Create();
        using var log = TestCtLog.Ecdsa();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Scts = (_, _) => TestCtLog.List(TestCtLog.Encode(log.LogId, ulong.MaxValue, [], 4, 3, [0x30, 0x00])) }));

        Assert.Equal(CertificateCodes.MalformedSctList, SctVerifier.Verify(leaf, pki.Intermediate, pki.TrustedRoot(ctlogs: log.Entry())).Code);
    }

    public static TheoryData<string, byte[], string> MalformedLists()
    {
        var sct = TestCtLog.Encode(new byte[32], 1, [], 4, 3, [0x30, 0x00]);
        return new TheoryData<string, byte[], string>
        {
            { "empty list", [0, 0], "empty" },
            { "list length too long", [0, 9, 0, 1, 0], "list length" },
            { "bytes after the list", [.. TestCtLog.List(sct), 0], "list length" },
            { "SCT length past the list", [0, 2, 0, 50], "runs past the list" },
            { "empty SCT", TestCtLog.List(new byte[][] { [] }), "it is empty" },
            { "version 1", TestCtLog.List(TestCtLog.Encode(new byte[32], 1, [], 4, 3, [0x30, 0x00], version: 1)), "version 1 is not v1" },
            { "truncated signature", TestCtLog.List(sct[..^1]), "runs past the end" },
            { "bytes after the signature", TestCtLog.List([.. sct, 7]), "1 bytes follow" },
            { "65 SCTs", TestCtLog.List([.. Enumerable.Repeat(sct, 65)]), "more than 64" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedLists))]
    public void Verify_MalformedList_MalformedSctList(string why, byte[] list, string expected)
    {
        using var pki = TestPki.Create();
        var leaf = FulcioCertificate.Parse(pki.IssueLeaf(new LeafSpec { Scts = (_, _) => list }));

        var result = SctVerifier.Verify(leaf, pki.Intermediate, pki.TrustedRoot());

        Assert.True(result.Code == CertificateCodes.MalformedSctList, why);
        Assert.Contains(expected, result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x02, 0x01, 0x00 }, "not a DER OCTET STRING")]
    [InlineData(new byte[] { 0x04, 0x00, 0x00 }, "1 bytes after")]
    public void TryReadList_NotAnOctetString_Fails(byte[] value, string expected)
    {
        Assert.False(SignedCertificateTimestamp.TryReadList(value, out _, out var reason));
        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadList_RandomAndMutatedBytes_NeverThrows()
    {
        var sct = TestCtLog.Encode(new byte[32], 1, [9, 9], 4, 3, [0x30, 0x00]);
        var valid = TestCtLog.List(sct, sct);
        var gen = from position in Gen.Choose(0, valid.Length - 1)
                  from value in Gen.Choose(0, 255)
                  from cut in Gen.Choose(0, valid.Length)
                  select (position, value, cut);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var mutated = valid.ToArray();
            mutated[input.position] = (byte)input.value;
            var octets = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
            octets.WriteOctetString(mutated.AsSpan(0, input.cut));
            var read = SignedCertificateTimestamp.TryReadList(octets.Encode(), out var scts, out var reason);
            return read ? scts.Length > 0 && reason.Length == 0 : reason.Length > 0;
        }));
    }
}
