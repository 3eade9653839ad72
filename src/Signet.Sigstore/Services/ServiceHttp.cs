using System.Net.Http.Headers;
using System.Text;

namespace Signet.Sigstore.Services;

/// <summary>One endpoint of a Sigstore service: the caller's HttpClient, the service's name for messages, the URL and the limits.</summary>
internal sealed class ServiceEndpoint
{
    private readonly HttpClient _http;
    private readonly string _service;
    private readonly ServiceOptions _options;

    public ServiceEndpoint(HttpClient http, string service, Uri baseUrl, string path, ServiceOptions? options)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _service = service;
        Url = ServiceHttp.Endpoint(baseUrl, path);
        _options = options ?? ServiceOptions.Default;
        _options.Validate();
    }

    public Uri Url { get; }

    /// <summary>POSTs <paramref name="body"/>; the answer's bytes when the status is 200 or 201.</summary>
    public Task<byte[]> PostAsync(byte[] body, string contentType, string accept, CancellationToken cancellationToken) =>
        ServiceHttp.PostAsync(_http, _service, Url, body, contentType, accept, _options, [200, 201], cancellationToken);
}

/// <summary>One bounded, timed POST to a Sigstore service; every failure is a <see cref="SigstoreServiceException"/> naming the URL.</summary>
internal static class ServiceHttp
{
    /// <summary>Most characters of an error answer quoted in a message.</summary>
    private const int MaxQuotedChars = 300;

    /// <summary>A service endpoint: <paramref name="baseUrl"/> with <paramref name="path"/> appended (a trailing slash on the base is ignored).</summary>
    public static Uri Endpoint(Uri baseUrl, string path)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"'{baseUrl}' is not an http or https URL", nameof(baseUrl));
        }

        return new Uri(baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + path);
    }

    /// <summary>
    /// POSTs <paramref name="body"/> and returns the answer's bytes when the status is one of <paramref name="expected"/>.
    /// </summary>
    public static async Task<byte[]> PostAsync(
        HttpClient http, string service, Uri url, byte[] body, string contentType, string accept, ServiceOptions options, int[] expected, CancellationToken cancellationToken)
    {
        options.Validate();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            request.Headers.Accept.ParseAdd(accept);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var answer = await ReadBoundedAsync(response, service, url, options.MaxResponseBytes, deadline.Token).ConfigureAwait(false);
            if (Array.IndexOf(expected, status) < 0)
            {
                throw new SigstoreServiceException(
                    $"{service} at {url} answered HTTP {status} {response.ReasonPhrase}: {Quote(answer)}", url, status);
            }

            return answer;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SigstoreServiceException(
                $"{service} at {url} did not answer within {options.Timeout.TotalSeconds:0.#} s; check the URL or try again later", url, null, e);
        }
        catch (HttpRequestException e)
        {
            throw new SigstoreServiceException($"{service} at {url} could not be reached: {e.Message}", url, null, e);
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, string service, Uri url, int limit, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } length && length > limit)
        {
            throw new SigstoreServiceException(
                $"{service} at {url} answered HTTP {(int)response.StatusCode} with {length} bytes; at most {limit} are read", url, (int)response.StatusCode);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new SigstoreServiceException(
                    $"{service} at {url} answered HTTP {(int)response.StatusCode} with more than {limit} bytes; refusing to read further", url, (int)response.StatusCode);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The start of an error answer as printable text.</summary>
    private static string Quote(byte[] answer)
    {
        if (answer.Length == 0)
        {
            return "(empty answer)";
        }

        var text = Encoding.UTF8.GetString(answer, 0, Math.Min(answer.Length, MaxQuotedChars * 4));
        var printable = new StringBuilder(Math.Min(text.Length, MaxQuotedChars));
        foreach (var c in text)
        {
            if (printable.Length == MaxQuotedChars)
            {
                printable.Append('…');
                break;
            }

            printable.Append(char.IsControl(c) ? ' ' : c);
        }

        return printable.ToString().Trim();
    }
}
