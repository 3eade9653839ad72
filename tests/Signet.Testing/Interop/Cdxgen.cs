namespace Signet.Testing.Interop;

/// <summary>
/// The pinned cdxgen (npm @cyclonedx/cdxgen with its bundled trivy-cdxgen) that <c>scripts/install-npm-peers.sh cdxgen</c>
/// installs outside the checkout, reached through <c>SIGNET_CDXGEN</c> (scripts/test.sh exports it). A test that needs it
/// fails, never skips, with a message naming the script when the variable is unset.
/// </summary>
public static class Cdxgen
{
    public const string Variable = "SIGNET_CDXGEN";

    /// <summary>The cdxgen executable; fails the test when it is not installed.</summary>
    public static string RequireExecutable()
    {
        var path = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(path))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set: this test runs cdxgen; export {Variable}=$(scripts/install-npm-peers.sh cdxgen | tail -n 1)/node_modules/.bin/cdxgen (scripts/test.sh does)");
        }

        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{Variable}={path} does not exist; run scripts/install-npm-peers.sh cdxgen again and export the cdxgen under the directory it prints");
    }
}
