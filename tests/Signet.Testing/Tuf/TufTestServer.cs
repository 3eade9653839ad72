using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Signet.Testing.Tuf;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (an ephemeral port) answering GET requests from a handler: 200 with the
/// bytes it returns, 404 when it returns null. One request per connection (<c>Connection: close</c>).
/// </summary>
public sealed class TufTestServer : IAsyncDisposable
{
    private const int MaxRequestHead = 16 * 1024;
    private readonly TcpListener _listener;
    private readonly Func<string, byte[]?> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private bool _disposed;

    public TufTestServer(Func<string, byte[]?> handler)
    {
        _handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    /// <summary>Serves a repository simulator: metadata under <c>/metadata/</c>, targets under <c>/targets/</c>.</summary>
    public TufTestServer(TufRepositorySimulator repository)
        : this(repository.Serve)
    {
    }

    public Uri BaseUrl { get; }

    public Uri MetadataUrl => new(BaseUrl, "metadata/");

    public Uri TargetsUrl => new(BaseUrl, "targets/");

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = new List<byte>();
            var buffer = new byte[4096];
            while (head.Count < MaxRequestHead && !EndsHead(head))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    return;
                }

                head.AddRange(buffer.AsSpan(0, read));
            }

            var requestLine = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n")[0].Split(' ');
            var body = requestLine is ["GET", var target, _] ? _handler(target) : null;
            var status = body is null ? "404 Not Found" : "200 OK";
            body ??= "not found"u8.ToArray();
            var header = $"HTTP/1.1 {status}\r\nContent-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(header));
            await stream.WriteAsync(body);
        }
    }

    private static bool EndsHead(List<byte> head) =>
        head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n';
}
