using System.Buffers;

namespace Signet.Oci.Compression;

/// <summary>
/// A write-only stream that compresses into one zstd frame (with a content checksum, like the zstd CLI) through the
/// system libzstd. Disposing ends the frame; <see cref="Flush"/> flushes a block without ending it.
/// </summary>
public sealed class ZstdCompressionStream : Stream
{
    /// <summary>The zstd CLI default level.</summary>
    public const int DefaultLevel = 3;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly ZstdNative.CStreamHandle _context;
    private byte[]? _output;

    /// <param name="destination">Where the compressed bytes go.</param>
    /// <param name="level">The compression level, 1 (fastest) to 19 (22 with ultra); negative levels are faster still.</param>
    /// <param name="leaveOpen">Whether disposing this stream leaves <paramref name="destination"/> open.</param>
    public ZstdCompressionStream(Stream destination, int level = DefaultLevel, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 22);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("the destination stream must be writable", nameof(destination));
        }

        ZstdNative.EnsureAvailable();
        _inner = destination;
        _leaveOpen = leaveOpen;
        Level = level;
        _context = ZstdNative.ZSTD_createCStream();
        if (_context.IsInvalid)
        {
            _context.Dispose();
            throw new InsufficientMemoryException("libzstd could not allocate a compression context");
        }

        Check(ZstdNative.ZSTD_CCtx_setParameter(_context, ZstdNative.CParameterCompressionLevel, level), $"setting level {level}");
        Check(ZstdNative.ZSTD_CCtx_setParameter(_context, ZstdNative.CParameterChecksumFlag, 1), "enabling the content checksum");
        _output = ArrayPool<byte>.Shared.Rent((int)Math.Min(ZstdNative.ZSTD_CStreamOutSize(), 1 << 20));
    }

    public int Level { get; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => _output is not null;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var consumed = 0;
        while (consumed < buffer.Length)
        {
            var (produced, used, _) = Compress(buffer[consumed..], ZstdNative.EndContinue);
            consumed += used;
            _inner.Write(_output!, 0, produced);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var consumed = 0;
        while (consumed < buffer.Length)
        {
            var (produced, used, _) = Compress(buffer.Span[consumed..], ZstdNative.EndContinue);
            consumed += used;
            await _inner.WriteAsync(_output.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
        }
    }

    public override void Flush()
    {
        Drain(ZstdNative.EndFlush);
        _inner.Flush();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(ZstdNative.EndFlush, cancellationToken).ConfigureAwait(false);
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Drain(int endOp)
    {
        ObjectDisposedException.ThrowIf(_output is null, this);
        while (true)
        {
            var (produced, _, remaining) = Compress(default, endOp);
            _inner.Write(_output, 0, produced);
            if (remaining == 0)
            {
                return;
            }
        }
    }

    private async ValueTask DrainAsync(int endOp, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_output is null, this);
        while (true)
        {
            var (produced, _, remaining) = Compress(default, endOp);
            await _inner.WriteAsync(_output.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
            if (remaining == 0)
            {
                return;
            }
        }
    }

    private unsafe (int Produced, int Consumed, nuint Remaining) Compress(ReadOnlySpan<byte> input, int endOp)
    {
        var output = _output ?? throw new ObjectDisposedException(nameof(ZstdCompressionStream));
        fixed (byte* source = input)
        fixed (byte* destination = output)
        {
            var inBuffer = new ZstdNative.InBuffer { Source = source, Size = (nuint)input.Length };
            var outBuffer = new ZstdNative.OutBuffer { Destination = destination, Size = (nuint)output.Length };
            var result = ZstdNative.ZSTD_compressStream2(_context, &outBuffer, &inBuffer, endOp);
            Check(result, "compressing");
            return ((int)outBuffer.Position, (int)inBuffer.Position, result);
        }
    }

    private static void Check(nuint code, string what)
    {
        if (ZstdNative.IsError(code))
        {
            throw new InvalidOperationException($"libzstd failed {what}: {ZstdNative.ErrorName(code)}");
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && _output is not null)
            {
                Drain(ZstdNative.EndFrame);
                _inner.Flush();
            }
        }
        finally
        {
            if (disposing)
            {
                ReleaseNative();
                if (!_leaveOpen)
                {
                    _inner.Dispose();
                }
            }

            base.Dispose(disposing);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            if (_output is not null)
            {
                await DrainAsync(ZstdNative.EndFrame, CancellationToken.None).ConfigureAwait(false);
                await _inner.FlushAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            ReleaseNative();
            if (!_leaveOpen)
            {
                await _inner.DisposeAsync().ConfigureAwait(false);
            }

            await base.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void ReleaseNative()
    {
        _context.Dispose();
        if (_output is { } output)
        {
            _output = null;
            ArrayPool<byte>.Shared.Return(output);
        }
    }
}
