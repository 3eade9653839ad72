using System.Buffers;

namespace Signet.Oci.Archives;

/// <summary>
/// A read-only window of a known length over an archive entry's data. Owns the underlying stream. When
/// <c>skip</c> is non-zero (compressed archives), the first read discards that many bytes to reach the entry.
/// A source that ends before the window is complete (the file changed since indexing) is an error, not a short read.
/// </summary>
internal sealed class TarEntryStream : Stream
{
    private readonly Stream _inner;
    private readonly string _archiveName;
    private readonly string _entryName;
    private long _skip;
    private long _position;

    public TarEntryStream(Stream inner, long length, string archiveName, string entryName, long skip)
    {
        _inner = inner;
        Length = length;
        _archiveName = archiveName;
        _entryName = entryName;
        _skip = skip;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        if (_skip > 0)
        {
            SkipAsync(useAsync: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        var want = (int)Math.Min(buffer.Length, Length - _position);
        if (want == 0)
        {
            return 0;
        }

        return Account(_inner.Read(buffer[..want]));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_skip > 0)
        {
            await SkipAsync(useAsync: true, cancellationToken).ConfigureAwait(false);
        }

        var want = (int)Math.Min(buffer.Length, Length - _position);
        if (want == 0)
        {
            return 0;
        }

        return Account(await _inner.ReadAsync(buffer[..want], cancellationToken).ConfigureAwait(false));
    }

    private int Account(int n)
    {
        if (n == 0)
        {
            throw Truncated();
        }

        _position += n;
        return n;
    }

    private async ValueTask SkipAsync(bool useAsync, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (_skip > 0)
            {
                var want = (int)Math.Min(_skip, buffer.Length);
                var n = useAsync
                    ? await _inner.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false)
                    : _inner.Read(buffer, 0, want);
                if (n == 0)
                {
                    throw Truncated();
                }

                _skip -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private OciFormatException Truncated() =>
        new($"archive {_archiveName}: entry '{_entryName}' ends after {_position} of {Length} bytes. " +
            "The archive was changed or truncated after it was indexed; index it again.");

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
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
