using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Signet.Oci;
using Signet.Oci.Content;

namespace Signet.Registry;

/// <summary>Transport details: endpoints, TLS, retries, error bodies, uploads.</summary>
public sealed partial class RegistryClient
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    private SocketsHttpHandler CreateTransport()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = _options.ConnectTimeout,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = Math.Max(8, _options.MaxConcurrentTransfers * 2),
        };
        handler.SslOptions.RemoteCertificateValidationCallback = ValidateCertificate;
        return handler;
    }

    private bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        var host = (sender as SslStream)?.TargetHostName ?? string.Empty;
        if (_options.InsecureRegistries.Contains(host) || _options.InsecureRegistries.Any(h => h.StartsWith(host + ":", StringComparison.Ordinal)))
        {
            return true;
        }

        if (errors == SslPolicyErrors.RemoteCertificateChainErrors && _options.ExtraCaCertificates is { Count: > 0 } extra && certificate is not null)
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;

            // Private registry CAs rarely publish revocation data; docker and skopeo do not check it either.
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            custom.ChainPolicy.CustomTrustStore.AddRange(extra);
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            using var leaf = new X509Certificate2(certificate);
            if (custom.Build(leaf))
            {
                return true;
            }
        }

        _rejectedCertificates[host] = errors;
        return false;
    }

    /// <summary>
    /// True when plain HTTP may be used for a registry host: loopback hosts and <c>--insecure-registry</c> hosts.
    /// TLS certificates are verified for every host except the <c>--insecure-registry</c> ones, loopback included.
    /// </summary>
    public bool IsInsecureAllowed(string registry) =>
        _options.InsecureRegistries.Contains(registry) || Reference.IsLoopbackRegistry(registry);

    /// <summary>
    /// The registry's <c>/v2/</c> URL, resolved once per client. The resolution does not run on the first caller's token,
    /// so one cancelled call cannot leave a cancelled result behind for every later call; each caller waits on its own.
    /// </summary>
    private async Task<Uri> BaseAsync(string registry, CancellationToken cancellationToken)
    {
        var resolving = _bases.GetOrAdd(registry, r => ResolveBaseAsync(r, CancellationToken.None));
        try
        {
            return await resolving.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (resolving.IsFaulted || resolving.IsCanceled)
        {
            _bases.TryRemove(new KeyValuePair<string, Task<Uri>>(registry, resolving));
            throw;
        }
    }

    private async Task<Uri> ResolveBaseAsync(string registry, CancellationToken cancellationToken)
    {
        var host = registry == "docker.io" ? "registry-1.docker.io" : registry;
        var https = new Uri($"https://{host}/v2/");
        if (!IsInsecureAllowed(registry))
        {
            return https;
        }

        // A loopback registry is asked over plain HTTP first (most local registries speak it, and it spares loading
        // TLS); a registry that answers that probe with anything but the v2 API (a TLS server answers 400) is HTTPS.
        var http = new Uri($"http://{host}/v2/");
        if (Reference.IsLoopbackRegistry(registry) && await SpeaksV2Async(http, cancellationToken).ConfigureAwait(false))
        {
            return http;
        }

        try
        {
            using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(probe.Token, cancellationToken);
            using var response = await _redirects.SendAsync(new HttpRequestMessage(HttpMethod.Get, https), linked.Token).ConfigureAwait(false);
            return https;
        }
        catch (Exception e) when (e is HttpRequestException or AuthenticationException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The server speaks TLS but its certificate was refused: stay on HTTPS so the real request reports that.
            return _rejectedCertificates.ContainsKey(https.Host) ? https : http;
        }
    }

    /// <summary>True when <c>GET /v2/</c> at <paramref name="url"/> answers as a registry does (200, or 401 asking for credentials).</summary>
    private async Task<bool> SpeaksV2Async(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(probe.Token, cancellationToken);
            using var response = await _redirects.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), linked.Token).ConfigureAwait(false);
            return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<Uri> ManifestUrlAsync(Reference repository, string reference, CancellationToken cancellationToken) =>
        new(await BaseAsync(repository.Registry, cancellationToken).ConfigureAwait(false), $"{repository.Repository}/manifests/{reference}");

    private async Task<Uri> BlobUrlAsync(Reference repository, Digest digest, CancellationToken cancellationToken) =>
        new(await BaseAsync(repository.Registry, cancellationToken).ConfigureAwait(false), $"{repository.Repository}/blobs/{digest}");

    private static HttpRequestMessage ManifestRequest(HttpMethod method, Uri url)
    {
        var request = new HttpRequestMessage(method, url);
        foreach (var type in MediaTypes.ManifestAccept)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        return request;
    }

    /// <summary>What a request carries, which decides how its timeout applies and whether its response is buffered.</summary>
    private enum Exchange
    {
        /// <summary>A small request and answer (ping, manifest, tag page): the whole exchange, body included, is bounded by <see cref="RegistryClientOptions.RequestTimeout"/> and the body is buffered, at most <see cref="ManifestParser.MaxManifestBytes"/>.</summary>
        Small,

        /// <summary>A blob download: the timeout bounds the wait for the response headers; the caller streams the body.</summary>
        Download,

        /// <summary>A blob upload: sending the body is a transfer of any length, so only the caller's token bounds it.</summary>
        Upload,
    }

    /// <summary>
    /// Sends a request built by <paramref name="create"/>, retrying with back-off on 429, 5xx and connection failures.
    /// A request with streaming content is sent once (<paramref name="retry"/> false).
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> create, CancellationToken cancellationToken, Exchange exchange = Exchange.Small, bool retry = true, HttpClient? client = null)
    {
        client ??= _http;
        var attempts = retry ? _options.MaxAttempts : 1;
        for (var attempt = 1; ; attempt++)
        {
            using var request = create();
            using var timeout = exchange == Exchange.Upload ? null : new CancellationTokenSource(_options.RequestTimeout);
            using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            var token = linked?.Token ?? cancellationToken;
            HttpResponseMessage? response = null;
            try
            {
                // Headers first in every case: buffering with ResponseContentRead would read any amount a registry sends.
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                if (attempt < attempts && ((int)response.StatusCode == 429 || (int)response.StatusCode >= 500))
                {
                    var retryAfter = response.Headers.RetryAfter;
                    response.Dispose();
                    await DelayAsync(attempt, retryAfter, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (exchange == Exchange.Small)
                {
                    await BufferBoundedAsync(response, token).ConfigureAwait(false);
                }

                return response;
            }
            catch (OperationCanceledException) when (timeout?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
            {
                response?.Dispose();
                if (attempt >= attempts)
                {
                    throw new RegistryException($"{request.Method} {RegistryException.Redact(request.RequestUri!)} timed out after {_options.RequestTimeout.TotalSeconds:0.###} s ({attempt} attempts); check the registry's health or raise the timeout");
                }

                await DelayAsync(attempt, null, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.InnerException is DigestMismatchException mismatch)
            {
                // The upload's own content failed verification while being sent: that is the error, not the transport.
                response?.Dispose();
                ExceptionDispatchInfo.Throw(mismatch);
                throw;
            }
            catch (Exception e) when (e is HttpRequestException and not RegistryException || (e is IOException && response is not null))
            {
                // Connection failures, and a small response whose body broke off.
                response?.Dispose();
                if (attempt >= attempts)
                {
                    throw new RegistryException($"{request.Method} {RegistryException.Redact(request.RequestUri!)} failed after {attempt} attempts: {e.Message}. Check the registry address, network and TLS settings (--ca-cert, --insecure-registry)", e);
                }

                await DelayAsync(attempt, null, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                response?.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Replaces a small response's content by its bytes, read under the request's timeout and refused past
    /// <see cref="ManifestParser.MaxManifestBytes"/>. A response that announces more is left unread for the caller to refuse.
    /// </summary>
    private static async Task BufferBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var content = response.Content;
        if (content.Headers.ContentLength > ManifestParser.MaxManifestBytes)
        {
            return;
        }

        byte[] raw;
        await using (var body = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
        {
            var request = response.RequestMessage!;
            raw = await BlobReader.ReadBoundedAsync(body, ManifestParser.MaxManifestBytes, $"response of {request.Method} {RegistryException.Redact(request.RequestUri!)}", cancellationToken).ConfigureAwait(false);
        }

        var buffered = new ByteArrayContent(raw);
        foreach (var (name, values) in content.Headers.NonValidated)
        {
            buffered.Headers.TryAddWithoutValidation(name, values);
        }

        response.Content = buffered;
        content.Dispose();
    }

    private async Task DelayAsync(int attempt, RetryConditionHeaderValue? retryAfter, CancellationToken cancellationToken)
    {
        var delay = retryAfter?.Delta
            ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : (TimeSpan?)null)
            ?? TimeSpan.FromMilliseconds(_options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1) * (0.8 + (Random.Shared.NextDouble() * 0.4)));
        delay = TimeSpan.FromMilliseconds(Math.Clamp(delay.TotalMilliseconds, 0, 10_000));
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string advice, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var errors = ImmutableArray<RegistryError>.Empty;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var raw = await BlobReader.ReadBoundedAsync(body, MaxErrorBodyBytes, "registry error body", cancellationToken).ConfigureAwait(false);
            errors = ParseErrors(raw);
        }
        catch (OciFormatException)
        {
        }

        if (advice.Length == 0)
        {
            advice = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => "Authentication failed: log in with 'signet login REGISTRY' or pass --username and --password-stdin",
                HttpStatusCode.Forbidden => "Access denied: your credentials do not allow this action on this repository",
                HttpStatusCode.NotFound => "Check the repository name and tag",
                _ => string.Empty,
            };
        }

        var request = response.RequestMessage!;
        throw new RegistryException(request.Method.Method, request.RequestUri!, response.StatusCode, errors, advice);
    }

    private static ImmutableArray<RegistryError> ParseErrors(byte[] raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw, new JsonDocumentOptions { MaxDepth = 16 });
            if (!document.RootElement.TryGetProperty("errors", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var builder = ImmutableArray.CreateBuilder<RegistryError>();
            foreach (var item in list.EnumerateArray().Take(20))
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var code = item.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "UNKNOWN";
                var message = item.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : string.Empty;
                var detail = item.TryGetProperty("detail", out var d) && d.ValueKind != JsonValueKind.Null ? Clip(d.ToString()) : null;
                builder.Add(new RegistryError(code, Clip(message), detail));
            }

            return builder.ToImmutable();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var raw = await BlobReader.ReadBoundedAsync(body, ManifestParser.MaxManifestBytes, $"response of {RegistryException.Redact(response.RequestMessage!.RequestUri!)}", cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(raw, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new OciFormatException($"response of {RegistryException.Redact(response.RequestMessage!.RequestUri!)} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The <c>rel="next"</c> target of an RFC 5988 Link header, resolved against the request URL.</summary>
    internal static Uri? NextLink(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var header in links)
        {
            foreach (var link in header.Split(','))
            {
                var open = link.IndexOf('<', StringComparison.Ordinal);
                var close = link.IndexOf('>', StringComparison.Ordinal);
                if (open < 0 || close <= open || !link[(close + 1)..].Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var target = new Uri(current, link[(open + 1)..close]);
                return target.Host == current.Host && target.Port == current.Port
                    ? target
                    : throw new RegistryException($"pagination link of {RegistryException.Redact(current)} points to another host ({target.Host}); refusing to follow it");
            }
        }

        return null;
    }

    /// <summary>Starts an upload (POST); with <paramref name="mountFrom"/>, tries a cross-repository mount first. Null when mounted.</summary>
    private async Task<Uri?> StartUploadAsync(Reference repository, string? mountFrom, Descriptor descriptor, CancellationToken cancellationToken)
    {
        var baseUrl = await BaseAsync(repository.Registry, cancellationToken).ConfigureAwait(false);
        var query = mountFrom is null ? string.Empty : $"?mount={descriptor.Digest}&from={Uri.EscapeDataString(mountFrom)}";
        var url = new Uri(baseUrl, $"{repository.Repository}/blobs/uploads/{query}");
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent([]) },
            cancellationToken).ConfigureAwait(false);
        if (mountFrom is not null && response.StatusCode == HttpStatusCode.Created)
        {
            return null;
        }

        await EnsureSuccessAsync(response, "Check that you may push to this repository (signet login).", cancellationToken).ConfigureAwait(false);
        var location = response.Headers.Location ?? throw new RegistryException($"POST {RegistryException.Redact(url)} started an upload without a Location header");
        return location.IsAbsoluteUri ? location : new Uri(url, location);
    }

    private async Task<Uri> SendChunksAsync(Uri location, Stream content, Descriptor descriptor, CancellationToken cancellationToken)
    {
        var buffer = new byte[_options.ChunkSize];
        long offset = 0;
        while (offset < descriptor.Size)
        {
            var filled = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (filled == 0)
            {
                break;
            }

            var chunkStart = offset;
            var current = location;
            var count = filled;
            using var response = await SendAsync(
                () =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Patch, current) { Content = new ByteArrayContent(buffer, 0, count) };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{chunkStart}-{chunkStart + count - 1}");
                    return request;
                },
                cancellationToken,
                Exchange.Upload,
                retry: false).ConfigureAwait(false);
            await EnsureSuccessAsync(response, "The registry refused a chunk; retry the copy.", cancellationToken).ConfigureAwait(false);
            offset += count;
            var next = response.Headers.Location ?? location;
            location = next.IsAbsoluteUri ? next : new Uri(location, next);
        }

        return location;
    }

    private async Task FinishUploadAsync(Uri location, Descriptor descriptor, Stream? content, CancellationToken cancellationToken)
    {
        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        var url = new Uri($"{location}{separator}digest={Uri.EscapeDataString(descriptor.Digest.ToString())}");
        using var response = await SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Put, url);
                if (content is null)
                {
                    request.Content = new ByteArrayContent([]);
                }
                else
                {
                    request.Content = new StreamContent(content, 1 << 20);
                    request.Content.Headers.ContentLength = descriptor.Size;
                }

                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                return request;
            },
            cancellationToken,
            content is null ? Exchange.Small : Exchange.Upload,
            retry: content is null).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "The registry refused the blob; if it reports DIGEST_INVALID the source content is corrupt.", cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<Descriptor> ListFallbackReferrersAsync(
        Reference repository, Digest subject, string? artifactType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ManifestDocument? document;
        try
        {
            document = await GetManifestAsync(repository, ReferrersTag(subject), cancellationToken).ConfigureAwait(false);
        }
        catch (ManifestNotFoundException)
        {
            yield break;
        }

        if (document is not ImageIndex index)
        {
            yield break;
        }

        foreach (var descriptor in index.Manifests)
        {
            if (artifactType is null || descriptor.ArtifactType == artifactType)
            {
                yield return descriptor;
            }
        }
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    /// <summary>A blob body that owns its HTTP response and transfer slot.</summary>
    private sealed class OwnedStream(VerifyingReadStream inner, HttpResponseMessage response, SemaphoreSlim slot) : Stream, IVerifiedContent
    {
        private int _disposed;

        public Descriptor Expected => inner.Expected;

        public bool Verified => inner.Verified;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                inner.Dispose();
                response.Dispose();
                slot.Release();
            }

            base.Dispose(disposing);
        }
    }
}
