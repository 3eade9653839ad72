using Signet.Oci;
using Signet.Oci.Content;

namespace Signet.Images;

/// <summary>Thread-safe byte counters that long operations update and a display polls.</summary>
public sealed class TransferProgress
{
    private long _total;
    private long _done;
    private int _objectsTotal;
    private int _objectsDone;

    public long TotalBytes => Interlocked.Read(ref _total);

    public long DoneBytes => Interlocked.Read(ref _done);

    public int TotalObjects => Volatile.Read(ref _objectsTotal);

    public int DoneObjects => Volatile.Read(ref _objectsDone);

    public void AddWork(long bytes)
    {
        Interlocked.Add(ref _total, bytes);
        Interlocked.Increment(ref _objectsTotal);
    }

    public void Advance(long bytes) => Interlocked.Add(ref _done, bytes);

    public void Complete() => Interlocked.Increment(ref _objectsDone);

    /// <summary>Wraps a stream so that every byte read advances this counter.</summary>
    public Stream Track(Stream inner) => inner is IVerifiedContent verified ? new VerifiedCountingStream(inner, verified, this) : new CountingStream(inner, this);

    /// <summary>A counting wrapper that still shows the verification of the stream it wraps.</summary>
    private sealed class VerifiedCountingStream(Stream inner, IVerifiedContent verified, TransferProgress progress) : CountingStream(inner, progress), IVerifiedContent
    {
        public Descriptor Expected => verified.Expected;

        public bool Verified => verified.Verified;
    }

    private class CountingStream(Stream inner, TransferProgress progress) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        private int Count(int n)
        {
            progress.Advance(n);
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
    }
}
