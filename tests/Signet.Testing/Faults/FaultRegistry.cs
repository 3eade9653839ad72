using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Signet.Testing.Faults;

/// <summary>One request the fault registry received, for assertions.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path, decoded (<c>/v2/app/blobs/sha256:...</c>).</param>
/// <param name="Query">Query string with its leading <c>?</c>, or empty.</param>
/// <param name="Authorization">The Authorization header, or null.</param>
public sealed record FaultRequest(string Method, string Path, string Query, string? Authorization);

/// <summary>Answers one request; <paramref name="Attempt"/> counts the requests to the same method and path, from 1.</summary>
public delegate Task FaultHandler(HttpContext context, int Attempt);

/// <summary>
/// An in-process registry on Kestrel (127.0.0.1, free port) whose answers each test programs, for faults a real
/// registry cannot be made to produce: lying digests, truncated or oversize bodies, retries, redirects, hangs.
/// <c>GET /v2/</c> answers 200 unless programmed; anything not programmed answers 404 with a distribution error body.
/// It counts TLS handshakes that reach its plain-HTTP port (a client's https-first probe).
/// </summary>
public sealed class FaultRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string Method, string Path), FaultHandler> _handlers = new();
    private readonly ConcurrentDictionary<(string Method, string Path), int> _attempts = new();
    private readonly ConcurrentQueue<FaultRequest> _requests = new();
    private int _tlsHandshakes;

    private FaultRegistry(WebApplication app) => _app = app;

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary><c>127.0.0.1:PORT</c>: the registry part of a reference.</summary>
    public string Host => $"{BaseUri.Host}:{BaseUri.Port}";

    /// <summary>Every request answered so far, in order of arrival.</summary>
    public IReadOnlyList<FaultRequest> Requests => [.. _requests];

    /// <summary>Connections that began with a TLS handshake record (and so could not be served).</summary>
    public int TlsHandshakes => Volatile.Read(ref _tlsHandshakes);

    public static async Task<FaultRegistry> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        FaultRegistry? registry = null;
        builder.WebHost.UseKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection => registry!.SniffAsync(connection, next)));
        });
        var app = builder.Build();
        registry = new FaultRegistry(app);
        app.Run(registry.DispatchAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        registry.BaseUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return registry;
    }

    /// <summary>Programs the answer to <paramref name="method"/> on <paramref name="path"/> (exact, query ignored).</summary>
    public FaultRegistry On(string method, string path, FaultHandler handler)
    {
        _handlers[(method, path)] = handler;
        return this;
    }

    /// <summary>How many requests arrived for a method and path.</summary>
    public int Count(string method, string path) => _attempts.GetValueOrDefault((method, path));

    /// <summary>Writes <paramref name="body"/> with a status, a content type and, unless <paramref name="contentLength"/> is false, its length.</summary>
    public static async Task WriteAsync(HttpContext context, int status, ReadOnlyMemory<byte> body, string contentType = "application/octet-stream", bool contentLength = true)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        if (contentLength)
        {
            context.Response.ContentLength = body.Length;
        }

        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    /// <summary>A distribution error body: <c>{"errors":[{"code":..,"message":..}]}</c>.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteAsync(context, status, Encoding.UTF8.GetBytes($$"""{"errors":[{"code":"{{code}}","message":"{{message}}","detail":null}]}"""), "application/json");

    /// <summary>Never answers: waits until the client gives up.</summary>
    public static async Task HangAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client hung up, as the test wants.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        _requests.Enqueue(new FaultRequest(method, path, context.Request.QueryString.Value ?? string.Empty, context.Request.Headers.Authorization.FirstOrDefault()));
        var attempt = _attempts.AddOrUpdate((method, path), 1, (_, n) => n + 1);
        context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        if (_handlers.TryGetValue((method, path), out var handler))
        {
            await handler(context, attempt);
        }
        else if (path == "/v2/" && method is "GET" or "HEAD")
        {
            await WriteAsync(context, 200, "{}"u8.ToArray(), "application/json");
        }
        else
        {
            await WriteErrorAsync(context, 404, "NAME_UNKNOWN", $"fault registry: nothing programmed for {method} {path}");
        }
    }

    private async Task SniffAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var input = connection.Transport.Input;
        var read = await input.ReadAsync();
        if (read.Buffer.IsEmpty)
        {
            input.AdvanceTo(read.Buffer.End);
            return;
        }

        if (read.Buffer.FirstSpan[0] == 0x16)
        {
            // A TLS record (handshake) on a plain HTTP port: count it and drop the connection, as a TLS client expects to fail.
            Interlocked.Increment(ref _tlsHandshakes);
            input.AdvanceTo(read.Buffer.End);
            connection.Abort();
            return;
        }

        input.AdvanceTo(read.Buffer.Start);
        await next(connection);
    }
}

/// <summary>Canned answers for <see cref="FaultRegistry.On"/>.</summary>
public static class FaultAnswers
{
    /// <summary>Always the same bytes and headers.</summary>
    public static FaultHandler Bytes(ReadOnlyMemory<byte> body, string contentType = "application/octet-stream", ImmutableDictionary<string, string>? headers = null, bool contentLength = true) =>
        (context, _) =>
        {
            foreach (var (name, value) in headers ?? ImmutableDictionary<string, string>.Empty)
            {
                context.Response.Headers[name] = value;
            }

            return FaultRegistry.WriteAsync(context, 200, body, contentType, contentLength);
        };
}
