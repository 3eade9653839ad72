using System.ComponentModel;
using System.Diagnostics;

namespace Signet.Testing.Tools;

/// <summary>What a finished process printed.</summary>
public sealed record ToolResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs a real command-line tool (openssl, python3, zstd, gzip, tar, skopeo, umoci) as a process from a test, with
/// <c>LC_ALL=C</c>; fails with its stderr when it fails, is missing or does not finish within three minutes. Only the
/// process started here is ever waited on or killed.
/// </summary>
public static class Tool
{
    /// <summary>Debian's interpreter: python3-nacl is installed for it, not for a pyenv or venv python3 earlier on PATH.</summary>
    public const string SystemPython = "/usr/bin/python3";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs the tool and returns its stdout; throws when it exits with anything but 0.</summary>
    public static string Run(string fileName, params string[] arguments) => Run(fileName, (IEnumerable<string>)arguments);

    /// <summary>
    /// Runs the tool in <paramref name="workingDirectory"/> (default: the current one), optionally with a file as stdin
    /// and its stdout written to a file (then the result is empty); returns its stdout, throws when it exits with
    /// anything but 0.
    /// </summary>
    public static string Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, string? stdinFile = null, string? stdoutFile = null) =>
        Task.Run(() => RunAsync(fileName, arguments, workingDirectory, stdinFile, stdoutFile)).GetAwaiter().GetResult();

    /// <summary>Runs the tool and returns its stdout; throws when it exits with anything but 0.</summary>
    public static Task<string> RunAsync(string fileName, params string[] arguments) => RunAsync(fileName, arguments, null, null, null);

    /// <summary>Runs the tool and returns what it printed, whatever its exit code.</summary>
    public static Task<ToolResult> TryRunAsync(string fileName, params string[] arguments) => TryRunAsync(fileName, arguments, null, null, null);

    private static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory, string? stdinFile, string? stdoutFile)
    {
        var list = arguments.ToList();
        var result = await TryRunAsync(fileName, list, workingDirectory, stdinFile, stdoutFile).ConfigureAwait(false);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"{fileName} {string.Join(' ', list)} exited with {result.ExitCode}: {result.Stderr}");
    }

    private static async Task<ToolResult> TryRunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory, string? stdinFile, string? stdoutFile)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdinFile is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
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
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"'{fileName}' is not installed; this test runs the real tool (scripts/install-test-deps.sh installs it)", e);
        }

        using (process)
        {
            var stdout = stdoutFile is null
                ? process.StandardOutput.ReadToEndAsync()
                : CopyToFileAsync(process.StandardOutput.BaseStream, stdoutFile);
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdinFile is not null)
            {
                await using (var input = File.OpenRead(stdinFile))
                {
                    await input.CopyToAsync(process.StandardInput.BaseStream).ConfigureAwait(false);
                }

                process.StandardInput.Close();
            }

            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {Timeout.TotalMinutes} minutes");
            }

            return new ToolResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
    }

    private static async Task<string> CopyToFileAsync(Stream source, string path)
    {
        await using var file = File.Create(path);
        await source.CopyToAsync(file).ConfigureAwait(false);
        return string.Empty;
    }
}
