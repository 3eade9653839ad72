namespace Signet.Scanning.Catalogers.Binaries;

/// <summary>A forward-only stream of bytes already read (<paramref name="prefix"/>) followed by the rest of <paramref name="rest"/>, which it does not own.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest) : Stream
{
    private int _prefixRead;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_prefixRead < prefix.Length)
        {
            return CopyPrefix(buffer);
        }

        return rest.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefixRead < prefix.Length)
        {
            return ValueTask.FromResult(CopyPrefix(buffer.Span));
        }

        return rest.ReadAsync(buffer, cancellationToken);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int CopyPrefix(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, prefix.Length - _prefixRead);
        prefix.AsSpan(_prefixRead, count).CopyTo(buffer);
        _prefixRead += count;
        return count;
    }
}
