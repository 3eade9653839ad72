using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;

namespace Signet.Sigstore.Services;

/// <summary>
/// An RFC 3161 timestamp authority over HTTP (RFC 3161 section 3.4): <c>POST</c> of a DER <c>TimeStampReq</c>
/// (<c>application/timestamp-query</c>) for the SHA-256 of the signature, with a random nonce and the signer's
/// certificate requested; the answer (<c>application/timestamp-reply</c>) must grant a token over that digest and
/// nonce. The DER <c>TimeStampResp</c> is what a bundle's <c>rfc3161Timestamps[].signedTimestamp</c> holds.
/// </summary>
public sealed class TimestampAuthorityClient
{
    private readonly ServiceEndpoint _endpoint;

    /// <param name="http">Owned by the caller.</param>
    /// <param name="url">The full timestamp endpoint, e.g. https://timestamp.sigstore.dev/api/v1/timestamp.</param>
    /// <param name="options">Timeout and answer size; <see cref="ServiceOptions.Default"/> when null.</param>
    public TimestampAuthorityClient(HttpClient http, Uri url, ServiceOptions? options = null)
    {
        _endpoint = new ServiceEndpoint(http, "Timestamp authority", url, string.Empty, options);
    }

    /// <summary>The endpoint called.</summary>
    public Uri Url => _endpoint.Url;

    /// <summary>Timestamps <paramref name="signature"/>; returns the DER <c>TimeStampResp</c>.</summary>
    public async Task<byte[]> TimestampAsync(ReadOnlyMemory<byte> signature, CancellationToken cancellationToken = default)
    {
        var nonce = RandomNumberGenerator.GetBytes(16);
        nonce[0] = (byte)((nonce[0] & 0x7f) | 0x01);
        var request = Rfc3161TimestampRequest.CreateFromData(signature.Span, HashAlgorithmName.SHA256, nonce: nonce, requestSignerCertificates: true);
        var answer = await _endpoint.PostAsync(request.Encode(), "application/timestamp-query", "application/timestamp-reply", cancellationToken).ConfigureAwait(false);
        Check(request, answer, Url);
        return answer;
    }

    /// <summary>The answer must be one granted <c>TimeStampResp</c> over the request's digest and nonce, with nothing after it.</summary>
    internal static void Check(Rfc3161TimestampRequest request, byte[] answer, Uri url)
    {
        try
        {
            request.ProcessResponse(answer, out var consumed);
            if (consumed != answer.Length)
            {
                throw new SigstoreServiceException(
                    $"timestamp authority at {url} answered with {answer.Length - consumed} bytes after its TimeStampResp; refusing it", url, null);
            }
        }
        catch (CryptographicException e)
        {
            throw new SigstoreServiceException(
                $"timestamp authority at {url} gave no usable timestamp: {e.Message} (the answer must be a granted RFC 3161 TimeStampResp over the signature's SHA-256 with the request's nonce)", url, null, e);
        }
    }
}
