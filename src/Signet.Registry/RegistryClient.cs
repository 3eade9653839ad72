using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Signet.Oci;
using Signet.Oci.Content;

namespace Signet.Registry;

/// <summary>
/// A client for the OCI distribution spec 1.1 (and Docker Registry HTTP API v2). Every manifest's digest is computed
/// from the bytes received and every blob is verified as it streams; nothing a registry says about a digest is trusted.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    private readonly RegistryClientOptions _options;
    private readonly HttpClient _http;
    private readonly HttpClient _redirects;
    private readonly ConcurrentDictionary<string, Task<Uri>> _bases = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _transfers;
    private readonly ConcurrentDictionary<string, SslPolicyErrors> _rejectedCertificates = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="options">Client settings.</param>
    /// <param name="pipeline">
    /// Builds the handler chain for registry requests from the transport handler (the auth handler goes here);
    /// null sends requests anonymously.
    /// </param>
    public RegistryClient(RegistryClientOptions options, Func<HttpMessageHandler, HttpMessageHandler>? pipeline = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validate();
        _http = new HttpClient((pipeline ?? (h => h))(CreateTransport()), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(_options.UserAgent);

        // Redirected blob downloads go to other hosts (storage back ends) and never carry the registry's credentials.
        _redirects = new HttpClient(CreateTransport(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _redirects.DefaultRequestHeaders.UserAgent.ParseAdd(_options.UserAgent);
        _transfers = new SemaphoreSlim(_options.MaxConcurrentTransfers);
    }

    public RegistryClientOptions Options => _options;

    /// <summary>Checks that the registry speaks the v2 API (<c>GET /v2/</c>), authenticating if asked to.</summary>
    public async Task PingAsync(string registry, CancellationToken cancellationToken = default)
    {
        var url = await BaseAsync(registry, cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "Check the registry address and your credentials (signet login).", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fetches a manifest or index by tag or digest and verifies it: by the digest asked for, or else by computing it.</summary>
    public async Task<ManifestDocument> GetManifestAsync(Reference repository, string reference, CancellationToken cancellationToken = default)
    {
        var url = await ManifestUrlAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(() => ManifestRequest(HttpMethod.Get, url), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ManifestNotFoundException($"{repository.Name}:{reference} was not found in {repository.Registry} (GET {RegistryException.Redact(url)} returned 404); check the name and tag");
        }

        await EnsureSuccessAsync(response, string.Empty, cancellationToken).ConfigureAwait(false);
        var where = $"{repository.Registry}/{repository.Repository}";
        if (response.Content.Headers.ContentLength > ManifestParser.MaxManifestBytes)
        {
            throw new OciFormatException($"manifest {reference} from {where} announces {response.Content.Headers.ContentLength} bytes; at most {ManifestParser.MaxManifestBytes} are accepted");
        }

        byte[] raw;
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
        {
            raw = await BlobReader.ReadBoundedAsync(body, ManifestParser.MaxManifestBytes, $"manifest {reference} from {where}", cancellationToken).ConfigureAwait(false);
        }

        if (response.Content.Headers.ContentLength is { } announced && announced != raw.Length)
        {
            throw new OciFormatException($"manifest {reference} from {where}: Content-Length {announced} but {raw.Length} bytes arrived");
        }

        var contentType = response.Content.Headers.ContentType?.MediaType;
        if (Digest.TryParse(reference, out var wanted))
        {
            var actual = Digest.Compute(raw, wanted.Algorithm);
            if (actual != wanted)
            {
                throw new DigestMismatchException("manifest", wanted, actual, $"GET {RegistryException.Redact(url)}");
            }
        }

        var document = ManifestParser.Parse(raw, contentType, where);
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var claimed) &&
            Digest.TryParse(claimed.FirstOrDefault(), out var claimedDigest) &&
            claimedDigest.Algorithm == Digest.Sha256 && claimedDigest != document.Digest)
        {
            throw new DigestMismatchException("manifest", claimedDigest, document.Digest, $"GET {RegistryException.Redact(url)}: the registry's Docker-Content-Digest header disagrees with the content");
        }

        return document;
    }

    /// <summary>Fetches a manifest named by a descriptor and checks its size and digest.</summary>
    public async Task<ManifestDocument> GetManifestAsync(Reference repository, Descriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var document = await GetManifestAsync(repository, descriptor.Digest.ToString(), cancellationToken).ConfigureAwait(false);
        if (document.Raw.Length != descriptor.Size)
        {
            throw new DigestMismatchException("manifest", descriptor.Digest, descriptor.Size, document.Raw.Length, $"{repository.Registry}/{repository.Repository}");
        }

        return document;
    }

    /// <summary>HEAD on a manifest: its descriptor as the registry describes it, or null when absent. The digest is the registry's word, to be verified by a GET before use.</summary>
    public async Task<Descriptor?> HeadManifestAsync(Reference repository, string reference, CancellationToken cancellationToken = default)
    {
        var url = await ManifestUrlAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(() => ManifestRequest(HttpMethod.Head, url), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, string.Empty, cancellationToken).ConfigureAwait(false);
        var digestText = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        if (!Digest.TryParse(digestText, out var digest))
        {
            return null;
        }

        return new Descriptor
        {
            MediaType = response.Content.Headers.ContentType?.MediaType ?? MediaTypes.OciManifest,
            Digest = digest,
            Size = response.Content.Headers.ContentLength ?? 0,
        };
    }

    /// <summary>Stores a manifest under a tag or its digest. Returns true when the registry processed its subject (OCI-Subject header).</summary>
    public async Task<bool> PutManifestAsync(Reference repository, string reference, ManifestDocument manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var url = await ManifestUrlAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ReadOnlyMemoryContent(manifest.Raw) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
                return request;
            },
            cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "Check that you may push to this repository (signet login).", cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) &&
            Digest.TryParse(values.FirstOrDefault(), out var stored) && stored.Algorithm == manifest.Digest.Algorithm && stored != manifest.Digest)
        {
            throw new DigestMismatchException("manifest", manifest.Digest, stored, $"PUT {RegistryException.Redact(url)}: the registry stored different bytes than were sent");
        }

        return response.Headers.Contains("OCI-Subject");
    }

    /// <summary>Deletes a manifest by digest (or tag, where the registry allows).</summary>
    public async Task DeleteManifestAsync(Reference repository, string reference, CancellationToken cancellationToken = default)
    {
        var url = await ManifestUrlAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, url), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "The registry may have deletion disabled.", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the repository holds the blob (HEAD).</summary>
    public async Task<bool> BlobExistsAsync(Reference repository, Descriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var url = await BlobUrlAsync(repository, descriptor.Digest, cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, url), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, string.Empty, cancellationToken).ConfigureAwait(false);
        return response.Content.Headers.ContentLength is null || response.Content.Headers.ContentLength == descriptor.Size;
    }

    /// <summary>
    /// Opens a blob for streaming, following redirects (without the registry's credentials). The stream verifies size
    /// and digest as it is read and releases a transfer slot when disposed.
    /// </summary>
    public async Task<Stream> GetBlobAsync(Reference repository, Descriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var url = await BlobUrlAsync(repository, descriptor.Digest, cancellationToken).ConfigureAwait(false);
        await _transfers.WaitAsync(cancellationToken).ConfigureAwait(false);
        HttpResponseMessage? response = null;
        try
        {
            response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken, Exchange.Download).ConfigureAwait(false);
            for (var hop = 0; IsRedirect(response.StatusCode); hop++)
            {
                var location = response.Headers.Location ?? throw new RegistryException($"GET {RegistryException.Redact(url)} answered {(int)response.StatusCode} without a Location header");
                if (hop >= 5)
                {
                    throw new RegistryException($"GET {RegistryException.Redact(url)}: more than 5 redirects");
                }

                var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                if (next.Scheme != Uri.UriSchemeHttps && url.Scheme == Uri.UriSchemeHttps)
                {
                    throw new RegistryException($"GET {RegistryException.Redact(url)} redirected from HTTPS to {next.Scheme}; refusing a downgrade");
                }

                response.Dispose();
                response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, next), cancellationToken, Exchange.Download, client: _redirects).ConfigureAwait(false);
                url = next;
            }

            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new BlobNotFoundException(descriptor, $"{repository.Registry}/{repository.Repository}");
            }

            await EnsureSuccessAsync(response, string.Empty, cancellationToken).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength is { } length && length != descriptor.Size)
            {
                throw new DigestMismatchException(ObjectNames.For(descriptor), descriptor.Digest, descriptor.Size, length, $"GET {RegistryException.Redact(url)}: Content-Length disagrees with the descriptor");
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var verifying = new VerifyingReadStream(body, descriptor, ObjectNames.For(descriptor), $"{repository.Registry}/{repository.Repository}");
            var owned = new OwnedStream(verifying, response, _transfers);
            response = null;
            return owned;
        }
        catch
        {
            response?.Dispose();
            _transfers.Release();
            throw;
        }
    }

    /// <summary>
    /// Uploads a blob read from <paramref name="content"/>, verified on the way: monolithic, or chunked when larger
    /// than <see cref="RegistryClientOptions.ChunkSize"/>. The registry computes the digest too and refuses a mismatch.
    /// </summary>
    public async Task PushBlobAsync(Reference repository, Descriptor descriptor, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(content);
        await _transfers.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var location = await StartUploadAsync(repository, mountFrom: null, descriptor, cancellationToken).ConfigureAwait(false)
                ?? throw new RegistryException("upload session was not started");
            await using var verifying = new VerifyingReadStream(content, descriptor, ObjectNames.For(descriptor), $"upload to {repository.Registry}/{repository.Repository}", leaveOpen: true);
            if (_options.ChunkSize > 0 && descriptor.Size > _options.ChunkSize)
            {
                location = await SendChunksAsync(location, verifying, descriptor, cancellationToken).ConfigureAwait(false);
                await FinishUploadAsync(location, descriptor, content: null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await FinishUploadAsync(location, descriptor, verifying, cancellationToken).ConfigureAwait(false);
            }

            if (!verifying.Verified && await verifying.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) != 0)
            {
                throw new DigestMismatchException($"{ObjectNames.For(descriptor)} {descriptor.Digest} uploaded to {repository.Name} was longer than its descriptor");
            }
        }
        finally
        {
            _transfers.Release();
        }
    }

    /// <summary>Asks the registry to mount a blob from another repository on the same registry. True when mounted.</summary>
    public async Task<bool> MountBlobAsync(Reference repository, Descriptor descriptor, string fromRepository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return await StartUploadAsync(repository, fromRepository, descriptor, cancellationToken).ConfigureAwait(false) is null;
    }

    /// <summary>Lists a repository's tags, following <c>Link</c> pagination.</summary>
    public async IAsyncEnumerable<string> ListTagsAsync(Reference repository, int pageSize = 1000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var baseUrl = await BaseAsync(repository.Registry, cancellationToken).ConfigureAwait(false);
        Uri? url = new(baseUrl, $"{repository.Repository}/tags/list?n={pageSize}");
        for (var page = 0; url is not null; page++)
        {
            if (page >= 100_000)
            {
                throw new RegistryException($"tag listing of {repository.Name} did not end after {page} pages");
            }

            var current = url;
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, current), cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new ManifestNotFoundException($"repository {repository.Name} was not found (GET {RegistryException.Redact(current)} returned 404)");
            }

            await EnsureSuccessAsync(response, string.Empty, cancellationToken).ConfigureAwait(false);
            var tags = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
            if (tags.RootElement.TryGetProperty("tags", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var tag in list.EnumerateArray())
                {
                    if (tag.ValueKind == JsonValueKind.String)
                    {
                        yield return tag.GetString()!;
                    }
                }
            }

            tags.Dispose();
            url = NextLink(response, current);
        }
    }

    /// <summary>
    /// Lists the referrers of <paramref name="subject"/> through the referrers API, or, where the registry has none
    /// (404), through the referrers tag schema (<c>sha256-&lt;hex&gt;</c>).
    /// </summary>
    public async IAsyncEnumerable<Descriptor> ListReferrersAsync(
        Reference repository, Digest subject, string? artifactType = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var baseUrl = await BaseAsync(repository.Registry, cancellationToken).ConfigureAwait(false);
        var query = artifactType is null ? string.Empty : $"?artifactType={Uri.EscapeDataString(artifactType)}";
        Uri? url = new(baseUrl, $"{repository.Repository}/referrers/{subject}{query}");
        var first = true;
        while (url is not null)
        {
            var current = url;
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, current), cancellationToken).ConfigureAwait(false);
            if (first && response.StatusCode == HttpStatusCode.NotFound)
            {
                await foreach (var fallback in ListFallbackReferrersAsync(repository, subject, artifactType, cancellationToken).ConfigureAwait(false))
                {
                    yield return fallback;
                }

                yield break;
            }

            first = false;
            await EnsureSuccessAsync(response, string.Empty, cancellationToken).ConfigureAwait(false);
            byte[] raw;
            await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
            {
                raw = await BlobReader.ReadBoundedAsync(body, ManifestParser.MaxManifestBytes, $"referrers of {subject}", cancellationToken).ConfigureAwait(false);
            }

            var index = ManifestParser.Parse(raw, MediaTypes.OciIndex, $"referrers API of {repository.Name}") as ImageIndex
                ?? throw new OciFormatException($"referrers API of {repository.Name} did not return an index");
            // Filtered here too, whatever OCI-Filters-Applied says: a registry that claims to filter and does not must not
            // hand a caller referrers of another type.
            foreach (var descriptor in index.Manifests)
            {
                if (artifactType is null || descriptor.ArtifactType == artifactType)
                {
                    yield return descriptor;
                }
            }

            url = NextLink(response, current);
        }
    }

    /// <summary>The referrers tag of a digest: <c>&lt;alg&gt;-&lt;encoded&gt;</c> (distribution spec "Referrers Tag Schema").</summary>
    public static string ReferrersTag(Digest digest) => $"{Truncate(digest.Algorithm, 32)}-{Truncate(digest.Encoded, 64)}";

    /// <summary>
    /// Adds a referrer to the subject's fallback index tag, keeping every other entry (for registries without the
    /// referrers API). Entries are de-duplicated by digest.
    /// </summary>
    public async Task AddFallbackReferrerAsync(Reference repository, Digest subject, Descriptor referrer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(referrer);
        var tag = ReferrersTag(subject);
        var existing = ImmutableArray<Descriptor>.Empty;
        try
        {
            if (await GetManifestAsync(repository, tag, cancellationToken).ConfigureAwait(false) is ImageIndex index)
            {
                existing = index.Manifests;
            }
        }
        catch (ManifestNotFoundException)
        {
        }

        if (existing.Any(d => d.Digest == referrer.Digest))
        {
            return;
        }

        var raw = Oci.Layout.OciLayout.WriteIndex([.. existing, referrer]);
        var updated = ManifestParser.Parse(raw, MediaTypes.OciIndex, "referrers fallback index");
        await PutManifestAsync(repository, tag, updated, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _http.Dispose();
        _redirects.Dispose();
        _transfers.Dispose();
    }
}
