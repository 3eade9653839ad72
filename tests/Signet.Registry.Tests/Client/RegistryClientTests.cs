using System.Collections.Immutable;
using Signet.Oci;
using Signet.Testing;
using Signet.Testing.Registry;

namespace Signet.Registry.Tests.Client;

/// <summary>The registry client against a real Distribution registry without authentication.</summary>
public sealed class RegistryClientTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private readonly RegistryClient _client = new(new RegistryClientOptions());

    private RegistryProcess Registry => fixture.Registry;

    public void Dispose() => _client.Dispose();

    private Reference Repo(string repository) => TestContent.Repo(Registry.Host, repository);

    private static async Task<ManifestDocument> PushImageAsync(RegistryClient client, Reference repo, params TestBlob[] layers)
    {
        foreach (var blob in layers.Append(TestContent.EmptyConfig))
        {
            await client.PushBlobAsync(repo, blob.Descriptor, blob.Open());
        }

        return TestContent.Manifest(TestContent.EmptyConfig, layers);
    }

    [Fact]
    public async Task PingAsync_AnonymousRegistry_Succeeds()
    {
        await _client.PingAsync(Registry.Host);

        Assert.True(_client.IsInsecureAllowed(Registry.Host));
    }

    [Fact]
    public async Task PushBlobAsync_Monolithic_StoresExactBytes()
    {
        var repo = Repo("client/mono");
        var blob = TestContent.Layer(200_000, seed: 1);

        await _client.PushBlobAsync(repo, blob.Descriptor, blob.Open());

        Assert.Equal(blob.Content, await File.ReadAllBytesAsync(Registry.BlobDataPath(blob.Descriptor.Digest.ToString())));
        Assert.True(await _client.BlobExistsAsync(repo, blob.Descriptor));
        await using var stream = await _client.GetBlobAsync(repo, blob.Descriptor);
        Assert.Equal(blob.Content, await TestBytes.ReadAllAsync(stream));
    }

    [Fact]
    public async Task PushBlobAsync_ChunkedOneMebibyteIn64KiB_StoresExactBytes()
    {
        using var chunked = new RegistryClient(new RegistryClientOptions { ChunkSize = 64 * 1024 });
        var repo = Repo("client/chunked");
        var blob = TestContent.Layer((1024 * 1024) + 123, seed: 2);

        await chunked.PushBlobAsync(repo, blob.Descriptor, blob.Open());

        Assert.Equal(blob.Content, await File.ReadAllBytesAsync(Registry.BlobDataPath(blob.Descriptor.Digest.ToString())));
        await using var stream = await chunked.GetBlobAsync(repo, blob.Descriptor);
        Assert.Equal(blob.Content, await TestBytes.ReadAllAsync(stream));
    }

    [Fact]
    public async Task PushBlobAsync_ContentNotMatchingDescriptor_ThrowsDigestMismatch()
    {
        var repo = Repo("client/badpush");
        var blob = TestContent.Layer(10_000, seed: 3);
        var other = blob.Content.ToArray();
        other[5] ^= 1;

        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => _client.PushBlobAsync(repo, blob.Descriptor, new MemoryStream(other)));

        Assert.Equal(blob.Descriptor.Digest, e.Expected);
        Assert.False(await _client.BlobExistsAsync(repo, blob.Descriptor));
    }

    [Fact]
    public async Task PushBlobAsync_ChunkedContentLongerThanDescriptor_ThrowsDigestMismatch()
    {
        using var chunked = new RegistryClient(new RegistryClientOptions { ChunkSize = 4096 });
        var repo = Repo("client/longpush");
        var blob = TestContent.Layer(10_000, seed: 4);

        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => chunked.PushBlobAsync(repo, blob.Descriptor, new MemoryStream([.. blob.Content, 1, 2, 3])));

        Assert.Equal(blob.Descriptor.Digest, e.Expected);
    }

    [Fact]
    public async Task GetManifestAsync_ByTagAndDigest_ReturnsExactBytes()
    {
        var repo = Repo("client/manifest");
        var manifest = await PushImageAsync(_client, repo, TestContent.Layer(1000, seed: 5));

        await _client.PutManifestAsync(repo, "v1", manifest);
        var byTag = await _client.GetManifestAsync(repo, "v1");
        var byDigest = await _client.GetManifestAsync(repo, manifest.Digest.ToString());
        var byDescriptor = await _client.GetManifestAsync(repo, manifest.ToDescriptor());

        Assert.Equal(manifest.Raw.ToArray(), byTag.Raw.ToArray());
        Assert.Equal(Digest.Compute(manifest.Raw.Span), byTag.Digest);
        Assert.Equal(manifest.Digest, byDigest.Digest);
        Assert.Equal(manifest.Raw.ToArray(), byDescriptor.Raw.ToArray());
        var image = Assert.IsType<ImageManifest>(byTag);
        Assert.Equal(TestContent.EmptyConfig.Descriptor.Digest, image.Config.Digest);
    }

    [Fact]
    public async Task GetManifestAsync_DescriptorWithWrongSize_ThrowsDigestMismatch()
    {
        var repo = Repo("client/manifest-size");
        var manifest = await PushImageAsync(_client, repo, TestContent.Layer(100, seed: 6));
        await _client.PutManifestAsync(repo, "v1", manifest);

        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => _client.GetManifestAsync(repo, manifest.ToDescriptor() with { Size = manifest.Raw.Length + 1 }));

        Assert.Equal(manifest.Raw.Length, e.ActualSize);
    }

    [Fact]
    public async Task HeadManifestAsync_PushedAndMissing_DescribesOrNull()
    {
        var repo = Repo("client/head");
        var manifest = await PushImageAsync(_client, repo, TestContent.Layer(100, seed: 7));
        await _client.PutManifestAsync(repo, "v1", manifest);

        var head = await _client.HeadManifestAsync(repo, "v1");
        var missing = await _client.HeadManifestAsync(repo, "nope");

        Assert.NotNull(head);
        Assert.Equal(manifest.Digest, head.Digest);
        Assert.Equal(manifest.Raw.Length, head.Size);
        Assert.Equal(MediaTypes.OciManifest, head.MediaType);
        Assert.Null(missing);
    }

    [Fact]
    public async Task BlobExistsAsync_MissingBlob_ReturnsFalse()
    {
        var repo = Repo("client/exists");
        var present = TestContent.Layer(100, seed: 8);
        await _client.PushBlobAsync(repo, present.Descriptor, present.Open());

        Assert.True(await _client.BlobExistsAsync(repo, present.Descriptor));
        Assert.False(await _client.BlobExistsAsync(repo, TestContent.Layer(100, seed: 9).Descriptor));
        Assert.False(await _client.BlobExistsAsync(repo, present.Descriptor with { Size = 101 }));
    }

    [Fact]
    public async Task MountBlobAsync_BlobInOtherRepository_MountsIt()
    {
        var source = Repo("client/mount-source");
        var target = Repo("client/mount-target");
        var blob = TestContent.Layer(5000, seed: 10);
        await _client.PushBlobAsync(source, blob.Descriptor, blob.Open());
        Assert.False(await _client.BlobExistsAsync(target, blob.Descriptor));

        var mounted = await _client.MountBlobAsync(target, blob.Descriptor, source.Repository);

        Assert.True(mounted);
        Assert.True(await _client.BlobExistsAsync(target, blob.Descriptor));
        await using var stream = await _client.GetBlobAsync(target, blob.Descriptor);
        Assert.Equal(blob.Content, await TestBytes.ReadAllAsync(stream));
    }

    [Fact]
    public async Task MountBlobAsync_BlobNowhere_ReturnsFalse()
    {
        var blob = TestContent.Layer(5000, seed: 11);

        var mounted = await _client.MountBlobAsync(Repo("client/mount-none"), blob.Descriptor, "client/nothing-here");

        Assert.False(mounted);
    }

    [Fact]
    public async Task ListTagsAsync_25TagsPageSize10_ReturnsEveryTagOnce()
    {
        // Distribution 2.8.2 ignores n= and sends one unsorted page without a Link header; pagination itself is
        // exercised against the fault registry (RegistryClientFaultTests.ListTagsAsync_*).
        var repo = Repo("client/tags");
        var manifest = await PushImageAsync(_client, repo, TestContent.Layer(100, seed: 12));
        var expected = Enumerable.Range(0, 25).Select(i => $"t{i:D2}").ToList();
        foreach (var tag in expected)
        {
            await _client.PutManifestAsync(repo, tag, manifest);
        }

        var tags = await _client.ListTagsAsync(repo, pageSize: 10).ToListAsync();

        Assert.Equal(expected, tags.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListTagsAsync_UnknownRepository_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<ManifestNotFoundException>(async () => await _client.ListTagsAsync(Repo("client/never-pushed")).ToListAsync());
    }

    [Fact]
    public async Task DeleteManifestAsync_ByDigest_RemovesIt()
    {
        var repo = Repo("client/delete");
        var manifest = await PushImageAsync(_client, repo, TestContent.Layer(100, seed: 13));
        await _client.PutManifestAsync(repo, "v1", manifest);

        await _client.DeleteManifestAsync(repo, manifest.Digest.ToString());

        Assert.Null(await _client.HeadManifestAsync(repo, manifest.Digest.ToString()));
        await Assert.ThrowsAsync<ManifestNotFoundException>(() => _client.GetManifestAsync(repo, "v1"));
    }

    [Fact]
    public async Task GetManifestAsync_UnknownTag_ThrowsManifestNotFoundNamingIt()
    {
        var e = await Assert.ThrowsAsync<ManifestNotFoundException>(() => _client.GetManifestAsync(Repo("client/missing"), "v9"));

        Assert.Contains("client/missing:v9", e.Message, StringComparison.Ordinal);
        Assert.Contains("404", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetBlobAsync_UnknownBlob_ThrowsBlobNotFound()
    {
        var repo = Repo("client/noblob");
        await _client.PushBlobAsync(repo, TestContent.EmptyConfig.Descriptor, TestContent.EmptyConfig.Open());

        await Assert.ThrowsAsync<Oci.Content.BlobNotFoundException>(() => _client.GetBlobAsync(repo, TestContent.Layer(10, seed: 14).Descriptor));
    }

    [Fact]
    public async Task GetBlobAsync_ByteFlippedInStorage_StreamThrowsDigestMismatchNamingDigest()
    {
        var repo = Repo("client/tamper");
        var blob = TestContent.Layer(70_000, seed: 15);
        await _client.PushBlobAsync(repo, blob.Descriptor, blob.Open());
        var path = Registry.BlobDataPath(blob.Descriptor.Digest.ToString());
        var stored = await File.ReadAllBytesAsync(path);
        stored[stored.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, stored);

        await using var stream = await _client.GetBlobAsync(repo, blob.Descriptor);
        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => TestBytes.ReadAllAsync(stream));

        Assert.Equal(blob.Descriptor.Digest, e.Expected);
        Assert.Equal(Digest.Compute(stored), e.Actual);
        Assert.Contains(blob.Descriptor.Digest.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains("client/tamper", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListReferrersAsync_NoReferrersApi_FindsArtifactThroughFallbackTag()
    {
        var repo = Repo("client/referrers");
        var subject = await PushImageAsync(_client, repo, TestContent.Layer(100, seed: 16));
        await _client.PutManifestAsync(repo, "v1", subject);
        var sbom = await PushArtifactAsync(repo, subject, "application/vnd.example.sbom", "sbom");

        var referrers = await _client.ListReferrersAsync(repo, subject.Digest).ToListAsync();

        var found = Assert.Single(referrers);
        Assert.Equal(sbom.Digest, found.Digest);
        Assert.Equal(sbom.Raw.Length, found.Size);
        Assert.Equal(MediaTypes.OciManifest, found.MediaType);
        Assert.Equal("application/vnd.example.sbom", found.ArtifactType);
        Assert.Equal("sbom", found.Annotations["org.example.kind"]);
        var index = Assert.IsType<ImageIndex>(await _client.GetManifestAsync(repo, RegistryClient.ReferrersTag(subject.Digest)));
        Assert.Equal($"sha256-{subject.Digest.Encoded}", RegistryClient.ReferrersTag(subject.Digest));
        Assert.Equal(sbom.Digest, Assert.Single(index.Manifests).Digest);
    }

    [Fact]
    public async Task AddFallbackReferrerAsync_SecondReferrerAndRepeat_KeepsBothOnce()
    {
        var repo = Repo("client/referrers2");
        var subject = await PushImageAsync(_client, repo, TestContent.Layer(100, seed: 17));
        await _client.PutManifestAsync(repo, "v1", subject);
        var sbom = await PushArtifactAsync(repo, subject, "application/vnd.example.sbom", "sbom");
        var signature = await PushArtifactAsync(repo, subject, "application/vnd.example.sig", "sig");

        await _client.AddFallbackReferrerAsync(repo, subject.Digest, Oci.Content.ReferrerDescriptor.For(sbom));
        var all = await _client.ListReferrersAsync(repo, subject.Digest).ToListAsync();
        var signatures = await _client.ListReferrersAsync(repo, subject.Digest, "application/vnd.example.sig").ToListAsync();
        var none = await _client.ListReferrersAsync(repo, subject.Digest, "application/vnd.example.other").ToListAsync();

        Assert.Equal([sbom.Digest, signature.Digest], all.Select(d => d.Digest));
        Assert.Equal(signature.Digest, Assert.Single(signatures).Digest);
        Assert.Empty(none);
    }

    [Fact]
    public async Task ListReferrersAsync_SubjectWithoutReferrers_ReturnsEmpty()
    {
        var repo = Repo("client/referrers3");
        var subject = await PushImageAsync(_client, repo, TestContent.Layer(100, seed: 18));
        await _client.PutManifestAsync(repo, "v1", subject);

        Assert.Empty(await _client.ListReferrersAsync(repo, subject.Digest).ToListAsync());
    }

    [Fact]
    public async Task RegistryImageDestination_ArtifactWithSubject_IsListedBySource()
    {
        var repo = Repo("client/transport");
        var subject = await PushImageAsync(_client, repo, TestContent.Layer(100, seed: 19));
        await _client.PutManifestAsync(repo, "v1", subject);
        var artifact = TestContent.Manifest(
            TestContent.EmptyConfig, [], "application/vnd.example.attestation", subject.ToDescriptor(), ImmutableSortedDictionary<string, string>.Empty.Add("k", "v"));
        await using var destination = new RegistryImageDestination(_client, repo);
        await using var source = new RegistryImageSource(_client, repo.WithTag("v1"));

        await destination.PutManifestAsync(artifact);
        var root = await source.GetRootManifestAsync();
        var referrers = await source.GetReferrersAsync(subject.Digest).ToListAsync();

        Assert.Equal(subject.Digest, root.Digest);
        var found = Assert.Single(referrers);
        Assert.Equal(artifact.Digest, found.Digest);
        Assert.Equal("application/vnd.example.attestation", found.ArtifactType);
        Assert.Equal("v", found.Annotations["k"]);
    }

    private async Task<ManifestDocument> PushArtifactAsync(Reference repo, ManifestDocument subject, string artifactType, string kind)
    {
        var payload = TestContent.Blob("application/vnd.example.payload", System.Text.Encoding.UTF8.GetBytes($"{kind} of {subject.Digest}"));
        await _client.PushBlobAsync(repo, payload.Descriptor, payload.Open());
        var artifact = TestContent.Manifest(
            TestContent.EmptyConfig,
            [payload],
            artifactType,
            subject.ToDescriptor(),
            ImmutableSortedDictionary<string, string>.Empty.Add("org.example.kind", kind));
        var processed = await _client.PutManifestAsync(repo, artifact.Digest.ToString(), artifact);
        Assert.False(processed);
        await _client.AddFallbackReferrerAsync(repo, subject.Digest, Oci.Content.ReferrerDescriptor.For(artifact));
        return artifact;
    }
}
