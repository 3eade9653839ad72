using System.Collections.Immutable;

namespace Signet.Oci;

/// <summary>A content descriptor (OCI image spec, descriptor.md).</summary>
public sealed record Descriptor
{
    public required string MediaType { get; init; }

    public required Digest Digest { get; init; }

    public required long Size { get; init; }

    public ImmutableArray<string> Urls { get; init; } = [];

    public ImmutableSortedDictionary<string, string> Annotations { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public Platform? Platform { get; init; }

    public string? ArtifactType { get; init; }

    /// <summary>Embedded content (<c>data</c>, base64 in JSON); verified against the digest when parsed.</summary>
    public ReadOnlyMemory<byte>? Data { get; init; }

    /// <summary>Creates a descriptor for a byte string.</summary>
    public static Descriptor For(string mediaType, ReadOnlySpan<byte> content) =>
        new() { MediaType = mediaType, Digest = Digest.Compute(content), Size = content.Length };

    public override string ToString() => $"{MediaType} {Digest} ({Size} bytes)";
}
