using Signet.Crypto.KeyFiles;
using Signet.Crypto.Keys;
using Signet.Crypto.Passphrases;
using Signet.Crypto.Signers;

namespace Signet.Crypto.KeyReferences;

/// <summary>Opens a signer for a <c>pkcs11:</c> reference; the PKCS#11 code provides it (it parses the URI, finds the module and PIN).</summary>
public delegate Task<ISigner> Pkcs11SignerFactory(KeyReference reference, CancellationToken cancellationToken);

/// <summary>
/// Turns key references into verification keys and signers. Files and <c>env://</c> variables hold PEM text (bounded to
/// <see cref="KeyPairFiles.MaxFileBytes"/>); encrypted private keys get their passphrase from the
/// <see cref="IPassphraseSource"/>; <c>pkcs11:</c> references go to <see cref="Pkcs11Signers"/>.
/// Errors: <see cref="KeyFileException"/> (including <see cref="KeyFileError.NotFound"/> for a missing file or unset
/// variable) and <see cref="KeyFileFormatException"/>.
/// </summary>
public sealed class KeyReferenceResolver
{
    private readonly IPassphraseSource _passphrases;
    private readonly Func<string, string?> _environment;

    /// <param name="passphrases">Asked only for encrypted private keys.</param>
    /// <param name="environment">Reads <c>env://</c> variables; the process environment when null.</param>
    public KeyReferenceResolver(IPassphraseSource passphrases, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(passphrases);
        _passphrases = passphrases;
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    /// <summary>Opens <c>pkcs11:</c> signers; null until the PKCS#11 support is registered, and then such references fail with a message.</summary>
    public Pkcs11SignerFactory? Pkcs11Signers { get; init; }

    /// <summary>
    /// The verification key of <paramref name="reference"/>: a <c>PUBLIC KEY</c> PEM, a certificate's key, or the public
    /// half of a private key (decrypted with a passphrase when it is encrypted); for pkcs11, the token key's public half.
    /// </summary>
    public async Task<PublicKey> LoadPublicKeyAsync(KeyReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Kind == KeyReferenceKind.Pkcs11)
        {
            using var signer = await OpenPkcs11Async(reference, cancellationToken).ConfigureAwait(false);
            return signer.PublicKey;
        }

        var text = await ReadTextAsync(reference, cancellationToken).ConfigureAwait(false);
        var (label, _) = KeyPem.ReadFirst(text, reference.Raw);
        if (!PrivateKeyPem.IsPrivateKeyLabel(label))
        {
            return PublicKeyPem.Parse(text, reference.Raw);
        }

        using var key = await KeyPairFiles.OpenAsync(PrivateKeyPem.Parse(text, reference.Raw), _passphrases, cancellationToken).ConfigureAwait(false);
        return key.PublicKey;
    }

    /// <summary>A signer for <paramref name="reference"/>: a private key file or variable, or a pkcs11 key.</summary>
    public async Task<ISigner> LoadSignerAsync(KeyReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Kind == KeyReferenceKind.Pkcs11)
        {
            return await OpenPkcs11Async(reference, cancellationToken).ConfigureAwait(false);
        }

        var text = await ReadTextAsync(reference, cancellationToken).ConfigureAwait(false);
        using var key = await KeyPairFiles.OpenAsync(PrivateKeyPem.Parse(text, reference.Raw), _passphrases, cancellationToken).ConfigureAwait(false);
        return new FileSigner(key);
    }

    /// <summary>The private key of a file or <c>env://</c> reference (for import-key-pair and tools that need the key itself).</summary>
    public async Task<PrivateKey> LoadPrivateKeyAsync(KeyReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Kind == KeyReferenceKind.Pkcs11)
        {
            throw new KeyFileException(KeyFileError.UnsupportedKey, reference.Raw, "a PKCS#11 key never leaves its token; use it as a signer");
        }

        var text = await ReadTextAsync(reference, cancellationToken).ConfigureAwait(false);
        return await KeyPairFiles.OpenAsync(PrivateKeyPem.Parse(text, reference.Raw), _passphrases, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ISigner> OpenPkcs11Async(KeyReference reference, CancellationToken cancellationToken) =>
        Pkcs11Signers is { } factory
            ? await factory(reference, cancellationToken).ConfigureAwait(false)
            : throw new KeyFileException(KeyFileError.UnsupportedKey, reference.Raw,
                "PKCS#11 keys are not available in this build or host; use a key file or env://VARIABLE");

    private async Task<string> ReadTextAsync(KeyReference reference, CancellationToken cancellationToken)
    {
        if (reference.Kind == KeyReferenceKind.Environment)
        {
            var value = _environment(reference.Value);
            if (string.IsNullOrEmpty(value))
            {
                throw new KeyFileException(KeyFileError.NotFound, reference.Raw,
                    $"the environment variable {reference.Value} is not set or empty; put the PEM key in it");
            }

            return value.Length > KeyPairFiles.MaxFileBytes
                ? throw new KeyFileFormatException(reference.Raw, $"the variable holds {value.Length} characters; at most {KeyPairFiles.MaxFileBytes} are accepted for a PEM key", null)
                : value;
        }

        try
        {
            return await KeyPairFiles.ReadTextAsync(reference.Value, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeyFileException(KeyFileError.NotFound, reference.Raw, "no such key file; check the --key path", e);
        }
    }
}
