using System.Diagnostics;
using System.Text;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Trees;

namespace Signet.Scanning.Tests.Trees;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DirectoryFileTreeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("signet-dirtree-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("signet-outside-").FullName;

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    [Fact]
    public void Open_LinksPointingOutside_NeverLeaveTheRoot()
    {
        Write("usr/lib/os-release", "ID=inside\n");
        Write(Path.Combine(_outside, "secret"), "outside", absolute: true);
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        File.CreateSymbolicLink(Path.Combine(_root, "etc/os-release"), "/usr/lib/os-release");
        File.CreateSymbolicLink(Path.Combine(_root, "escape"), _outside);
        File.CreateSymbolicLink(Path.Combine(_root, "dotdot"), "../../../../../../" + _outside.TrimStart('/') + "/secret");

        var tree = DirectoryFileTree.Open(_root, "dir:test");

        Assert.True(tree.TryResolveFile("etc/os-release", out var release));
        Assert.Equal("usr/lib/os-release", release.Path);
        Assert.False(tree.TryResolveFile("escape/secret", out _));
        Assert.False(tree.TryResolveFile("dotdot", out _));
        Assert.Equal(["usr/lib/os-release"], tree.Files.Select(f => f.Path));
        Assert.Null(tree.LayerOf("usr/lib/os-release"));
    }

    [Fact]
    public async Task ReadFilesAsync_FifoWithExecuteBit_DoesNotBlockTheScan()
    {
        Write("bin/tool", "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(_root, "bin/tool"), (UnixFileMode)0b111_101_101);
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(_root, "bin/fifo")))
        {
            await mkfifo.WaitForExitAsync();
        }

        File.SetUnixFileMode(Path.Combine(_root, "bin/fifo"), (UnixFileMode)0b111_101_101);
        var tree = DirectoryFileTree.Open(_root, "dir:test");
        var seen = new List<(string, string)>();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await tree.ReadFilesAsync(
            [.. tree.Files],
            async (files, content, token) =>
            {
                using var reader = new StreamReader(content, Encoding.UTF8);
                var text = await reader.ReadToEndAsync(token);
                lock (seen)
                {
                    seen.Add((files[0].Path, text));
                }
            },
            2,
            timeout.Token);

        Assert.Equal([("bin/fifo", string.Empty), ("bin/tool", "#!/bin/sh\n")], seen.Order());
    }

    [Fact]
    public async Task ScanAsync_DirectoryTree_DetectsDistributionThroughAbsoluteLink()
    {
        Write("usr/lib/os-release", "ID=alpine\nVERSION_ID=3.19.1\n");
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        File.CreateSymbolicLink(Path.Combine(_root, "etc/os-release"), "/usr/lib/os-release");

        var result = await CatalogEngine.ScanAsync(DirectoryFileTree.Open(_root, "dir:test"), ScanKind.RootFilesystem, []);

        Assert.Equal("alpine-3.19.1", result.Distribution!.DistroQualifier);
        Assert.Equal(1, result.FilesRead);
    }

    [Fact]
    public void Open_MissingDirectory_SaysWhatToGive()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => DirectoryFileTree.Open(Path.Combine(_root, "absent"), "dir:absent"));

        Assert.Contains("is not a directory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SkippedDirectoryNames_AreNotEntered()
    {
        Write(".git/config", "[core]");
        Write("src/package.json", "{}");

        var tree = DirectoryFileTree.Open(_root, "fs:test", new HashSet<string>(StringComparer.Ordinal) { ".git" });

        Assert.Equal(["src/package.json"], tree.Files.Select(f => f.Path));
    }

    private void Write(string path, string content, bool absolute = false)
    {
        var full = absolute ? path : Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }
}
