using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Signet.Testing.Interop;

/// <summary>
/// sigstore-js's @sigstore/mock Fulcio and Rekor served over loopback HTTP by interop/sigstore-mock.mjs (a node
/// process on 127.0.0.1 with a free port and fresh keys), with the trusted root that matches it. Disposing kills the
/// process by its PID and deletes its directory.
/// </summary>
public sealed class SigstoreMock : IAsyncDisposable
{
    /// <summary>The issuer the test tokens name.</summary>
    public const string Issuer = "https://issuer.signet.test";

    private readonly Process _process;
    private readonly DirectoryInfo _directory;

    private SigstoreMock(Process process, DirectoryInfo directory, Uri url, string trustedRoot)
    {
        _process = process;
        _directory = directory;
        Url = url;
        TrustedRoot = trustedRoot;
    }

    /// <summary>Base URL of Fulcio and Rekor (one server answers both).</summary>
    public Uri Url { get; }

    /// <summary>The trusted_root.json file naming the mock's CA, CT log and transparency log keys.</summary>
    public string TrustedRoot { get; }

    /// <summary>Starts <paramref name="script"/> (sigstore-mock.mjs) and waits until it serves.</summary>
    public static async Task<SigstoreMock> StartAsync(string script)
    {
        var modules = NpmPeers.RequireNodeModules();
        var directory = Directory.CreateTempSubdirectory("signet-sigstore-mock-");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(directory.FullName);
        start.Environment["NODE_PATH"] = modules;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var line = await process.StandardOutput.ReadLineAsync(deadline.Token)
                ?? throw new InvalidOperationException($"sigstore-mock.mjs exited before serving (exit code {(process.HasExited ? process.ExitCode : -1)}); stderr:\n{stderr}");
            using var ready = JsonDocument.Parse(line);
            return new SigstoreMock(
                process, directory, new Uri(ready.RootElement.GetProperty("url").GetString()!), ready.RootElement.GetProperty("trustedRoot").GetString()!);
        }
        catch
        {
            Stop(process);
            directory.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>
    /// An unsigned OIDC token (JWT with <c>alg: none</c>) for <paramref name="subject"/>: the mock Fulcio reads the
    /// claims without checking a signature. With <paramref name="email"/> the token carries a verified email claim.
    /// </summary>
    public static string Token(string subject, string? email = null, string issuer = Issuer)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["sub"] = subject,
            ["aud"] = "sigstore",
            ["iat"] = now,
            ["exp"] = now + 600,
        };
        if (email is not null)
        {
            claims["email"] = email;
            claims["email_verified"] = true;
        }

        return $"{Base64Url(new { alg = "none", typ = "JWT" })}.{Base64Url(claims)}.c2ln";
    }

    public async ValueTask DisposeAsync()
    {
        Stop(_process);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
        _directory.Delete(recursive: true);
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
        }
    }

    private static string Base64Url(object value) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
