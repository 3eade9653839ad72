using System.Formats.Tar;
using System.Security.Cryptography;
using Signet.Oci;

namespace Signet.Scanning.FileSystem;

/// <summary>
/// Reads the entries of one decompressed layer tar with the base library's <see cref="TarReader"/> (ustar, PAX and
/// GNU long names and links), turning its errors into <see cref="LayerFormatException"/>. It also accepts a tar that
/// stops right after the last entry's data, without padding or end-of-archive blocks (umoci insert writes those; Go's
/// archive/tar and containerd accept them), while a tar cut inside an entry's data or header is still refused.
/// </summary>
internal sealed class LayerTarReader : IAsyncDisposable, IDisposable
{
    private readonly CountingStream _counting;
    private readonly TarReader _reader;
    private readonly LayerInfo _layer;
    private long _lastDataEnd;

    /// <param name="tar">The decompressed layer.</param>
    /// <param name="layer">The layer, for messages.</param>
    /// <param name="hashAlgorithm">When given, every byte read is hashed for <see cref="DrainDigestAsync"/>.</param>
    public LayerTarReader(Stream tar, LayerInfo layer, string? hashAlgorithm = null)
    {
        _counting = new CountingStream(tar, hashAlgorithm is null ? null : Digest.CreateHasher(hashAlgorithm), hashAlgorithm);
        _reader = new TarReader(_counting, leaveOpen: true);
        _layer = layer;
    }

    /// <summary>The next entry (its data is readable until the next call), or null at the end of the layer.</summary>
    public async Task<TarEntry?> NextAsync(CancellationToken cancellationToken)
    {
        try
        {
            var entry = await _reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
            _lastDataEnd = entry is null ? 0 : _counting.Consumed + (entry.DataStream is null ? 0 : entry.Length);
            return entry;
        }
        catch (EndOfStreamException) when (_counting.Ended && _lastDataEnd > 0 && _counting.Consumed >= _lastDataEnd && _counting.Consumed <= RoundUp(_lastDataEnd))
        {
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or (FormatException and not LayerFormatException))
        {
            throw new LayerFormatException(LayerCodes.MalformedTar, $"layer {_layer.Index} ({_layer.Digest}) is not a valid tar: {e.Message} The layer is corrupt or truncated; re-fetch the image.", e);
        }
    }

    /// <summary>Reads the layer to its end (padding after the end-of-archive blocks included) and returns the digest of every byte.</summary>
    public async Task<Digest> DrainDigestAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (await _counting.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
        {
        }

        return _counting.Digest();
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await _counting.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _counting.Dispose();
    }

    private static long RoundUp(long offset) => (offset + 511) / 512 * 512;

    /// <summary>Counts the bytes read from the layer and notices its end.</summary>
    private sealed class CountingStream(Stream inner, IncrementalHash? hash, string? algorithm) : Stream
    {
        public Digest Digest() => Oci.Digest.FromHash(algorithm!, hash!.GetHashAndReset());

        public long Consumed { get; private set; }

        public bool Ended { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => Consumed;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count), buffer.AsSpan(offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Span);

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false), buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }

        private int Count(int read, ReadOnlySpan<byte> buffer)
        {
            Consumed += read;
            hash?.AppendData(buffer[..read]);
            Ended |= read == 0 && buffer.Length > 0;
            return read;
        }
    }
}
