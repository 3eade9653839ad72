using System.CommandLine;

namespace Signet.Cli.Commands;

/// <summary><c>signet login REGISTRY</c> and <c>signet logout REGISTRY</c>.</summary>
internal static class LoginCommands
{
    private static readonly Argument<string> Registry = new("registry") { Description = "Registry host[:port], for example ghcr.io or localhost:5000." };

    public static Command CreateLogin()
    {
        var command = new Command(
            "login",
            "Check credentials against a registry and store them in the Docker config (~/.docker/config.json, or its credsStore / " +
            "credHelpers). Use --username USER --password-stdin.")
        {
            Registry,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var registry = result.GetValue(Registry)!;
            var credential = await CommonOptions.ExplicitCredentialAsync(result, cancellationToken).ConfigureAwait(false)
                ?? throw new ArgumentException("login needs --username USER --password-stdin (the password is read from standard input)");
            var stored = await RegistryClients.LoginAsync(registry, credential, CommonOptions.RegistryOptions(result), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"login succeeded for {registry}; credentials stored in {stored}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CreateLogout()
    {
        var command = new Command("logout", "Remove a registry's stored credentials from the Docker config or its credential helper.")
        {
            Registry,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var registry = result.GetValue(Registry)!;
            var removed = await RegistryClients.LogoutAsync(registry, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(removed ? $"removed credentials for {registry}" : $"no stored credentials for {registry}");
            return ExitCodes.Success;
        });
        return command;
    }
}
