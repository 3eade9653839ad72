using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Signet.Crypto;
using Signet.Crypto.Keys;
using Signet.Sigstore.Services;
using Signet.Testing.Http;
using PublicKey = Signet.Crypto.PublicKey;

namespace Signet.Sigstore.Tests.Services;

/// <summary>
/// Fulcio and Rekor clients: the requests they send and every way an answer is refused. The happy paths against the
/// real @sigstore/mock servers are in Signet.Signing.Tests/Keyless.
/// </summary>
public sealed class ServiceClientTests
{
    private static readonly Uri Base = new("http://sigstore.test:8080/");
    private static readonly IdentityToken Token = IdentityToken.Parse(Jwt("{\"iss\":\"https://issuer.test\",\"sub\":\"me\"}"));

    internal static string Jwt(string claims) =>
        $"eyJhbGciOiJub25lIn0.{Convert.ToBase64String(Encoding.UTF8.GetBytes(claims)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}.c2ln";

    /// <summary>A self-signed certificate for <paramref name="key"/> as PEM.</summary>
    private static string CertificateFor(ECDsa key)
    {
        var request = new CertificateRequest("CN=leaf", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(10));
        return certificate.ExportCertificatePem();
    }

    private static string FulcioAnswer(string member, params string[] pems) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            [member] = member == "signedCertificateDetachedSct"
                ? new { chain = new { certificates = pems }, signedCertificateTimestamp = Convert.ToBase64String([1, 2, 3]) }
                : new { chain = new { certificates = pems } },
        });

    [Fact]
    public async Task Fulcio_EmbeddedSct_SendsTheV2RequestAndReturnsTheChain()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = PublicKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
        var leaf = CertificateFor(key);
        using var root = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var handler = new StubHandler((_, _) => Task.FromResult(StubHandler.Response(HttpStatusCode.Created, Encoding.UTF8.GetBytes(FulcioAnswer("signedCertificateEmbeddedSct", leaf, CertificateFor(root))))));
        using var http = StubHandler.Client(handler);

        var issued = await new FulcioClient(http, Base).CreateSigningCertificateAsync(Token, publicKey, new byte[] { 7, 8 });

        Assert.Equal(2, issued.Chain.Length);
        Assert.Null(issued.DetachedSct);
        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal("http://sigstore.test:8080/api/v2/signingCert", request.RequestUri!.ToString());
        using var json = JsonDocument.Parse(body);
        Assert.Equal(Token.Raw, json.RootElement.GetProperty("credentials").GetProperty("oidcIdentityToken").GetString());
        var keyRequest = json.RootElement.GetProperty("publicKeyRequest");
        Assert.Equal("ECDSA", keyRequest.GetProperty("publicKey").GetProperty("algorithm").GetString());
        Assert.Equal(publicKey.ToPem(), keyRequest.GetProperty("publicKey").GetProperty("content").GetString());
        Assert.Equal("Bwg=", keyRequest.GetProperty("proofOfPossession").GetString());
    }

    [Fact]
    public async Task Fulcio_DetachedSct_IsKept()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var http = StubHandler.Answering(HttpStatusCode.OK, FulcioAnswer("signedCertificateDetachedSct", CertificateFor(key)));

        var issued = await new FulcioClient(http, Base).CreateSigningCertificateAsync(Token, PublicKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo()), new byte[] { 1 });

        Assert.Equal([1, 2, 3], issued.DetachedSct!.Value.ToArray());
    }

    [Fact]
    public async Task Fulcio_ChainForAnotherKey_IsRefused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var http = StubHandler.Answering(HttpStatusCode.Created, FulcioAnswer("signedCertificateEmbeddedSct", CertificateFor(other)));

        var e = await Assert.ThrowsAsync<SigstoreServiceException>(() =>
            new FulcioClient(http, Base).CreateSigningCertificateAsync(Token, PublicKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo()), new byte[] { 1 }));

        Assert.Contains("certifies a different public key", e.Message, StringComparison.Ordinal);
        Assert.Contains("http://sigstore.test:8080/api/v2/signingCert", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "holds no certificate")]
    [InlineData("{\"signedCertificateEmbeddedSct\":{}}", "'signedCertificateEmbeddedSct.chain' is required")]
    [InlineData("{\"signedCertificateEmbeddedSct\":{\"chain\":{\"certificates\":[]}}}", "is empty")]
    [InlineData("{\"signedCertificateEmbeddedSct\":{\"chain\":{\"certificates\":[\"not pem\"]}}}", "is not a PEM CERTIFICATE")]
    [InlineData("{\"signedCertificateEmbeddedSct\":{\"chain\":{\"certificates\":[\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n\"]}}}", "is not an X.509 certificate")]
    [InlineData("{\"signedCertificateDetachedSct\":{\"chain\":{\"certificates\":[]}}}", "signedCertificateTimestamp' is required")]
    [InlineData("[1]", "must be an object")]
    public async Task Fulcio_MalformedAnswer_NamesTheField(string answer, string expected)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var http = StubHandler.Answering(HttpStatusCode.Created, answer);

        var e = await Assert.ThrowsAsync<SigstoreServiceException>(() =>
            new FulcioClient(http, Base).CreateSigningCertificateAsync(Token, PublicKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo()), new byte[] { 1 }));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerError_NamesServiceUrlStatusAndAnswer()
    {
        using var http = StubHandler.Answering(HttpStatusCode.BadRequest, "{\"code\":400,\"message\":\"There was an error processing the identity token\"}");

        var e = await Assert.ThrowsAsync<SigstoreServiceException>(() =>
            new FulcioClient(http, Base).CreateSigningCertificateAsync(Token, TestKey(), new byte[] { 1 }));

        Assert.Equal(400, e.StatusCode);
        Assert.Equal(new Uri("http://sigstore.test:8080/api/v2/signingCert"), e.Url);
        Assert.Equal("Fulcio at http://sigstore.test:8080/api/v2/signingCert answered HTTP 400 Bad Request: {\"code\":400,\"message\":\"There was an error processing the identity token\"}", e.Message);
    }

    [Theory]
    [InlineData(true, "answered HTTP 201 with 2000 bytes; at most 1000 are read")]
    [InlineData(false, "answered HTTP 201 with more than 1000 bytes; refusing to read further")]
    public async Task OversizeAnswer_IsRefused(bool withLength, string expected)
    {
        using var http = StubHandler.Answering(HttpStatusCode.Created, new byte[2000], withLength: withLength);

        var e = await Assert.ThrowsAsync<SigstoreServiceException>(() =>
            new RekorClient(http, Base, new ServiceOptions { MaxResponseBytes = 1000 }).CreateEntryAsync(new ProposedEntry("hashedrekord", "{}"u8.ToArray())));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentServer_TimesOutWithTheUrl_WhileCallerCancellationStaysCancellation()
    {
        var handler = new StubHandler(async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        });
        using var http = StubHandler.Client(handler);
        var rekor = new RekorClient(http, Base, new ServiceOptions { Timeout = TimeSpan.FromMilliseconds(200) });
        var entry = new ProposedEntry("hashedrekord", "{}"u8.ToArray());

        var timeout = await Assert.ThrowsAsync<SigstoreServiceException>(() => rekor.CreateEntryAsync(entry));
        using var cancelled = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var slow = new RekorClient(http, Base, new ServiceOptions { Timeout = TimeSpan.FromMinutes(1) });

        Assert.Equal("Rekor at http://sigstore.test:8080/api/v1/log/entries did not answer within 0.2 s; check the URL or try again later", timeout.Message);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow.CreateEntryAsync(entry, cancelled.Token));
    }

    [Fact]
    public async Task Unreachable_NamesTheUrl()
    {
        using var http = new HttpClient();
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var e = await Assert.ThrowsAsync<SigstoreServiceException>(() =>
            new RekorClient(http, new Uri($"http://127.0.0.1:{port}")).CreateEntryAsync(new ProposedEntry("hashedrekord", "{}"u8.ToArray())));

        Assert.StartsWith($"Rekor at http://127.0.0.1:{port}/api/v1/log/entries could not be reached: ", e.Message, StringComparison.Ordinal);
        Assert.Null(e.StatusCode);
    }

    [Theory]
    [InlineData("ftp://rekor.test")]
    [InlineData("/relative")]
    public void Endpoint_NotHttp_IsRefused(string url)
    {
        using var http = new HttpClient();

        Assert.Throws<ArgumentException>(() => new RekorClient(http, new Uri(url, UriKind.RelativeOrAbsolute)));
    }

    [Fact]
    public void Endpoint_TrailingSlashOrPath_IsJoinedOnce()
    {
        using var http = new HttpClient();

        Assert.Equal("https://rekor.test/api/v1/log/entries", new RekorClient(http, new Uri("https://rekor.test/")).Url.ToString());
        Assert.Equal("https://example.test/sigstore/api/v2/signingCert", new FulcioClient(http, new Uri("https://example.test/sigstore")).Url.ToString());
        Assert.Equal("https://tsa.test/api/v1/timestamp", new TimestampAuthorityClient(http, new Uri("https://tsa.test/api/v1/timestamp")).Url.ToString());
    }

    /// <summary>A Rekor v1 answer as the log writes it, with one entry of <paramref name="kind"/>.</summary>
    internal static string RekorAnswer(string kind = "hashedrekord", string logId = "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d", string? verification = null)
    {
        var body = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"apiVersion\":\"0.0.1\",\"kind\":\"{kind}\",\"spec\":{{}}}}"));
        verification ??= "{\"inclusionProof\":{\"checkpoint\":\"rekor.test - 1\\n2\\nAA==\\n\\n\",\"hashes\":[\"00ff\",\"ab\"],\"logIndex\":1,\"rootHash\":\"0102\",\"treeSize\":2},\"signedEntryTimestamp\":\"AQID\"}";
        return $"{{\"24296fb24b8ad77a\":{{\"body\":\"{body}\",\"integratedTime\":1700000000,\"logID\":\"{logId}\",\"logIndex\":42,\"verification\":{verification}}}}}";
    }

    [Fact]
    public async Task Rekor_Answer_BecomesABundleEntry()
    {
        var handler = new StubHandler((_, _) => Task.FromResult(StubHandler.Response(HttpStatusCode.Created, Encoding.UTF8.GetBytes(RekorAnswer()))));
        using var http = StubHandler.Client(handler);
        var proposed = RekorEntries.HashedRekordV001(new byte[32], [1], "PEM");

        var created = await new RekorClient(http, Base).CreateEntryAsync(proposed);

        Assert.Equal("24296fb24b8ad77a", created.Uuid);
        var entry = created.Entry;
        Assert.Equal(42, entry.LogIndex);
        Assert.Equal(1700000000, entry.IntegratedTime);
        Assert.Equal("c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d", Convert.ToHexStringLower(entry.LogKeyId.Span));
        Assert.Equal(new Signet.Sigstore.Bundles.KindVersion { Kind = "hashedrekord", Version = "0.0.1" }, entry.KindVersion);
        Assert.Equal([1, 2, 3], entry.SignedEntryTimestamp!.Value.ToArray());
        var proof = entry.InclusionProof!;
        Assert.Equal((1L, 2L), (proof.LogIndex, proof.TreeSize));
        Assert.Equal([[0x00, 0xff], [0xab]], proof.Hashes.Select(h => h.ToArray()));
        Assert.Equal("rekor.test - 1\n2\nAA==\n\n", proof.Checkpoint);
        Assert.Equal(proposed.Json.ToArray(), Assert.Single(handler.Requests).Body);
    }

    [Theory]
    [InlineData("{}", "holds no entry")]
    [InlineData("{\"a\":{},\"b\":{}}", "holds more than one entry")]
    [InlineData("{\"a\":{\"body\":\"e30=\",\"integratedTime\":1,\"logID\":\"zz\",\"logIndex\":1,\"verification\":{}}}", "field 'a.logID' is not hexadecimal")]
    [InlineData("{\"a\":{\"body\":\"e30=\",\"integratedTime\":1,\"logID\":\"00\",\"logIndex\":1}}", "'a.verification' is missing")]
    [InlineData("{\"a\":{\"body\":\"e30=\",\"integratedTime\":\"1\",\"logID\":\"00\",\"logIndex\":1,\"verification\":{}}}", "a.integratedTime")]
    [InlineData("{\"a\":{\"body\":\"e30=\",\"integratedTime\":1,\"logID\":\"00\",\"logIndex\":1,\"verification\":{}}}", "field 'kind' is required")]
    public async Task Rekor_MalformedAnswer_IsRefused(string answer, string expected)
    {
        using var http = StubHandler.Answering(HttpStatusCode.Created, answer);

        var e = await Assert.ThrowsAsync<SigstoreServiceException>(() => new RekorClient(http, Base).CreateEntryAsync(new ProposedEntry("hashedrekord", "{}"u8.ToArray())));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rekor_EntryOfAnotherKind_IsRefused()
    {
        using var http = StubHandler.Answering(HttpStatusCode.Created, RekorAnswer(kind: "intoto"));

        var e = await Assert.ThrowsAsync<SigstoreServiceException>(() => new RekorClient(http, Base).CreateEntryAsync(new ProposedEntry("dsse", "{}"u8.ToArray())));

        Assert.Contains("field 'kind' is 'intoto' but a 'dsse' entry was uploaded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RekorEntries_AreWrittenAsRekorExpectsThem()
    {
        var hashed = RekorEntries.HashedRekordV001(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), [0xde, 0xad], "-----BEGIN CERTIFICATE-----\n");
        var dsse = RekorEntries.DsseV001("{\"payload\":\"e30=\"}"u8, "PEM");

        Assert.Equal(
            "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"sha256\",\"value\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\"}},\"signature\":{\"content\":\"3q0=\",\"publicKey\":{\"content\":\"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==\"}}}}",
            Encoding.UTF8.GetString(hashed.Json.Span));
        Assert.Equal(
            "{\"apiVersion\":\"0.0.1\",\"kind\":\"dsse\",\"spec\":{\"proposedContent\":{\"envelope\":\"{\\\"payload\\\":\\\"e30=\\\"}\",\"verifiers\":[\"UEVN\"]}}}",
            Encoding.UTF8.GetString(dsse.Json.Span));
        Assert.Throws<ArgumentException>(() => RekorEntries.HashedRekordV001(new byte[31], [1], "PEM"));
    }

    private static PublicKey TestKey()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        return key.PublicKey;
    }
}
