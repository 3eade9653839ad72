using System.Net;

namespace Signet.Sigstore.Tuf;

/// <summary>Fetches TUF metadata and targets by URL, never more than a given number of bytes.</summary>
public interface ITufFetcher
{
    /// <summary>The whole body at <paramref name="url"/>.</summary>
    /// <exception cref="TufFetchException">Not found, an HTTP or I/O error (TUF1008), or more than <paramref name="maxLength"/> bytes (TUF1007).</exception>
    Task<byte[]> FetchAsync(Uri url, long maxLength, CancellationToken cancellationToken = default);
}

/// <summary>A failed download; <see cref="StatusCode"/> is set for an HTTP error status (404 and 403 end a root update).</summary>
public sealed class TufFetchException : TufException
{
    public TufFetchException(string code, string message, HttpStatusCode? statusCode, Exception? innerException)
        : base(code, message, innerException)
    {
        StatusCode = statusCode;
    }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>Whether the server said the file does not exist (404, or 403 as S3-style stores answer).</summary>
    public bool IsNotFound => StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden;
}

/// <summary>
/// The <see cref="ITufFetcher"/> for <c>http</c>/<c>https</c> URLs (through the given <see cref="HttpClient"/>) and
/// <c>file</c> URLs (a mirror on disk). Bodies are read in chunks and refused as soon as they pass the limit.
/// </summary>
public sealed class TufFetcher : ITufFetcher
{
    private readonly HttpClient _http;

    /// <param name="http">Used for http(s); the caller owns it (and its timeout).</param>
    public TufFetcher(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
    }

    public async Task<byte[]> FetchAsync(Uri url, long maxLength, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.IsFile)
        {
            return await FetchFileAsync(url, maxLength, cancellationToken).ConfigureAwait(false);
        }

        if (url.Scheme is not ("http" or "https"))
        {
            throw new TufFetchException(TufCodes.FetchFailed, $"{url}: only http, https and file URLs are supported", null, null);
        }

        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new TufFetchException(TufCodes.FetchFailed, $"GET {url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}", response.StatusCode, null);
            }

            if (response.Content.Headers.ContentLength is { } declared && declared > maxLength)
            {
                throw TooLarge(url, maxLength);
            }

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await ReadBoundedAsync(stream, url, maxLength, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException e)
        {
            throw new TufFetchException(TufCodes.FetchFailed, $"GET {url}: {e.Message}", e.StatusCode, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TufFetchException(TufCodes.FetchFailed, $"GET {url}: timed out", null, e);
        }
    }

    private static async Task<byte[]> FetchFileAsync(Uri url, long maxLength, CancellationToken cancellationToken)
    {
        var path = url.LocalPath;
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                return await ReadBoundedAsync(stream, url, maxLength, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TufFetchException(TufCodes.FetchFailed, $"{path} does not exist", HttpStatusCode.NotFound, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TufFetchException(TufCodes.FetchFailed, $"{path} cannot be read: {e.Message}", null, e);
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream stream, Uri url, long maxLength, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (output.Length + read > maxLength)
            {
                throw TooLarge(url, maxLength);
            }

            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    private static TufFetchException TooLarge(Uri url, long maxLength) =>
        new(TufCodes.TooLarge, $"{url} is larger than the {maxLength} bytes allowed for it", null, null);
}
