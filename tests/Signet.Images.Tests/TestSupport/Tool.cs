using System.Diagnostics;

namespace Signet.Images.Tests.TestSupport;

/// <summary>What a finished process printed.</summary>
internal sealed record ToolResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs a real command-line tool (skopeo, umoci, tar) as a process from a test; fails with its stderr when it fails or is
/// missing. Only the process started here is ever waited on or killed.
/// </summary>
internal static class Tool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static async Task<string> RunAsync(string fileName, params string[] arguments)
    {
        var result = await TryRunAsync(fileName, arguments);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {result.ExitCode}: {result.Stderr}");
    }

    public static async Task<ToolResult> TryRunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{fileName}' is not installed; this test runs the real tool (Debian: apt-get install -y skopeo umoci docker-registry)", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {Timeout.TotalMinutes} minutes");
            }

            return new ToolResult(process.ExitCode, await stdout, await stderr);
        }
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("signet-images-test-").FullName;
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory is not a test failure.
        }
        catch (UnauthorizedAccessException)
        {
            // As above (a test made something read-only).
        }
    }
}
