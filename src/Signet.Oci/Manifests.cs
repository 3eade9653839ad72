using System.Collections.Immutable;

namespace Signet.Oci;

/// <summary>
/// A manifest or index exactly as stored: <see cref="Raw"/> holds the bytes that were hashed, and
/// <see cref="Digest"/> is computed from them, never taken from a registry's headers.
/// </summary>
public abstract record ManifestDocument
{
    /// <summary>The exact bytes of the document.</summary>
    public required ReadOnlyMemory<byte> Raw { get; init; }

    /// <summary>The digest of <see cref="Raw"/>.</summary>
    public required Digest Digest { get; init; }

    /// <summary>The media type: the document's own <c>mediaType</c> field, else the transport's content type, else inferred.</summary>
    public required string MediaType { get; init; }

    /// <summary>The <c>mediaType</c> field as written in the document, or null when absent (umoci omits it).</summary>
    public string? DeclaredMediaType { get; init; }

    public required int SchemaVersion { get; init; }

    public string? ArtifactType { get; init; }

    public Descriptor? Subject { get; init; }

    public ImmutableSortedDictionary<string, string> Annotations { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>A descriptor that points at this document.</summary>
    public Descriptor ToDescriptor() => new()
    {
        MediaType = MediaType,
        Digest = Digest,
        Size = Raw.Length,
        ArtifactType = ArtifactType,
    };
}

/// <summary>An OCI image manifest (manifest.md) or a Docker image manifest v2 schema 2.</summary>
public sealed record ImageManifest : ManifestDocument
{
    public required Descriptor Config { get; init; }

    public required ImmutableArray<Descriptor> Layers { get; init; }

    /// <summary>True for the Docker v2 schema 2 format.</summary>
    public bool IsDocker => MediaType == MediaTypes.DockerManifest;
}

/// <summary>An OCI image index (image-index.md) or a Docker manifest list.</summary>
public sealed record ImageIndex : ManifestDocument
{
    public required ImmutableArray<Descriptor> Manifests { get; init; }
}
