using System.Text.Json;
using Signet.Oci.Layout;

namespace Signet.Cli.Tests;

/// <summary>
/// The image <c>signet demo --dir ROOT</c> builds, made once per test class through the real CLI: an OCI layout
/// (<see cref="Layout"/>), a docker-archive and an oci-archive of it, and a copy with one flipped bit. Tests that change
/// files work on copies (<see cref="CopyLayoutDirectory"/>).
/// </summary>
public sealed class DemoImageFixture : IAsyncLifetime, IDisposable
{
    private readonly CliRunner _cli = new();

    public string Root { get; } = Directory.CreateTempSubdirectory("signet-cli-demo-").FullName;

    /// <summary><c>oci:ROOT/layout:demo</c>.</summary>
    public string Layout => $"oci:{LayoutDirectory}:demo";

    public string LayoutDirectory => Path.Combine(Root, "layout");

    /// <summary><c>docker-archive:ROOT/demo-docker.tar:signet/demo:latest</c>.</summary>
    public string DockerArchive => $"docker-archive:{Path.Combine(Root, "demo-docker.tar")}:signet/demo:latest";

    /// <summary><c>oci-archive:ROOT/demo-oci.tar:demo</c>.</summary>
    public string OciArchive => $"oci-archive:{Path.Combine(Root, "demo-oci.tar")}:demo";

    /// <summary>What <c>signet demo</c> printed.</summary>
    public CliResult Demo { get; private set; } = null!;

    /// <summary>The image's manifest digest (<c>sha256:HEX</c>), from <c>signet inspect --output json</c>.</summary>
    public string Digest { get; private set; } = null!;

    /// <summary>The layer digests in manifest order, from <c>signet inspect --output json</c>.</summary>
    public IReadOnlyList<string> Layers { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Demo = await _cli.RunAsync("demo", "--dir", Root);
        Demo.AssertExit(ExitCodes.Success);
        var inspect = await _cli.RunAsync("inspect", Layout, "--output", "json");
        inspect.AssertExit(ExitCodes.Success);
        using var json = JsonDocument.Parse(inspect.Stdout);
        Digest = json.RootElement.GetProperty("digest").GetString()!;
        Layers = [.. json.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!)];
    }

    /// <summary>Copies the demo layout's directory to a new temporary one under <see cref="Root"/>; returns its path.</summary>
    public string CopyLayoutDirectory()
    {
        var target = Path.Combine(Root, $"copy-{Guid.NewGuid():N}");
        foreach (var file in Directory.EnumerateFiles(LayoutDirectory, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(LayoutDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }

    /// <summary>The file that holds a blob in an OCI layout directory.</summary>
    public static string BlobFile(string layoutDirectory, string digest) =>
        Path.Combine(layoutDirectory, OciLayout.BlobPath(Oci.Digest.Parse(digest)));

    /// <summary>Flips one bit in the middle of a file.</summary>
    public static void FlipBit(string file)
    {
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(file, bytes);
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _cli.Dispose();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("signet-cli-test-").FullName;

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

public static class CliAssert
{
    /// <summary>Asserts the exit code; on failure the message shows the command and everything it printed.</summary>
    public static void AssertExit(this CliResult result, int expected)
    {
        ArgumentNullException.ThrowIfNull(result);
        Assert.True(result.ExitCode == expected, $"expected exit code {expected}, got {result.ExitCode}\n{result}");
    }

    /// <summary>Asserts a one-line, human message on stderr: no stack trace, no exception type names.</summary>
    public static void AssertCleanError(this CliResult result, params string[] mentions)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(mentions);
        Assert.StartsWith("signet: ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, result.Stderr, StringComparison.Ordinal);
        }
    }

    public static JsonDocument Json(this CliResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        try
        {
            return JsonDocument.Parse(result.StdoutBytes);
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"stdout is not one JSON document ({e.Message})\n{result}");
        }
    }

    /// <summary>Asserts that only the owner may read and write the file (mode 0600), where the OS has Unix modes.</summary>
    public static void AssertOwnerReadWriteOnly(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    /// <summary>The names of an object's properties, in order.</summary>
    public static string[] PropertyNames(this JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
