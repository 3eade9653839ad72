namespace Signet.Oci.Content;

/// <summary>
/// Reads one image (its root manifest or index and everything it points to) from a transport.
/// Every manifest returned is verified against the digest it was asked by; every blob stream verifies as it is read.
/// </summary>
public interface IImageSource : IAsyncDisposable
{
    /// <summary>The transport-qualified name, for messages (for example <c>oci:/srv/layout:v1</c>).</summary>
    string Name { get; }

    /// <summary>Resolves the reference the source was opened with to its root manifest or index.</summary>
    Task<ManifestDocument> GetRootManifestAsync(CancellationToken cancellationToken = default);

    /// <summary>Fetches a manifest or index named by a descriptor and checks it against the descriptor's digest and size.</summary>
    Task<ManifestDocument> GetManifestAsync(Descriptor descriptor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a blob for streaming. The stream throws <see cref="DigestMismatchException"/> when the content does not
    /// match the descriptor; read it to the end before trusting any of it.
    /// </summary>
    Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken = default);

    /// <summary>The manifests whose <c>subject</c> is <paramref name="subject"/> (OCI 1.1 referrers); empty when there are none.</summary>
    IAsyncEnumerable<Descriptor> GetReferrersAsync(Digest subject, CancellationToken cancellationToken = default);
}
