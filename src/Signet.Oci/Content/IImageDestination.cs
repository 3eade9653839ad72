namespace Signet.Oci.Content;

/// <summary>
/// Writes one image to a transport: blobs first, then child manifests, then the root through <see cref="CommitAsync"/>.
/// Every write is verified against its descriptor before it becomes visible.
/// </summary>
public interface IImageDestination : IAsyncDisposable
{
    /// <summary>The transport-qualified name, for messages.</summary>
    string Name { get; }

    /// <summary>What this destination can store.</summary>
    DestinationCapabilities Capabilities { get; }

    /// <summary>True when the destination already holds the blob (it is then not sent again).</summary>
    Task<bool> HasBlobAsync(Descriptor descriptor, CancellationToken cancellationToken = default);

    /// <summary>Stores a blob read from <paramref name="content"/>, which this call reads to its end and does not dispose.</summary>
    Task PutBlobAsync(Descriptor descriptor, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Stores a manifest that is not the root: a platform manifest of an index, or a referrer.</summary>
    Task PutManifestAsync(ManifestDocument manifest, CancellationToken cancellationToken = default);

    /// <summary>Stores the root manifest under the destination's tag (if any) and makes the image visible.</summary>
    Task CommitAsync(ManifestDocument root, CancellationToken cancellationToken = default);
}

/// <summary>Limits of a destination transport.</summary>
/// <param name="Indexes">It can store an index (docker-archive cannot: one platform only).</param>
/// <param name="Referrers">It can store manifests with a subject and find them again.</param>
public sealed record DestinationCapabilities(bool Indexes, bool Referrers);
