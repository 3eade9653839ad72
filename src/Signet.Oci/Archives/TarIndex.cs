using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Signet.Oci.Compression;

namespace Signet.Oci.Archives;

/// <summary>
/// An index over a tar file (docker-archive, oci-archive), built by reading its headers once, for random access to
/// entries without extracting. Uncompressed archives are indexed by seeking over entry data; gzip- or zstd-compressed
/// ones (<c>docker save | gzip</c>) by one sequential pass, and opening an entry then decompresses again from the start.
/// The header parser (ustar, pax, GNU long names, v7) is bounded by <see cref="TarIndexLimits"/> and refuses names
/// that could escape an extraction root; anything malformed is an <see cref="OciFormatException"/> naming the archive,
/// the entry and the rule. The index holds no open handles: every <see cref="OpenEntry"/> opens the file anew.
/// </summary>
public sealed class TarIndex
{
    private const int BlockSize = 512;

    private readonly Dictionary<string, TarIndexEntry> _entries;
    private readonly List<string> _order;
    private readonly TarIndexLimits _limits;

    private TarIndex(string archivePath, string archiveName, LayerCompression compression, Dictionary<string, TarIndexEntry> entries, List<string> order, TarIndexLimits limits)
    {
        ArchivePath = archivePath;
        ArchiveName = archiveName;
        Compression = compression;
        _entries = entries;
        _order = order;
        _limits = limits;
    }

    public string ArchivePath { get; }

    /// <summary>The name used in error messages (for example <c>docker-archive:/tmp/image.tar</c>).</summary>
    public string ArchiveName { get; }

    /// <summary>How the archive file itself is compressed, detected from its first bytes.</summary>
    public LayerCompression Compression { get; }

    /// <summary>The entries in archive order; a name written twice appears once, with its last version.</summary>
    public IEnumerable<TarIndexEntry> Entries => _order.Select(name => _entries[name]);

    public int Count => _order.Count;

    /// <summary>Indexes the tar file at <paramref name="archivePath"/>, plain or gzip/zstd compressed.</summary>
    /// <exception cref="OciFormatException">The archive is malformed, truncated, or breaks a limit or naming rule.</exception>
    public static TarIndex Open(string archivePath, string archiveName, TarIndexLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(archivePath);
        ArgumentNullException.ThrowIfNull(archiveName);
        limits ??= TarIndexLimits.Default;
        limits.Validate();
        var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        try
        {
            Span<byte> magic = stackalloc byte[LayerDecompression.DetectLength];
            var length = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
            var compression = LayerDecompression.Detect(magic[..length]);
            file.Position = 0;
            Stream source = compression == LayerCompression.None
                ? file
                : LayerDecompression.Open(file, compression, leaveOpen: true, archiveName);
            using (source == file ? null : source)
            {
                var scanner = new Scanner(source, source == file ? file.Length : null, archiveName, limits);
                try
                {
                    scanner.Run();
                }
                catch (InvalidDataException e)
                {
                    throw new OciFormatException($"archive {archiveName}: {e.Message}", e);
                }
                catch (EndOfStreamException e)
                {
                    throw new OciFormatException($"archive {archiveName} is truncated: {e.Message}", e);
                }

                return new TarIndex(archivePath, archiveName, compression, scanner.Entries, scanner.Order, limits);
            }
        }
        finally
        {
            file.Dispose();
        }
    }

    /// <summary>The entry with exactly this (normalised) name, without following links.</summary>
    public bool TryGetEntry(string name, [MaybeNullWhen(false)] out TarIndexEntry entry)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _entries.TryGetValue(Normalize(name, ArchiveName, "the requested path", -1, _limits.MaxNameLength) ?? string.Empty, out entry);
    }

    /// <summary>
    /// Finds <paramref name="path"/>, following symbolic links (relative to the link's directory, component by component)
    /// and hard links (relative to the archive root) inside the archive's own namespace, at most
    /// <see cref="TarIndexLimits.MaxLinkHops"/> times. False when the path or a link target does not exist.
    /// </summary>
    /// <exception cref="OciFormatException">A link escapes the archive root, is absolute, or links loop.</exception>
    public bool TryResolve(string path, [MaybeNullWhen(false)] out TarIndexEntry entry)
    {
        ArgumentNullException.ThrowIfNull(path);
        var hops = 0;
        return TryResolve(path, path, ref hops, out entry);
    }

    private bool TryResolve(string path, string requested, ref int hops, [MaybeNullWhen(false)] out TarIndexEntry entry)
    {
        entry = null;
        var via = string.Empty;
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw Refused(requested, "contains a NUL character");
        }

        if (path.StartsWith('/'))
        {
            throw Refused(requested, $"is the absolute path '{path}', outside the archive");
        }

        var pending = new List<string>(path.Split('/'));
        var resolved = new List<string>();
        while (pending.Count > 0)
        {
            var component = pending[0];
            pending.RemoveAt(0);
            if (component is "" or ".")
            {
                continue;
            }

            if (component == "..")
            {
                if (resolved.Count == 0)
                {
                    throw Refused(requested, $"escapes the archive root{via}");
                }

                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }

            resolved.Add(component);
            if (!_entries.TryGetValue(string.Join('/', resolved), out var found) || found.Type != TarIndexEntryType.SymbolicLink)
            {
                continue;
            }

            var target = found.LinkTarget ?? string.Empty;
            via = $" through symbolic link '{found.Name}' -> '{target}'";
            if (++hops > _limits.MaxLinkHops)
            {
                throw Refused(requested, $"needs more than {_limits.MaxLinkHops} link hops{via} (a link loop?)");
            }

            if (target.StartsWith('/'))
            {
                throw Refused(requested, $"leads to an absolute path outside the archive{via}");
            }

            // The target replaces the link, relative to the link's directory; the rest of the path follows it.
            resolved.RemoveAt(resolved.Count - 1);
            pending.InsertRange(0, target.Split('/'));
            if (pending.Count > _limits.MaxNameLength)
            {
                throw Refused(requested, $"expands to more than {_limits.MaxNameLength} path components{via}");
            }
        }

        if (!_entries.TryGetValue(string.Join('/', resolved), out var final))
        {
            return false;
        }

        if (final.Type == TarIndexEntryType.HardLink)
        {
            if (++hops > _limits.MaxLinkHops)
            {
                throw Refused(requested, $"needs more than {_limits.MaxLinkHops} link hops through hard link '{final.Name}' (a link loop?)");
            }

            // Hard link targets are archive names, relative to the root.
            return TryResolve(final.LinkTarget ?? string.Empty, requested, ref hops, out entry);
        }

        entry = final;
        return true;
    }

    private OciFormatException Refused(string requested, string rule) =>
        new($"archive {ArchiveName}: path '{requested}' {rule}. The archive is malformed or hostile; do not use it.");

    /// <summary>
    /// A new, independent read-only stream over the data of a file entry (its own file handle, so entries can be read in
    /// parallel). Its length is the entry's length; the stream throws if the archive turns out shorter than indexed.
    /// </summary>
    public Stream OpenEntry(TarIndexEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!_entries.TryGetValue(entry.Name, out var known) || known != entry)
        {
            throw new ArgumentException($"entry '{entry.Name}' does not belong to the index of {ArchiveName}", nameof(entry));
        }

        if (entry.Type is not (TarIndexEntryType.File or TarIndexEntryType.Other))
        {
            throw new ArgumentException($"entry '{entry.Name}' of {ArchiveName} is a {entry.Type}, which has no data; resolve links with TryResolve first", nameof(entry));
        }

        var file = new FileStream(ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        try
        {
            if (Compression == LayerCompression.None)
            {
                file.Position = entry.DataOffset;
                return new TarEntryStream(file, entry.Length, ArchiveName, entry.Name, skip: 0);
            }

            var decompressed = LayerDecompression.Open(file, Compression, leaveOpen: false, ArchiveName);
            return new TarEntryStream(decompressed, entry.Length, ArchiveName, entry.Name, skip: entry.DataOffset);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Normalises a tar name: drops empty and '.' components (so <c>./x/</c> is <c>x</c>). Returns null for the root
    /// itself. Throws for an absolute name, a '..' component, a NUL or a name over the length limit.
    /// </summary>
    internal static string? Normalize(string name, string archiveName, string what, long headerOffset, int maxLength)
    {
        string Where() => headerOffset >= 0 ? $" (header at offset {headerOffset})" : string.Empty;
        if (Encoding.UTF8.GetByteCount(name) > maxLength)
        {
            throw new OciFormatException(
                $"archive {archiveName}: {what} '{name[..Math.Min(name.Length, 64)]}…'{Where()} is longer than {maxLength} bytes. The archive is malformed or hostile.");
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new OciFormatException($"archive {archiveName}: {what} '{name.Replace("\0", "\\0", StringComparison.Ordinal)}'{Where()} contains a NUL character. The archive is malformed or hostile.");
        }

        if (name.StartsWith('/'))
        {
            throw new OciFormatException($"archive {archiveName}: {what} '{name}'{Where()} is an absolute path; archive entries must be relative. The archive is malformed or hostile.");
        }

        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var kept = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            if (part == "..")
            {
                throw new OciFormatException($"archive {archiveName}: {what} '{name}'{Where()} has a '..' component, which could escape the archive root. The archive is malformed or hostile.");
            }

            if (part != ".")
            {
                kept.Add(part);
            }
        }

        return kept.Count == 0 ? null : string.Join('/', kept);
    }

    /// <summary>One pass over the headers.</summary>
    private sealed class Scanner(Stream source, long? fileLength, string archiveName, TarIndexLimits limits)
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        private readonly byte[] _header = new byte[BlockSize];
        private long _position;
        private bool _ended;
        private string? _paxPath;
        private string? _paxLinkPath;
        private long? _paxSize;
        private string? _longName;
        private string? _longLink;
        private long _firstHeader = -1;

        public Dictionary<string, TarIndexEntry> Entries { get; } = new(StringComparer.Ordinal);

        public List<string> Order { get; } = [];

        public void Run()
        {
            var count = 0;
            while (!_ended)
            {
                var headerOffset = _position;
                var n = ReadFully(_header);
                if (n == 0)
                {
                    break; // no end-of-archive blocks: umoci and others stop right after the last entry
                }

                if (n < BlockSize)
                {
                    throw Malformed(headerOffset, $"ends inside a header block ({n} of {BlockSize} bytes)", "The archive is truncated; re-create or re-fetch it.");
                }

                if (_header.AsSpan().IndexOfAnyExcept((byte)0) < 0)
                {
                    break; // end of archive: anything after the first zero block is ignored, like GNU tar does
                }

                VerifyChecksum(headerOffset);
                _firstHeader = _firstHeader < 0 ? headerOffset : _firstHeader;
                var typeFlag = (char)_header[156];
                var size = ParseNumber(124, 12, "size", headerOffset);
                switch (typeFlag)
                {
                    case 'x':
                        ParsePax(ReadMeta(size, limits.MaxExtendedHeaderLength, "pax extended header", headerOffset), headerOffset, global: false);
                        continue;
                    case 'g':
                        ParsePax(ReadMeta(size, limits.MaxExtendedHeaderLength, "pax global header", headerOffset), headerOffset, global: true);
                        continue;
                    case 'L':
                        _longName = DecodeMetaName(ReadMeta(size, limits.MaxNameLength + 1, "GNU long name", headerOffset), headerOffset);
                        continue;
                    case 'K':
                        _longLink = DecodeMetaName(ReadMeta(size, limits.MaxNameLength + 1, "GNU long link name", headerOffset), headerOffset);
                        continue;
                    case 'S':
                        throw Malformed(headerOffset, "is a GNU sparse file", "Sparse entries are not supported in image archives; re-create the archive without --sparse.");
                }

                var rawName = _paxPath ?? _longName ?? HeaderName(headerOffset);
                var linkTarget = _paxLinkPath ?? _longLink ?? DecodeField(157, 100, "link name", headerOffset);
                size = _paxSize ?? size;
                var type = typeFlag switch
                {
                    '0' or '\0' or '7' => rawName.EndsWith('/') ? TarIndexEntryType.Directory : TarIndexEntryType.File,
                    '1' => TarIndexEntryType.HardLink,
                    '2' => TarIndexEntryType.SymbolicLink,
                    '5' => TarIndexEntryType.Directory,
                    _ => TarIndexEntryType.Other,
                };

                // Like Go's archive/tar: links, devices, directories and FIFOs carry no data whatever the size field says.
                var dataLength = typeFlag is '1' or '2' or '3' or '4' or '5' or '6' || type == TarIndexEntryType.Directory ? 0 : size;
                var name = Normalize(rawName, archiveName, "entry", headerOffset, limits.MaxNameLength);
                if (type is TarIndexEntryType.HardLink or TarIndexEntryType.SymbolicLink)
                {
                    if (linkTarget.Length == 0)
                    {
                        throw Malformed(headerOffset, $"entry '{rawName}' is a {type} with an empty target", "The archive is malformed.");
                    }

                    if (Encoding.UTF8.GetByteCount(linkTarget) > limits.MaxNameLength || linkTarget.Contains('\0', StringComparison.Ordinal))
                    {
                        throw Malformed(headerOffset, $"entry '{rawName}' has a link target longer than {limits.MaxNameLength} bytes or containing NUL", "The archive is malformed or hostile.");
                    }
                }

                var dataOffset = _position;
                if (fileLength is { } total && dataLength > total - dataOffset)
                {
                    throw Malformed(headerOffset, $"entry '{rawName}' has {dataLength} bytes of data at offset {dataOffset}, past the end of the {total}-byte file", "The archive is truncated; re-create or re-fetch it.");
                }

                Skip(dataLength, rawName, headerOffset);
                if (name is null)
                {
                    if (type != TarIndexEntryType.Directory)
                    {
                        throw Malformed(headerOffset, $"entry '{rawName}' has an empty name", "The archive is malformed.");
                    }
                }
                else
                {
                    if (++count > limits.MaxEntries)
                    {
                        throw Malformed(headerOffset, $"has more than {limits.MaxEntries} entries", "The archive is too large to index safely; raise TarIndexLimits.MaxEntries if it is legitimate.");
                    }

                    Add(new TarIndexEntry
                    {
                        Name = name,
                        Type = type,
                        DataOffset = dataOffset,
                        Length = dataLength,
                        LinkTarget = type is TarIndexEntryType.HardLink or TarIndexEntryType.SymbolicLink ? linkTarget : null,
                        HeaderOffset = _firstHeader,
                    });
                }

                _paxPath = _paxLinkPath = _longName = _longLink = null;
                _paxSize = null;
                _firstHeader = -1;
            }

            if (_firstHeader >= 0)
            {
                throw Malformed(_firstHeader, "is an extended or long-name header with no entry after it", "The archive is truncated; re-create or re-fetch it.");
            }
        }

        private void Add(TarIndexEntry entry)
        {
            if (Entries.TryGetValue(entry.Name, out var existing))
            {
                if (existing.Type != entry.Type)
                {
                    throw Malformed(entry.HeaderOffset, $"entry '{entry.Name}' is a {entry.Type} but an earlier entry of that name is a {existing.Type}", "Duplicate names with different types make the archive ambiguous; re-create it.");
                }
            }
            else
            {
                Order.Add(entry.Name);
            }

            Entries[entry.Name] = entry; // a name written twice: the last one wins, as when extracting
        }

        private OciFormatException Malformed(long headerOffset, string rule, string action) =>
            new($"archive {archiveName}: header at offset {headerOffset} {rule}. {action}");

        private void VerifyChecksum(long headerOffset)
        {
            var stored = ParseNumber(148, 8, "checksum", headerOffset);
            long unsignedSum = 0;
            long signedSum = 0;
            for (var i = 0; i < BlockSize; i++)
            {
                var b = i is >= 148 and < 156 ? (byte)' ' : _header[i];
                unsignedSum += b;
                signedSum += (sbyte)b;
            }

            if (stored != unsignedSum && stored != signedSum)
            {
                throw Malformed(headerOffset, $"has checksum {stored} but its bytes sum to {unsignedSum}", "This is not a tar header: the archive is corrupt, truncated or not a tar file.");
            }
        }

        private long ParseNumber(int offset, int length, string field, long headerOffset)
        {
            var span = _header.AsSpan(offset, length);
            if ((span[0] & 0x80) != 0)
            {
                // GNU base-256: big-endian two's complement; only non-negative values that fit a long are meaningful here.
                if (span[0] != 0x80 || span[1..^8].IndexOfAnyExcept((byte)0) >= 0 || (span[^8] & 0x80) != 0)
                {
                    throw Malformed(headerOffset, $"has a {field} field in base-256 that is negative or too large", "The archive is corrupt.");
                }

                long value = 0;
                foreach (var b in span[^8..])
                {
                    value = (value << 8) | b;
                }

                return value;
            }

            var first = span.IndexOfAnyExcept((byte)' ');
            first = first < 0 ? span.Length : first;
            var last = first;
            while (last < span.Length && span[last] is >= (byte)'0' and <= (byte)'7')
            {
                last++;
            }

            if (span[last..].IndexOfAnyExcept((byte)0, (byte)' ') >= 0)
            {
                throw Malformed(headerOffset, $"has a {field} field that is not an octal number", "This is not a valid tar header; the archive is corrupt or not a tar file.");
            }

            long result = 0;
            foreach (var b in span[first..last])
            {
                result = (result << 3) | (long)(b - '0');
            }

            return result;
        }

        private string HeaderName(long headerOffset)
        {
            var name = DecodeField(0, 100, "name", headerOffset);

            // POSIX ustar ("ustar\0" "00") puts the leading part of long names in the prefix field; the old GNU format
            // ("ustar  \0") uses those bytes for other things.
            if (_header.AsSpan(257, 6).SequenceEqual("ustar\0"u8) && _header[345] != 0)
            {
                name = DecodeField(345, 155, "name prefix", headerOffset) + "/" + name;
            }

            return name;
        }

        private string DecodeField(int offset, int length, string field, long headerOffset)
        {
            var span = _header.AsSpan(offset, length);
            var end = span.IndexOf((byte)0);
            return Decode(end < 0 ? span : span[..end], field, headerOffset);
        }

        private string Decode(ReadOnlySpan<byte> bytes, string field, long headerOffset)
        {
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException e)
            {
                throw new OciFormatException($"archive {archiveName}: header at offset {headerOffset} has a {field} that is not valid UTF-8. Image archives use UTF-8 names; the archive is corrupt.", e);
            }
        }

        private string DecodeMetaName(byte[] data, long headerOffset)
        {
            var end = Array.IndexOf(data, (byte)0);
            return Decode(end < 0 ? data : data.AsSpan(0, end), "GNU long name", headerOffset);
        }

        private byte[] ReadMeta(long size, int max, string what, long headerOffset)
        {
            if (size > max)
            {
                throw Malformed(headerOffset, $"is a {what} of {size} bytes, more than the limit of {max}", "The archive is malformed or hostile.");
            }

            var data = new byte[size];
            if (ReadFully(data) != size)
            {
                throw Malformed(headerOffset, $"is a {what} whose data is cut off", "The archive is truncated; re-create or re-fetch it.");
            }

            SkipPadding(size);
            return data;
        }

        private void ParsePax(byte[] data, long headerOffset, bool global)
        {
            var rest = data.AsSpan();
            while (rest.Length > 0)
            {
                if (rest.IndexOfAnyExcept((byte)0) < 0)
                {
                    break; // some writers pad the record area with NULs
                }

                var space = rest.IndexOf((byte)' ');
                if (space is <= 0 or > 10 || !int.TryParse(rest[..space], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length) ||
                    length <= space + 1 || length > rest.Length || rest[length - 1] != (byte)'\n')
                {
                    throw Malformed(headerOffset, "is a pax header with a malformed record", "The archive is corrupt.");
                }

                var record = rest[(space + 1)..(length - 1)];
                rest = rest[length..];
                var equals = record.IndexOf((byte)'=');
                if (equals <= 0)
                {
                    throw Malformed(headerOffset, "is a pax header with a record that has no key", "The archive is corrupt.");
                }

                var key = Decode(record[..equals], "pax key", headerOffset);
                var value = record[(equals + 1)..];
                if (global)
                {
                    continue; // validated, but global defaults (comments, mtime) do not matter for an index
                }

                switch (key)
                {
                    case "path":
                        _paxPath = Decode(value, "pax path", headerOffset);
                        break;
                    case "linkpath":
                        _paxLinkPath = Decode(value, "pax linkpath", headerOffset);
                        break;
                    case "size":
                        if (!long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size))
                        {
                            throw Malformed(headerOffset, "is a pax header with a size that is not a non-negative decimal number", "The archive is corrupt.");
                        }

                        _paxSize = size;
                        break;
                }
            }
        }

        private void Skip(long length, string name, long headerOffset)
        {
            if (source.CanSeek)
            {
                _position += length;
                source.Position = _position;
            }
            else
            {
                var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
                try
                {
                    var remaining = length;
                    while (remaining > 0)
                    {
                        var n = source.Read(buffer, 0, (int)Math.Min(remaining, buffer.Length));
                        if (n == 0)
                        {
                            throw Malformed(headerOffset, $"entry '{name}' has {length} bytes of data but the archive ends after {length - remaining}", "The archive is truncated; re-create or re-fetch it.");
                        }

                        remaining -= n;
                        _position += n;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            SkipPadding(length);
        }

        /// <summary>Skips to the next block boundary; the final padding may be missing (umoci omits it).</summary>
        private void SkipPadding(long length)
        {
            var padding = (int)((BlockSize - (length % BlockSize)) % BlockSize);
            if (padding == 0)
            {
                return;
            }

            Span<byte> discard = stackalloc byte[BlockSize];
            var n = ReadFully(discard[..padding]);
            _ended = n < padding;
        }

        private int ReadFully(Span<byte> buffer)
        {
            var total = source.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            _position += total;
            return total;
        }
    }
}
