using Signet.Images.Transports;
using Signet.Registry;
using Signet.Registry.Auth;

namespace Signet.Cli.Commands;

/// <summary>Creates registry clients with the Docker/containers credential stores and an optional explicit credential.</summary>
internal static class RegistryClients
{
    /// <summary>A client whose credentials come from the stores, overridden by <paramref name="explicitCredential"/> for <paramref name="hosts"/>.</summary>
    public static RegistryClient Create(RegistryClientOptions options, Credential? explicitCredential, IEnumerable<string> hosts)
    {
        ICredentialProvider provider = new DockerCredentialProvider();
        if (explicitCredential is not null)
        {
            foreach (var host in hosts.Distinct(StringComparer.Ordinal))
            {
                provider = new ExplicitCredentialProvider(host, explicitCredential, provider);
            }
        }

        return new RegistryClient(options, transport => new AuthHandler(provider, transport));
    }

    /// <summary>The registry hosts that the given image names reach.</summary>
    public static IEnumerable<string> HostsOf(IEnumerable<ImageName> names) =>
        names.Where(n => n.Transport == TransportKind.Registry).Select(n => n.Reference!.Value.Registry);

    /// <summary>Checks the credential against the registry (GET /v2/ with authentication) and stores it; returns where.</summary>
    public static async Task<string> LoginAsync(string registry, Credential credential, RegistryClientOptions options, CancellationToken cancellationToken)
    {
        using var client = Create(options, credential, [registry]);
        await client.PingAsync(registry, cancellationToken).ConfigureAwait(false);
        return await new LoginStore().StoreAsync(registry, credential, cancellationToken).ConfigureAwait(false);
    }

    public static Task<bool> LogoutAsync(string registry, CancellationToken cancellationToken) =>
        new LoginStore().EraseAsync(registry, cancellationToken);
}
