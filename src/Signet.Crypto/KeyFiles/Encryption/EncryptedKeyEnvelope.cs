using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Signet.Crypto.KeyFiles.Encryption;

/// <summary>
/// The JSON body of a cosign encrypted private key (go-securesystemslib <c>encrypted</c>): scrypt parameters and salt,
/// the secretbox nonce, and the secretbox of the PKCS#8 DER private key.
/// <code>{"kdf":{"name":"scrypt","params":{"N":65536,"r":8,"p":1},"salt":"…"},"cipher":{"name":"nacl/secretbox","nonce":"…"},"ciphertext":"…"}</code>
/// Reading is bounded (<see cref="MaxJsonBytes"/>, depth 8, duplicate names refused) and checks the scrypt parameters
/// before any key derivation.
/// </summary>
internal sealed class EncryptedKeyEnvelope
{
    public const int MaxJsonBytes = 32 * 1024;
    public const int SaltSize = 32;
    private const int MaxSaltBytes = 1024;
    private const string KdfName = "scrypt";
    private const string CipherName = "nacl/secretbox";

    private EncryptedKeyEnvelope(ScryptParameters parameters, byte[] salt, byte[] nonce, byte[] ciphertext)
    {
        Parameters = parameters;
        Salt = salt;
        Nonce = nonce;
        Ciphertext = ciphertext;
    }

    public ScryptParameters Parameters { get; }

    public byte[] Salt { get; }

    public byte[] Nonce { get; }

    /// <summary>tag || ciphertext.</summary>
    public byte[] Ciphertext { get; }

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> under a fresh salt and nonce and returns the JSON bytes, fields in the order
    /// Go's encoding/json writes them (base64 with padding; none of its characters needs escaping).
    /// </summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> passphrase, ScryptParameters parameters)
    {
        if (!parameters.IsAccepted)
        {
            throw new ArgumentException($"scrypt parameters {parameters} are not accepted by cosign; use ScryptParameters.Standard", nameof(parameters));
        }

        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var nonce = RandomNumberGenerator.GetBytes(SecretBox.NonceSize);
        var key = Scrypt.DeriveKey(passphrase, salt, parameters.N, parameters.R, parameters.P, SecretBox.KeySize);
        try
        {
            var box = SecretBox.Seal(key, nonce, plaintext);
            var json = string.Create(CultureInfo.InvariantCulture,
                $"{{\"kdf\":{{\"name\":\"{KdfName}\",\"params\":{{\"N\":{parameters.N},\"r\":{parameters.R},\"p\":{parameters.P}}},\"salt\":\"{Convert.ToBase64String(salt)}\"}},\"cipher\":{{\"name\":\"{CipherName}\",\"nonce\":\"{Convert.ToBase64String(nonce)}\"}},\"ciphertext\":\"{Convert.ToBase64String(box)}\"}}");
            return Encoding.ASCII.GetBytes(json);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Reads the JSON. Throws <see cref="KeyFileFormatException"/> for malformed JSON and <see cref="KeyFileException"/>
    /// for well-formed JSON naming an unknown KDF or cipher or refused scrypt parameters.
    /// </summary>
    public static EncryptedKeyEnvelope Parse(ReadOnlySpan<byte> json, string keySource)
    {
        if (json.Length > MaxJsonBytes)
        {
            throw Malformed(keySource, $"the encrypted key is {json.Length} bytes; at most {MaxJsonBytes} are accepted");
        }

        // JsonDocument checks UTF-8 inside strings only when they are read, and then throws InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw Malformed(keySource, "the encrypted key is not valid UTF-8 JSON");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Malformed(keySource, $"the encrypted key is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = Object(document.RootElement, "the encrypted key", keySource);
            var kdf = Object(Required(root, "kdf", keySource), "kdf", keySource);
            var cipher = Object(Required(root, "cipher", keySource), "cipher", keySource);

            var kdfName = String(Required(kdf, "name", keySource), "kdf.name", keySource);
            if (kdfName != KdfName)
            {
                throw new KeyFileException(KeyFileError.UnsupportedEncryption, keySource,
                    $"key derivation '{Printable(kdfName)}' is not supported (only scrypt); re-create the key with cosign or signet generate-key-pair");
            }

            var cipherName = String(Required(cipher, "name", keySource), "cipher.name", keySource);
            if (cipherName != CipherName)
            {
                throw new KeyFileException(KeyFileError.UnsupportedEncryption, keySource,
                    $"cipher '{Printable(cipherName)}' is not supported (only nacl/secretbox); re-create the key with cosign or signet generate-key-pair");
            }

            var parameters = Object(Required(kdf, "params", keySource), "kdf.params", keySource);
            var scrypt = new ScryptParameters(
                Integer(Required(parameters, "N", keySource), "kdf.params.N", keySource),
                Integer(Required(parameters, "r", keySource), "kdf.params.r", keySource),
                Integer(Required(parameters, "p", keySource), "kdf.params.p", keySource));
            if (!scrypt.IsAccepted)
            {
                throw new KeyFileException(KeyFileError.KdfParametersRefused, keySource,
                    $"scrypt parameters {scrypt} are refused: only N = 32768, 65536 or 131072 with r = 8 and p = 1 are accepted " +
                    "(others could make decryption arbitrarily slow). The file was not written by cosign or Signet, or it was modified.");
            }

            var salt = Base64(Required(kdf, "salt", keySource), "kdf.salt", keySource);
            if (salt.Length > MaxSaltBytes)
            {
                throw Malformed(keySource, $"kdf.salt is {salt.Length} bytes; at most {MaxSaltBytes} are accepted");
            }

            var nonce = Base64(Required(cipher, "nonce", keySource), "cipher.nonce", keySource);
            if (nonce.Length != SecretBox.NonceSize)
            {
                throw Malformed(keySource, $"cipher.nonce is {nonce.Length} bytes; a nacl/secretbox nonce is {SecretBox.NonceSize}");
            }

            var ciphertext = Base64(Required(root, "ciphertext", keySource), "ciphertext", keySource);
            if (ciphertext.Length < SecretBox.TagSize)
            {
                throw Malformed(keySource, $"the ciphertext is {ciphertext.Length} bytes, shorter than its {SecretBox.TagSize}-byte tag: the file is truncated");
            }

            return new EncryptedKeyEnvelope(scrypt, salt, nonce, ciphertext);
        }
    }

    /// <summary>The plaintext; <see cref="KeyFileException"/> with <see cref="KeyFileError.DecryptionFailed"/> when the tag does not authenticate.</summary>
    public byte[] Decrypt(ReadOnlySpan<byte> passphrase, string keySource)
    {
        var key = Scrypt.DeriveKey(passphrase, Salt, Parameters.N, Parameters.R, Parameters.P, SecretBox.KeySize);
        try
        {
            return SecretBox.Open(key, Nonce, Ciphertext) ?? throw new KeyFileException(KeyFileError.DecryptionFailed, keySource,
                "decryption failed: the passphrase is wrong, or the encrypted key was modified. " +
                "Check the passphrase (SIGNET_PASSWORD or COSIGN_PASSWORD when set) and that the file is the one you generated.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static KeyFileFormatException Malformed(string keySource, string message, Exception? inner = null) =>
        new(keySource, message + "; the encrypted private key is damaged or not a cosign key file", inner);

    private static JsonElement Object(JsonElement element, string name, string keySource)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(keySource, $"{name} must be a JSON object, not {element.ValueKind}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw Malformed(keySource, $"{name} has the member '{Printable(property.Name)}' twice");
            }
        }

        return element;
    }

    private static JsonElement Required(JsonElement parent, string name, string keySource) =>
        parent.TryGetProperty(name, out var value) ? value : throw Malformed(keySource, $"the member '{name}' is missing");

    private static string String(JsonElement element, string name, string keySource) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString() ?? string.Empty
            : throw Malformed(keySource, $"{name} must be a string");

    private static int Integer(JsonElement element, string name, string keySource) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value)
            ? value
            : throw Malformed(keySource, $"{name} must be an integer");

    private static byte[] Base64(JsonElement element, string name, string keySource)
    {
        var text = String(element, name, keySource);
        var buffer = new byte[text.Length / 4 * 3 + 3];
        return System.Convert.TryFromBase64String(text, buffer, out var written)
            ? buffer[..written]
            : throw Malformed(keySource, $"{name} is not valid base64");
    }

    private static string Printable(string value)
    {
        var cut = value.Length > 40 ? value[..40] + "…" : value;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }
}
