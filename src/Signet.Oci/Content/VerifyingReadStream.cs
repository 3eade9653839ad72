using System.Security.Cryptography;

namespace Signet.Oci.Content;

/// <summary>
/// A read-only stream that hashes and counts what passes through it and throws a <see cref="DigestMismatchException"/>
/// when the content runs past the descriptor's size or, at its end, does not hash to the descriptor's digest.
/// A consumer must read to the end (a read returning 0) for the check to happen; <see cref="Verified"/> says whether it did.
/// </summary>
public sealed class VerifyingReadStream : Stream, IVerifiedContent
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly Descriptor _expected;
    private readonly string _objectName;
    private readonly string _where;
    private readonly IncrementalHash _hash;
    private readonly IVerifiedContent? _alreadyVerifying;
    private long _read;

    public VerifyingReadStream(Stream inner, Descriptor expected, string objectName, string where, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(expected);
        _inner = inner;
        _expected = expected;
        _objectName = objectName;
        _where = where;
        _leaveOpen = leaveOpen;
        _hash = expected.Digest.CreateHasher();

        // A stream that already verifies the same descriptor (a source's blob passed to a destination) is not hashed
        // twice: this one counts bytes and, at the end, requires the inner verification to have completed.
        if (inner is IVerifiedContent { } verified && verified.Expected.Digest == expected.Digest && verified.Expected.Size == expected.Size)
        {
            _alreadyVerifying = verified;
        }
    }

    /// <summary>True once the whole content was read and matched.</summary>
    public bool Verified { get; private set; }

    public Descriptor Expected => _expected;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _expected.Size;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        Account(buffer[..n], buffer.Length);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(buffer.Span[..n], buffer.Length);
        return n;
    }

    private void Account(ReadOnlySpan<byte> chunk, int requested)
    {
        if (chunk.Length == 0)
        {
            if (requested > 0)
            {
                Finish();
            }

            return;
        }

        _read += chunk.Length;
        if (_read > _expected.Size)
        {
            throw new DigestMismatchException(_objectName, _expected.Digest, _expected.Size, _read, _where + ", content is longer than the descriptor says");
        }

        if (_alreadyVerifying is null)
        {
            _hash.AppendData(chunk);
        }
    }

    private void Finish()
    {
        if (Verified)
        {
            return;
        }

        if (_read != _expected.Size)
        {
            throw new DigestMismatchException(_objectName, _expected.Digest, _expected.Size, _read, _where);
        }

        if (_alreadyVerifying is not null)
        {
            Verified = _alreadyVerifying.Verified
                ? true
                : throw new DigestMismatchException($"{_objectName} {_expected.Digest} from {_where} ended without being verified");
            return;
        }

        Span<byte> hash = stackalloc byte[64];
        var length = _hash.GetHashAndReset(hash);
        var actual = Digest.FromHash(_expected.Digest.Algorithm, hash[..length]);
        if (actual != _expected.Digest)
        {
            throw new DigestMismatchException(_objectName, _expected.Digest, actual, _where);
        }

        Verified = true;
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
            _hash.Dispose();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _hash.Dispose();
        if (!_leaveOpen)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
