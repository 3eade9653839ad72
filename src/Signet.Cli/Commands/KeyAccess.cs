using Signet.Cli.Output;
using Signet.Crypto.KeyReferences;
using Signet.Crypto.Passphrases;
using Signet.Crypto.Pkcs11;

namespace Signet.Cli.Commands;

/// <summary>
/// How commands reach keys: passphrases from SIGNET_PASSWORD / COSIGN_PASSWORD, else a no-echo prompt when stdin is a
/// terminal; <c>pkcs11:</c> references through <see cref="Pkcs11Signer"/> (module from the URI or
/// COSIGN_PKCS11_MODULE_PATH, PIN from the URI or the terminal).
/// </summary>
internal static class KeyAccess
{
    public static IPassphraseSource Passphrases() =>
        new EnvironmentPassphraseSource(PassphrasePrompter.Available ? PassphrasePrompter.PromptAsync : null);

    public static KeyReferenceResolver Resolver() => new(Passphrases())
    {
        Pkcs11Signers = async (reference, cancellationToken) => await Pkcs11Signer.OpenAsync(reference.Value, new Pkcs11SignerOptions
        {
            ModulePath = Environment.GetEnvironmentVariable(Pkcs11SignerOptions.ModulePathVariable) is { Length: > 0 } path ? path : null,
            PinCallback = PassphrasePrompter.Available
                ? (token, ct) => ValueTask.FromResult(PassphrasePrompter.ReadHidden($"Enter the user PIN of PKCS#11 token '{token.Label}': ", ct))
                : null,
        }, cancellationToken).ConfigureAwait(false),
    };

    /// <summary>Parses a --key value; a bad one is a usage error naming the option.</summary>
    public static KeyReference Parse(string? value) =>
        KeyReference.TryParse(value, out var reference, out var error) ? reference : throw new ArgumentException($"--key: {error}");
}
