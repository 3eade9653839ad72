using System.Collections;

namespace Signet.Registry.Auth;

/// <summary>
/// Where the Docker and containers credential stores live. <see cref="FromEnvironment()"/> reads the usual variables;
/// tests and embedders pass their own values instead of changing the process environment.
/// </summary>
public sealed record CredentialStoreOptions
{
    /// <summary>The home directory (<c>$HOME</c>); <c>~/.docker</c> and <c>~/.config</c> are under it.</summary>
    public string? Home { get; init; }

    /// <summary><c>$DOCKER_CONFIG</c>: the directory that holds Docker's <c>config.json</c>.</summary>
    public string? DockerConfigDirectory { get; init; }

    /// <summary><c>$REGISTRY_AUTH_FILE</c>: a containers auth.json that replaces the per-session one.</summary>
    public string? RegistryAuthFile { get; init; }

    /// <summary><c>$XDG_RUNTIME_DIR</c>: holds the per-session <c>containers/auth.json</c> that podman and skopeo write.</summary>
    public string? XdgRuntimeDirectory { get; init; }

    /// <summary><c>$XDG_CONFIG_HOME</c> (default <c>~/.config</c>): holds the persistent <c>containers/auth.json</c>.</summary>
    public string? XdgConfigHome { get; init; }

    /// <summary><c>$PATH</c>, searched for <c>docker-credential-*</c> helpers and passed to them.</summary>
    public string? Path { get; init; }

    /// <summary>How long a credential helper may take to answer.</summary>
    public TimeSpan HelperTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads the options from the process environment.</summary>
    public static CredentialStoreOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariables());

    /// <summary>Reads the options from an environment snapshot (variable name to value).</summary>
    public static CredentialStoreOptions FromEnvironment(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Get(string name) => environment[name] is string { Length: > 0 } value ? value : null;
        return new CredentialStoreOptions
        {
            Home = Get("HOME") ?? NullIfEmpty(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)),
            DockerConfigDirectory = Get("DOCKER_CONFIG"),
            RegistryAuthFile = Get("REGISTRY_AUTH_FILE"),
            XdgRuntimeDirectory = Get("XDG_RUNTIME_DIR"),
            XdgConfigHome = Get("XDG_CONFIG_HOME"),
            Path = Get("PATH"),
        };
    }

    /// <summary>Docker's config.json: <c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>; null without a home.</summary>
    public string? DockerConfigFile =>
        DockerConfigDirectory is not null ? System.IO.Path.Combine(DockerConfigDirectory, "config.json")
        : Home is not null ? System.IO.Path.Combine(Home, ".docker", "config.json")
        : null;

    /// <summary>
    /// The containers auth.json files in lookup order: <c>$REGISTRY_AUTH_FILE</c> or else
    /// <c>$XDG_RUNTIME_DIR/containers/auth.json</c>, then <c>$XDG_CONFIG_HOME/containers/auth.json</c>
    /// (<c>~/.config/containers/auth.json</c>).
    /// </summary>
    public IReadOnlyList<string> ContainersAuthFiles
    {
        get
        {
            var files = new List<string>();
            if (RegistryAuthFile is not null)
            {
                files.Add(RegistryAuthFile);
            }
            else if (XdgRuntimeDirectory is not null)
            {
                files.Add(System.IO.Path.Combine(XdgRuntimeDirectory, "containers", "auth.json"));
            }

            var configHome = XdgConfigHome ?? (Home is null ? null : System.IO.Path.Combine(Home, ".config"));
            if (configHome is not null)
            {
                files.Add(System.IO.Path.Combine(configHome, "containers", "auth.json"));
            }

            return files;
        }
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
