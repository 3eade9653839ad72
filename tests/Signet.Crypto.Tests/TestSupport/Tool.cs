using System.Diagnostics;

namespace Signet.Crypto.Tests.TestSupport;

/// <summary>Runs a real command-line tool (openssl, Debian's python3 with python3-nacl); fails with its stderr.</summary>
internal static class Tool
{
    /// <summary>Debian's interpreter: python3-nacl is installed for it, not for a pyenv or venv python3 earlier on PATH.</summary>
    public const string SystemPython = "/usr/bin/python3";

    public static string Run(string fileName, params string[] arguments)
    {
        var (exitCode, stdout, stderr) = RunWithExitCode(fileName, arguments);
        return exitCode == 0
            ? stdout
            : throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {exitCode}: {stderr}");
    }

    public static (int ExitCode, string Stdout, string Stderr) RunWithExitCode(string fileName, params string[] arguments)
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
            throw new InvalidOperationException($"'{fileName}' is not installed; this test runs the real tool (scripts/install-test-deps.sh installs it)", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("signet-crypto-test-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

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
    }
}
