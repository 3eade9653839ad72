using System.CommandLine;
using System.CommandLine.Parsing;
using System.Security.Authentication;
using Signet.Crypto.KeyFiles;
using Signet.Crypto.Pkcs11;
using Signet.Images;
using Signet.Oci;
using Signet.Oci.Content;
using Signet.Registry;
using Signet.Registry.Auth;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.TrustedRoots;
using Signet.Sigstore.Tuf;

namespace Signet.Cli;

/// <summary>The one place where outcomes become process exit codes (documented in docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>Everything asked for was done and every check held.</summary>
    public const int Success = 0;

    /// <summary>A verification ran and failed: the image is not trustworthy.</summary>
    public const int VerificationFailed = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>The input could not be read or is malformed (missing file, bad manifest, registry error).</summary>
    public const int InputError = 3;

    /// <summary>The operation was cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>
    /// The exit code of a command line that does not parse (unknown option, missing argument, bad value): the errors,
    /// each on its own line, and where to find the usage, on stderr.
    /// </summary>
    public static int FromParseErrors(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var names = new Stack<string>();
        for (var command = result.CommandResult; command is not null; command = command.Parent as CommandResult)
        {
            names.Push(command.Command.Name);
        }

        foreach (var error in result.Errors)
        {
            Console.Error.WriteLine($"signet: {error.Message}");
        }

        Console.Error.WriteLine($"run '{string.Join(' ', names)} --help' for usage");
        return Usage;
    }

    /// <summary>Maps an exception escaping a command to an exit code and a one-line message for stderr.</summary>
    public static (int Code, string Message) FromException(Exception e) => e switch
    {
        OperationCanceledException => (Cancelled, "cancelled"),
        KeyFileFormatException or KeyFileException or Pkcs11Exception or BundleFormatException => (InputError, e.Message),
        TufException tuf => (tuf.Code is TufCodes.FetchFailed or TufCodes.MissingMetadata ? InputError : VerificationFailed, e.Message),
        TrustedRootException => (InputError, e.Message),
        DigestMismatchException => (VerificationFailed, e.Message),
        FormatException or ArgumentException => (e is OciFormatException or Crypto.KeyFiles.KeyFileFormatException ? InputError : Usage, e.Message),
        PlatformNotFoundException or NotSupportedException => (Usage, e.Message),
        RegistryException or BlobNotFoundException or HttpRequestException or AuthenticationException => (InputError, e.Message),
        RegistryAuthenticationException or CredentialStoreException => (InputError, e.Message),
        IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException => (InputError, e.Message),
        System.Security.Cryptography.CryptographicException => (InputError, e.Message),
        _ => (InputError, $"unexpected error: {e}"),
    };
}
