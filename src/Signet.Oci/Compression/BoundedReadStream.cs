namespace Signet.Oci.Compression;

/// <summary>A read-only pass-through that fails once more than a given number of bytes come through it.</summary>
internal sealed class BoundedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly string _objectName;
    private readonly bool _leaveOpen;
    private readonly long? _maxLength;
    private long _read;

    public BoundedReadStream(Stream inner, string objectName, bool leaveOpen, long? maxLength)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _objectName = objectName;
        _leaveOpen = leaveOpen;
        _maxLength = maxLength;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer) => Account(_inner.Read(Limit(buffer)));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var limited = _maxLength is null ? buffer : buffer[..Limit(buffer.Span).Length];
        return Account(await _inner.ReadAsync(limited, cancellationToken).ConfigureAwait(false));
    }

    // Reads at most one byte past the bound, so an exact-length stream is not refused and a longer one is seen at once.
    private Span<byte> Limit(Span<byte> buffer) =>
        _maxLength is { } max && buffer.Length > 0 ? buffer[..(int)Math.Min(buffer.Length, Math.Max(1, max - _read + 1))] : buffer;

    private int Account(int n)
    {
        _read += n;
        if (_read > _maxLength)
        {
            throw new InvalidDataException(
                $"{_objectName} decompresses to more than the limit of {_maxLength} bytes. It may be a decompression bomb; " +
                "if the content is legitimate, raise the maximum output length.");
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
