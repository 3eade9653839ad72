using System.Net;

namespace Signet.Testing.Http;

/// <summary>
/// An in-process HTTP answer for faults a real Fulcio, Rekor or TSA does not produce on demand (server errors, oversize
/// or malformed answers, a chain for another key, a server that never answers). Records the requests it saw.
/// </summary>
public sealed class StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    public List<(HttpRequestMessage Request, byte[] Body)> Requests { get; } = [];

    public static HttpClient Answering(HttpStatusCode status, byte[] body, string contentType = "application/json", bool withLength = true) =>
        Client(new StubHandler((_, _) => Task.FromResult(Response(status, body, contentType, withLength))));

    public static HttpClient Answering(HttpStatusCode status, string body) => Answering(status, System.Text.Encoding.UTF8.GetBytes(body));

    public static HttpClient Client(StubHandler handler) => new(handler);

    public static HttpResponseMessage Response(HttpStatusCode status, byte[] body, string contentType = "application/json", bool withLength = true)
    {
        HttpContent content = withLength ? new ByteArrayContent(body) : new UnknownLengthContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return new HttpResponseMessage(status) { Content = content };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Add((request, body));
        return await answer(request, cancellationToken);
    }
}

/// <summary>A body sent without Content-Length (chunked), as a server streaming its answer does.</summary>
public sealed class UnknownLengthContent(byte[] body) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
