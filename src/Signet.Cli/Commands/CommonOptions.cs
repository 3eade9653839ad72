using System.CommandLine;
using System.CommandLine.Parsing;
using System.Security.Cryptography.X509Certificates;
using Signet.Cli.Output;
using Signet.Images;
using Signet.Images.Transports;
using Signet.Registry;
using Signet.Registry.Auth;

namespace Signet.Cli.Commands;

/// <summary>Options shared by every command that reaches a registry or prints a result.</summary>
internal static class CommonOptions
{
    public static readonly Option<string[]> InsecureRegistry = new("--insecure-registry")
    {
        Description = "Allow plain HTTP or unverified TLS for this registry host[:port] (repeatable). Loopback registries are always allowed.",
        Recursive = true,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static readonly Option<string[]> CaCert = new("--ca-cert")
    {
        Description = "Trust this PEM certificate authority for registry TLS, besides the system's (repeatable).",
        Recursive = true,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static readonly Option<string?> Username = new("--username", "-u")
    {
        Description = "Registry user name; the password is read from stdin with --password-stdin. Overrides stored credentials.",
        Recursive = true,
    };

    public static readonly Option<bool> PasswordStdin = new("--password-stdin")
    {
        Description = "Read the registry password (or token) from standard input.",
        Recursive = true,
    };

    public static readonly Option<OutputFormat> Output = new("--output", "-o")
    {
        Description = "Output format: table (for people, the default) or json (for machines).",
        HelpName = "table|json",
        CustomParser = ParseOutputFormat,
    };

    public static readonly Option<string?> Platform = new("--platform")
    {
        Description = "Pick this platform from a multi-platform image, as OS/ARCH[/VARIANT] (default: the host's, linux/amd64 here).",
    };

    public static readonly Option<bool> AllPlatforms = new("--all-platforms")
    {
        Description = "Work on every platform of a multi-platform image.",
    };

    private static OutputFormat ParseOutputFormat(ArgumentResult result)
    {
        var value = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        switch (value.ToLowerInvariant())
        {
            case "table":
                return OutputFormat.Table;
            case "json":
                return OutputFormat.Json;
            default:
                result.AddError($"--output must be table or json, got '{value}'");
                return OutputFormat.Table;
        }
    }

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(InsecureRegistry);
        root.Options.Add(CaCert);
        root.Options.Add(Username);
        root.Options.Add(PasswordStdin);
    }

    /// <summary>The platform selection of --platform / --all-platforms.</summary>
    public static PlatformSelection Platforms(ParseResult result)
    {
        var all = result.GetValue(AllPlatforms);
        var platform = result.GetValue(Platform);
        if (all && platform is not null)
        {
            throw new ArgumentException("--platform and --all-platforms exclude each other; give one");
        }

        return all ? PlatformSelection.Every : new PlatformSelection { Platform = platform is null ? null : Oci.Platform.Parse(platform) };
    }

    /// <summary>The registry settings of --insecure-registry and --ca-cert.</summary>
    public static RegistryClientOptions RegistryOptions(ParseResult result) => new()
    {
        InsecureRegistries = [.. result.GetValue(InsecureRegistry) ?? []],
        ExtraCaCertificates = LoadCertificates(result.GetValue(CaCert) ?? []),
    };

    /// <summary>Builds the transports (and, lazily, the registry client with its credentials) for the images a command names.</summary>
    public static async Task<ImageTransports> TransportsAsync(ParseResult result, IEnumerable<ImageName> names, CancellationToken cancellationToken)
    {
        var options = RegistryOptions(result);
        var credential = await ExplicitCredentialAsync(result, cancellationToken).ConfigureAwait(false);
        var hosts = RegistryClients.HostsOf(names).ToList();
        return new ImageTransports(() => RegistryClients.Create(options, credential, hosts));
    }

    private static X509Certificate2Collection? LoadCertificates(string[] paths)
    {
        if (paths.Length == 0)
        {
            return null;
        }

        var collection = new X509Certificate2Collection();
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"--ca-cert {path}: file not found", path);
            }

            try
            {
                collection.ImportFromPemFile(path);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new FormatException($"--ca-cert {path}: not a PEM certificate file ({e.Message})", e);
            }
        }

        return collection;
    }

    /// <summary>The --username / --password-stdin pair, validated; the password is read from stdin.</summary>
    public static async Task<Credential?> ExplicitCredentialAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var user = result.GetValue(Username);
        var fromStdin = result.GetValue(PasswordStdin);
        if (user is null && !fromStdin)
        {
            return null;
        }

        if (user is null || !fromStdin)
        {
            throw new ArgumentException("--username and --password-stdin go together: echo \"$PASSWORD\" | signet ... --username USER --password-stdin");
        }

        var password = await ExplicitCredentialProvider.ReadPasswordAsync(Console.In, cancellationToken).ConfigureAwait(false);
        return Credential.Basic(user, password);
    }
}
