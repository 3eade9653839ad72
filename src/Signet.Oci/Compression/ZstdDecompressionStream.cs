using System.Buffers;

namespace Signet.Oci.Compression;

/// <summary>
/// A read-only stream that decompresses zstd (RFC 8878) through the system libzstd. Reads any number of concatenated
/// frames and skips skippable frames, like <c>zstd -d</c>. A frame that asks for a window larger than
/// 2^<see cref="MaxWindowLog"/> bytes is refused (the zstd CLI default limit, 128 MiB), so a small hostile input cannot
/// make the decoder allocate gigabytes. Corrupt or truncated input, or trailing bytes that are not a frame, throw an
/// <see cref="InvalidDataException"/> naming the object.
/// </summary>
public sealed class ZstdDecompressionStream : Stream
{
    /// <summary>The zstd CLI's default limit: frames needing a window above 2^27 = 128 MiB need <c>--long</c>.</summary>
    public const int DefaultMaxWindowLog = 27;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly string _objectName;
    private readonly ZstdNative.DStreamHandle _context;
    private byte[]? _input;
    private int _inputPosition;
    private int _inputLength;
    private bool _innerEnded;
    private bool _frameComplete;
    private bool _sawInput;
    private bool _finished;
    private long _produced;

    /// <param name="compressed">The zstd data, read forward once.</param>
    /// <param name="objectName">What the data is (for example <c>layer sha256:…</c>), used in error messages.</param>
    /// <param name="leaveOpen">Whether disposing this stream leaves <paramref name="compressed"/> open.</param>
    /// <param name="maxWindowLog">The largest window a frame may ask for, as a power of two (10 to 31).</param>
    public ZstdDecompressionStream(Stream compressed, string objectName = "zstd data", bool leaveOpen = false, int maxWindowLog = DefaultMaxWindowLog)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        ArgumentNullException.ThrowIfNull(objectName);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWindowLog, 10);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxWindowLog, 31);
        if (!compressed.CanRead)
        {
            throw new ArgumentException("the compressed stream must be readable", nameof(compressed));
        }

        ZstdNative.EnsureAvailable();
        _inner = compressed;
        _leaveOpen = leaveOpen;
        _objectName = objectName;
        MaxWindowLog = maxWindowLog;
        _context = ZstdNative.ZSTD_createDStream();
        if (_context.IsInvalid)
        {
            _context.Dispose();
            throw new InsufficientMemoryException($"libzstd could not allocate a decompression context for {objectName}");
        }

        Check(ZstdNative.ZSTD_initDStream(_context), "initialising the decoder");
        Check(ZstdNative.ZSTD_DCtx_setParameter(_context, ZstdNative.DParameterWindowLogMax, maxWindowLog), "setting the window limit");
        _input = ArrayPool<byte>.Shared.Rent((int)Math.Min(ZstdNative.ZSTD_DStreamInSize(), 1 << 20));
    }

    /// <summary>The largest window (as a power of two) a frame may ask for.</summary>
    public int MaxWindowLog { get; }

    public override bool CanRead => _input is not null;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    /// <summary>The number of decompressed bytes returned so far.</summary>
    public override long Position
    {
        get => _produced;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        var input = _input ?? throw new ObjectDisposedException(nameof(ZstdDecompressionStream));
        if (buffer.IsEmpty || _finished)
        {
            return 0;
        }

        while (true)
        {
            if (_inputPosition == _inputLength && !_innerEnded)
            {
                _inputLength = _inner.Read(input);
                _inputPosition = 0;
                _innerEnded = _inputLength == 0;
            }

            var n = Step(buffer);
            if (n != 0 || _finished)
            {
                return n;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var input = _input ?? throw new ObjectDisposedException(nameof(ZstdDecompressionStream));
        if (buffer.IsEmpty || _finished)
        {
            return 0;
        }

        while (true)
        {
            if (_inputPosition == _inputLength && !_innerEnded)
            {
                _inputLength = await _inner.ReadAsync(input, cancellationToken).ConfigureAwait(false);
                _inputPosition = 0;
                _innerEnded = _inputLength == 0;
            }

            var n = Step(buffer.Span);
            if (n != 0 || _finished)
            {
                return n;
            }
        }
    }

    /// <summary>
    /// Runs the decoder once over the buffered input and returns the bytes produced. 0 means "needs more input", or,
    /// once <see cref="_finished"/> is set at the end of the compressed data, the end of the stream.
    /// </summary>
    private unsafe int Step(Span<byte> output)
    {
        if (_inputPosition == _inputLength && _innerEnded && _frameComplete)
        {
            _finished = true;
            return 0;
        }

        var before = _inputPosition;
        nuint result;
        nuint produced;
        fixed (byte* source = _input)
        fixed (byte* destination = output)
        {
            var inBuffer = new ZstdNative.InBuffer { Source = source + _inputPosition, Size = (nuint)(_inputLength - _inputPosition) };
            var outBuffer = new ZstdNative.OutBuffer { Destination = destination, Size = (nuint)output.Length };
            result = ZstdNative.ZSTD_decompressStream(_context, &outBuffer, &inBuffer);
            _inputPosition += (int)inBuffer.Position;
            produced = outBuffer.Position;
        }

        if (ZstdNative.IsError(result))
        {
            throw Corrupt(result);
        }

        // 0: a frame was completely decoded and flushed; anything else is a hint for the next input size. A call that
        // made no progress says nothing new (at the start of a frame it asks for the next frame's header).
        if (produced != 0 || _inputPosition != before)
        {
            _frameComplete = result == 0;
            _sawInput = true;
        }

        _produced += (long)produced;
        if (produced != 0)
        {
            return (int)produced;
        }

        if (_inputPosition == _inputLength && _innerEnded)
        {
            if (!_sawInput)
            {
                throw new InvalidDataException($"zstd stream of {_objectName} is empty: it has no zstd frame. The file or download is incomplete; fetch it again.");
            }

            if (!_frameComplete)
            {
                throw new InvalidDataException(
                    $"zstd stream of {_objectName} is truncated: the compressed data ended inside a frame after {_produced} decompressed bytes. " +
                    "The file or download is incomplete; fetch it again.");
            }

            _finished = true;
            return 0;
        }

        if (_inputPosition == before && _inputPosition != _inputLength)
        {
            throw new InvalidDataException($"zstd stream of {_objectName} is corrupt: the decoder made no progress");
        }

        return 0;
    }

    private InvalidDataException Corrupt(nuint code)
    {
        var name = ZstdNative.ErrorName(code);
        if (ZstdNative.ZSTD_getErrorCode(code) == ZstdNative.ErrorWindowTooLarge)
        {
            return new InvalidDataException(
                $"zstd stream of {_objectName} is refused: a frame needs a window larger than 2^{MaxWindowLog} bytes " +
                $"({(1L << MaxWindowLog) / (1024 * 1024)} MiB), the limit for decompression memory ({name}). " +
                "It was probably written with 'zstd --long'; recompress it without --long (or with a smaller window).");
        }

        return new InvalidDataException($"zstd stream of {_objectName} is truncated/corrupt: {name} (after {_produced} decompressed bytes)");
    }

    private void Check(nuint code, string what)
    {
        if (ZstdNative.IsError(code))
        {
            throw new InvalidOperationException($"libzstd failed {what} for {_objectName}: {ZstdNative.ErrorName(code)}");
        }
    }

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
            ReleaseNative();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        ReleaseNative();
        if (!_leaveOpen)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void ReleaseNative()
    {
        _context.Dispose();
        if (_input is { } input)
        {
            _input = null;
            ArrayPool<byte>.Shared.Return(input);
        }
    }
}
