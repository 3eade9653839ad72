using Signet.Oci;

namespace Signet.Signing.Storage;

/// <summary>
/// Where signatures of an image live and are found: a registry repository (or the one named by
/// <c>--signature-repository</c>) or an OCI layout. Everything read is verified against its digest.
/// </summary>
public interface ISignatureStore
{
    /// <summary>For messages.</summary>
    string Name { get; }

    /// <summary>The repository name cosign puts in <c>critical.identity.docker-reference</c>.</summary>
    string DockerReference { get; }

    /// <summary>The manifest under a tag, or null when there is none.</summary>
    Task<ManifestDocument?> TryGetTaggedAsync(string tag, CancellationToken cancellationToken = default);

    /// <summary>A manifest named by a descriptor, verified.</summary>
    Task<ManifestDocument> GetManifestAsync(Descriptor descriptor, CancellationToken cancellationToken = default);

    /// <summary>A blob read whole, verified, at most <paramref name="maxBytes"/>.</summary>
    Task<byte[]> ReadBlobAsync(Descriptor descriptor, int maxBytes, CancellationToken cancellationToken = default);

    Task PutBlobAsync(Descriptor descriptor, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Stores a manifest under a tag, or untagged when <paramref name="tag"/> is null (a referrer is then findable by its subject).</summary>
    Task PutManifestAsync(ManifestDocument manifest, string? tag, CancellationToken cancellationToken = default);

    /// <summary>The referrers of a subject: the manifests themselves are re-read by callers, never trusted from the list.</summary>
    IAsyncEnumerable<Descriptor> ListReferrersAsync(Digest subject, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes what was put durable. Registries and layout directories write as they go, so this does nothing for them;
    /// an archive is rewritten here, whole, and replaced only when the new one is complete.
    /// </summary>
    Task CommitAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
