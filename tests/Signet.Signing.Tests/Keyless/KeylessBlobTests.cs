using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Signet.Crypto.Dsse;
using Signet.Crypto.InToto;
using Signet.Signing.Blobs;
using Signet.Signing.Keyless;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Services;
using Signet.Sigstore.TrustedRoots;
using Signet.Testing.Http;
using Signet.Testing.Interop;

namespace Signet.Signing.Tests.Keyless;

/// <summary>
/// Keyless sign-blob against sigstore-js's @sigstore/mock Fulcio and Rekor over loopback HTTP, and the bundle verified
/// by sigstore-js (@sigstore/verify 3.1.1) with the mock's trusted root.
/// </summary>
public sealed class KeylessBlobTests : IClassFixture<SigstoreMockFixture>, IDisposable
{
    private readonly SigstoreMockFixture _fixture;
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("signet-keyless-");
    private readonly HttpClient _http = new();

    public KeylessBlobTests(SigstoreMockFixture fixture)
    {
        _fixture = fixture;
    }

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private KeylessOptions Options(string subject) => new()
    {
        Token = IdentityToken.Parse(SigstoreMock.Token(subject)),
        FulcioUrl = _fixture.Mock.Url,
        RekorUrls = [_fixture.Mock.Url],
    };

    private async Task<(string Artifact, string Bundle, BlobSignature Signed)> SignAsync(string subject, string content)
    {
        var artifact = PathOf("artifact.txt");
        await File.WriteAllTextAsync(artifact, content);
        using var signer = await KeylessSigner.CreateAsync(_http, Options(subject));
        BlobSignature signed;
        await using (var stream = File.OpenRead(artifact))
        {
            signed = await BlobSigner.SignKeylessAsync(signer, stream, artifact);
        }

        var bundle = PathOf("artifact.sigstore.json");
        await File.WriteAllBytesAsync(bundle, signed.Bundle.Raw.ToArray());
        return (artifact, bundle, signed);
    }

    [Fact]
    public async Task SignKeyless_AtMock_VerifiesWithSigstoreJs()
    {
        var (artifact, bundle, signed) = await SignAsync("https://github.com/signet/ci.yml@refs/heads/main", "keyless blob\n");

        var result = await NpmPeers.RunAsync(SigstoreMockFixture.Script("verify-keyless.mjs"), bundle, artifact, _fixture.Mock.TrustedRoot, "https://github.com/signet/ci.yml@refs/heads/main", SigstoreMock.Issuer);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("https://github.com/signet/ci.yml@refs/heads/main", result.Json.GetProperty("identity").GetString());
        var material = signed.Bundle.VerificationMaterial!;
        Assert.Equal(BundleMediaTypes.V03, signed.Bundle.MediaType);
        Assert.Equal(VerificationMaterialKind.Certificate, material.Kind);
        var entry = Assert.Single(material.TlogEntries);
        Assert.Equal(new KindVersion { Kind = "hashedrekord", Version = "0.0.1" }, entry.KindVersion);
        Assert.NotNull(entry.SignedEntryTimestamp);
        Assert.NotNull(entry.InclusionProof?.Checkpoint);
        Assert.True(signed.Certificate?.Span.SequenceEqual(material.Certificates[0].Span));
    }

    [Fact]
    public async Task SignKeyless_TamperedArtifactOrOtherIdentity_FailsInSigstoreJs()
    {
        var (artifact, bundle, _) = await SignAsync("signer@example.test", "release v1\n");

        var otherIdentity = await NpmPeers.RunAsync(SigstoreMockFixture.Script("verify-keyless.mjs"), bundle, artifact, _fixture.Mock.TrustedRoot, "someone-else@example.test", SigstoreMock.Issuer);
        await File.WriteAllTextAsync(artifact, "release v2\n");
        var tampered = await NpmPeers.RunAsync(SigstoreMockFixture.Script("verify-keyless.mjs"), bundle, artifact, _fixture.Mock.TrustedRoot, "signer@example.test", SigstoreMock.Issuer);

        Assert.True(otherIdentity.ExitCode == 1, otherIdentity.ToString());
        Assert.Equal("UNTRUSTED_SIGNER_ERROR", otherIdentity.Json.GetProperty("code").GetString());
        Assert.True(tampered.ExitCode == 1, tampered.ToString());
        Assert.Equal("SIGNATURE_ERROR", tampered.Json.GetProperty("code").GetString());
    }

    [Fact]
    public async Task SignKeyless_WithOpenSslTsa_TimestampVerifiesInSigstoreJs()
    {
        var artifact = PathOf("stamped.txt");
        await File.WriteAllTextAsync(artifact, "timestamped\n");
        using var signer = await KeylessSigner.CreateAsync(_http, Options("ci@example.test") with { TimestampUrls = [new Uri(_fixture.Mock.Url, "/openssl-tsa")] });
        BlobSignature signed;
        await using (var stream = File.OpenRead(artifact))
        {
            signed = await BlobSigner.SignKeylessAsync(signer, stream, artifact);
        }

        var bundle = PathOf("stamped.sigstore.json");
        await File.WriteAllBytesAsync(bundle, signed.Bundle.Raw.ToArray());

        // Two verified timestamps: the log's integrated time (SET) and the RFC 3161 token.
        var two = await NpmPeers.RunAsync(SigstoreMockFixture.Script("verify-keyless.mjs"), bundle, artifact, _fixture.Mock.TrustedRoot, "ci@example.test", SigstoreMock.Issuer, "2");
        var three = await NpmPeers.RunAsync(SigstoreMockFixture.Script("verify-keyless.mjs"), bundle, artifact, _fixture.Mock.TrustedRoot, "ci@example.test", SigstoreMock.Issuer, "3");

        Assert.True(two.ExitCode == 0, two.ToString());
        Assert.True(three.ExitCode == 1, three.ToString());
        Assert.Single(signed.Bundle.VerificationMaterial!.Rfc3161Timestamps);
    }

    [Fact]
    public async Task SignDsseBundle_InTotoStatement_VerifiesWithSigstoreJs()
    {
        using var signer = await KeylessSigner.CreateAsync(_http, Options("builder@example.test"));
        var statement = InTotoStatement.Create([InTotoSubject.For(Signet.Oci.Digest.Parse("sha256:" + new string('a', 64)), "app.tar")], "https://slsa.dev/provenance/v1", "{\"buildDefinition\":{}}"u8.ToArray());

        var bundle = await signer.SignDsseBundleAsync(DsseProtocol.InTotoPayloadType, statement.Raw);
        var path = PathOf("statement.sigstore.json");
        await File.WriteAllBytesAsync(path, bundle.Raw.ToArray());
        var js = await NpmPeers.RunAsync(SigstoreMockFixture.Script("verify-keyless.mjs"), path, "-", _fixture.Mock.TrustedRoot, "builder@example.test", SigstoreMock.Issuer);

        Assert.True(js.ExitCode == 0, js.ToString());
        Assert.Equal("dsse", Assert.Single(bundle.VerificationMaterial!.TlogEntries).KindVersion!.Kind);
        Assert.True(bundle.DsseEnvelope!.Payload.Span.SequenceEqual(statement.Raw.Span));
    }

    [Fact]
    public async Task WitnessAsync_WithTheDeploymentsTrustedRoot_ChecksEveryEntry_AndRefusesAnUnlistedLog()
    {
        var root = await File.ReadAllBytesAsync(_fixture.Mock.TrustedRoot);
        var trusted = Options("audited@example.test") with { TrustedRoot = TrustedRoot.Parse(root) };
        var json = System.Text.Json.Nodes.JsonNode.Parse(root)!;
        json["tlogs"] = new System.Text.Json.Nodes.JsonArray();
        var untrusted = Options("audited@example.test") with { TrustedRoot = TrustedRoot.Parse(Encoding.UTF8.GetBytes(json.ToJsonString())) };

        using (var signer = await KeylessSigner.CreateAsync(_http, trusted))
        {
            var signature = await signer.SignAsync("payload"u8.ToArray());
            var evidence = await signer.WitnessAsync(signer.HashedRekord(SHA256.HashData("payload"u8), signature), signature);
            Assert.Single(evidence.TlogEntries);
        }

        using var refused = await KeylessSigner.CreateAsync(_http, untrusted);
        var other = await refused.SignAsync("payload"u8.ToArray());
        var e = await Assert.ThrowsAsync<SigstoreServiceException>(() => refused.WitnessAsync(refused.HashedRekord(SHA256.HashData("payload"u8), other), other));
        Assert.Contains("which the trusted root does not list", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("certificateAuthorities", "CRT")]
    [InlineData("ctlogs", "CRT")]
    public async Task CreateAsync_TrustedRootWithoutTheCaOrCtLog_RefusesTheCertificate(string emptied, string codePrefix)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllBytesAsync(_fixture.Mock.TrustedRoot))!;
        json[emptied] = new System.Text.Json.Nodes.JsonArray();
        var options = Options("audited@example.test") with { TrustedRoot = TrustedRoot.Parse(Encoding.UTF8.GetBytes(json.ToJsonString())) };

        var e = await Assert.ThrowsAsync<SigstoreServiceException>(() => KeylessSigner.CreateAsync(_http, options));

        Assert.Contains("issued a certificate that does not verify against the trusted root: " + codePrefix, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WitnessAsync_TimestampFromATsaTheRootDoesNotList_IsRefused()
    {
        var root = await File.ReadAllBytesAsync(_fixture.Mock.TrustedRoot);
        var json = System.Text.Json.Nodes.JsonNode.Parse(root)!;
        json["timestampAuthorities"] = new System.Text.Json.Nodes.JsonArray();
        var tsa = new Uri(_fixture.Mock.Url, "/openssl-tsa");
        using var trusted = await KeylessSigner.CreateAsync(_http, Options("stamped@example.test") with { TimestampUrls = [tsa], TrustedRoot = TrustedRoot.Parse(root) });
        using var untrusted = await KeylessSigner.CreateAsync(_http, Options("stamped@example.test") with { TimestampUrls = [tsa], TrustedRoot = TrustedRoot.Parse(Encoding.UTF8.GetBytes(json.ToJsonString())) });
        var signature = await trusted.SignAsync("payload"u8.ToArray());
        var other = await untrusted.SignAsync("payload"u8.ToArray());

        var evidence = await trusted.WitnessAsync(trusted.HashedRekord(SHA256.HashData("payload"u8), signature), signature);
        var e = await Assert.ThrowsAsync<SigstoreServiceException>(() => untrusted.WitnessAsync(untrusted.HashedRekord(SHA256.HashData("payload"u8), other), other));

        Assert.Single(evidence.Timestamps);
        Assert.StartsWith($"timestamp authority at {tsa} returned a timestamp that does not verify against the trusted root: TSA", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_ProofOfPossession_SignsTheVerifiedEmailWithTheCertifiedKey()
    {
        // @sigstore/mock's Fulcio does not check the proof of possession, so this in-process Fulcio does: it verifies the
        // proof over the token's email with the key sent, as Fulcio does, and only then certifies that key.
        var verified = false;
        var fulcio = new StubHandler(async (request, cancellationToken) =>
        {
            using var body = System.Text.Json.JsonDocument.Parse(await request.Content!.ReadAsByteArrayAsync(cancellationToken));
            var keyRequest = body.RootElement.GetProperty("publicKeyRequest");
            using var key = ECDsa.Create();
            key.ImportFromPem(keyRequest.GetProperty("publicKey").GetProperty("content").GetString());
            verified = key.VerifyData(Encoding.UTF8.GetBytes("dev@example.test"), Convert.FromBase64String(keyRequest.GetProperty("proofOfPossession").GetString()!), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            using var issuer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=ca", issuer, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
            using var leaf = new CertificateRequest("CN=leaf", key, HashAlgorithmName.SHA256).Create(ca, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(10), [1]);
            var answer = $"{{\"signedCertificateEmbeddedSct\":{{\"chain\":{{\"certificates\":[{System.Text.Json.JsonSerializer.Serialize(leaf.ExportCertificatePem())},{System.Text.Json.JsonSerializer.Serialize(ca.ExportCertificatePem())}]}}}}}}";
            return StubHandler.Response(System.Net.HttpStatusCode.Created, Encoding.UTF8.GetBytes(answer));
        });
        using var http = StubHandler.Client(fulcio);
        var token = IdentityToken.Parse(SigstoreMock.Token("123456", email: "dev@example.test"));

        using var signer = await KeylessSigner.CreateAsync(http, new KeylessOptions { Token = token, FulcioUrl = new Uri("http://fulcio.test"), RekorUrls = [new Uri("http://rekor.test")] });

        Assert.True(verified);
        Assert.Equal("dev@example.test", signer.Identity);
        Assert.Equal(2, signer.Certificate.Chain.Length);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", signer.ChainPem, StringComparison.Ordinal);
        using var certificate = X509CertificateLoader.LoadCertificate(signer.Certificate.Leaf.Span);
        Assert.True(certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(signer.PublicKey.SubjectPublicKeyInfo.Span));
    }

    [Fact]
    public async Task CreateAsync_WithoutALog_IsRefusedBeforeAnyCall()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => KeylessSigner.CreateAsync(_http, Options("x") with { RekorUrls = [] }));

        Assert.Contains("--rekor-url", e.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _http.Dispose();
        _directory.Delete(recursive: true);
    }
}
