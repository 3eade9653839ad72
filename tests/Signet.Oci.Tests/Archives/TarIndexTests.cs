using FsCheck;
using FsCheck.Fluent;
using Signet.Oci.Archives;
using Signet.Testing;
using Signet.Testing.Tools;

namespace Signet.Oci.Tests.Archives;

public sealed class TarIndexTests
{
    private static readonly string LongDir = new('d', 120);
    private static readonly string LongFile = new string('f', 130) + ".bin";

    /// <summary>A source tree with the shapes docker save produces, archived with GNU tar.</summary>
    private static string MakeGnuTar(TempDir dir, string format, string? compressOption = null)
    {
        var src = Path.Combine(dir.Path, "src");
        Directory.CreateDirectory(Path.Combine(src, "orig"));
        Directory.CreateDirectory(Path.Combine(src, "dup"));
        Directory.CreateDirectory(Path.Combine(src, LongDir));
        File.WriteAllBytes(Path.Combine(src, "manifest.json"), "[]"u8.ToArray());
        File.WriteAllBytes(Path.Combine(src, "orig", "layer.tar"), TestBytes.Random(10_000, 1));
        File.WriteAllBytes(Path.Combine(src, LongDir, LongFile), TestBytes.Random(700, 2));
        File.CreateSymbolicLink(Path.Combine(src, "dup", "layer.tar"), "../orig/layer.tar");
        File.CreateSymbolicLink(Path.Combine(src, "dirlink"), "orig");
        Tool.Run("ln", [Path.Combine(src, "manifest.json"), Path.Combine(src, "hard.json")]);
        var archive = Path.Combine(dir.Path, "archive.tar");
        List<string> args = ["--format=" + format, "--sort=name", "-cf", archive];
        if (compressOption is not null)
        {
            args.Insert(0, compressOption);
        }

        Tool.Run("tar", [.. args, "-C", src, "."]);
        return archive;
    }

    private static byte[] ReadEntry(TarIndex index, string path)
    {
        Assert.True(index.TryResolve(path, out var entry), $"'{path}' should resolve");
        using var stream = index.OpenEntry(entry);
        Assert.Equal(entry.Length, stream.Length);
        return TestBytes.ReadAll(stream);
    }

    [Theory]
    [InlineData("gnu", null)]
    [InlineData("pax", null)]
    [InlineData("gnu", "--gzip")]
    [InlineData("pax", "--zstd")]
    public void Open_GnuTarArchive_IndexesFilesLongNamesAndLinks(string format, string? compression)
    {
        using var dir = new TempDir();
        var index = TarIndex.Open(MakeGnuTar(dir, format, compression), "test.tar");

        Assert.Equal("[]"u8.ToArray(), ReadEntry(index, "manifest.json"));
        Assert.Equal("[]"u8.ToArray(), ReadEntry(index, "./manifest.json"));
        Assert.Equal("[]"u8.ToArray(), ReadEntry(index, "hard.json"));
        Assert.Equal(TestBytes.Random(10_000, 1), ReadEntry(index, "orig/layer.tar"));
        Assert.Equal(TestBytes.Random(10_000, 1), ReadEntry(index, "dup/layer.tar"));
        Assert.Equal(TestBytes.Random(10_000, 1), ReadEntry(index, "dirlink/layer.tar"));
        Assert.Equal(TestBytes.Random(700, 2), ReadEntry(index, LongDir + "/" + LongFile));

        Assert.True(index.TryGetEntry("dup/layer.tar", out var link));
        Assert.Equal(TarIndexEntryType.SymbolicLink, link.Type);
        Assert.Equal("../orig/layer.tar", link.LinkTarget);
        Assert.True(index.TryGetEntry("orig", out var directory));
        Assert.Equal(TarIndexEntryType.Directory, directory.Type);
        Assert.False(index.TryResolve("missing", out _));
        Assert.DoesNotContain(index.Entries, e => e.Name.StartsWith("./", StringComparison.Ordinal) || e.Name.Length == 0);
    }

    [Fact]
    public async Task OpenEntry_SeveralEntriesInParallel_ReadIndependently()
    {
        using var dir = new TempDir();
        var index = TarIndex.Open(MakeGnuTar(dir, "gnu", "--gzip"), "test.tar.gz");
        var reads = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            Assert.True(index.TryResolve(i % 2 == 0 ? "orig/layer.tar" : LongDir + "/" + LongFile, out var entry));
            await using var stream = index.OpenEntry(entry);
            return await TestBytes.ReadAllAsync(stream, 1000);
        }));
        var results = await Task.WhenAll(reads);
        Assert.All(results.Where((_, i) => i % 2 == 0), r => Assert.Equal(TestBytes.Random(10_000, 1), r));
        Assert.All(results.Where((_, i) => i % 2 == 1), r => Assert.Equal(TestBytes.Random(700, 2), r));
    }

    [Fact]
    public async Task Open_NoEndBlocksAndNoFinalPadding_IndexesAll()
    {
        using var dir = new TempDir();
        using (var output = new MemoryStream())
        {
            await using (var tar = new TarStreamWriter(output, leaveOpen: true))
            {
                await tar.WriteFileAsync("a", TestBytes.Random(1000, 3));
                await tar.WriteFileAsync("b", TestBytes.Random(100, 4));
            }

            // Cut after b's 100 data bytes: no padding, no end-of-archive blocks, as umoci writes.
            var bytes = output.ToArray();
            await File.WriteAllBytesAsync(dir.Combine("umoci.tar"), bytes[..(512 + 1024 + 512 + 100)]);
        }

        var index = TarIndex.Open(dir.Combine("umoci.tar"), "umoci.tar");
        Assert.Equal(2, index.Count);
        Assert.Equal(TestBytes.Random(100, 4), ReadEntry(index, "b"));
    }

    [Fact]
    public async Task Open_WriterOutputWithLongNames_IndexesPaxPaths()
    {
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir.Combine("w.tar"), await TarStreamWriterTests.WriteSampleAsync());
        var index = TarIndex.Open(dir.Combine("w.tar"), "w.tar");
        Assert.Equal("{}"u8.ToArray(), ReadEntry(index, TarStreamWriterTests.LongName));
        Assert.Equal("hello\n"u8.ToArray(), ReadEntry(index, "latest"));
        Assert.Empty(ReadEntry(index, "empty"));
    }

    [Theory]
    [InlineData("../../etc/passwd", "escapes the archive root")]
    [InlineData("/etc/passwd", "absolute path outside the archive")]
    [InlineData("../x/../../y", "escapes the archive root")]
    public async Task TryResolve_SymlinkOutsideArchive_ThrowsNamingLink(string target, string rule)
    {
        using var dir = new TempDir();
        await using (var tar = new TarStreamWriter(File.Create(dir.Combine("evil.tar"))))
        {
            await tar.WriteSymbolicLinkAsync("blobs/evil", target);
            await tar.FinishAsync();
        }

        var index = TarIndex.Open(dir.Combine("evil.tar"), "evil.tar");
        var e = Assert.Throws<OciFormatException>(() => index.TryResolve("blobs/evil", out _));
        Assert.Contains("archive evil.tar: path 'blobs/evil'", e.Message, StringComparison.Ordinal);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryResolve_SymlinkLoop_ThrowsAfterBoundedHops()
    {
        using var dir = new TempDir();
        await using (var tar = new TarStreamWriter(File.Create(dir.Combine("loop.tar"))))
        {
            await tar.WriteSymbolicLinkAsync("a", "b");
            await tar.WriteSymbolicLinkAsync("b", "./a");
            await tar.FinishAsync();
        }

        var index = TarIndex.Open(dir.Combine("loop.tar"), "loop.tar");
        var e = Assert.Throws<OciFormatException>(() => index.TryResolve("a", out _));
        Assert.Contains("more than 40 link hops", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Hostile archives crafted with Python's tarfile, which writes what it is told.</summary>
    [Theory]
    [InlineData("add('/etc/passwd')", "is an absolute path")]
    [InlineData("add('../outside')", "has a '..' component")]
    [InlineData("add('a/../../outside')", "has a '..' component")]
    [InlineData("add('x', pax={'path': 'a\\x00b'})", "contains a NUL character")]
    [InlineData("add('x', pax={'path': 'n' * 5000})", "is longer than 4096 bytes")]
    [InlineData("add('x'); add('x/', tarfile.DIRTYPE)", "an earlier entry of that name is a File")]
    [InlineData("add('x', typ=tarfile.SYMTYPE, link='y'); add('./x')", "an earlier entry of that name is a SymbolicLink")]
    [InlineData("[add(f'f{i}') for i in range(6)]", "has more than 5 entries")]
    public void Open_HostileArchive_ThrowsNamingArchiveEntryAndRule(string statements, string rule)
    {
        using var dir = new TempDir();
        var script = $$"""
            import io, tarfile
            t = tarfile.open('bad.tar', 'w', format=tarfile.PAX_FORMAT)
            def add(name, typ=tarfile.REGTYPE, link='', pax=None):
                info = tarfile.TarInfo(name)
                info.type = typ
                info.linkname = link
                if pax: info.pax_headers = pax
                data = b'data' if typ == tarfile.REGTYPE else b''
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            {{statements}}
            t.close()
            """;
        Tool.Run("python3", ["-c", script], dir.Path);
        var e = Assert.Throws<OciFormatException>(() => TarIndex.Open(dir.Combine("bad.tar"), "bad.tar", new TarIndexLimits { MaxEntries = 5 }));
        Assert.StartsWith("archive bad.tar: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TruncatedInsideData_ThrowsTruncated()
    {
        using var dir = new TempDir();
        var archive = MakeGnuTar(dir, "gnu");
        var bytes = File.ReadAllBytes(archive);
        var index = TarIndex.Open(archive, "t.tar");
        Assert.True(index.TryResolve("orig/layer.tar", out var entry));
        File.WriteAllBytes(archive, bytes[..(int)(entry.DataOffset + 10)]);
        var e = Assert.Throws<OciFormatException>(() => TarIndex.Open(archive, "t.tar"));
        Assert.Contains("past the end of the", e.Message, StringComparison.Ordinal);

        // An index made before the file shrank reports it on read.
        using var stream = index.OpenEntry(entry);
        var read = Assert.Throws<OciFormatException>(() => TestBytes.ReadAll(stream));
        Assert.Contains("changed or truncated after it was indexed", read.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TruncatedGzipTar_ThrowsOciFormatException()
    {
        using var dir = new TempDir();
        var archive = MakeGnuTar(dir, "gnu", "--gzip");
        var bytes = File.ReadAllBytes(archive);
        File.WriteAllBytes(archive, bytes[..(bytes.Length - 20)]);
        var e = Assert.Throws<OciFormatException>(() => TarIndex.Open(archive, "t.tar.gz"));
        Assert.Contains("archive t.tar.gz", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NotATar_ThrowsChecksumError()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Combine("x"), TestBytes.Text(2000, 5));
        var e = Assert.Throws<OciFormatException>(() => TarIndex.Open(dir.Combine("x"), "x"));
        Assert.Contains("header at offset 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_EmptyFile_HasNoEntries()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Combine("empty.tar"), []);
        Assert.Equal(0, TarIndex.Open(dir.Combine("empty.tar"), "empty.tar").Count);
    }

    [Fact]
    public void Open_RandomAndMutatedBytes_OnlyThrowsOciFormatException()
    {
        using var dir = new TempDir();
        var valid = File.ReadAllBytes(MakeGnuTar(dir, "pax"));
        var path = dir.Combine("fuzz.tar");
        var mutated = Gen.Choose(0, 50).SelectMany(count => Gen.ArrayOf(Gen.Zip(Gen.Choose(0, valid.Length - 1), Gen.Choose(0, 255)), count))
            .Select(edits =>
            {
                var copy = (byte[])valid.Clone();
                foreach (var (position, value) in edits)
                {
                    copy[position] = (byte)value;
                }

                return copy;
            });
        var truncated = Gen.Choose(0, valid.Length).Select(length => valid[..length]);
        var random = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).Select(b => b.Length > 0 ? b : [0x1f, 0x8b]);
        var inputs = Gen.OneOf(mutated, truncated, random);

        var property = Prop.ForAll(Arb.From(inputs), bytes =>
        {
            File.WriteAllBytes(path, bytes);
            try
            {
                var index = TarIndex.Open(path, "fuzz.tar", new TarIndexLimits { MaxEntries = 1000 });
                foreach (var entry in index.Entries)
                {
                    if (index.TryResolve(entry.Name, out var resolved) && resolved.Type == TarIndexEntryType.File)
                    {
                        using var stream = index.OpenEntry(resolved);
                        TestBytes.ReadAll(stream);
                    }
                }
            }
            catch (OciFormatException)
            {
                // the only acceptable failure
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }
}
