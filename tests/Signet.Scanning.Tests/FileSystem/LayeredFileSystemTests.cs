using System.Formats.Tar;
using FsCheck;
using FsCheck.Fluent;
using Signet.Scanning.FileSystem;
using Signet.Testing;

namespace Signet.Scanning.Tests.FileSystem;

public sealed class LayeredFileSystemTests
{
    private static TestLayer Layer() => new();

    [Fact]
    public async Task BuildAsync_FileReplacedInUpperLayer_AttributesAndReadsUpperVersion()
    {
        var fs = await TestLayer.BuildAsync(
            Layer().Directory("etc").File("etc/motd", "old").File("etc/keep", "kept"),
            Layer().File("etc/motd", "new", (UnixFileMode)0b110_000_000));

        Assert.True(fs.TryGetEntry("/etc/motd", out var motd));
        Assert.Equal(1, motd.Layer.Index);
        Assert.Equal("layer 1", motd.Layer.CreatedBy);
        Assert.Equal(fs.Layers[1].Digest, motd.Layer.DiffId);
        Assert.Equal((UnixFileMode)0b110_000_000, motd.Mode);
        Assert.Equal("new", await TestLayer.ReadAsync(fs, "etc/motd"));
        Assert.True(fs.TryGetEntry("etc/keep", out var keep));
        Assert.Equal(0, keep.Layer.Index);
        Assert.Equal("kept", await TestLayer.ReadAsync(fs, "etc/keep"));
    }

    [Fact]
    public async Task BuildAsync_LayerNotMatchingItsDiffId_IsRefusedWithLfs1007()
    {
        var tar = Layer().File("etc/motd", "hello").ToArray();
        var other = Layer().File("etc/motd", "other").ToArray();
        var layer = new LayerInfo { Index = 0, Digest = Signet.Oci.Digest.Compute(tar), DiffId = Signet.Oci.Digest.Compute(other) };

        var e = await Assert.ThrowsAsync<LayerFormatException>(() =>
            LayeredFileSystem.BuildAsync([layer], (_, _) => Task.FromResult<Stream>(new MemoryStream(tar, writable: false))));

        Assert.Equal(LayerCodes.DiffIdMismatch, e.Code);
        Assert.Contains(layer.DiffId!.Value.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_PaddingAfterEndOfArchive_CountsForTheDiffId()
    {
        var tar = Layer().File("a", "x").ToArray().Concat(new byte[10240]).ToArray();
        var layer = new LayerInfo { Index = 0, Digest = Signet.Oci.Digest.Compute(tar), DiffId = Signet.Oci.Digest.Compute(tar) };

        var fs = await LayeredFileSystem.BuildAsync([layer], (_, _) => Task.FromResult<Stream>(new MemoryStream(tar, writable: false)));

        Assert.True(fs.TryGetEntry("a", out _));
    }

    [Fact]
    public async Task BuildAsync_WhiteoutOfFile_RemovesOnlyThatFile()
    {
        var fs = await TestLayer.BuildAsync(
            Layer().File("etc/secret", "s").File("etc/other", "o"),
            Layer().Whiteout("etc/secret"));

        Assert.False(fs.TryGetEntry("etc/secret", out _));
        Assert.False(fs.TryGetEntry("etc/.wh.secret", out _));
        Assert.True(fs.TryGetEntry("etc/other", out _));
    }

    [Fact]
    public async Task BuildAsync_WhiteoutOfDirectory_RemovesDirectoryAndDescendants()
    {
        var fs = await TestLayer.BuildAsync(
            Layer().Directory("data").Directory("data/dir1").File("data/dir1/a", "a").File("data/dir1/sub/b", "b").File("data/dir10", "x").File("data/dir1.txt", "t").File("data/dir0", "z"),
            Layer().Whiteout("data/dir1"));

        Assert.Equal(["data", "data/dir0", "data/dir1.txt", "data/dir10"], fs.Entries.Select(e => e.Path));
    }

    [Fact]
    public async Task BuildAsync_OpaqueDirectory_HidesLowerChildrenButKeepsSameLayerOnes()
    {
        var fs = await TestLayer.BuildAsync(
            Layer().Directory("opt/app").File("opt/app/old1.txt", "1").File("opt/app/lib/old2.txt", "2").File("opt/other", "o"),
            Layer().File("opt/app/new.txt", "n").Opaque("opt/app"));

        Assert.Equal(["opt", "opt/app", "opt/app/new.txt", "opt/other"], fs.Entries.Select(e => e.Path));
        Assert.Equal("n", await TestLayer.ReadAsync(fs, "opt/app/new.txt"));
    }

    [Fact]
    public async Task BuildAsync_WhiteoutInSameLayerAsFile_DoesNotHideIt()
    {
        var fs = await TestLayer.BuildAsync(
            Layer().File("a", "lower"),
            Layer().File("a", "upper").Whiteout("a"));

        Assert.Equal("upper", await TestLayer.ReadAsync(fs, "a"));
    }

    [Fact]
    public async Task BuildAsync_WhiteoutOfMissingPath_IsIgnored()
    {
        var fs = await TestLayer.BuildAsync(
            Layer().File("a", "a"),
            Layer().Whiteout("nothing/here").Whiteout("b"));

        Assert.Equal(["a"], fs.Entries.Select(e => e.Path));
    }

    [Fact]
    public async Task BuildAsync_HardLinkToLowerLayerFile_SharesContentAndSurvivesTargetReplacement()
    {
        var fs = await TestLayer.BuildAsync(
            Layer().File("data/hard1", "shared", (UnixFileMode)0b111_101_101),
            Layer().HardLink("data/hard3", "data/hard1"),
            Layer().File("data/hard1", "replaced"));

        Assert.True(fs.TryGetEntry("data/hard3", out var link));
        Assert.Equal(FileEntryType.File, link.Type);
        Assert.Equal("data/hard1", link.HardLinkTarget);
        Assert.Equal(1, link.Layer.Index);
        Assert.Equal((UnixFileMode)0b111_101_101, link.Mode);
        Assert.Equal("shared", await TestLayer.ReadAsync(fs, "data/hard3"));
        Assert.Equal("replaced", await TestLayer.ReadAsync(fs, "data/hard1"));
    }

    [Fact]
    public async Task BuildAsync_HardLinkToMissingTarget_IsRefused()
    {
        var error = await Assert.ThrowsAsync<LayerFormatException>(() => TestLayer.BuildAsync(Layer().HardLink("a", "missing")));

        Assert.Equal(LayerCodes.BrokenHardLink, error.Code);
        Assert.Contains("hard link a points to missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryResolve_SymlinkChain_FollowsRelativeAndAbsoluteLinks()
    {
        var fs = await TestLayer.BuildAsync(
            Layer().File("etc/motd", "hello").Symlink("etc/motd.abs", "/etc/motd").Symlink("data/motd.rel", "../etc/motd.abs").Symlink("lnk", "data"));

        Assert.Equal("hello", await TestLayer.ReadAsync(fs, "lnk/motd.rel"));
        Assert.True(fs.TryResolve("/lnk/motd.rel", out var entry));
        Assert.Equal("etc/motd", entry.Path);
        Assert.True(fs.TryGetEntry("lnk", out var link));
        Assert.Equal(FileEntryType.SymbolicLink, link.Type);
        Assert.Equal("data", link.LinkTarget);
    }

    [Theory]
    [InlineData("/../../etc/passwd")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("/etc/../../../etc/passwd")]
    public async Task TryResolve_LinkEscapingRoot_IsClampedToImageRoot(string target)
    {
        var fs = await TestLayer.BuildAsync(Layer().File("etc/passwd", "image passwd").Symlink("usr/escape", target));

        Assert.Equal("image passwd", await TestLayer.ReadAsync(fs, "usr/escape"));
        Assert.Equal("image passwd", await TestLayer.ReadAsync(fs, "../../etc/passwd"));
    }

    [Fact]
    public async Task TryResolve_SymlinkLoop_ReturnsFalseAfterHopLimit()
    {
        var fs = await TestLayer.BuildAsync(Layer().Symlink("a", "b").Symlink("b", "/a").Symlink("self", "self/x"));

        Assert.False(fs.TryResolve("a", out _));
        Assert.False(fs.TryResolve("self", out _));
        Assert.True(fs.TryGetEntry("a", out _));
    }

    [Fact]
    public async Task TryResolve_ThroughFile_ReturnsFalse()
    {
        var fs = await TestLayer.BuildAsync(Layer().File("f", "x"));

        Assert.False(fs.TryResolve("f/child", out _));
        Assert.False(fs.TryResolve("missing", out _));
        Assert.False(fs.TryResolve("/", out _));
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../b")]
    public async Task BuildAsync_DotDotInEntryName_IsRefused(string name)
    {
        var error = await Assert.ThrowsAsync<LayerFormatException>(() => TestLayer.BuildAsync(Layer().File(name, "x")));

        Assert.Equal(LayerCodes.UnsafeName, error.Code);
        Assert.StartsWith("LFS1002: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'..'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_AbsoluteEntryName_IsMadeRelative()
    {
        var fs = await TestLayer.BuildAsync(Layer().File("/etc/abs", "x").File("./etc/dot", "y"));

        Assert.Equal(["etc", "etc/abs", "etc/dot"], fs.Entries.Select(e => e.Path));
    }

    [Fact]
    public async Task BuildAsync_FileReplacingDirectory_RemovesItsChildren()
    {
        var fs = await TestLayer.BuildAsync(Layer().File("d/x", "x"), Layer().File("d", "now a file"));

        Assert.Equal(["d"], fs.Entries.Select(e => e.Path));
    }

    [Fact]
    public async Task BuildAsync_TooManyEntries_IsRefused()
    {
        var tar = Layer().File("a", "1").File("b", "2").File("c", "3").ToArray();

        var error = await Assert.ThrowsAsync<LayerFormatException>(() => TestLayer.BuildAsync([tar], new LayeredFileSystemLimits { MaxEntries = 2 }));

        Assert.Equal(LayerCodes.TooManyEntries, error.Code);
        Assert.Contains("more than 2 tar entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_TruncatedLayer_IsRefused()
    {
        var tar = Layer().File("a", new string('x', 2000)).ToArray();

        var error = await Assert.ThrowsAsync<LayerFormatException>(() => TestLayer.BuildAsync([tar[..1100]]));

        Assert.Equal(LayerCodes.MalformedTar, error.Code);
        Assert.Contains("is not a valid tar", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenReadAsync_LayerChangedSinceIndexed_IsRefused()
    {
        var tars = new[] { Layer().File("a", "short").ToArray() };
        var fs = await TestLayer.BuildAsync(tars);
        Assert.True(fs.TryGetEntry("a", out var entry));
        tars[0] = Layer().File("a", "longer content").ToArray();

        var error = await Assert.ThrowsAsync<LayerFormatException>(() => fs.OpenReadAsync(entry));

        Assert.Equal(LayerCodes.LayerChanged, error.Code);
    }

    [Fact]
    public async Task BuildAsync_LongNames_AreRead()
    {
        var name = string.Join('/', Enumerable.Range(0, 30).Select(i => $"directory{i:D2}")) + "/file";
        var gnu = new MemoryStream();
        using (var writer = new TarWriter(gnu, TarEntryFormat.Gnu, leaveOpen: true))
        {
            writer.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, "gnu-link") { LinkName = name });
            writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("g"u8.ToArray()) });
        }

        var fs = await TestLayer.BuildAsync([gnu.ToArray()]);

        Assert.True(fs.TryGetEntry(name, out _));
        Assert.Equal("g", await TestLayer.ReadAsync(fs, "gnu-link"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(509)]
    public async Task BuildAsync_TarEndingAfterLastData_IsAcceptedWithOrWithoutPadding(int keptAfterData)
    {
        var tar = Layer().File("a", "abc").ToArray();

        var dataEnd = tar.Length - 1024 - 512 + 3; // before the two end-of-archive blocks and the data's padding

        var fs = await TestLayer.BuildAsync([tar[..(dataEnd + keptAfterData)]]);

        Assert.Equal("abc", await TestLayer.ReadAsync(fs, "a"));
    }

    [Fact]
    public async Task BuildAsync_LinkTargetOverLimit_IsRefused()
    {
        var tar = Layer().Symlink("a", new string('t', 300)).ToArray();

        var error = await Assert.ThrowsAsync<LayerFormatException>(() => TestLayer.BuildAsync([tar], new LayeredFileSystemLimits { MaxNameLength = 255 }));

        Assert.Equal(LayerCodes.UnsafeName, error.Code);
    }

    [Fact]
    public async Task BuildAsync_NameOverLimit_IsRefused()
    {
        var tar = Layer().File(new string('n', 300), "x").ToArray();

        var error = await Assert.ThrowsAsync<LayerFormatException>(() => TestLayer.BuildAsync([tar], new LayeredFileSystemLimits { MaxNameLength = 255 }));

        Assert.Equal(LayerCodes.UnsafeName, error.Code);
    }

    [Fact]
    public void BuildAsync_MutatedLayer_FailsOnlyWithACode()
    {
        var seed = Layer().Directory("etc").File("etc/a", "content").Symlink("l", "/etc/a").HardLink("h", "etc/a").Whiteout("x").ToArray();
        var longNames = Layer().File(string.Join('/', Enumerable.Repeat("long-directory-name", 12)) + "/f", "y").ToArray();

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Mutation.Of([seed, longNames], 1, 4).ToArbitrary(), bytes =>
        {
            try
            {
                var fs = TestLayer.BuildAsync([bytes]).GetAwaiter().GetResult();
                return fs.Entries.All(e => !e.Path.Split('/').Contains(".."));
            }
            catch (LayerFormatException e)
            {
                return e.Code.StartsWith("LFS", StringComparison.Ordinal);
            }
        }));
    }
}
