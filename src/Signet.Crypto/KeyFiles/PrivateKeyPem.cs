using System.Security.Cryptography;
using Signet.Crypto.KeyFiles.Encryption;
using Signet.Crypto.Keys;

namespace Signet.Crypto.KeyFiles;

/// <summary>
/// A private key PEM, parsed but not yet decrypted. Encrypted: cosign's <c>ENCRYPTED SIGSTORE PRIVATE KEY</c> (written
/// now) and <c>ENCRYPTED COSIGN PRIVATE KEY</c> (legacy), whose scrypt parameters are checked by <see cref="Parse"/>
/// before anything asks for a passphrase. Unencrypted: PKCS#8 <c>PRIVATE KEY</c>, SEC1 <c>EC PRIVATE KEY</c> and PKCS#1
/// <c>RSA PRIVATE KEY</c> (what import-key-pair reads).
/// Errors: <see cref="KeyFileFormatException"/> for malformed PEM or JSON, <see cref="KeyFileException"/> for everything
/// else; nothing else escapes.
/// </summary>
public sealed class PrivateKeyPem
{
    public const string SigstoreEncryptedLabel = "ENCRYPTED SIGSTORE PRIVATE KEY";
    public const string CosignEncryptedLabel = "ENCRYPTED COSIGN PRIVATE KEY";
    public const string Pkcs8Label = "PRIVATE KEY";
    public const string EcLabel = "EC PRIVATE KEY";
    public const string RsaLabel = "RSA PRIVATE KEY";

    private readonly byte[]? _der;
    private readonly EncryptedKeyEnvelope? _envelope;

    private PrivateKeyPem(string label, string keySource, byte[]? der, EncryptedKeyEnvelope? envelope)
    {
        Label = label;
        KeySource = keySource;
        _der = der;
        _envelope = envelope;
    }

    public string Label { get; }

    public string KeySource { get; }

    /// <summary>True for the cosign encrypted labels: <see cref="Open"/> needs the passphrase.</summary>
    public bool IsEncrypted => _envelope is not null;

    /// <summary>The scrypt parameters of an encrypted key (null for an unencrypted one).</summary>
    public ScryptParameters? KdfParameters => _envelope?.Parameters;

    /// <summary>True when <paramref name="label"/> is one of the private key labels this reads.</summary>
    public static bool IsPrivateKeyLabel(string label) =>
        label is SigstoreEncryptedLabel or CosignEncryptedLabel or Pkcs8Label or EcLabel or RsaLabel;

    /// <summary>Reads the first PEM block of <paramref name="text"/>; <paramref name="keySource"/> names the file in messages.</summary>
    public static PrivateKeyPem Parse(ReadOnlySpan<char> text, string keySource)
    {
        var (label, data) = KeyPem.ReadFirst(text, keySource);
        return label switch
        {
            SigstoreEncryptedLabel or CosignEncryptedLabel => new PrivateKeyPem(label, keySource, null, EncryptedKeyEnvelope.Parse(data, keySource)),
            Pkcs8Label or EcLabel or RsaLabel => new PrivateKeyPem(label, keySource, data, null),
            "ENCRYPTED PRIVATE KEY" => throw new KeyFileException(KeyFileError.UnsupportedKey, keySource,
                "password-protected PKCS#8 (ENCRYPTED PRIVATE KEY) is not read; decrypt it with: openssl pkcs8 -in KEY -out KEY.plain, then import-key-pair"),
            "PUBLIC KEY" or "CERTIFICATE" => throw new KeyFileException(KeyFileError.UnsupportedKey, keySource,
                $"this is a {label}, not a private key; signing needs the private key file (the .key written by generate-key-pair)"),
            _ => throw new KeyFileException(KeyFileError.UnsupportedKey, keySource,
                $"PEM type '{KeyPem.Printable(label)}' is not a supported private key; expected {SigstoreEncryptedLabel}, {CosignEncryptedLabel}, {Pkcs8Label}, {EcLabel} or {RsaLabel}"),
        };
    }

    /// <summary>
    /// The private key. <paramref name="passphrase"/> is used only for an encrypted key (and may be empty); a wrong one is
    /// a <see cref="KeyFileException"/> with <see cref="KeyFileError.DecryptionFailed"/>.
    /// </summary>
    public PrivateKey Open(ReadOnlySpan<byte> passphrase)
    {
        if (_envelope is null)
        {
            return Label switch
            {
                EcLabel => PrivateKey.FromEcPrivateKey(_der, KeySource),
                RsaLabel => PrivateKey.FromRsaPrivateKey(_der, KeySource),
                _ => PrivateKey.FromPkcs8(_der, KeySource),
            };
        }

        var pkcs8 = _envelope.Decrypt(passphrase, KeySource);
        try
        {
            return PrivateKey.FromPkcs8(pkcs8, KeySource);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>
    /// The <c>ENCRYPTED SIGSTORE PRIVATE KEY</c> PEM of <paramref name="key"/>: the secretbox of its PKCS#8 DER under
    /// scrypt(<paramref name="passphrase"/>) with <see cref="ScryptParameters.Standard"/> unless told otherwise.
    /// </summary>
    public static string Encrypt(PrivateKey key, ReadOnlySpan<byte> passphrase, ScryptParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var pkcs8 = key.ExportPkcs8();
        try
        {
            return KeyPem.Write(SigstoreEncryptedLabel, EncryptedKeyEnvelope.Encrypt(pkcs8, passphrase, parameters ?? ScryptParameters.Standard));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
