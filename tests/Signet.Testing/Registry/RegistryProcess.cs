using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Signet.Testing.Registry;

/// <summary>How the test registry authenticates.</summary>
public enum RegistryAuthMode
{
    /// <summary>No authentication.</summary>
    Anonymous,

    /// <summary>HTTP Basic against an htpasswd file (bcrypt, made with <c>htpasswd -Bbn</c>).</summary>
    Htpasswd,

    /// <summary>Bearer tokens from a <see cref="TestTokenServer"/>.</summary>
    Token,
}

/// <summary>What to start. The defaults give the well-known accounts of <see cref="RegistryProcess"/>.</summary>
public sealed record RegistryOptions
{
    public RegistryAuthMode Mode { get; init; } = RegistryAuthMode.Anonymous;

    /// <summary>Htpasswd accounts (username, password).</summary>
    public ImmutableArray<(string Username, string Password)> HtpasswdUsers { get; init; } =
        [(RegistryProcess.HtpasswdUser, RegistryProcess.HtpasswdPassword)];

    /// <summary>Token-server accounts and their grants.</summary>
    public ImmutableArray<TokenAccount> TokenAccounts { get; init; } =
    [
        new(RegistryProcess.PushUser, RegistryProcess.PushPassword, [new TokenGrant("*", ["pull", "push", "delete"])], RegistryProcess.PushIdentityToken),
        new(RegistryProcess.PullUser, RegistryProcess.PullPassword, [new TokenGrant("*", ["pull"])]),
    ];

    public TokenSigningAlgorithm TokenAlgorithm { get; init; } = TokenSigningAlgorithm.ES256;

    /// <summary>The lifetime of issued tokens (<c>expires_in</c>).</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Serve HTTPS with this certificate instead of plain HTTP.</summary>
    public RegistryTls? Tls { get; init; }
}

/// <summary>A server certificate and its private key, PEM, for a registry that serves HTTPS.</summary>
public sealed record RegistryTls(string CertificatePem, string PrivateKeyPem);

/// <summary>
/// A real Distribution registry (Debian's <c>docker-registry</c>, distribution 2.8.2) serving on 127.0.0.1 with a free
/// port, its storage in a temporary directory (<see cref="StorageRoot"/>; delete enabled). Start it with
/// <see cref="StartAsync"/>; disposing stops exactly the process it started and deletes the directory.
/// </summary>
public sealed class RegistryProcess : IAsyncDisposable
{
    public const string HtpasswdUser = "alice";
    public const string HtpasswdPassword = "alice-password";
    public const string PushUser = "pusher";
    public const string PushPassword = "pusher-password";
    public const string PushIdentityToken = "pusher-refresh-token";
    public const string PullUser = "puller";
    public const string PullPassword = "puller-password";

    private const string InstallHint = "install the test dependencies with scripts/install-test-deps.sh (or: apt-get install -y docker-registry apache2-utils)";
    private const int MaxLogChars = 64 * 1024;

    private readonly Process _process;
    private bool _tls;
    private readonly StringBuilder _log;
    private readonly string _directory;

    private RegistryProcess(Process process, StringBuilder log, string directory, int port, RegistryAuthMode mode, TestTokenServer? tokenServer)
    {
        _process = process;
        _log = log;
        _directory = directory;
        Port = port;
        Mode = mode;
        TokenServer = tokenServer;
    }

    public RegistryAuthMode Mode { get; }

    public int Port { get; }

    /// <summary>The process id of the registry (the only process disposal stops).</summary>
    public int ProcessId => _process.Id;

    /// <summary><c>http://127.0.0.1:PORT</c>, or <c>https://</c> when started with <see cref="RegistryOptions.Tls"/>.</summary>
    public Uri BaseUri => new($"{(_tls ? "https" : "http")}://127.0.0.1:{Port}");

    /// <summary><c>127.0.0.1:PORT</c>, as credential stores key it.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>The filesystem driver's root: blobs are under <c>docker/registry/v2/blobs/sha256/XX/HEX/data</c>.</summary>
    public string StorageRoot => Path.Combine(_directory, "storage");

    /// <summary>The token server in <see cref="RegistryAuthMode.Token"/> mode.</summary>
    public TestTokenServer? TokenServer { get; }

    /// <summary>What the registry has printed so far (last 64 KiB), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The file that stores a blob, for tamper tests (<paramref name="digest"/> is <c>sha256:HEX</c>).</summary>
    public string BlobDataPath(string digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || digest.Length < colon + 3)
        {
            throw new ArgumentException($"'{digest}' is not a digest like sha256:HEX", nameof(digest));
        }

        var algorithm = digest[..colon];
        var hex = digest[(colon + 1)..];
        return Path.Combine(StorageRoot, "docker", "registry", "v2", "blobs", algorithm, hex[..2], hex, "data");
    }

    public static async Task<RegistryProcess> StartAsync(RegistryOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RegistryOptions();
        var registry = FindProgram("docker-registry")
            ?? throw new InvalidOperationException($"docker-registry was not found on PATH or in /usr/bin; {InstallHint}");
        var directory = Directory.CreateTempSubdirectory("signet-registry-").FullName;
        TestTokenServer? tokenServer = null;
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "storage"));
            var auth = string.Empty;
            switch (options.Mode)
            {
                case RegistryAuthMode.Htpasswd:
                    var htpasswd = Path.Combine(directory, "htpasswd");
                    await File.WriteAllTextAsync(htpasswd, await HtpasswdAsync(options.HtpasswdUsers, cancellationToken), cancellationToken);
                    auth = $"auth:\n  htpasswd:\n    realm: signet-test\n    path: {htpasswd}\n";
                    break;
                case RegistryAuthMode.Token:
                    tokenServer = await TestTokenServer.StartAsync(options.TokenAccounts, options.TokenAlgorithm, options.TokenLifetime, cancellationToken);
                    var bundle = Path.Combine(directory, "token-root.pem");
                    await File.WriteAllTextAsync(bundle, tokenServer.RootCertificatePem, cancellationToken);
                    auth = $"auth:\n  token:\n    realm: {tokenServer.Realm}\n    service: {TestTokenServer.Service}\n    issuer: {TestTokenServer.Issuer}\n    rootcertbundle: {bundle}\n";
                    break;
                case RegistryAuthMode.Anonymous:
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "unknown registry auth mode");
            }

            Exception? last = null;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var port = FreePort();
                var config = Path.Combine(directory, "config.yml");
                await File.WriteAllTextAsync(config, Config(Path.Combine(directory, "storage"), port, auth, await TlsConfigAsync(options.Tls, directory, cancellationToken)), cancellationToken);
                var log = new StringBuilder();
                var process = Launch(registry, config, log);
                var started = new RegistryProcess(process, log, directory, port, options.Mode, tokenServer) { _tls = options.Tls is not null };
                try
                {
                    await started.WaitUntilReadyAsync(options.StartTimeout, cancellationToken);
                    return started;
                }
                catch (InvalidOperationException e) when (process.HasExited && started.Log.Contains("address already in use", StringComparison.Ordinal))
                {
                    // Another process took the port between probing and binding; try a new one.
                    last = e;
                    process.Dispose();
                }
                catch
                {
                    started.StopProcess();
                    throw;
                }
            }

            throw new InvalidOperationException("docker-registry could not bind a free port in 3 attempts", last);
        }
        catch
        {
            if (tokenServer is not null)
            {
                await tokenServer.DisposeAsync();
            }

            TryDeleteDirectory(directory);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        StopProcess();
        if (TokenServer is not null)
        {
            await TokenServer.DisposeAsync();
        }

        TryDeleteDirectory(_directory);
    }

    private void StopProcess()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: false);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited on its own.
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A readiness probe only: it accepts any certificate, the tests check TLS themselves.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();
                throw new InvalidOperationException($"docker-registry exited with code {_process.ExitCode} before serving on {BaseUri}; its output:\n{Log}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUri, "/v2/"), cancellationToken);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The per-request timeout; try again.
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"docker-registry did not answer {BaseUri}v2/ within {timeout.TotalSeconds:0} s; its output:\n{Log}");
    }

    private static Process Launch(string registry, string config, StringBuilder log)
    {
        var start = new ProcessStartInfo(registry)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = new Process { StartInfo = start };
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (log)
            {
                log.AppendLine(e.Data);
                if (log.Length > MaxLogChars)
                {
                    log.Remove(0, log.Length - MaxLogChars);
                }
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> TlsConfigAsync(RegistryTls? tls, string directory, CancellationToken cancellationToken)
    {
        if (tls is null)
        {
            return string.Empty;
        }

        var certificate = Path.Combine(directory, "tls-cert.pem");
        var key = Path.Combine(directory, "tls-key.pem");
        await File.WriteAllTextAsync(certificate, tls.CertificatePem, cancellationToken);
        await File.WriteAllTextAsync(key, tls.PrivateKeyPem, cancellationToken);
        return $"  tls:\n    certificate: {certificate}\n    key: {key}\n";
    }

    private static string Config(string storage, int port, string auth, string tls) => $"""
        version: 0.1
        log:
          level: info
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: {storage}
          delete:
            enabled: true
          maintenance:
            uploadpurging:
              enabled: false
        http:
          addr: 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}
          secret: signet-test-secret
          headers:
            X-Content-Type-Options: [nosniff]

        """ + tls + auth;

    private static async Task<string> HtpasswdAsync(ImmutableArray<(string Username, string Password)> users, CancellationToken cancellationToken)
    {
        var htpasswd = FindProgram("htpasswd") ?? throw new InvalidOperationException($"htpasswd (apache2-utils) was not found on PATH; {InstallHint}");
        var lines = new StringBuilder();
        foreach (var (user, password) in users)
        {
            var start = new ProcessStartInfo(htpasswd) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in (string[])["-Bbn", user, password])
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = await process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"htpasswd -Bbn {user} failed with exit code {process.ExitCode}: {error}");
            }

            lines.AppendLine(output.Trim());
        }

        return lines.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string? FindProgram(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin").Append("/usr/sbin"))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp directory; the OS cleans it.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
