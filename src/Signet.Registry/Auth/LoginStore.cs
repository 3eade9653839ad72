using System.Text;
using System.Text.Json.Nodes;

namespace Signet.Registry.Auth;

/// <summary>
/// Saves and erases credentials where <c>docker login</c> / <c>docker logout</c> do: through the <c>credHelpers</c>
/// entry for the host or the <c>credsStore</c> helper when Docker's config.json names one, otherwise in the
/// config.json <c>auths</c> map. The file is replaced atomically (temporary file, then rename) with mode 0600, and its
/// other members are kept.
/// </summary>
public sealed class LoginStore
{
    private readonly CredentialStoreOptions _options;

    /// <param name="options">Store locations; <see cref="CredentialStoreOptions.FromEnvironment()"/> when null.</param>
    public LoginStore(CredentialStoreOptions? options = null)
    {
        _options = options ?? CredentialStoreOptions.FromEnvironment();
    }

    /// <summary>The config.json this store writes.</summary>
    public string ConfigFile => _options.DockerConfigFile
        ?? throw new CredentialStoreException("neither DOCKER_CONFIG nor HOME is set, so there is no config.json to store credentials in; set one of them");

    /// <summary>Stores <paramref name="credential"/> for <paramref name="registryHost"/>, replacing any earlier entry.</summary>
    /// <returns>Where it was stored, for the message the CLI prints (a file path or <c>docker-credential-NAME</c>).</returns>
    public async Task<string> StoreAsync(string registryHost, Credential credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var host = RegistryHost.Normalize(registryHost);
        var path = ConfigFile;
        var file = await AuthConfigFile.LoadAsync(path, cancellationToken).ConfigureAwait(false) ?? AuthConfigFile.Empty(path);
        if (Helper(file, host) is { } helper)
        {
            await helper.StoreAsync(RegistryHost.StoreKey(host), credential, cancellationToken).ConfigureAwait(false);
            return helper.Program;
        }

        var entry = new JsonObject();
        if (credential.IsBasic)
        {
            entry["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}"));
        }
        else if (credential.IdentityToken is { } identityToken)
        {
            entry["identitytoken"] = identityToken;
        }
        else
        {
            entry["registrytoken"] = credential.RegistryToken;
        }

        var auths = file.Root["auths"] as JsonObject;
        if (auths is null)
        {
            auths = [];
            file.Root["auths"] = auths;
        }

        foreach (var key in file.AuthKeysFor(host))
        {
            auths.Remove(key);
        }

        auths[RegistryHost.StoreKey(host)] = entry;
        await WriteAtomicallyAsync(path, file.ToBytes(), cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>Erases the credential for <paramref name="registryHost"/>; false when none was stored.</summary>
    public async Task<bool> EraseAsync(string registryHost, CancellationToken cancellationToken = default)
    {
        var host = RegistryHost.Normalize(registryHost);
        var path = ConfigFile;
        var file = await AuthConfigFile.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        if (file is null)
        {
            return false;
        }

        var erased = false;
        if (Helper(file, host) is { } helper)
        {
            erased = await helper.EraseAsync(RegistryHost.StoreKey(host), cancellationToken).ConfigureAwait(false);
        }

        var keys = file.AuthKeysFor(host);
        if (keys.Count > 0 && file.Root["auths"] is JsonObject auths)
        {
            foreach (var key in keys)
            {
                auths.Remove(key);
            }

            await WriteAtomicallyAsync(path, file.ToBytes(), cancellationToken).ConfigureAwait(false);
            erased = true;
        }

        return erased;
    }

    private CredentialHelper? Helper(AuthConfigFile file, string host) =>
        file.HelperFor(host) is { } helperName ? new CredentialHelper(helperName, $"credHelpers[\"{host}\"] in {file.FilePath}", _options)
        : file.CredsStore is { } storeName ? new CredentialHelper(storeName, $"credsStore in {file.FilePath}", _options)
        : null;

    private static async Task WriteAtomicallyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            if (!Directory.Exists(directory))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(directory);
                }
                else
                {
                    Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var stream = new FileStream(temp, options);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new CredentialStoreException($"cannot write credential file {path}: {e.Message}; check that its directory is writable", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the temporary file is hidden and named uniquely.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort, as above.
        }
    }
}
