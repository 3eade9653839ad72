namespace Signet.Registry.Auth;

/// <summary>
/// Reads credentials the way podman, skopeo and docker do. Files are tried in order and the first that knows the host
/// wins: <c>$REGISTRY_AUTH_FILE</c> (or <c>$XDG_RUNTIME_DIR/containers/auth.json</c>),
/// <c>~/.config/containers/auth.json</c>, then Docker's <c>$DOCKER_CONFIG/config.json</c> (or <c>~/.docker/config.json</c>).
/// Within a file, as docker does: a <c>credHelpers</c> entry for the host, else the <c>credsStore</c> helper, else the
/// <c>auths</c> entry. A configured helper is authoritative for its file: when it has nothing, the next file is tried.
/// </summary>
public sealed class DockerCredentialProvider : ICredentialProvider
{
    private readonly CredentialStoreOptions _options;

    /// <param name="options">Store locations; <see cref="CredentialStoreOptions.FromEnvironment()"/> when null.</param>
    public DockerCredentialProvider(CredentialStoreOptions? options = null)
    {
        _options = options ?? CredentialStoreOptions.FromEnvironment();
    }

    /// <inheritdoc/>
    public async Task<Credential?> GetAsync(string registryHost, CancellationToken cancellationToken = default)
    {
        var host = RegistryHost.Normalize(registryHost);
        foreach (var path in Files())
        {
            var file = await AuthConfigFile.LoadAsync(path, cancellationToken).ConfigureAwait(false);
            if (file is null)
            {
                continue;
            }

            if (file.HelperFor(host) is { } helperName)
            {
                var helper = new CredentialHelper(helperName, $"credHelpers[\"{host}\"] in {path}", _options);
                if (await helper.GetAsync(RegistryHost.StoreKey(host), cancellationToken).ConfigureAwait(false) is { } fromHelper)
                {
                    return fromHelper;
                }

                continue;
            }

            if (file.CredsStore is { } storeName)
            {
                var store = new CredentialHelper(storeName, $"credsStore in {path}", _options);
                if (await store.GetAsync(RegistryHost.StoreKey(host), cancellationToken).ConfigureAwait(false) is { } fromStore)
                {
                    return fromStore;
                }
            }

            if (file.AuthFor(host) is { } credential)
            {
                return credential;
            }
        }

        return null;
    }

    private IEnumerable<string> Files()
    {
        foreach (var file in _options.ContainersAuthFiles)
        {
            yield return file;
        }

        if (_options.DockerConfigFile is { } docker)
        {
            yield return docker;
        }
    }
}
