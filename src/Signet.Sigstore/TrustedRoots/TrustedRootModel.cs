using System.Collections.Immutable;

namespace Signet.Sigstore.TrustedRoots;

/// <summary>A validity window, inclusive at both ends; a missing end means still valid.</summary>
public sealed record ValidityWindow(DateTimeOffset? Start, DateTimeOffset? End)
{
    public bool Contains(DateTimeOffset time) => (Start is null || time >= Start) && (End is null || time <= End);
}

/// <summary>A transparency log (Rekor) or certificate transparency log instance.</summary>
public sealed record TransparencyLogInstance(
    string BaseUrl,
    string HashAlgorithm,
    ReadOnlyMemory<byte> PublicKeyBytes,
    string KeyDetails,
    ValidityWindow ValidFor,
    ReadOnlyMemory<byte> LogKeyId,
    ReadOnlyMemory<byte>? CheckpointKeyId);

/// <summary>A Fulcio certificate authority or an RFC 3161 timestamp authority.</summary>
public sealed record CertificateAuthority(
    ImmutableSortedDictionary<string, string> Subject,
    string Uri,
    ImmutableArray<ReadOnlyMemory<byte>> Certificates,
    ValidityWindow ValidFor);
