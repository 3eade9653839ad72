using System.Formats.Tar;
using Signet.Oci.Archives;
using Signet.Testing;
using Signet.Testing.Tools;

namespace Signet.Oci.Tests.Archives;

public sealed class TarStreamWriterTests
{
    internal static readonly string LongName = "deep/" + new string('d', 120) + "/" + new string('f', 130) + ".json";

    internal static async Task<byte[]> WriteSampleAsync(DateTimeOffset? mtime = null)
    {
        using var output = new MemoryStream();
        await using (var tar = new TarStreamWriter(output, leaveOpen: true, mtime))
        {
            await tar.WriteDirectoryAsync("blobs");
            await tar.WriteFileAsync("blobs/small", "hello\n"u8.ToArray());
            var big = TestBytes.Random(70_001, 1);
            await tar.WriteFileAsync("blobs/big", big.Length, new UnseekableStream(big));
            await tar.WriteFileAsync(LongName, "{}"u8.ToArray());
            await tar.WriteFileAsync("empty", ReadOnlyMemory<byte>.Empty);
            await tar.WriteSymbolicLinkAsync("latest", "blobs/small");
            await tar.FinishAsync();
        }

        return output.ToArray();
    }

    [Fact]
    public async Task WriteFileAsync_OutputListedByGnuTar_ShowsEntriesWithDeterministicOwners()
    {
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir.Combine("out.tar"), await WriteSampleAsync());
        var listing = Tool.Run("tar", ["--numeric-owner", "--full-time", "-tvf", "out.tar"], dir.Path);
        var lines = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .ToArray();
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("drwxr-xr-x 0/0 0 1970-01-01 00:00:00 blobs/", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("-rw-r--r-- 0/0 6 1970-01-01 00:00:00 blobs/small", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("-rw-r--r-- 0/0 70001 ", lines[2], StringComparison.Ordinal);
        Assert.EndsWith(LongName, lines[3], StringComparison.Ordinal);
        Assert.EndsWith("latest -> blobs/small", lines[5], StringComparison.Ordinal);

        Tool.Run("tar", ["-xf", "out.tar"], dir.Path);
        Assert.Equal(TestBytes.Random(70_001, 1), await File.ReadAllBytesAsync(dir.Combine("blobs/big")));
        Assert.Equal("{}", await File.ReadAllTextAsync(Path.Combine(dir.Path, LongName)));
    }

    [Fact]
    public async Task WriteFileAsync_OutputReadByTarReader_MatchesWhatWasWritten()
    {
        var mtime = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
        using var reader = new TarReader(new MemoryStream(await WriteSampleAsync(mtime)));
        var entries = new List<(string Name, TarEntryType Type, byte[] Data, string Link)>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            Assert.Equal(mtime, entry.ModificationTime);
            Assert.Equal(0, entry.Uid);
            Assert.Equal(0, entry.Gid);
            entries.Add((entry.Name, entry.EntryType, entry.DataStream is null ? [] : TestBytes.ReadAll(entry.DataStream), entry.LinkName));
        }

        Assert.Equal(["blobs/", "blobs/small", "blobs/big", LongName, "empty", "latest"], entries.Select(e => e.Name));
        Assert.Equal(TarEntryType.Directory, entries[0].Type);
        Assert.Equal("hello\n"u8.ToArray(), entries[1].Data);
        Assert.Equal(TestBytes.Random(70_001, 1), entries[2].Data);
        Assert.Equal(TarEntryType.SymbolicLink, entries[5].Type);
        Assert.Equal("blobs/small", entries[5].Link);
    }

    [Fact]
    public async Task WriteFileAsync_SameInput_WritesIdenticalBytes()
    {
        Assert.Equal(await WriteSampleAsync(), await WriteSampleAsync());
    }

    [Theory]
    [InlineData(99)]
    [InlineData(101)]
    public async Task WriteFileAsync_ContentLengthDiffersFromSize_ThrowsAndRefusesFurtherWrites(int actual)
    {
        using var output = new MemoryStream();
        await using var tar = new TarStreamWriter(output, leaveOpen: true);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => tar.WriteFileAsync("layer.tar", 100, new UnseekableStream(new byte[actual])));
        Assert.Contains("tar entry 'layer.tar'", e.Message, StringComparison.Ordinal);
        Assert.Contains(actual < 100 ? "ended after 99 of the declared 100 bytes" : "longer than the declared 100 bytes", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => tar.FinishAsync());
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../escape")]
    [InlineData("a/../../b")]
    [InlineData("a//b")]
    [InlineData("./a")]
    [InlineData("nul\0byte")]
    [InlineData("")]
    public async Task WriteFileAsync_UnsafeName_ThrowsArgumentException(string name)
    {
        await using var tar = new TarStreamWriter(new MemoryStream());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => tar.WriteFileAsync(name, new byte[1]));
    }

    [Fact]
    public async Task FinishAsync_Twice_Throws()
    {
        await using var tar = new TarStreamWriter(new MemoryStream());
        await tar.FinishAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => tar.FinishAsync());
    }

    [Fact]
    public async Task WriteFileAsync_UnseekableOutput_Works()
    {
        var sink = new MemoryStream();
        await using (var tar = new TarStreamWriter(new UnseekableStream(sink, writable: true)))
        {
            await tar.WriteFileAsync("blob", 3, new UnseekableStream([1, 2, 3]));
            await tar.FinishAsync();
        }

        Assert.Equal(512 * 4, sink.ToArray().Length);
    }

    /// <summary>Why this writer exists: TarWriter cannot stream an unseekable entry into an unseekable archive.</summary>
    [Fact]
    public void TarWriter_UnseekableDataIntoUnseekableArchive_Throws()
    {
        var sink = new MemoryStream();
        using var writer = new TarWriter(new UnseekableStream(sink, writable: true), TarEntryFormat.Pax, leaveOpen: true);
        var entry = new PaxTarEntry(TarEntryType.RegularFile, "x") { DataStream = new UnseekableStream(new byte[1000]) };
        var e = Assert.Throws<IOException>(() => writer.WriteEntry(entry));
        Assert.Contains("unseekable", e.Message, StringComparison.Ordinal);
    }

    /// <summary>And with a seekable archive it reads the whole entry into memory before writing anything.</summary>
    [Fact]
    public void TarWriter_UnseekableDataIntoSeekableArchive_BuffersWholeEntry()
    {
        var data = new CountingStream(new byte[3_000_000]);
        var sink = new FirstWriteStream(data);
        using (var writer = new TarWriter(sink, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "x") { DataStream = data });
        }

        Assert.Equal(3_000_000, sink.DataReadBeforeFirstWrite);
        Assert.True(sink.LargestWrite >= 3_000_000);
    }

    private sealed class CountingStream(byte[] data) : MemoryStream(data)
    {
        public long Consumed { get; private set; }

        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count) => Count(base.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(base.Read(buffer));

        private int Count(int n)
        {
            Consumed += n;
            return n;
        }
    }

    private sealed class FirstWriteStream(CountingStream data) : MemoryStream
    {
        public long DataReadBeforeFirstWrite { get; private set; } = -1;

        public int LargestWrite { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Record(count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Record(buffer.Length);
            base.Write(buffer);
        }

        private void Record(int count)
        {
            DataReadBeforeFirstWrite = DataReadBeforeFirstWrite < 0 ? data.Consumed : DataReadBeforeFirstWrite;
            LargestWrite = Math.Max(LargestWrite, count);
        }
    }

    internal sealed class UnseekableStream(Stream inner, bool writable = false) : Stream
    {
        public UnseekableStream(byte[] data)
            : this(new MemoryStream(data))
        {
        }

        public override bool CanRead => !writable;

        public override bool CanSeek => false;

        public override bool CanWrite => writable;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
