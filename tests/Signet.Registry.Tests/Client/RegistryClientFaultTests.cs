using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using System.Text;
using Signet.Oci;
using Signet.Oci.Layout;
using Signet.Registry.Auth;
using Signet.Testing;
using Signet.Testing.Faults;

namespace Signet.Registry.Tests.Client;

/// <summary>
/// Faults a real registry cannot be made to produce (lying digests, truncated or oversize bodies, retries, redirects,
/// hangs, foreign pagination links, a referrers API), answered by the in-process <see cref="FaultRegistry"/>.
/// </summary>
public sealed class RegistryClientFaultTests : IAsyncLifetime, IDisposable
{
    private static readonly RegistryClientOptions FastRetries = new() { InitialBackoff = TimeSpan.FromMilliseconds(10), RequestTimeout = TimeSpan.FromSeconds(10) };

    private FaultRegistry _registry = null!;
    private RegistryClient _client = null!;

    public async Task InitializeAsync()
    {
        _registry = await FaultRegistry.StartAsync();
        _client = new RegistryClient(FastRetries);
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    public void Dispose() => _client?.Dispose();

    private Reference Repo => TestContent.Repo(_registry.Host, "fault/app");

    private static string BlobPath(Descriptor d) => $"/v2/fault/app/blobs/{d.Digest}";

    private static string ManifestPath(string reference) => $"/v2/fault/app/manifests/{reference}";

    private static ImmutableDictionary<string, string> Headers(params (string Name, string Value)[] headers) =>
        headers.ToImmutableDictionary(h => h.Name, h => h.Value);

    // ---- blobs ----

    [Fact]
    public async Task GetBlobAsync_OtherBytesThanAsked_StreamThrowsDigestMismatch()
    {
        var asked = TestContent.Layer(4096, seed: 1);
        var served = TestContent.Layer(4096, seed: 2);
        _registry.On("GET", BlobPath(asked.Descriptor), FaultAnswers.Bytes(served.Content));

        await using var stream = await _client.GetBlobAsync(Repo, asked.Descriptor);
        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => TestBytes.ReadAllAsync(stream));

        Assert.Equal(asked.Descriptor.Digest, e.Expected);
        Assert.Equal(served.Descriptor.Digest, e.Actual);
    }

    [Fact]
    public async Task GetBlobAsync_ShortBodyWithoutLength_StreamThrowsSizeMismatch()
    {
        var blob = TestContent.Layer(4096, seed: 3);
        _registry.On("GET", BlobPath(blob.Descriptor), FaultAnswers.Bytes(blob.Content.AsMemory(0, 1000), contentLength: false));

        await using var stream = await _client.GetBlobAsync(Repo, blob.Descriptor);
        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => TestBytes.ReadAllAsync(stream));

        Assert.Equal(4096, e.ExpectedSize);
        Assert.Equal(1000, e.ActualSize);
    }

    [Fact]
    public async Task GetBlobAsync_LongerBodyWithoutLength_StreamThrowsSizeMismatch()
    {
        var blob = TestContent.Layer(4096, seed: 4);
        _registry.On("GET", BlobPath(blob.Descriptor), FaultAnswers.Bytes((byte[])[.. blob.Content, .. blob.Content], contentLength: false));

        await using var stream = await _client.GetBlobAsync(Repo, blob.Descriptor);
        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => TestBytes.ReadAllAsync(stream));

        Assert.Equal(4096, e.ExpectedSize);
        Assert.True(e.ActualSize > 4096);
    }

    [Fact]
    public async Task GetBlobAsync_ConnectionDropsMidBody_StreamThrowsIOException()
    {
        var blob = TestContent.Layer(200_000, seed: 5);
        _registry.On("GET", BlobPath(blob.Descriptor), async (context, _) =>
        {
            context.Response.ContentLength = blob.Content.Length;
            await context.Response.Body.WriteAsync(blob.Content.AsMemory(0, 50_000));
            await context.Response.Body.FlushAsync();
            await Task.Delay(200);
            context.Abort();
        });

        await using var stream = await _client.GetBlobAsync(Repo, blob.Descriptor);

        await Assert.ThrowsAnyAsync<IOException>(() => TestBytes.ReadAllAsync(stream));
    }

    [Fact]
    public async Task GetBlobAsync_ContentLengthDisagreesWithDescriptor_ThrowsBeforeReading()
    {
        var blob = TestContent.Layer(4096, seed: 6);
        _registry.On("GET", BlobPath(blob.Descriptor), FaultAnswers.Bytes(new byte[5000]));

        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => _client.GetBlobAsync(Repo, blob.Descriptor));

        Assert.Equal(4096, e.ExpectedSize);
        Assert.Equal(5000, e.ActualSize);
        Assert.Contains("Content-Length", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetBlobAsync_RedirectToSecondHost_FollowsWithoutAuthorization()
    {
        await using var storage = await FaultRegistry.StartAsync();
        var blob = TestContent.Layer(10_000, seed: 7);
        storage.On("GET", "/storage/blob", FaultAnswers.Bytes(blob.Content));
        _registry.On("GET", BlobPath(blob.Descriptor), (context, _) =>
        {
            if (context.Request.Headers.Authorization.Count == 0)
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"fault\"";
                return FaultRegistry.WriteErrorAsync(context, 401, "UNAUTHORIZED", "authentication required");
            }

            context.Response.StatusCode = 307;
            context.Response.Headers.Location = new Uri(storage.BaseUri, "/storage/blob?sig=secret").AbsoluteUri;
            return Task.CompletedTask;
        });
        using var client = new RegistryClient(FastRetries, h => new AuthHandler(new ExplicitCredentialProvider(_registry.Host, Credential.Basic("alice", "pw")), h));

        await using var stream = await client.GetBlobAsync(Repo, blob.Descriptor);
        var content = await TestBytes.ReadAllAsync(stream);

        Assert.Equal(blob.Content, content);
        Assert.Contains(_registry.Requests, r => r.Path == BlobPath(blob.Descriptor) && r.Authorization is not null && r.Authorization.StartsWith("Basic ", StringComparison.Ordinal));
        var redirected = Assert.Single(storage.Requests);
        Assert.Equal("?sig=secret", redirected.Query);
        Assert.Null(redirected.Authorization);
    }

    [Fact]
    public async Task GetBlobAsync_RelativeRedirect_ResolvedAgainstRegistry()
    {
        var blob = TestContent.Layer(1000, seed: 8);
        _registry.On("GET", BlobPath(blob.Descriptor), (context, _) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "/data/blob";
            return Task.CompletedTask;
        });
        _registry.On("GET", "/data/blob", FaultAnswers.Bytes(blob.Content));

        await using var stream = await _client.GetBlobAsync(Repo, blob.Descriptor);

        Assert.Equal(blob.Content, await TestBytes.ReadAllAsync(stream));
    }

    [Fact]
    public async Task GetBlobAsync_RedirectLoop_RefusedAfterFiveHops()
    {
        var blob = TestContent.Layer(1000, seed: 9);
        _registry.On("GET", BlobPath(blob.Descriptor), (context, attempt) =>
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = $"{BlobPath(blob.Descriptor)}?hop={attempt}";
            return Task.CompletedTask;
        });

        var e = await Assert.ThrowsAsync<RegistryException>(() => _client.GetBlobAsync(Repo, blob.Descriptor));

        Assert.Contains("more than 5 redirects", e.Message, StringComparison.Ordinal);
        Assert.Equal(6, _registry.Count("GET", BlobPath(blob.Descriptor)));
    }

    [Fact]
    public async Task GetBlobAsync_ServerHangsBeforeHeaders_TimesOutAfterMaxAttempts()
    {
        var blob = TestContent.Layer(1000, seed: 10);
        _registry.On("GET", BlobPath(blob.Descriptor), (context, _) => FaultRegistry.HangAsync(context));
        using var client = new RegistryClient(FastRetries with { RequestTimeout = TimeSpan.FromMilliseconds(300), MaxAttempts = 2 });

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetBlobAsync(Repo, blob.Descriptor)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("timed out", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, _registry.Count("GET", BlobPath(blob.Descriptor)));
    }

    [Fact]
    public async Task PushBlobAsync_UploadSlowerThanRequestTimeout_Succeeds()
    {
        // RequestTimeout bounds requests that are not blob transfers; a blob upload may take longer.
        var blob = TestContent.Layer(256 * 1024, seed: 11);
        long received = 0;
        _registry.On("POST", "/v2/fault/app/blobs/uploads/", (context, _) =>
        {
            context.Response.StatusCode = 202;
            context.Response.Headers.Location = "/v2/fault/app/blobs/uploads/u1?state=s";
            return Task.CompletedTask;
        });
        _registry.On("PUT", "/v2/fault/app/blobs/uploads/u1", async (context, _) =>
        {
            var buffer = new byte[32 * 1024];
            int n;
            while ((n = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                received += n;
                await Task.Delay(100);
            }

            context.Response.StatusCode = 201;
        });
        using var client = new RegistryClient(FastRetries with { RequestTimeout = TimeSpan.FromMilliseconds(400) });

        await client.PushBlobAsync(Repo, blob.Descriptor, blob.Open());

        Assert.Equal(blob.Content.Length, received);
        var put = Assert.Single(_registry.Requests, r => r.Method == "PUT");
        Assert.Contains($"digest={Uri.EscapeDataString(blob.Descriptor.Digest.ToString())}", put.Query, StringComparison.Ordinal);
        Assert.Contains("state=s", put.Query, StringComparison.Ordinal);
    }

    // ---- manifests ----

    private static ManifestDocument SampleManifest(int seed) =>
        TestContent.Manifest(TestContent.EmptyConfig, [TestContent.Layer(100, seed)]);

    private static FaultHandler ManifestAnswer(ReadOnlyMemory<byte> raw, string? dockerContentDigest = null, bool contentLength = true) =>
        FaultAnswers.Bytes(raw, MediaTypes.OciManifest, dockerContentDigest is null ? null : Headers(("Docker-Content-Digest", dockerContentDigest)), contentLength);

    [Fact]
    public async Task GetManifestAsync_DockerContentDigestLies_ThrowsDigestMismatch()
    {
        var manifest = SampleManifest(20);
        var lie = SampleManifest(21).Digest;
        _registry.On("GET", ManifestPath("v1"), ManifestAnswer(manifest.Raw, lie.ToString()));

        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => _client.GetManifestAsync(Repo, "v1"));

        Assert.Equal(lie, e.Expected);
        Assert.Equal(manifest.Digest, e.Actual);
        Assert.Contains("Docker-Content-Digest", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetManifestAsync_DockerContentDigestTrue_ReturnsComputedDigest()
    {
        var manifest = SampleManifest(22);
        _registry.On("GET", ManifestPath("v1"), ManifestAnswer(manifest.Raw, manifest.Digest.ToString()));

        var fetched = await _client.GetManifestAsync(Repo, "v1");

        Assert.Equal(manifest.Digest, fetched.Digest);
    }

    [Fact]
    public async Task GetManifestAsync_ByDigestAnsweredWithOtherBytes_ThrowsDigestMismatch()
    {
        var asked = SampleManifest(23);
        var served = SampleManifest(24);
        _registry.On("GET", ManifestPath(asked.Digest.ToString()), ManifestAnswer(served.Raw, asked.Digest.ToString()));

        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => _client.GetManifestAsync(Repo, asked.Digest.ToString()));

        Assert.Equal(asked.Digest, e.Expected);
        Assert.Equal(served.Digest, e.Actual);
    }

    [Fact]
    public async Task GetManifestAsync_OversizeWithContentLength_ThrowsWithoutReading()
    {
        var big = new byte[ManifestParser.MaxManifestBytes + 1];
        _registry.On("GET", ManifestPath("big"), ManifestAnswer(big));

        var e = await Assert.ThrowsAsync<OciFormatException>(() => _client.GetManifestAsync(Repo, "big"));

        Assert.Contains(ManifestParser.MaxManifestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Equal(1, _registry.Count("GET", ManifestPath("big")));
    }

    [Fact]
    public async Task GetManifestAsync_OversizeWithoutContentLength_Throws()
    {
        var big = new byte[ManifestParser.MaxManifestBytes + 1];
        _registry.On("GET", ManifestPath("big"), ManifestAnswer(big, contentLength: false));

        var e = await Assert.ThrowsAsync<OciFormatException>(() => _client.GetManifestAsync(Repo, "big"));

        Assert.Contains(ManifestParser.MaxManifestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetManifestAsync_EndlessBody_StopsReadingNearTheLimit()
    {
        long sent = 0;
        _registry.On("GET", ManifestPath("endless"), async (context, _) =>
        {
            context.Response.ContentType = MediaTypes.OciManifest;
            var chunk = new byte[64 * 1024];
            try
            {
                // Capped so that a client that buffers everything still ends, and the test fails on the count. Kestrel
                // drops writes after a disconnect without an error and notices the disconnect a little later, so the
                // writer pauses every 256 KiB to give it the time to (at most 1 GiB/s: a buffering client still fails).
                while (sent < 256L * 1024 * 1024 && !context.RequestAborted.IsCancellationRequested)
                {
                    var flushed = await context.Response.BodyWriter.WriteAsync(chunk, context.RequestAborted);
                    if (flushed.IsCompleted || flushed.IsCanceled)
                    {
                        break;
                    }

                    if (Interlocked.Add(ref sent, chunk.Length) % (256 * 1024) == 0)
                    {
                        await Task.Delay(1, context.RequestAborted);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The client hung up: what this test wants.
            }
        });

        await Assert.ThrowsAsync<OciFormatException>(() => _client.GetManifestAsync(Repo, "endless"));

        Assert.InRange(Interlocked.Read(ref sent), 0, 32L * 1024 * 1024);
    }

    [Fact]
    public async Task GetManifestAsync_ContentLengthDisagreesWithBody_Throws()
    {
        var manifest = SampleManifest(25);
        _registry.On("GET", ManifestPath("short"), async (context, _) =>
        {
            context.Response.ContentType = MediaTypes.OciManifest;
            context.Response.ContentLength = manifest.Raw.Length + 100;
            await context.Response.Body.WriteAsync(manifest.Raw);
            await context.Response.Body.FlushAsync();
            context.Abort();
        });
        using var client = new RegistryClient(FastRetries with { MaxAttempts = 2 });

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(Repo, "short"));

        Assert.Contains("2 attempts", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, _registry.Count("GET", ManifestPath("short")));
    }

    [Fact]
    public async Task PutManifestAsync_RegistryReportsOtherDigest_ThrowsDigestMismatch()
    {
        var manifest = SampleManifest(26);
        var other = SampleManifest(27).Digest;
        _registry.On("PUT", ManifestPath("v1"), (context, _) =>
        {
            context.Response.StatusCode = 201;
            context.Response.Headers["Docker-Content-Digest"] = other.ToString();
            return Task.CompletedTask;
        });

        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => _client.PutManifestAsync(Repo, "v1", manifest));

        Assert.Equal(manifest.Digest, e.Expected);
        Assert.Equal(other, e.Actual);
    }

    [Fact]
    public async Task PutManifestAsync_RegistryProcessesSubject_ReturnsTrue()
    {
        _registry.On("PUT", ManifestPath("v1"), (context, _) =>
        {
            context.Response.StatusCode = 201;
            context.Response.Headers["OCI-Subject"] = SampleManifest(28).Digest.ToString();
            return Task.CompletedTask;
        });

        Assert.True(await _client.PutManifestAsync(Repo, "v1", SampleManifest(29)));
    }

    // ---- retries and errors ----

    [Fact]
    public async Task GetManifestAsync_429WithRetryAfter_WaitsAndRetries()
    {
        var manifest = SampleManifest(30);
        var answer = ManifestAnswer(manifest.Raw);
        _registry.On("GET", ManifestPath("v1"), (context, attempt) =>
        {
            if (attempt == 1)
            {
                context.Response.Headers.RetryAfter = "1";
                return FaultRegistry.WriteErrorAsync(context, 429, "TOOMANYREQUESTS", "slow down");
            }

            return answer(context, attempt);
        });
        var clock = Stopwatch.StartNew();

        var fetched = await _client.GetManifestAsync(Repo, "v1");

        Assert.Equal(manifest.Digest, fetched.Digest);
        Assert.Equal(2, _registry.Count("GET", ManifestPath("v1")));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.Elapsed}, before Retry-After");
    }

    [Fact]
    public async Task GetBlobAsync_503ThreeTimes_SucceedsOnFourthAttempt()
    {
        var blob = TestContent.Layer(1000, seed: 31);
        var answer = FaultAnswers.Bytes(blob.Content);
        _registry.On("GET", BlobPath(blob.Descriptor), (context, attempt) =>
            attempt <= 3 ? FaultRegistry.WriteErrorAsync(context, 503, "UNAVAILABLE", "busy") : answer(context, attempt));

        await using var stream = await _client.GetBlobAsync(Repo, blob.Descriptor);

        Assert.Equal(blob.Content, await TestBytes.ReadAllAsync(stream));
        Assert.Equal(4, _registry.Count("GET", BlobPath(blob.Descriptor)));
    }

    [Fact]
    public async Task GetManifestAsync_500Forever_ThrowsWithMethodUrlStatusAndErrors()
    {
        _registry.On("GET", ManifestPath("v1"), (context, _) => FaultRegistry.WriteErrorAsync(context, 500, "INTERNAL", "storage backend down"));

        var e = await Assert.ThrowsAsync<RegistryException>(() => _client.GetManifestAsync(Repo, "v1"));

        Assert.Equal(FastRetries.MaxAttempts, _registry.Count("GET", ManifestPath("v1")));
        Assert.Equal(HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Equal("GET", e.Method);
        Assert.Equal(new Uri(_registry.BaseUri, ManifestPath("v1")), e.Url);
        var error = Assert.Single(e.Errors);
        Assert.Equal(("INTERNAL", "storage backend down"), (error.Code, error.Message));
        Assert.Contains($"GET {_registry.BaseUri}v2/fault/app/manifests/v1", e.Message, StringComparison.Ordinal);
        Assert.Contains("500", e.Message, StringComparison.Ordinal);
        Assert.Contains("INTERNAL: storage backend down", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetManifestAsync_404_DoesNotRetry()
    {
        await Assert.ThrowsAsync<ManifestNotFoundException>(() => _client.GetManifestAsync(Repo, "v1"));

        Assert.Equal(1, _registry.Count("GET", ManifestPath("v1")));
    }

    [Fact]
    public async Task GetManifestAsync_ServerHangs_TimesOutAfterMaxAttempts()
    {
        _registry.On("GET", ManifestPath("v1"), (context, _) => FaultRegistry.HangAsync(context));
        using var client = new RegistryClient(FastRetries with { RequestTimeout = TimeSpan.FromMilliseconds(300), MaxAttempts = 3 });

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(Repo, "v1")).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("timed out after 0.3 s (3 attempts)", e.Message, StringComparison.Ordinal);
        Assert.Contains("/v2/fault/app/manifests/v1", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, _registry.Count("GET", ManifestPath("v1")));
    }

    [Fact]
    public async Task GetManifestAsync_CallerCancels_ThrowsOperationCanceledWithoutRetry()
    {
        _registry.On("GET", ManifestPath("v1"), (context, _) => FaultRegistry.HangAsync(context));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.GetManifestAsync(Repo, "v1", cancel.Token));

        Assert.Equal(1, _registry.Count("GET", ManifestPath("v1")));
    }

    // ---- tags ----

    private void ServeTagPages(string? nextHostOverride = null)
    {
        var all = Enumerable.Range(0, 25).Select(i => $"t{i:D2}").ToList();
        _registry.On("GET", "/v2/fault/app/tags/list", (context, _) =>
        {
            var n = int.Parse(context.Request.Query["n"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
            var last = context.Request.Query["last"].ToString();
            var page = all.Where(t => string.CompareOrdinal(t, last) > 0).Take(n).ToList();
            if (page.Count > 0 && page[^1] != all[^1])
            {
                var host = nextHostOverride ?? string.Empty;
                context.Response.Headers.Link = $"<{host}/v2/fault/app/tags/list?n={n}&last={page[^1]}>; rel=\"next\"";
            }

            var body = $$"""{"name":"fault/app","tags":[{{string.Join(',', page.Select(t => $"\"{t}\""))}}]}""";
            return FaultRegistry.WriteAsync(context, 200, Encoding.UTF8.GetBytes(body), "application/json");
        });
    }

    [Fact]
    public async Task ListTagsAsync_25TagsPageSize10_FollowsLinkToAllInOrder()
    {
        ServeTagPages();

        var tags = await _client.ListTagsAsync(Repo, pageSize: 10).ToListAsync();

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"t{i:D2}"), tags);
        Assert.Equal(["?n=10", "?n=10&last=t09", "?n=10&last=t19"], _registry.Requests.Where(r => r.Path.EndsWith("/tags/list", StringComparison.Ordinal)).Select(r => r.Query));
    }

    [Fact]
    public async Task ListTagsAsync_LinkToAnotherHost_Refused()
    {
        ServeTagPages("http://elsewhere.example:5000");

        var e = await Assert.ThrowsAsync<RegistryException>(async () => await _client.ListTagsAsync(Repo, pageSize: 10).ToListAsync());

        Assert.Contains("elsewhere.example", e.Message, StringComparison.Ordinal);
        Assert.Single(_registry.Requests, r => r.Path.EndsWith("/tags/list", StringComparison.Ordinal));
    }

    // ---- referrers API ----

    private static readonly Digest Subject = SampleManifest(40).Digest;

    private static readonly Descriptor Sbom = SampleManifest(41).ToDescriptor() with { ArtifactType = "application/vnd.example.sbom" };

    private static readonly Descriptor Signature = SampleManifest(42).ToDescriptor() with { ArtifactType = "application/vnd.example.sig" };

    private void ServeReferrers(bool filtersApplied)
    {
        _registry.On("GET", $"/v2/fault/app/referrers/{Subject}", (context, _) =>
        {
            var wanted = context.Request.Query["artifactType"].ToString();
            var entries = new[] { Sbom, Signature }.Where(d => !filtersApplied || wanted.Length == 0 || d.ArtifactType == wanted);
            if (filtersApplied && wanted.Length > 0)
            {
                context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
            }

            return FaultRegistry.WriteAsync(context, 200, OciLayout.WriteIndex(entries), MediaTypes.OciIndex);
        });
    }

    [Fact]
    public async Task ListReferrersAsync_ApiExists_ReturnsIndexWithoutTagFallback()
    {
        ServeReferrers(filtersApplied: false);

        var all = await _client.ListReferrersAsync(Repo, Subject).ToListAsync();

        Assert.Equal([Sbom.Digest, Signature.Digest], all.Select(d => d.Digest));
        Assert.Equal("application/vnd.example.sbom", all[0].ArtifactType);
        Assert.DoesNotContain(_registry.Requests, r => r.Path.Contains("/manifests/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListReferrersAsync_ApiAppliedFilter_SendsArtifactTypeAndReturnsMatches()
    {
        ServeReferrers(filtersApplied: true);

        var signatures = await _client.ListReferrersAsync(Repo, Subject, "application/vnd.example.sig").ToListAsync();

        Assert.Equal(Signature.Digest, Assert.Single(signatures).Digest);
        Assert.Equal("?artifactType=application%2Fvnd.example.sig", Assert.Single(_registry.Requests, r => r.Path.Contains("/referrers/", StringComparison.Ordinal)).Query);
    }

    [Fact]
    public async Task ListReferrersAsync_ApiIgnoredFilter_FiltersOnClient()
    {
        ServeReferrers(filtersApplied: false);

        var signatures = await _client.ListReferrersAsync(Repo, Subject, "application/vnd.example.sig").ToListAsync();

        Assert.Equal(Signature.Digest, Assert.Single(signatures).Digest);
    }

    [Fact]
    public async Task ListReferrersAsync_ApiClaimsFilterButSendsOthers_StillFiltered()
    {
        _registry.On("GET", $"/v2/fault/app/referrers/{Subject}", (context, _) =>
        {
            context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
            return FaultRegistry.WriteAsync(context, 200, OciLayout.WriteIndex([Sbom, Signature]), MediaTypes.OciIndex);
        });

        var signatures = await _client.ListReferrersAsync(Repo, Subject, "application/vnd.example.sig").ToListAsync();

        Assert.Equal(Signature.Digest, Assert.Single(signatures).Digest);
    }

    // ---- endpoint resolution ----

    [Fact]
    public async Task PingAsync_LoopbackPlainHttp_ProbesHttpOnceAndNeverTls()
    {
        await _client.PingAsync(_registry.Host);
        await _client.PingAsync(_registry.Host);

        Assert.Equal(0, _registry.TlsHandshakes);
        Assert.Equal(3, _registry.Count("GET", "/v2/")); // one plain-HTTP probe, then the two pings
    }

    [Fact]
    public async Task PingAsync_FirstCallCancelled_LaterCallSucceeds()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.PingAsync(_registry.Host, cancelled.Token));
        await _client.PingAsync(_registry.Host);

        Assert.Equal(2, _registry.Count("GET", "/v2/")); // the endpoint probe, then the ping
    }
}
