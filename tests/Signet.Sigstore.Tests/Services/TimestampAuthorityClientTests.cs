using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Signet.Sigstore.Services;
using Signet.Testing;
using Signet.Testing.Http;
using Signet.Testing.Tools;

namespace Signet.Sigstore.Tests.Services;

/// <summary>
/// The RFC 3161 client against OpenSSL's own TSA (<c>openssl ts -reply</c> with a P-256 signer made here), reached
/// through an in-process HTTP hop that hands each request body to openssl and its reply back; the hop also replays,
/// extends or replaces replies for the faults a real TSA does not produce on demand.
/// </summary>
public sealed class TimestampAuthorityClientTests : IDisposable
{
    private static readonly Uri Url = new("http://tsa.test/api/v1/timestamp");
    private readonly TempDir _tsa = new("signet-openssl-tsa-");
    private int _requests;

    public TimestampAuthorityClientTests()
    {
        File.WriteAllText(_tsa.Combine("tsa.cnf"), string.Join('\n',
            "[ req ]", "distinguished_name = dn", "[ dn ]",
            "[ tsa ]", "default_tsa = tsa_config",
            "[ tsa_config ]", "serial = ./serial", "crypto_device = builtin", "signer_cert = ./tsa.crt", "certs = ./tsa.crt",
            "signer_key = ./tsa.key", "signer_digest = sha256", "default_policy = 1.3.6.1.4.1.57264.2", "other_policies = 1.2.3.4",
            "digests = sha256", "accuracy = secs:1", "ordering = no", "tsa_name = no", "ess_cert_id_chain = no", "ess_cert_id_alg = sha256",
            "[ tsa_ext ]", "basicConstraints = critical,CA:FALSE", "keyUsage = critical,digitalSignature", "extendedKeyUsage = critical,timeStamping",
            string.Empty));
        File.WriteAllText(_tsa.Combine("serial"), "01\n");
        Tool.Run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "tsa.key", "-out", "tsa.crt",
            "-subj", "/CN=signet test tsa", "-days", "1", "-config", "tsa.cnf", "-extensions", "tsa_ext"], _tsa.Path);
    }

    /// <summary>OpenSSL's reply to a DER TimeStampReq.</summary>
    private byte[] Reply(byte[] query)
    {
        var id = Interlocked.Increment(ref _requests);
        File.WriteAllBytes(_tsa.Combine($"q{id}.tsq"), query);
        Tool.Run("openssl", ["ts", "-reply", "-config", "tsa.cnf", "-queryfile", $"q{id}.tsq", "-out", $"r{id}.tsr"], _tsa.Path);
        return File.ReadAllBytes(_tsa.Combine($"r{id}.tsr"));
    }

    private static HttpClient Tsa(Func<byte[], byte[]> answer) =>
        StubHandler.Client(new StubHandler(async (request, cancellationToken) =>
        {
            Assert.Equal("application/timestamp-query", request.Content!.Headers.ContentType!.MediaType);
            var query = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            return StubHandler.Response(HttpStatusCode.OK, answer(query), "application/timestamp-reply");
        }));

    [Fact]
    public async Task Timestamp_OpenSslTsa_GrantsATokenOverTheSignaturesDigest()
    {
        using var http = Tsa(Reply);
        var signature = RandomNumberGenerator.GetBytes(71);

        var response = await new TimestampAuthorityClient(http, Url).TimestampAsync(signature);

        var token = Rfc3161TimestampToken.TryDecode(TokenOf(response), out var decoded, out _) ? decoded : null;
        Assert.NotNull(token);
        Assert.True(token.TokenInfo.GetMessageHash().Span.SequenceEqual(SHA256.HashData(signature)));
        Assert.Equal("2.16.840.1.101.3.4.2.1", token.TokenInfo.HashAlgorithmId.Value);
        Assert.NotNull(token.TokenInfo.GetNonce());
    }

    [Fact]
    public async Task Timestamp_ReplayedReply_IsRefused()
    {
        byte[]? first = null;
        using var http = Tsa(query => first ??= Reply(query));
        var client = new TimestampAuthorityClient(http, Url);
        await client.TimestampAsync(new byte[] { 1 });

        var e = await Assert.ThrowsAsync<SigstoreServiceException>(() => client.TimestampAsync(new byte[] { 2 }));

        Assert.StartsWith("timestamp authority at http://tsa.test/api/v1/timestamp gave no usable timestamp: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timestamp_BytesAfterTheReply_AreRefused()
    {
        using var http = Tsa(query => [.. Reply(query), 0]);

        var e = await Assert.ThrowsAsync<SigstoreServiceException>(() => new TimestampAuthorityClient(http, Url).TimestampAsync(new byte[] { 1 }));

        Assert.Equal("timestamp authority at http://tsa.test/api/v1/timestamp answered with 1 bytes after its TimeStampResp; refusing it", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x02 })]
    [InlineData(new byte[] { 0x7b, 0x7d })]
    public async Task Timestamp_RejectionOrGarbage_IsRefused(byte[] answer)
    {
        using var http = Tsa(_ => answer);

        var e = await Assert.ThrowsAsync<SigstoreServiceException>(() => new TimestampAuthorityClient(http, Url).TimestampAsync(new byte[] { 1 }));

        Assert.Contains("gave no usable timestamp", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The TimeStampToken inside a DER TimeStampResp (its second element).</summary>
    private static byte[] TokenOf(byte[] response)
    {
        var reader = new System.Formats.Asn1.AsnReader(response, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        reader.ReadEncodedValue();
        return reader.ReadEncodedValue().ToArray();
    }

    public void Dispose() => _tsa.Dispose();
}
