namespace Signet.Registry.Auth;

/// <summary>
/// Registry host names as credential stores key them: <c>host[:port]</c> in lower case. Docker Hub has several spellings
/// (<c>docker.io</c>, <c>index.docker.io</c>, <c>registry-1.docker.io</c>, <c>https://index.docker.io/v1/</c>); they all
/// normalise to <see cref="DockerHub"/>, and Docker's own store key for it is <see cref="DockerHubConfigKey"/>.
/// </summary>
public static class RegistryHost
{
    /// <summary>The canonical Docker Hub name.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The key <c>docker login</c> writes for Docker Hub in config.json and passes to credential helpers.</summary>
    public const string DockerHubConfigKey = "https://index.docker.io/v1/";

    private static readonly string[] DockerHubAliases = ["docker.io", "index.docker.io", "registry-1.docker.io"];

    /// <summary>
    /// Normalises a store key or a user-typed registry name to <c>host[:port]</c>: drops a scheme and any path,
    /// lower-cases, and maps Docker Hub aliases to <see cref="DockerHub"/>.
    /// </summary>
    /// <exception cref="FormatException">The name is empty or has no host.</exception>
    public static string Normalize(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var s = registry.Trim();
        var scheme = s.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            s = s[(scheme + 3)..];
        }

        var slash = s.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            s = s[..slash];
        }

        var at = s.LastIndexOf('@');
        if (at >= 0)
        {
            s = s[(at + 1)..];
        }

        if (s.Length == 0 || s.StartsWith(':') || s.Any(char.IsWhiteSpace))
        {
            throw new FormatException($"'{registry}' is not a registry host; expected host[:port] such as 'registry.example.com:5000' or 'docker.io'");
        }

        s = s.ToLowerInvariant();
        return IsDockerHub(s) ? DockerHub : s;
    }

    /// <summary>True when <paramref name="host"/> (already without scheme and path) is one of Docker Hub's names.</summary>
    public static bool IsDockerHub(string host) =>
        DockerHubAliases.Contains(host, StringComparer.OrdinalIgnoreCase);

    /// <summary>The host a registry base URI is keyed by (<c>host</c>, or <c>host:port</c> when the port is not the scheme default).</summary>
    public static string FromUri(Uri registryBase)
    {
        ArgumentNullException.ThrowIfNull(registryBase);
        return Normalize(registryBase.IsDefaultPort ? registryBase.Host : $"{registryBase.Host}:{registryBase.Port}");
    }

    /// <summary>True for <c>localhost</c> and loopback IP literals, where plain HTTP does not leave the machine.</summary>
    public static bool IsLoopback(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsLoopback;
    }

    /// <summary>The key a credential helper or config.json is written under for <paramref name="host"/> (Docker Hub uses its legacy URL).</summary>
    internal static string StoreKey(string host) => host == DockerHub ? DockerHubConfigKey : host;
}
