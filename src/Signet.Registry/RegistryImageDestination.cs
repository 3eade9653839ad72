using Signet.Oci;
using Signet.Oci.Content;

namespace Signet.Registry;

/// <summary>
/// Writes an image to a registry. Manifests with a subject are also added to the referrers tag index when the
/// registry does not process subjects itself (no OCI-Subject header), so they can be found on any registry.
/// </summary>
public sealed class RegistryImageDestination : IImageDestination
{
    private readonly RegistryClient _client;
    private readonly Reference _reference;
    private readonly bool _ownsClient;

    public RegistryImageDestination(RegistryClient client, Reference reference, bool ownsClient = false)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _reference = reference;
        _ownsClient = ownsClient;
    }

    public string Name => $"docker://{_reference}";

    public DestinationCapabilities Capabilities { get; } = new(Indexes: true, Referrers: true);

    /// <summary>Repositories on the same registry that may hold blobs to mount instead of uploading (the source's, in a copy).</summary>
    public string? MountFrom { get; init; }

    public Task<bool> HasBlobAsync(Descriptor descriptor, CancellationToken cancellationToken = default) =>
        _client.BlobExistsAsync(_reference, descriptor, cancellationToken);

    public async Task PutBlobAsync(Descriptor descriptor, Stream content, CancellationToken cancellationToken = default)
    {
        await _client.PushBlobAsync(_reference, descriptor, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tries a cross-repository mount of a blob; true when the registry mounted it.</summary>
    public async Task<bool> TryMountAsync(Descriptor descriptor, CancellationToken cancellationToken = default) =>
        MountFrom is not null && MountFrom != _reference.Repository &&
        await _client.MountBlobAsync(_reference, descriptor, MountFrom, cancellationToken).ConfigureAwait(false);

    public async Task PutManifestAsync(ManifestDocument manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var processed = await _client.PutManifestAsync(_reference, manifest.Digest.ToString(), manifest, cancellationToken).ConfigureAwait(false);
        if (manifest.Subject is { } subject && !processed)
        {
            await _client.AddFallbackReferrerAsync(_reference, subject.Digest, ReferrerDescriptor.For(manifest), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task CommitAsync(ManifestDocument root, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        var target = _reference.Tag ?? root.Digest.ToString();
        if (_reference.Digest is { } pinned && pinned != root.Digest)
        {
            throw new DigestMismatchException("manifest", pinned, root.Digest, $"copy to {Name}: the destination names a digest the image does not have");
        }

        var processed = await _client.PutManifestAsync(_reference, target, root, cancellationToken).ConfigureAwait(false);
        if (root.Subject is { } subject && !processed)
        {
            await _client.AddFallbackReferrerAsync(_reference, subject.Digest, ReferrerDescriptor.For(root), cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
