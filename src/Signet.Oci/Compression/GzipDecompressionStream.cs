using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Signet.Oci.Compression;

/// <summary>
/// A read-only gzip (RFC 1952) decompression stream that reads every member of a multi-member file and fails loudly
/// where <see cref="GZipStream"/> stops silently. <see cref="GZipStream"/> (checked on .NET 10, see
/// GzipBehaviourTests) reads concatenated members, but returns a short, "successful" result when the input is
/// truncated (inside the deflate data or the trailer) and ignores any bytes after a member that do not start a new
/// one. This stream parses the member header and trailer itself and inflates the deflate body with
/// <see cref="DeflateStream"/>. Because <see cref="DeflateStream"/> cannot say how much input it consumed, the member
/// end is found by searching the last chunk handed to it for the 8-byte trailer (CRC-32 and size of the data just
/// inflated, which also verifies them); a stream that ends without that trailer is truncated.
/// Errors are <see cref="InvalidDataException"/>s naming the object.
/// </summary>
internal sealed class GzipDecompressionStream : Stream
{
    private const int BufferSize = 64 * 1024;
    private const int MaxHeaderStringLength = 64 * 1024;

    /// <summary>The largest chunk handed to the inflater, so a chunk plus its successor's first bytes and a trailer fit the buffer.</summary>
    private const int MaxChunk = BufferSize / 4;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly string _objectName;
    private readonly Feed _feed;
    private byte[]? _raw;
    private int _rawStart;
    private int _rawEnd;
    private long _rawBase;
    private bool _innerEnded;
    private int _chunkStart;
    private int _chunkEnd;
    private DeflateStream? _deflate;
    private State _state;
    private int _members;
    private uint _memberCrc;
    private uint _memberSize;
    private long _produced;

    public GzipDecompressionStream(Stream compressed, string objectName, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        ArgumentNullException.ThrowIfNull(objectName);
        _inner = compressed;
        _objectName = objectName;
        _leaveOpen = leaveOpen;
        _raw = ArrayPool<byte>.Shared.Rent(BufferSize);
        _feed = new Feed(this);
    }

    private enum State
    {
        Header,
        Body,
        End,
    }

    public override bool CanRead => _raw is not null;

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
        var task = ReadCoreAsync(buffer.AsMemory(offset, count), useAsync: false, CancellationToken.None);
        return task.IsCompleted ? task.Result : task.AsTask().GetAwaiter().GetResult();
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadCoreAsync(buffer.AsMemory(offset, count), useAsync: true, cancellationToken).AsTask();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ReadCoreAsync(buffer, useAsync: true, cancellationToken);

    private async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, bool useAsync, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_raw is null, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            switch (_state)
            {
                case State.End:
                    return 0;

                case State.Header:
                    if (!await EnsureAsync(_rawStart, 1, useAsync, cancellationToken).ConfigureAwait(false))
                    {
                        if (_members == 0)
                        {
                            throw new InvalidDataException($"gzip stream of {_objectName} is empty: it has no gzip member.");
                        }

                        _state = State.End;
                        return 0;
                    }

                    await ReadHeaderAsync(useAsync, cancellationToken).ConfigureAwait(false);
                    _deflate = new DeflateStream(_feed, CompressionMode.Decompress, leaveOpen: true);
                    _memberCrc = 0;
                    _memberSize = 0;
                    _chunkStart = _chunkEnd = _rawStart;
                    _state = State.Body;
                    break;

                case State.Body:
                    int n;
                    try
                    {
                        n = useAsync
                            ? await _deflate!.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)
                            : _deflate!.Read(buffer.Span);
                    }
                    catch (InvalidDataException e)
                    {
                        throw new InvalidDataException(
                            $"gzip stream of {_objectName} is corrupt: the deflate data of member {_members + 1} is invalid ({e.Message}).", e);
                    }

                    if (n > 0)
                    {
                        _memberCrc = Crc32.Append(_memberCrc, buffer.Span[..n]);
                        _memberSize = unchecked(_memberSize + (uint)n);
                        _produced += n;
                        return n;
                    }

                    await _deflate.DisposeAsync().ConfigureAwait(false);
                    _deflate = null;
                    await EndMemberAsync(useAsync, cancellationToken).ConfigureAwait(false);
                    _members++;
                    _state = State.Header;
                    break;
            }
        }
    }

    private async ValueTask ReadHeaderAsync(bool useAsync, CancellationToken cancellationToken)
    {
        var raw = _raw!;
        var offset = _rawBase + _rawStart;
        var available = await EnsureAsync(_rawStart, 10, useAsync, cancellationToken).ConfigureAwait(false);
        if (_members > 0 && (raw[_rawStart] != 0x1f || (_rawEnd - _rawStart > 1 && raw[_rawStart + 1] != 0x8b)))
        {
            throw new InvalidDataException(
                $"gzip stream of {_objectName} has trailing data at offset {offset} after its {_members} member(s) that is not another gzip member. " +
                "The file is corrupt or something was appended to it; re-create or re-fetch it.");
        }

        if (!available)
        {
            throw Truncated($"inside the header of member {_members + 1}");
        }

        if (raw[_rawStart] != 0x1f || raw[_rawStart + 1] != 0x8b)
        {
            throw new InvalidDataException($"gzip stream of {_objectName} does not start with the gzip magic bytes 1f 8b: it is not gzip data.");
        }

        var method = raw[_rawStart + 2];
        var flags = raw[_rawStart + 3];
        if (method != 8)
        {
            throw new InvalidDataException($"gzip stream of {_objectName} member {_members + 1} uses compression method {method}; only 8 (deflate) exists.");
        }

        if ((flags & 0xE0) != 0)
        {
            throw new InvalidDataException($"gzip stream of {_objectName} member {_members + 1} sets reserved header flags (0x{flags:x2}): it is corrupt.");
        }

        var headerCrc = Crc32.Append(0, raw.AsSpan(_rawStart, 10));
        _rawStart += 10;
        if ((flags & 0x04) != 0)
        {
            if (!await EnsureAsync(_rawStart, 2, useAsync, cancellationToken).ConfigureAwait(false))
            {
                throw Truncated($"inside the header of member {_members + 1}");
            }

            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(_rawStart));
            headerCrc = Crc32.Append(headerCrc, raw.AsSpan(_rawStart, 2));
            _rawStart += 2;
            headerCrc = await SkipHeaderBytesAsync(extraLength, headerCrc, useAsync, cancellationToken).ConfigureAwait(false);
        }

        if ((flags & 0x08) != 0)
        {
            headerCrc = await SkipHeaderStringAsync("file name", headerCrc, useAsync, cancellationToken).ConfigureAwait(false);
        }

        if ((flags & 0x10) != 0)
        {
            headerCrc = await SkipHeaderStringAsync("comment", headerCrc, useAsync, cancellationToken).ConfigureAwait(false);
        }

        if ((flags & 0x02) != 0)
        {
            if (!await EnsureAsync(_rawStart, 2, useAsync, cancellationToken).ConfigureAwait(false))
            {
                throw Truncated($"inside the header of member {_members + 1}");
            }

            if (BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(_rawStart)) != (ushort)headerCrc)
            {
                throw new InvalidDataException($"gzip stream of {_objectName} member {_members + 1} has a header CRC that does not match its header: it is corrupt.");
            }

            _rawStart += 2;
        }
    }

    private async ValueTask<uint> SkipHeaderBytesAsync(int count, uint crc, bool useAsync, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (!await EnsureAsync(_rawStart, 1, useAsync, cancellationToken).ConfigureAwait(false))
            {
                throw Truncated($"inside the header of member {_members + 1}");
            }

            var take = Math.Min(count, _rawEnd - _rawStart);
            crc = Crc32.Append(crc, _raw.AsSpan(_rawStart, take));
            _rawStart += take;
            count -= take;
        }

        return crc;
    }

    private async ValueTask<uint> SkipHeaderStringAsync(string field, uint crc, bool useAsync, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (!await EnsureAsync(_rawStart, 1, useAsync, cancellationToken).ConfigureAwait(false))
            {
                throw Truncated($"inside the header of member {_members + 1}");
            }

            var span = _raw.AsSpan(_rawStart, _rawEnd - _rawStart);
            var zero = span.IndexOf((byte)0);
            var take = zero < 0 ? span.Length : zero + 1;
            crc = Crc32.Append(crc, span[..take]);
            _rawStart += take;
            length += take;
            if (length > MaxHeaderStringLength)
            {
                throw new InvalidDataException(
                    $"gzip stream of {_objectName} member {_members + 1} has a header {field} longer than {MaxHeaderStringLength} bytes: it is corrupt or hostile.");
            }

            if (zero >= 0)
            {
                return crc;
            }
        }
    }

    /// <summary>
    /// After the deflate body ended: finds the 8-byte trailer (CRC-32, size mod 2^32) right after the deflate data, which
    /// lies in the last chunk handed to the inflater, and moves the raw position past it. A trailer is 8 bytes of
    /// effectively random data, so one match is the norm; only a degenerate trailer (an empty member: eight zero bytes)
    /// can match at several places, and then the first match followed by the end of input or by another member wins.
    /// </summary>
    private async ValueTask EndMemberAsync(bool useAsync, CancellationToken cancellationToken)
    {
        await EnsureAsync(_chunkStart, _chunkEnd + 8 + 3 - _chunkStart, useAsync, cancellationToken).ConfigureAwait(false);
        var expected = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(expected, _memberCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(4), _memberSize);
        var first = -1;
        var chosen = -1;
        for (var candidate = _chunkStart; candidate <= _chunkEnd && candidate + 8 <= _rawEnd; candidate++)
        {
            var found = _raw.AsSpan(candidate, Math.Min(_chunkEnd + 8, _rawEnd) - candidate).IndexOf(expected);
            if (found < 0)
            {
                break;
            }

            candidate += found;
            first = first < 0 ? candidate : first;
            var next = candidate + 8;
            if ((next == _rawEnd && _innerEnded) || _raw.AsSpan(next, _rawEnd - next).StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b, 0x08]))
            {
                chosen = candidate;
                break;
            }
        }

        chosen = chosen < 0 ? first : chosen;
        if (chosen < 0)
        {
            throw _innerEnded
                ? Truncated($"in member {_members + 1}, before its CRC-32/size trailer, after {_produced} decompressed bytes")
                : new InvalidDataException(
                    $"gzip stream of {_objectName} is corrupt: the CRC-32/size trailer of member {_members + 1} does not match its " +
                    $"{_produced} decompressed bytes. Re-create or re-fetch it.");
        }

        _rawStart = chosen + 8;
    }

    /// <summary>
    /// Makes at least <paramref name="count"/> bytes available from index <paramref name="keepFrom"/> of the raw buffer,
    /// moving everything from <paramref name="keepFrom"/> to the buffer start first. False when the input ends before.
    /// </summary>
    private async ValueTask<bool> EnsureAsync(int keepFrom, int count, bool useAsync, CancellationToken cancellationToken)
    {
        var raw = _raw!;
        if (_rawEnd - keepFrom >= count)
        {
            return true;
        }

        if (keepFrom > 0)
        {
            raw.AsSpan(keepFrom, _rawEnd - keepFrom).CopyTo(raw);
            _rawBase += keepFrom;
            _rawStart -= keepFrom;
            _rawEnd -= keepFrom;
            _chunkStart = Math.Max(0, _chunkStart - keepFrom);
            _chunkEnd = Math.Max(0, _chunkEnd - keepFrom);
        }

        while (_rawEnd < count && !_innerEnded)
        {
            var n = useAsync
                ? await _inner.ReadAsync(raw.AsMemory(_rawEnd, BufferSize - _rawEnd), cancellationToken).ConfigureAwait(false)
                : _inner.Read(raw, _rawEnd, BufferSize - _rawEnd);
            _innerEnded = n == 0;
            _rawEnd += n;
        }

        return _rawEnd >= count;
    }

    /// <summary>Hands the inflater its next chunk of at most <see cref="MaxChunk"/> bytes.</summary>
    private async ValueTask<int> FeedAsync(Memory<byte> destination, bool useAsync, CancellationToken cancellationToken)
    {
        // Keep the previous chunk while refilling: if the input ends here, the trailer search still has it.
        if (_rawStart == _rawEnd && !await EnsureAsync(_chunkStart, _rawStart - _chunkStart + 1, useAsync, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var n = Math.Min(Math.Min(destination.Length, _rawEnd - _rawStart), MaxChunk);
        _raw.AsSpan(_rawStart, n).CopyTo(destination.Span);
        _chunkStart = _rawStart;
        _rawStart += n;
        _chunkEnd = _rawStart;
        return n;
    }

    private InvalidDataException Truncated(string where) =>
        new($"gzip stream of {_objectName} is truncated: the compressed data ended {where}. The file or download is incomplete; fetch it again.");

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
            _deflate?.Dispose();
            _deflate = null;
            if (_raw is { } raw)
            {
                _raw = null;
                ArrayPool<byte>.Shared.Return(raw);
            }

            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>The raw-side stream the inflater reads from: chunks of the shared raw buffer.</summary>
    private sealed class Feed(GzipDecompressionStream owner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var task = owner.FeedAsync(buffer.AsMemory(offset, count), useAsync: false, CancellationToken.None);
            return task.IsCompleted ? task.Result : task.AsTask().GetAwaiter().GetResult();
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            owner.FeedAsync(buffer, useAsync: true, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            owner.FeedAsync(buffer.AsMemory(offset, count), useAsync: true, cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
