using Signet.Oci.Content;

namespace Signet.Oci.Layout;

/// <summary>
/// Writes an image into an OCI image layout directory (<see cref="OciLayoutWriter"/> verifies every blob before it
/// becomes visible). index.json keeps its other entries; the root is stored under
/// <c>org.opencontainers.image.ref.name</c> = tag, and manifests with a subject (referrers) get their own untagged
/// entry so they can be found again.
/// </summary>
public sealed class OciLayoutDestination : IImageDestination
{
    private readonly OciLayoutWriter _writer;
    private readonly string? _tag;
    private readonly List<Descriptor> _referrers = [];

    public OciLayoutDestination(string directory, string? tag, string name)
    {
        _writer = new OciLayoutWriter(directory, name);
        _tag = tag;
        Name = name;
    }

    public string Name { get; }

    public DestinationCapabilities Capabilities { get; } = new(Indexes: true, Referrers: true);

    public Task<bool> HasBlobAsync(Descriptor descriptor, CancellationToken cancellationToken = default) =>
        Task.FromResult(_writer.HasBlob(descriptor));

    public Task PutBlobAsync(Descriptor descriptor, Stream content, CancellationToken cancellationToken = default) =>
        _writer.WriteBlobAsync(descriptor, content, cancellationToken);

    public async Task PutManifestAsync(ManifestDocument manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await _writer.WriteManifestBlobAsync(manifest, cancellationToken).ConfigureAwait(false);
        if (manifest.Subject is not null)
        {
            _referrers.Add(ReferrerDescriptor.For(manifest));
        }
    }

    public async Task CommitAsync(ManifestDocument root, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        await _writer.WriteManifestBlobAsync(root, cancellationToken).ConfigureAwait(false);
        await _writer.UpdateIndexAsync(
            existing =>
            {
                var kept = existing.Where(entry =>
                {
                    var sameTag = _tag is not null && entry.Annotations.TryGetValue(Annotations.RefName, out var name) && name == _tag;
                    var sameUntagged = !entry.Annotations.ContainsKey(Annotations.RefName) && (entry.Digest == root.Digest || _referrers.Any(r => r.Digest == entry.Digest));
                    return !sameTag && !sameUntagged;
                });
                var rootEntry = root.ToDescriptor();
                if (_tag is not null)
                {
                    rootEntry = rootEntry with { Annotations = rootEntry.Annotations.SetItem(Annotations.RefName, _tag) };
                }

                return [.. kept, rootEntry, .. _referrers];
            },
            cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _writer.Dispose();
        return ValueTask.CompletedTask;
    }
}
