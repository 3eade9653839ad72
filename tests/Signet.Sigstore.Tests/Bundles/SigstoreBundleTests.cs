using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Signet.Crypto.Dsse;
using Signet.Crypto.InToto;
using Signet.Oci;
using Signet.Sigstore.Bundles;
using Signet.Testing;
using Signet.Testing.Signers;
using TestData = Signet.Testing.TestData;

namespace Signet.Sigstore.Tests.Bundles;

/// <summary>
/// Sigstore bundle reading over the sigstore-conformance bundle-verify cases (shared data, see its README) and the
/// sigstore-js sample, structural validation codes, the v0.3 writer and fuzzing.
/// </summary>
public sealed class SigstoreBundleTests
{
    private const string Cases = "sigstore-conformance/bundle-verify";
    private static string MockBlob => TestData.RequirePeerSample("mock-blob.sigstore.json");

    /// <summary>
    /// Cases whose bundle is structurally broken, with the code Signet reports (from each case README). Every other
    /// case, including the other <c>_fail</c> cases (which fail on signatures, proofs or trust), must read cleanly.
    /// </summary>
    private static readonly Dictionary<string, string> StructuralFailures = new(StringComparer.Ordinal)
    {
        ["bundle-empty-certificate-chain_fail"] = BundleCodes.EmptyCertificateChain,
        ["bundle-invalid-base64-signature_fail"] = BundleCodes.InvalidBase64,
        ["bundle-malformed-json_fail"] = BundleCodes.MalformedJson,
        ["bundle-negative-log-index_fail"] = BundleCodes.NegativeLogIndex,
        ["bundle-unknown-version_fail"] = BundleCodes.UnsupportedVersion,
        ["bundle-with-root-cert_fail"] = BundleCodes.RootCertificateInBundle,
        ["intoto-missing-inclusion-proof_fail"] = BundleCodes.MissingInclusionProof,
        ["rekor2-no-inclusion-proof_fail"] = BundleCodes.MissingInclusionProof,
    };

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        if (TestData.Root is null)
        {
            data.Add("(SIGNET_TEST_DATA is not set)");
            return data;
        }

        foreach (var directory in Directory.GetDirectories(TestData.Require(Cases)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(directory));
        }

        return data;
    }

    private static byte[] CaseBundle(string name) => File.ReadAllBytes(TestData.Require($"{Cases}/{name}/bundle.sigstore.json"));

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    private static JsonObject CaseJson(string name) => JsonNode.Parse(CaseBundle(name))!.AsObject();

    private static BundleReadResult ReadJson(JsonNode node) => SigstoreBundle.Read(Utf8(node.ToJsonString()));

    private static string[] Codes(BundleReadResult result) => [.. result.Problems.Select(p => p.Code)];

    [Fact]
    public void ConformanceCases_AllPresent_SeventyCases()
    {
        Assert.Equal(70, CaseNames().Count);
        Assert.All(StructuralFailures.Keys, name => Assert.True(File.Exists(TestData.Require($"{Cases}/{name}/bundle.sigstore.json"))));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Read_ConformanceCase_StructuralVerdictMatchesReadme(string name)
    {
        var raw = CaseBundle(name);

        var result = SigstoreBundle.Read(raw);

        if (StructuralFailures.TryGetValue(name, out var code))
        {
            Assert.False(result.IsValid);
            Assert.Contains(code, Codes(result));
        }
        else
        {
            Assert.True(result.IsValid, $"{name}: {string.Join("; ", result.Problems)}");
            Assert.Equal(raw, result.Bundle!.Raw.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Write_ConformanceCase_RoundTripKeepsFieldsAndBytes(string name)
    {
        SigstoreBundle original;
        try
        {
            original = SigstoreBundle.Parse(CaseBundle(name));
        }
        catch (BundleFormatException) when (StructuralFailures.ContainsKey(name))
        {
            return; // nothing to round-trip: the case is malformed JSON or base64
        }

        var written = BundleWriter.Write(original);
        var reread = SigstoreBundle.Parse(written);

        Assert.Equal(written, reread.Raw.ToArray());
        Assert.Equal(written, BundleWriter.Write(reread));
        Assert.Equal(original.MediaType, reread.MediaType);
        Assert.Equal(original.ContentKind, reread.ContentKind);
        Assert.Equal(original.Validate().Select(p => p.Code), reread.Validate().Select(p => p.Code));
        var before = original.VerificationMaterial!;
        var after = reread.VerificationMaterial!;
        Assert.Equal(before.Kind, after.Kind);
        Assert.Equal(before.PublicKeyHint, after.PublicKeyHint);
        Assert.Equal(before.Certificates.Select(c => c.ToArray()), after.Certificates.Select(c => c.ToArray()));
        Assert.Equal(before.Rfc3161Timestamps.Select(c => c.ToArray()), after.Rfc3161Timestamps.Select(c => c.ToArray()));
        Assert.Equal(before.TlogEntries.Length, after.TlogEntries.Length);
        for (var i = 0; i < before.TlogEntries.Length; i++)
        {
            var (x, y) = (before.TlogEntries[i], after.TlogEntries[i]);
            Assert.Equal((x.LogIndex, x.IntegratedTime, x.KindVersion), (y.LogIndex, y.IntegratedTime, y.KindVersion));
            Assert.Equal(x.LogKeyId.ToArray(), y.LogKeyId.ToArray());
            Assert.Equal(x.CanonicalizedBody.ToArray(), y.CanonicalizedBody.ToArray());
            Assert.Equal(x.SignedEntryTimestamp?.ToArray(), y.SignedEntryTimestamp?.ToArray());
            Assert.Equal(x.InclusionProof?.Checkpoint, y.InclusionProof?.Checkpoint);
            Assert.Equal(x.InclusionProof?.Hashes.Select(h => h.ToArray()), y.InclusionProof?.Hashes.Select(h => h.ToArray()));
            Assert.Equal(x.InclusionProof?.RootHash.ToArray(), y.InclusionProof?.RootHash.ToArray());
            Assert.Equal((x.InclusionProof?.LogIndex, x.InclusionProof?.TreeSize), (y.InclusionProof?.LogIndex, y.InclusionProof?.TreeSize));
        }

        Assert.Equal(original.MessageSignature?.Signature.ToArray(), reread.MessageSignature?.Signature.ToArray());
        Assert.Equal(original.MessageSignature?.MessageDigest?.Digest.ToArray(), reread.MessageSignature?.MessageDigest?.Digest.ToArray());
        Assert.Equal(original.DsseEnvelope?.PreAuthenticationEncoding(), reread.DsseEnvelope?.PreAuthenticationEncoding());
    }

    [Fact]
    public void Parse_HappyPathV03_ReadsEveryField()
    {
        var bundle = SigstoreBundle.Parse(CaseBundle("happy-path-v0.3"));

        Assert.Equal(BundleMediaTypes.V03Legacy, bundle.MediaType);
        Assert.Equal(new Version(0, 3), bundle.Version);
        var material = bundle.VerificationMaterial!;
        Assert.Equal(VerificationMaterialKind.Certificate, material.Kind);
        Assert.Equal(0x30, Assert.Single(material.Certificates).Span[0]);
        var entry = Assert.Single(material.TlogEntries);
        Assert.Equal(79571823, entry.LogIndex);
        Assert.Equal("wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=", Convert.ToBase64String(entry.LogKeyId.Span));
        Assert.Equal(new KindVersion { Kind = "hashedrekord", Version = "0.0.1" }, entry.KindVersion);
        Assert.Equal(1710869186, entry.IntegratedTime);
        Assert.NotNull(entry.SignedEntryTimestamp);
        Assert.StartsWith("{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\"", Text(entry.CanonicalizedBody), StringComparison.Ordinal);
        var proof = entry.InclusionProof!;
        Assert.True(proof.LogIndex < proof.TreeSize);
        Assert.All(proof.Hashes, hash => Assert.Equal(32, hash.Length));
        Assert.StartsWith("rekor.sigstore.dev - ", proof.Checkpoint, StringComparison.Ordinal);
        Assert.Equal(BundleContentKind.MessageSignature, bundle.ContentKind);
        Assert.Equal(BundleHashAlgorithm.Sha256, bundle.MessageSignature!.MessageDigest!.Algorithm);
        Assert.Equal(32, bundle.MessageSignature.MessageDigest.Digest.Length);
        Assert.Empty(bundle.Validate());
    }

    [Fact]
    public void Parse_IntotoInDsseV03_EnvelopeKeepsExactBytesAndStatement()
    {
        var raw = CaseBundle("happy-path-intoto-in-dsse-v3");

        var bundle = SigstoreBundle.Parse(raw);

        var envelope = bundle.DsseEnvelope!;
        Assert.Equal(BundleContentKind.DsseEnvelope, bundle.ContentKind);
        Assert.Equal(DsseProtocol.InTotoPayloadType, envelope.PayloadType);
        Assert.Single(envelope.Signatures);
        Assert.Contains(Text(envelope.Raw), Text(raw), StringComparison.Ordinal);
        var statement = InTotoStatement.Parse(envelope.Payload);
        Assert.NotEmpty(statement.Subjects);
    }

    [Fact]
    public void Parse_ManagedKeyCase_ReadsPublicKeyHint()
    {
        var bundle = SigstoreBundle.Parse(CaseBundle("managed-key-happy-path"));

        Assert.Equal(VerificationMaterialKind.PublicKey, bundle.VerificationMaterial!.Kind);
        Assert.Equal("TLMsSDfG3ajPsWge+z/vX5T/zluXnmvbkTkwLIV68Tk=", bundle.VerificationMaterial.PublicKeyHint);
        Assert.Empty(bundle.VerificationMaterial.Certificates);
        Assert.Single(bundle.VerificationMaterial.Rfc3161Timestamps);
    }

    [Fact]
    public void Read_SigstoreJsMockBlob_ValidV02WithOmittedZeroFields()
    {
        var raw = File.ReadAllBytes(MockBlob);

        var result = SigstoreBundle.Read(raw);

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        var bundle = result.Bundle!;
        Assert.Equal(new Version(0, 2), bundle.Version);
        Assert.Equal(VerificationMaterialKind.X509CertificateChain, bundle.VerificationMaterial!.Kind);
        Assert.True(bundle.VerificationMaterial.HasTimestampVerificationData);
        Assert.Empty(bundle.VerificationMaterial.Rfc3161Timestamps);
        var proof = Assert.Single(bundle.VerificationMaterial.TlogEntries).InclusionProof!;
        Assert.Equal(0, proof.LogIndex);
        Assert.Equal(1, proof.TreeSize);
        Assert.Empty(proof.Hashes);
        Assert.Equal(raw, bundle.Raw.ToArray());
    }

    [Fact]
    public void Read_V03WithCertificateChain_ChainNotAllowed()
    {
        var json = CaseJson("happy-path-v0.2");
        json["mediaType"] = BundleMediaTypes.V03;

        Assert.Equal([BundleCodes.CertificateChainNotAllowed], Codes(ReadJson(json)));
    }

    [Fact]
    public void Read_DsseWithTwoSignatures_SignatureCountProblem()
    {
        var json = CaseJson("happy-path-intoto-in-dsse-v3");
        var signatures = json["dsseEnvelope"]!["signatures"]!.AsArray();
        signatures.Add(signatures[0]!.DeepClone());

        Assert.Equal([BundleCodes.DsseSignatureCount], Codes(ReadJson(json)));
    }

    [Fact]
    public void Read_DsseWithNoSignatures_SignatureCountProblem()
    {
        var json = CaseJson("happy-path-intoto-in-dsse-v3");
        json["dsseEnvelope"]!.AsObject().Remove("signatures");

        Assert.Equal([BundleCodes.DsseSignatureCount], Codes(ReadJson(json)));
    }

    [Fact]
    public void Read_V01WithoutInclusionPromise_MissingPromise()
    {
        var json = CaseJson("happy-path-v0.1");
        json["verificationMaterial"]!["tlogEntries"]![0]!.AsObject().Remove("inclusionPromise");

        Assert.Equal([BundleCodes.MissingInclusionPromise], Codes(ReadJson(json)));
    }

    [Fact]
    public void Read_V01WithoutInclusionProof_Valid()
    {
        var json = CaseJson("happy-path-v0.1");
        json["verificationMaterial"]!["tlogEntries"]![0]!.AsObject().Remove("inclusionProof");

        Assert.Empty(Codes(ReadJson(json)));
    }

    [Fact]
    public void Read_ThirtyThreeTlogEntries_TooMany()
    {
        var json = CaseJson("happy-path-v0.3");
        var entries = json["verificationMaterial"]!["tlogEntries"]!.AsArray();
        for (var i = 1; i < 33; i++)
        {
            var copy = entries[0]!.DeepClone();
            copy["logIndex"] = (79571823 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            entries.Add(copy);
        }

        Assert.Equal([BundleCodes.TooManyTlogEntries], Codes(ReadJson(json)));
        entries.RemoveAt(32);
        Assert.Empty(Codes(ReadJson(json)));
    }

    [Fact]
    public void Read_ThirtyThreeTimestamps_TooMany()
    {
        var json = CaseJson("managed-key-happy-path");
        var timestamps = json["verificationMaterial"]!["timestampVerificationData"]!["rfc3161Timestamps"]!.AsArray();
        while (timestamps.Count < 33)
        {
            timestamps.Add(timestamps[0]!.DeepClone());
        }

        Assert.Equal([BundleCodes.TooManyTimestamps], Codes(ReadJson(json)));
    }

    [Fact]
    public void Read_DuplicateTlogEntry_Duplicate()
    {
        var json = CaseJson("happy-path-v0.3");
        var entries = json["verificationMaterial"]!["tlogEntries"]!.AsArray();
        entries.Add(entries[0]!.DeepClone());

        Assert.Equal([BundleCodes.DuplicateTlogEntry], Codes(ReadJson(json)));
    }

    [Theory]
    [InlineData("application/vnd.dev.sigstore.bundle.v0.4+json", BundleCodes.UnsupportedVersion)]
    [InlineData("application/vnd.dev.sigstore.bundle+json;version=0.4", BundleCodes.UnsupportedVersion)]
    [InlineData("application/vnd.dev.sigstore.bundle+json;version=1.0", BundleCodes.UnsupportedVersion)]
    [InlineData("application/vnd.dev.sigstore.bundle+json", BundleCodes.UnknownMediaType)]
    [InlineData("application/json", BundleCodes.UnknownMediaType)]
    [InlineData("", BundleCodes.UnknownMediaType)]
    public void Read_UnsupportedMediaType_Code(string mediaType, string code)
    {
        var json = CaseJson("happy-path-v0.3");
        json["mediaType"] = mediaType;

        Assert.Equal([code], Codes(ReadJson(json)));
    }

    [Theory]
    [InlineData(BundleMediaTypes.V01, 0, 1)]
    [InlineData(BundleMediaTypes.V02, 0, 2)]
    [InlineData(BundleMediaTypes.V03Legacy, 0, 3)]
    [InlineData(BundleMediaTypes.V03, 0, 3)]
    [InlineData("application/vnd.dev.sigstore.bundle+json;version=99.9", 99, 9)]
    public void TryGetVersion_BundleMediaTypes_Version(string mediaType, int major, int minor)
    {
        Assert.True(BundleMediaTypes.TryGetVersion(mediaType, out var version));
        Assert.Equal(new Version(major, minor), version);
    }

    [Fact]
    public void Read_StructuralGaps_EachReported()
    {
        var noMaterial = CaseJson("happy-path-v0.3");
        noMaterial.Remove("verificationMaterial");
        var noMaterialContent = CaseJson("happy-path-v0.3");
        noMaterialContent["verificationMaterial"]!.AsObject().Remove("certificate");
        var noContent = CaseJson("happy-path-v0.3");
        noContent.Remove("messageSignature");
        var incomplete = CaseJson("happy-path-v0.3");
        var entry = incomplete["verificationMaterial"]!["tlogEntries"]![0]!.AsObject();
        entry.Remove("logId");
        entry.Remove("canonicalizedBody");
        var badProof = CaseJson("happy-path-v0.3");
        badProof["verificationMaterial"]!["tlogEntries"]![0]!["inclusionProof"]!["treeSize"] = "1";
        var badDigest = CaseJson("happy-path-v0.3");
        badDigest["messageSignature"]!["messageDigest"]!["algorithm"] = "SHA2_512";
        var badCertificate = CaseJson("happy-path-v0.3");
        badCertificate["verificationMaterial"]!["certificate"]!["rawBytes"] = "AAEC";

        Assert.Equal([BundleCodes.MissingVerificationMaterial], Codes(ReadJson(noMaterial)));
        Assert.Equal([BundleCodes.MissingVerificationContent], Codes(ReadJson(noMaterialContent)));
        Assert.Equal([BundleCodes.MissingContent], Codes(ReadJson(noContent)));
        Assert.Equal([BundleCodes.IncompleteTlogEntry, BundleCodes.IncompleteTlogEntry], Codes(ReadJson(incomplete)));
        Assert.Equal([BundleCodes.InvalidInclusionProof], Codes(ReadJson(badProof)));
        Assert.Equal([BundleCodes.InvalidMessageDigest], Codes(ReadJson(badDigest)));
        Assert.Equal([BundleCodes.InvalidCertificate], Codes(ReadJson(badCertificate)));
    }

    [Theory]
    [InlineData("""{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{},"certificate":{"rawBytes":"AA=="}},"messageSignature":{"signature":"AA=="}}""", BundleCodes.AmbiguousField)]
    [InlineData("""{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}},"messageSignature":{"signature":"AA=="},"dsseEnvelope":{"payload":"","payloadType":"t","signatures":[]}}""", BundleCodes.AmbiguousField)]
    [InlineData("""{"mediaType":"x","media_type":"y"}""", BundleCodes.AmbiguousField)]
    [InlineData("""{"mediaType":"x","mediaType":"y"}""", BundleCodes.AmbiguousField)]
    [InlineData("""{"verificationMaterial":{"tlogEntries":[{"logIndex":"12a"}]}}""", BundleCodes.InvalidField)]
    [InlineData("""{"verificationMaterial":{"tlogEntries":[{"logIndex":1.5}]}}""", BundleCodes.InvalidField)]
    [InlineData("""{"verificationMaterial":{"tlogEntries":[{"logIndex":"99999999999999999999"}]}}""", BundleCodes.InvalidField)]
    [InlineData("""{"verificationMaterial":{"tlogEntries":[{"logIndex":true}]}}""", BundleCodes.InvalidField)]
    [InlineData("""{"verificationMaterial":{"tlogEntries":{}}}""", BundleCodes.InvalidField)]
    [InlineData("""{"verificationMaterial":[]}""", BundleCodes.InvalidField)]
    [InlineData("""{"messageSignature":{"messageDigest":{"algorithm":"MD5"}}}""", BundleCodes.InvalidField)]
    [InlineData("""{"messageSignature":{"messageDigest":{"algorithm":9}}}""", BundleCodes.InvalidField)]
    [InlineData("""{"messageSignature":{"signature":"AA=A"}}""", BundleCodes.InvalidBase64)]
    [InlineData("""{"messageSignature":{"signature":"+-"}}""", BundleCodes.InvalidBase64)]
    [InlineData("""{"dsseEnvelope":{"payload":"%%","payloadType":"t"}}""", BundleCodes.InvalidDsseEnvelope)]
    [InlineData("""{"mediaType":"x",""", BundleCodes.MalformedJson)]
    [InlineData("""[]""", BundleCodes.MalformedJson)]
    public void Parse_UnreadableBundle_FormatExceptionWithCode(string json, string code)
    {
        var error = Assert.Throws<BundleFormatException>(() => SigstoreBundle.Parse(Utf8(json)));
        var result = SigstoreBundle.Read(Utf8(json));

        Assert.Equal(code, error.Code);
        Assert.StartsWith(code, error.Message, StringComparison.Ordinal);
        Assert.Null(result.Bundle);
        Assert.Equal([code], Codes(result));
    }

    [Fact]
    public void Parse_ProtoJsonVariants_NumbersSnakeCaseEnumNumbersUrlSafeBase64AndUnknownFields()
    {
        var json = """
            {"media_type":"application/vnd.dev.sigstore.bundle.v0.3+json","future":{"x":1},
             "verification_material":{"public_key":{"hint":"h"},"tlog_entries":[{"log_index":7,"logId":{"key_id":"_-8"},
               "kind_version":{"kind":"k","version":"v"},"integrated_time":"-0","inclusion_proof":{"log_index":"6","root_hash":"AQ","tree_size":7,"hashes":["Ag"]},
               "canonicalized_body":"e30","unknown":[]}]},
             "message_signature":{"message_digest":{"algorithm":1,"digest":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},"signature":"AQI="}}
            """;

        var result = SigstoreBundle.Read(Utf8(json));

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        var entry = result.Bundle!.VerificationMaterial!.TlogEntries[0];
        Assert.Equal(7, entry.LogIndex);
        Assert.Equal(new byte[] { 0xff, 0xef }, entry.LogKeyId.ToArray());
        Assert.Equal(0, entry.IntegratedTime);
        Assert.Equal((6L, 7L), (entry.InclusionProof!.LogIndex, entry.InclusionProof.TreeSize));
        Assert.Equal(BundleHashAlgorithm.Sha256, result.Bundle.MessageSignature!.MessageDigest!.Algorithm);
    }

    [Fact]
    public void Parse_OverByteCap_OverLimit()
    {
        var raw = CaseBundle("happy-path-v0.3");

        var error = Assert.Throws<BundleFormatException>(() => SigstoreBundle.Parse(raw, new BundleParseOptions { MaxBundleBytes = raw.Length - 1 }));

        Assert.Equal(BundleCodes.OverLimit, error.Code);
    }

    [Fact]
    public void Parse_TooManyArrayItems_OverLimit()
    {
        var hashes = string.Join(',', Enumerable.Repeat("\"AA==\"", 65));
        var json = """{"verificationMaterial":{"tlogEntries":[{"inclusionProof":{"hashes":[@0@]}}]}}""".Replace("@0@", hashes, StringComparison.Ordinal);

        var error = Assert.Throws<BundleFormatException>(() => SigstoreBundle.Parse(Utf8(json)));

        Assert.Equal(BundleCodes.OverLimit, error.Code);
    }

    [Fact]
    public async Task CreateKeySignedDsse_SignedStatement_WritesSigstoreGoShapeAndVerifies()
    {
        using var signer = new EcdsaTestSigner();
        var image = Digest.Compute("image manifest"u8);
        var statement = InTotoStatement.ForImageSignature(image);
        var envelope = await DsseEnvelope.SignAsync(signer, DsseProtocol.InTotoPayloadType, statement.Raw);
        var hint = BundleWriter.PublicKeyHint(signer.PublicKey);

        var bundle = BundleWriter.CreateKeySignedDsse(envelope, hint);

        var payload = Convert.ToBase64String(statement.Raw.Span);
        var sig = Convert.ToBase64String(envelope.Signatures[0].Signature.Span);
        Assert.Equal(
            """{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":"@0@"}},"dsseEnvelope":{"payload":"@1@","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"@2@"}]}}""".Replace("@0@", hint, StringComparison.Ordinal).Replace("@1@", payload, StringComparison.Ordinal).Replace("@2@", sig, StringComparison.Ordinal),
            Text(bundle.Raw));
        var reread = SigstoreBundle.Read(bundle.Raw);
        Assert.True(reread.IsValid, string.Join("; ", reread.Problems));
        Assert.Equal(bundle.Raw.ToArray(), reread.Bundle!.Raw.ToArray());
        Assert.Equal(bundle.Raw.ToArray(), BundleWriter.Write(reread.Bundle));
        Assert.True(reread.Bundle.DsseEnvelope!.Verify(signer.PublicKey).IsVerified);
        Assert.True(InTotoStatement.Parse(reread.Bundle.DsseEnvelope.Payload).HasSubject(image));
        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(signer.PublicKey.SubjectPublicKeyInfo.Span)), hint);
    }

    [Fact]
    public async Task CreateKeySignedDsse_TwoSignatures_ArgumentException()
    {
        using var first = new EcdsaTestSigner();
        using var second = new EcdsaTestSigner();
        var envelope = await (await DsseEnvelope.SignAsync(first, DsseProtocol.InTotoPayloadType, "{}"u8.ToArray())).AddSignatureAsync(second);

        Assert.Throws<ArgumentException>(() => BundleWriter.CreateKeySignedDsse(envelope, "hint"));
    }

    [Fact]
    public void ReadAndParse_RandomBytes_OnlyBundleFormatException()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(ArbMap.Default.GeneratorFor<byte[]>().ToArbitrary(), ParsesOrRefuses));
    }

    [Fact]
    public void ReadAndParse_MutatedConformanceBundles_OnlyBundleFormatException()
    {
        var seeds = new[] { "happy-path-v0.1", "happy-path-intoto-in-dsse-v3", "managed-key-happy-path", "rekor2-happy-path" }
            .Select(CaseBundle)
            .Append(File.ReadAllBytes(MockBlob))
            .ToArray();
        var gen = Mutation.Of(seeds, 1, 4, Gen.Elements<byte>((byte)'"', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)':', (byte)',', (byte)'\\', (byte)'-', (byte)'=', (byte)'0', (byte)'_', 0x00, 0xc3, 0xff));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(gen.ToArbitrary(), ParsesOrRefuses));
    }

    private static bool ParsesOrRefuses(byte[] raw)
    {
        // Read never throws; Parse throws only BundleFormatException; a parsed bundle validates and writes.
        var result = SigstoreBundle.Read(raw);
        try
        {
            var bundle = SigstoreBundle.Parse(raw);
            bundle.Validate();
            SigstoreBundle.Parse(BundleWriter.Write(bundle));
        }
        catch (BundleFormatException e)
        {
            return result.Bundle is null && result.Problems.Single().Code == e.Code;
        }

        return result.Bundle is not null;
    }
}
