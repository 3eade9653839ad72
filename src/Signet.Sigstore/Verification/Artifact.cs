namespace Signet.Sigstore.Verification;

/// <summary>
/// What a bundle is checked against: the artifact's bytes, or only its digest (the conformance protocol's
/// <c>sha256:HEX</c>), or nothing when the caller checks an in-toto statement's subjects itself (images).
/// </summary>
public sealed class Artifact
{
    private Artifact()
    {
        throw new NotImplementedException();
    }

    /// <summary>The artifact's bytes when they are known (needed for Ed25519 message signatures); null for a digest.</summary>
    public ReadOnlyMemory<byte>? Bytes { get; }

    /// <summary>The artifact's SHA-256 digest.</summary>
    public ReadOnlyMemory<byte> Sha256 { get; }

    public static Artifact FromBytes(ReadOnlyMemory<byte> bytes) => throw new NotImplementedException();

    /// <summary>Hashes a stream without holding it; the bytes are kept only when the stream is small.</summary>
    public static Task<Artifact> FromStreamAsync(Stream stream, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>A SHA-256 digest given as 32 bytes.</summary>
    public static Artifact FromSha256(ReadOnlyMemory<byte> digest) => throw new NotImplementedException();
}
