using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Signet.Registry.Auth;

/// <summary>
/// Runs a <c>docker-credential-&lt;name&gt;</c> program with the docker-credential-helpers protocol: the action
/// (<c>get</c>, <c>store</c>, <c>erase</c>) is the only argument, the request is on stdin, the answer on stdout.
/// Output is bounded and the run has a timeout.
/// </summary>
internal sealed class CredentialHelper
{
    internal const int MaxOutputBytes = 64 * 1024;
    private const string TokenUsername = "<token>";

    private readonly string _program;
    private readonly string _origin;
    private readonly CredentialStoreOptions _options;

    /// <param name="name">The helper suffix (<c>pass</c> for <c>docker-credential-pass</c>).</param>
    /// <param name="origin">Where the helper was configured, for messages (for example <c>credsStore in /home/u/.docker/config.json</c>).</param>
    /// <param name="options">The PATH searched for the helper, the HOME passed to it, and the timeout.</param>
    public CredentialHelper(string name, string origin, CredentialStoreOptions options)
    {
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new CredentialStoreException($"credential helper name '{name}' ({origin}) is not valid; it must be the suffix of a docker-credential-<name> program");
        }

        _program = "docker-credential-" + name;
        _origin = origin;
        _options = options;
    }

    public string Program => _program;

    /// <summary>The stored credential, or null when the helper has none for <paramref name="serverUrl"/>.</summary>
    public async Task<Credential?> GetAsync(string serverUrl, CancellationToken cancellationToken)
    {
        var (exitCode, stdout, stderr) = await RunAsync("get", serverUrl, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            // The protocol reports a missing entry as a failure whose message is "credentials not found in native keychain".
            if (stdout.Contains("credentials not found", StringComparison.OrdinalIgnoreCase)
                || stderr.Contains("credentials not found", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            throw Failure("get", serverUrl, exitCode, stdout, stderr);
        }

        HelperCredential? answer;
        try
        {
            answer = JsonSerializer.Deserialize(stdout, AuthJsonContext.Default.HelperCredential);
        }
        catch (JsonException e)
        {
            throw new CredentialStoreException($"{_program} ({_origin}) answered 'get {serverUrl}' with output that is not the credential JSON {{\"Username\",\"Secret\"}}; check the helper version", e);
        }

        if (answer is null || string.IsNullOrEmpty(answer.Secret))
        {
            return null;
        }

        return answer.Username == TokenUsername || string.IsNullOrEmpty(answer.Username)
            ? Credential.FromIdentityToken(answer.Secret)
            : Credential.Basic(answer.Username, answer.Secret);
    }

    public async Task StoreAsync(string serverUrl, Credential credential, CancellationToken cancellationToken)
    {
        var body = new HelperCredential
        {
            ServerURL = serverUrl,
            Username = credential.IsBasic ? credential.Username : TokenUsername,
            Secret = credential.IsBasic ? credential.Password : credential.IdentityToken
                ?? throw new CredentialStoreException($"a registry token cannot be stored through {_program}; log in with a username and password or an identity token"),
        };
        var json = JsonSerializer.Serialize(body, AuthJsonContext.Default.HelperCredential);
        var (exitCode, stdout, stderr) = await RunAsync("store", json, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw Failure("store", serverUrl, exitCode, stdout, stderr);
        }
    }

    /// <summary>Erases the entry; returns false when the helper had none.</summary>
    public async Task<bool> EraseAsync(string serverUrl, CancellationToken cancellationToken)
    {
        var (exitCode, stdout, stderr) = await RunAsync("erase", serverUrl, cancellationToken).ConfigureAwait(false);
        if (exitCode == 0)
        {
            return true;
        }

        return stdout.Contains("credentials not found", StringComparison.OrdinalIgnoreCase)
            || stderr.Contains("credentials not found", StringComparison.OrdinalIgnoreCase)
            ? false
            : throw Failure("erase", serverUrl, exitCode, stdout, stderr);
    }

    private CredentialStoreException Failure(string action, string serverUrl, int exitCode, string stdout, string stderr)
    {
        var detail = (stdout.Trim() + " " + stderr.Trim()).Trim();
        return new CredentialStoreException(
            $"{_program} ({_origin}) failed on '{action} {serverUrl}' with exit code {exitCode}: {Excerpt(detail)}; " +
            $"run 'echo {serverUrl} | {_program} {action}' to see the helper's own error");
    }

    private static string Excerpt(string s) => s.Length <= 300 ? s : s[..300] + "...";

    private string Resolve()
    {
        var path = _options.Path ?? string.Empty;
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(dir, _program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new CredentialStoreException(
            $"credential helper '{_program}' ({_origin}) was not found on PATH; install it, or remove the setting to use the credentials stored in the config file");
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string action, string input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Resolve())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(action);
        start.Environment["PATH"] = _options.Path ?? string.Empty;
        if (_options.Home is not null)
        {
            start.Environment["HOME"] = _options.Home;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CredentialStoreException($"could not run credential helper '{start.FileName}' ({_origin}): {e.Message}; check that it is executable", e);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HelperTimeout);
        try
        {
            var stdoutTask = ReadBoundedAsync(process.StandardOutput.BaseStream, timeout.Token);
            var stderrTask = ReadBoundedAsync(process.StandardError.BaseStream, timeout.Token);
            try
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The helper exited without reading its input (a broken pipe); its exit code and output tell why.
            }

            var stdout = await stdoutTask.ConfigureAwait(false);
            var stderr = await stderrTask.ConfigureAwait(false);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return (process.ExitCode, stdout, stderr);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill(process);
            throw new CredentialStoreException(
                $"credential helper '{_program}' ({_origin}) did not answer '{action}' within {_options.HelperTimeout.TotalSeconds:0.#} s; it may be waiting for a password prompt or a locked keyring");
        }
        catch (IOException e)
        {
            Kill(process);
            throw new CredentialStoreException($"credential helper '{_program}' ({_origin}) failed during '{action}': {e.Message}", e);
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // The process exited between the check and the kill.
        }
    }

    private async Task<string> ReadBoundedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxOutputBytes + 1];
        var total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > MaxOutputBytes)
            {
                throw new CredentialStoreException(
                    $"credential helper '{_program}' ({_origin}) wrote more than {MaxOutputBytes / 1024} KiB; a credential answer is a small JSON object, so the helper is misbehaving");
            }
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}

/// <summary>The docker-credential-helpers JSON shape (field names are the protocol's).</summary>
internal sealed record HelperCredential
{
    [JsonPropertyName("ServerURL")]
    public string? ServerURL { get; init; }

    [JsonPropertyName("Username")]
    public string? Username { get; init; }

    [JsonPropertyName("Secret")]
    public string? Secret { get; init; }
}
