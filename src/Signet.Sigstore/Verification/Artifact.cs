using System.Buffers;
using System.Security.Cryptography;

namespace Signet.Sigstore.Verification;

/// <summary>
/// What a bundle is checked against: the artifact's bytes, or only its digest (the conformance protocol's
/// <c>sha256:HEX</c>), or nothing when the caller checks an in-toto statement's subjects itself (images).
/// </summary>
public sealed class Artifact
{
    /// <summary>
    /// Largest artifact whose bytes a stream keeps (128 MiB, the bound <c>sign-blob</c> puts on Ed25519, whose
    /// signatures cover the whole message). Larger artifacts are hashed as they stream and only their digest is kept.
    /// </summary>
    public const long DefaultMaxBufferedBytes = 128L * 1024 * 1024;

    private const int ReadBufferSize = 1024 * 1024;

    private Artifact(ReadOnlyMemory<byte>? bytes, ReadOnlyMemory<byte> sha256, long? length)
    {
        Bytes = bytes;
        Sha256 = sha256;
        Length = length;
    }

    /// <summary>The artifact's bytes when they are known (needed for Ed25519 message signatures); null for a digest.</summary>
    public ReadOnlyMemory<byte>? Bytes { get; }

    /// <summary>The artifact's SHA-256 digest.</summary>
    public ReadOnlyMemory<byte> Sha256 { get; }

    /// <summary>The artifact's length in bytes; null when only its digest was given.</summary>
    public long? Length { get; }

    public static Artifact FromBytes(ReadOnlyMemory<byte> bytes) => new(bytes, SHA256.HashData(bytes.Span), bytes.Length);

    /// <summary>Hashes a stream without holding it; the bytes are kept only when the stream is small.</summary>
    public static Task<Artifact> FromStreamAsync(Stream stream, CancellationToken cancellationToken) =>
        FromStreamAsync(stream, DefaultMaxBufferedBytes, cancellationToken);

    /// <summary>
    /// Hashes a stream to its end in one pass; the bytes are kept when the stream holds at most
    /// <paramref name="maxBufferedBytes"/> (0 keeps none).
    /// </summary>
    public static async Task<Artifact> FromStreamAsync(Stream stream, long maxBufferedBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBufferedBytes);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var kept = maxBufferedBytes > 0 && !(stream.CanSeek && stream.Length - stream.Position > maxBufferedBytes)
            ? new MemoryStream(stream.CanSeek ? (int)(stream.Length - stream.Position) : 0)
            : null;
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            long length = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, ReadBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
                hash.AppendData(buffer, 0, read);
                if (kept is not null && length > maxBufferedBytes)
                {
                    await kept.DisposeAsync().ConfigureAwait(false);
                    kept = null;
                }

                kept?.Write(buffer, 0, read);
            }

            ReadOnlyMemory<byte>? bytes = null;
            if (kept is not null)
            {
                bytes = kept.GetBuffer().AsMemory(0, (int)kept.Length);
            }

            return new Artifact(bytes, hash.GetHashAndReset(), length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A SHA-256 digest given as 32 bytes.</summary>
    public static Artifact FromSha256(ReadOnlyMemory<byte> digest)
    {
        if (digest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"a SHA-256 digest has {SHA256.HashSizeInBytes} bytes; this one has {digest.Length}", nameof(digest));
        }

        return new Artifact(null, digest.ToArray(), null);
    }

    /// <summary>
    /// Reads the conformance protocol's <c>sha256:HEX</c> (64 hex digits); false for anything else.
    /// </summary>
    public static bool TryParseSha256Digest(string text, out Artifact? artifact)
    {
        artifact = null;
        const string Prefix = "sha256:";
        if (text is null || text.Length != Prefix.Length + 64 || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var hex = text.AsSpan(Prefix.Length);
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        artifact = FromSha256(Convert.FromHexString(hex));
        return true;
    }
}
