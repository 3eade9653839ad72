using System.Buffers;
using System.Security.Cryptography;

namespace Signet.Signing.Blobs;

/// <summary>What one pass over a file produced: its length, its digests, and (when asked) its bytes.</summary>
internal sealed class BlobRead
{
    public required long Length { get; init; }

    public required IReadOnlyDictionary<HashAlgorithmName, byte[]> Digests { get; init; }

    /// <summary>The whole content when it was kept and fit within the limit; null otherwise.</summary>
    public byte[]? Content { get; init; }

    /// <summary>True when the content was asked for but was larger than the limit.</summary>
    public bool ContentOverLimit { get; init; }
}

/// <summary>Reads a stream once, hashing it with every algorithm asked for, and keeps the bytes when a caller needs the whole message (Ed25519).</summary>
internal static class BlobReader
{
    private const int BufferSize = 1024 * 1024;

    /// <summary>Reads <paramref name="content"/> to its end, hashing it with each of <paramref name="algorithms"/>.</summary>
    /// <remarks><c>keepContentUpTo</c>: keep the bytes when the content is at most this long; null to keep nothing.</remarks>
    public static async Task<BlobRead> ReadAsync(
        Stream content, IEnumerable<HashAlgorithmName> algorithms, long? keepContentUpTo, CancellationToken cancellationToken)
    {
        var hashers = algorithms.Distinct().ToDictionary(a => a, IncrementalHash.CreateHash);
        MemoryStream? kept = null;
        var overLimit = false;
        if (keepContentUpTo is { } limit)
        {
            if (content.CanSeek && content.Length - content.Position > limit)
            {
                overLimit = true;
            }
            else
            {
                kept = new MemoryStream(content.CanSeek ? (int)Math.Min(content.Length - content.Position, limit) : 0);
            }
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long length = 0;
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
                foreach (var hasher in hashers.Values)
                {
                    hasher.AppendData(buffer, 0, read);
                }

                if (kept is not null)
                {
                    if (length > keepContentUpTo)
                    {
                        overLimit = true;
                        await kept.DisposeAsync().ConfigureAwait(false);
                        kept = null;
                    }
                    else
                    {
                        kept.Write(buffer, 0, read);
                    }
                }
            }

            return new BlobRead
            {
                Length = length,
                Digests = hashers.ToDictionary(h => h.Key, h => h.Value.GetHashAndReset()),
                Content = kept?.ToArray(),
                ContentOverLimit = overLimit,
            };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            foreach (var hasher in hashers.Values)
            {
                hasher.Dispose();
            }

            kept?.Dispose();
        }
    }
}
