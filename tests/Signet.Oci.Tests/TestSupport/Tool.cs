using System.Diagnostics;

namespace Signet.Oci.Tests.TestSupport;

/// <summary>Runs a real command-line tool (zstd, gzip, tar, python3) from a test; fails with its stderr when it fails or is missing.</summary>
internal static class Tool
{
    public static string Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, string? stdinFile = null, string? stdoutFile = null)
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
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{fileName}' is not installed; this test runs the real tool (Debian: apt-get install -y {fileName})", e);
        }

        using (process)
        {
            var stdoutTask = stdoutFile is null
                ? process.StandardOutput.ReadToEndAsync()
                : CopyToFileAsync(process.StandardOutput.BaseStream, stdoutFile);
            var stderrTask = process.StandardError.ReadToEndAsync();
            if (stdinFile is not null)
            {
                using (var input = File.OpenRead(stdinFile))
                {
                    input.CopyTo(process.StandardInput.BaseStream);
                }

                process.StandardInput.Close();
            }

            process.WaitForExit();
            var stdout = stdoutTask.GetAwaiter().GetResult();
            var stderr = stderrTask.GetAwaiter().GetResult();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr}");
            }

            return stdout;
        }
    }

    private static async Task<string> CopyToFileAsync(Stream source, string path)
    {
        await using var file = File.Create(path);
        await source.CopyToAsync(file);
        return string.Empty;
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("signet-test-").FullName;
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

internal static class TestBytes
{
    public static byte[] Random(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Compressible but not trivial: words from a small vocabulary.</summary>
    public static byte[] Text(int length, int seed)
    {
        var random = new Random(seed);
        string[] words = ["layer", "manifest", "digest", "sha256", "blob", "index", "config", "tar", "zstd", "gzip", "\n"];
        var builder = new System.Text.StringBuilder(length + 16);
        while (builder.Length < length)
        {
            builder.Append(words[random.Next(words.Length)]).Append(' ');
        }

        return System.Text.Encoding.ASCII.GetBytes(builder.ToString(0, length));
    }

    public static byte[] ReadAll(Stream stream, int bufferSize = 81920)
    {
        using var output = new MemoryStream();
        var buffer = new byte[bufferSize];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        return output.ToArray();
    }

    public static async Task<byte[]> ReadAllAsync(Stream stream, int bufferSize = 81920)
    {
        using var output = new MemoryStream();
        var buffer = new byte[bufferSize];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        return output.ToArray();
    }
}
