using System.Buffers;
using System.Globalization;
using System.Text;

namespace Signet.Oci.Archives;

/// <summary>
/// Writes a POSIX ustar archive (pax extended headers for names, link targets or sizes that do not fit) forward only,
/// so the output may be a pipe or an HTTP request body. A file's size is given up front and its content is copied
/// from a stream of exactly that length without buffering it. System.Formats.Tar's <c>TarWriter</c> cannot do this
/// (checked on .NET 10, pinned in TarStreamWriterTests): given an unseekable data stream and a seekable archive it reads
/// the whole entry into memory before writing its header, and with an unseekable archive it throws "Cannot write the
/// unseekable data stream of entry 'x' into an unseekable archive stream".
/// Headers are deterministic: modification time as given (default 0), uid/gid 0, empty user and group names,
/// mode 0644 for files, 0755 for directories, 0777 for symbolic links. Output reads with GNU tar and TarReader.
/// Call <see cref="FinishAsync"/> to end the archive; disposing does not, so an aborted archive stays visibly incomplete.
/// </summary>
public sealed class TarStreamWriter : IAsyncDisposable, IDisposable
{
    private const int BlockSize = 512;
    private const long MaxOctalSize = (1L << 33) - 1; // 11 octal digits
    private const string PaxHeaderName = "././@PaxHeader";

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly long _modificationTime;
    private readonly byte[] _block = new byte[BlockSize];
    private bool _finished;
    private bool _failed;
    private bool _disposed;

    /// <param name="output">Where the archive is written, forward only.</param>
    /// <param name="leaveOpen">Whether disposing the writer leaves <paramref name="output"/> open.</param>
    /// <param name="modificationTime">The modification time of every entry; the Unix epoch when null.</param>
    public TarStreamWriter(Stream output, bool leaveOpen = false, DateTimeOffset? modificationTime = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite)
        {
            throw new ArgumentException("the tar output stream must be writable", nameof(output));
        }

        _output = output;
        _leaveOpen = leaveOpen;
        _modificationTime = Math.Max(0, modificationTime?.ToUnixTimeSeconds() ?? 0);
    }

    /// <summary>The bytes written so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Writes a regular file of <paramref name="size"/> bytes, copied from <paramref name="content"/>, which must hold exactly that many.</summary>
    /// <exception cref="InvalidDataException">The content is shorter or longer than <paramref name="size"/>; the archive is then unusable.</exception>
    public async Task WriteFileAsync(string name, long size, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var entryName = ValidateName(name);
        await WriteHeaderAsync(entryName, '0', size, 0b110_100_100, linkTarget: null, cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            await CopyExactlyAsync(entryName, size, content, buffer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _failed = true;
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await PadAsync(size, cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyExactlyAsync(string entryName, long size, Stream content, byte[] buffer, CancellationToken cancellationToken)
    {
        var remaining = size;
        while (remaining > 0)
        {
            var n = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(remaining, buffer.Length)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new InvalidDataException(
                    $"tar entry '{entryName}': the content ended after {size - remaining} of the declared {size} bytes. The archive being written is incomplete; discard it.");
            }

            await WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            remaining -= n;
        }

        if (await content.ReadAsync(buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) != 0)
        {
            throw new InvalidDataException(
                $"tar entry '{entryName}': the content is longer than the declared {size} bytes. The archive being written is incomplete; discard it.");
        }
    }

    /// <summary>Writes a regular file with the given content.</summary>
    public async Task WriteFileAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var entryName = ValidateName(name);
        await WriteHeaderAsync(entryName, '0', content.Length, 0b110_100_100, linkTarget: null, cancellationToken).ConfigureAwait(false);
        await WriteAsync(content, cancellationToken).ConfigureAwait(false);
        await PadAsync(content.Length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a directory entry; a trailing '/' is added to the name when missing.</summary>
    public Task WriteDirectoryAsync(string name, CancellationToken cancellationToken = default) =>
        WriteHeaderAsync(ValidateName(name) + "/", '5', 0, 0b111_101_101, linkTarget: null, cancellationToken);

    /// <summary>Writes a symbolic link; <paramref name="target"/> is stored as given (relative to the link's directory).</summary>
    public Task WriteSymbolicLinkAsync(string name, string target, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (target.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"the target of tar entry '{name}' contains a NUL character", nameof(target));
        }

        return WriteHeaderAsync(ValidateName(name), '2', 0, 0b111_111_111, target, cancellationToken);
    }

    /// <summary>Ends the archive with two zero blocks and flushes the output.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken = default)
    {
        EnsureWritable();
        Array.Clear(_block);
        await WriteAsync(_block, cancellationToken).ConfigureAwait(false);
        await WriteAsync(_block, cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        _finished = true;
    }

    private static string ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var trimmed = name.TrimEnd('/');
        if (trimmed.Length == 0 || name.StartsWith('/') || name.Contains('\0', StringComparison.Ordinal) ||
            trimmed.Split('/').Any(part => part is ".." or "." or ""))
        {
            throw new ArgumentException(
                $"tar entry name '{name.Replace("\0", "\\0", StringComparison.Ordinal)}' must be a relative path without empty, '.' or '..' components or NUL characters",
                nameof(name));
        }

        return trimmed;
    }

    private async Task WriteHeaderAsync(string name, char typeFlag, long size, int mode, string? linkTarget, CancellationToken cancellationToken)
    {
        EnsureWritable();
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var linkBytes = linkTarget is null ? [] : Encoding.UTF8.GetBytes(linkTarget);
        var records = new StringBuilder();
        if (nameBytes.Length > 100)
        {
            AppendPaxRecord(records, "path", name);
        }

        if (linkBytes.Length > 100)
        {
            AppendPaxRecord(records, "linkpath", linkTarget!);
        }

        if (size > MaxOctalSize)
        {
            AppendPaxRecord(records, "size", size.ToString(CultureInfo.InvariantCulture));
        }

        if (records.Length > 0)
        {
            var pax = Encoding.UTF8.GetBytes(records.ToString());
            FillHeader(Encoding.ASCII.GetBytes(PaxHeaderName), 'x', pax.Length, 0b110_100_100, []);
            await WriteAsync(_block, cancellationToken).ConfigureAwait(false);
            await WriteAsync(pax, cancellationToken).ConfigureAwait(false);
            await PadAsync(pax.Length, cancellationToken).ConfigureAwait(false);
        }

        FillHeader(Truncate(nameBytes, 100), typeFlag, size > MaxOctalSize ? 0 : size, mode, Truncate(linkBytes, 100));
        await WriteAsync(_block, cancellationToken).ConfigureAwait(false);
    }

    private static byte[] Truncate(byte[] bytes, int length) => bytes.Length <= length ? bytes : bytes[..length];

    /// <summary>A pax record is "length key=value\n" where the length counts the whole record, itself included.</summary>
    private static void AppendPaxRecord(StringBuilder records, string key, string value)
    {
        var payload = Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value) + 3; // ' ', '=', '\n'
        var length = payload + 1;
        while (length != payload + length.ToString(CultureInfo.InvariantCulture).Length)
        {
            length = payload + length.ToString(CultureInfo.InvariantCulture).Length;
        }

        records.Append(CultureInfo.InvariantCulture, $"{length} {key}={value}\n");
    }

    private void FillHeader(byte[] name, char typeFlag, long size, int mode, byte[] linkName)
    {
        var block = _block.AsSpan();
        block.Clear();
        name.CopyTo(block);
        WriteOctal(block.Slice(100, 8), mode);
        WriteOctal(block.Slice(108, 8), 0);
        WriteOctal(block.Slice(116, 8), 0);
        WriteOctal(block.Slice(124, 12), size);
        WriteOctal(block.Slice(136, 12), _modificationTime);
        block[156] = (byte)typeFlag;
        linkName.CopyTo(block[157..]);
        "ustar\0"u8.CopyTo(block[257..]);
        "00"u8.CopyTo(block[263..]);
        WriteOctal(block.Slice(329, 8), 0);
        WriteOctal(block.Slice(337, 8), 0);

        block.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in block)
        {
            sum += b;
        }

        WriteOctal(block.Slice(148, 7), sum);
        block[155] = (byte)' ';
    }

    /// <summary>Zero-padded octal, NUL-terminated, filling the field.</summary>
    private static void WriteOctal(Span<byte> field, long value)
    {
        var digits = field.Length - 1;
        for (var i = digits - 1; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }

        field[digits] = 0;
    }

    private async Task PadAsync(long length, CancellationToken cancellationToken)
    {
        var padding = (int)((BlockSize - (length % BlockSize)) % BlockSize);
        if (padding > 0)
        {
            Array.Clear(_block);
            await WriteAsync(_block.AsMemory(0, padding), cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await _output.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _failed = true;
            throw;
        }

        BytesWritten += data.Length;
    }

    private void EnsureWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failed)
        {
            throw new InvalidOperationException("an earlier write to this tar archive failed, so it is incomplete; discard it and start again");
        }

        if (_finished)
        {
            throw new InvalidOperationException("this tar archive was already finished; nothing can be added after the end-of-archive blocks");
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            if (!_leaveOpen)
            {
                _output.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            if (!_leaveOpen)
            {
                await _output.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
