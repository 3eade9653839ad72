using System.CommandLine;
using System.CommandLine.Parsing;
using Signet.Cli.Output;
using Signet.Crypto;
using Signet.Crypto.KeyFiles;
using Spectre.Console;

namespace Signet.Cli.Commands;

/// <summary><c>signet generate-key-pair</c>, <c>signet import-key-pair</c> and <c>signet public-key</c>.</summary>
internal static class KeyCommands
{
    /// <summary>The --algorithm names, as cosign spells them, and the algorithms they mean.</summary>
    public static readonly IReadOnlyDictionary<string, KeyAlgorithm> AlgorithmNames = new Dictionary<string, KeyAlgorithm>(StringComparer.OrdinalIgnoreCase)
    {
        ["ecdsa-p256"] = KeyAlgorithm.EcdsaP256,
        ["ecdsa-p384"] = KeyAlgorithm.EcdsaP384,
        ["ecdsa-p521"] = KeyAlgorithm.EcdsaP521,
        ["rsa-2048"] = KeyAlgorithm.Rsa2048,
        ["rsa-3072"] = KeyAlgorithm.Rsa3072,
        ["rsa-4096"] = KeyAlgorithm.Rsa4096,
        ["ed25519"] = KeyAlgorithm.Ed25519,
    };

    private static readonly Option<KeyAlgorithm> Algorithm = new("--algorithm")
    {
        Description = "The key algorithm: ecdsa-p256 (default), ecdsa-p384, ecdsa-p521, rsa-2048, rsa-3072, rsa-4096 or ed25519.",
        HelpName = "ALGORITHM",
        DefaultValueFactory = _ => KeyAlgorithm.EcdsaP256,
        CustomParser = ParseAlgorithm,
    };

    private static readonly Option<string> GeneratePrefix = new("--output-key-prefix")
    {
        Description = "Write the key pair as PREFIX.key and PREFIX.pub (default: cosign).",
        HelpName = "PREFIX",
        DefaultValueFactory = _ => "cosign",
    };

    private static readonly Option<string> ImportPrefix = new("--output-key-prefix")
    {
        Description = "Write the key pair as PREFIX.key and PREFIX.pub (default: import-cosign).",
        HelpName = "PREFIX",
        DefaultValueFactory = _ => "import-cosign",
    };

    private static readonly Option<bool> Force = new("--force", "-f")
    {
        Description = "Overwrite PREFIX.key and PREFIX.pub when they exist (without it, existing files are never touched).",
    };

    private static readonly Option<string> ImportKey = new("--key")
    {
        Description = "The private key file to import: PKCS#8 PRIVATE KEY, EC PRIVATE KEY, RSA PRIVATE KEY, or a cosign encrypted key.",
        HelpName = "FILE",
        Required = true,
    };

    private static readonly Option<string> PublicKeyReference = new("--key")
    {
        Description = "The key: a private or public key file, env://VARIABLE holding a PEM key, or a pkcs11: URI.",
        HelpName = "REF",
        Required = true,
    };

    public static Command CreateGenerate()
    {
        var command = new Command(
            "generate-key-pair",
            "Generate a key pair as cosign does: PREFIX.key (ENCRYPTED SIGSTORE PRIVATE KEY: scrypt + NaCl secretbox, mode 0600) and " +
            "PREFIX.pub (PUBLIC KEY PEM). The passphrase comes from SIGNET_PASSWORD (or COSIGN_PASSWORD; empty means none), " +
            "else it is asked twice on the terminal.")
        {
            Algorithm, GeneratePrefix, Force,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var paths = await KeyPairFiles.GenerateAsync(
                result.GetValue(Algorithm), result.GetValue(GeneratePrefix)!, KeyAccess.Passphrases(), result.GetValue(Force), cancellationToken).ConfigureAwait(false);
            PrintWritten(paths, $"new {AlgorithmName(result.GetValue(Algorithm))} key");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CreateImport()
    {
        var command = new Command(
            "import-key-pair",
            "Import a PEM private key (PKCS#8, SEC1 EC, PKCS#1 RSA, or a cosign encrypted key) and write it as a cosign key pair: " +
            "PREFIX.key encrypted with the passphrase from SIGNET_PASSWORD (or the terminal) and PREFIX.pub.")
        {
            ImportKey, ImportPrefix, Force,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var source = result.GetValue(ImportKey)!;
            KeyPairPaths paths;
            try
            {
                paths = await KeyPairFiles.ImportAsync(source, result.GetValue(ImportPrefix)!, KeyAccess.Passphrases(), result.GetValue(Force), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new KeyFileException(KeyFileError.NotFound, source, "no such key file; check the --key path", e);
            }

            PrintWritten(paths, $"key imported from {source}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CreatePublicKey()
    {
        var command = new Command(
            "public-key",
            "Print the PUBLIC KEY PEM of a key: a private key file (asks for its passphrase), a public key or certificate file, " +
            "env://VARIABLE, or a pkcs11: URI (the token's public key, to verify what the token signs).")
        {
            PublicKeyReference,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var reference = KeyAccess.Parse(result.GetValue(PublicKeyReference));
            var key = await KeyAccess.Resolver().LoadPublicKeyAsync(reference, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteAsync(PublicKeyPem.Write(key)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    public static string AlgorithmName(KeyAlgorithm algorithm) => AlgorithmNames.First(p => p.Value == algorithm).Key;

    private static void PrintWritten(KeyPairPaths paths, string what)
    {
        Terminal.Line(Markup.Escape($"private key written to {paths.PrivateKeyPath} ({what})"));
        Terminal.Line(Markup.Escape($"public key written to {paths.PublicKeyPath}"));
    }

    private static KeyAlgorithm ParseAlgorithm(ArgumentResult result)
    {
        var value = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (AlgorithmNames.TryGetValue(value, out var algorithm))
        {
            return algorithm;
        }

        result.AddError($"--algorithm must be one of {string.Join(", ", AlgorithmNames.Keys)}; got '{value}'");
        return KeyAlgorithm.EcdsaP256;
    }
}
