using System.Security.Cryptography;

namespace Signet.Crypto.KeyFiles;

/// <summary>Why a well-formed key file could not be used.</summary>
public enum KeyFileError
{
    /// <summary>The secretbox authentication failed: the passphrase is wrong or the encrypted key was modified.</summary>
    DecryptionFailed,

    /// <summary>The scrypt parameters are not one of the accepted sets (refused before any work is done).</summary>
    KdfParametersRefused,

    /// <summary>The key file names a key derivation or cipher other than scrypt and nacl/secretbox.</summary>
    UnsupportedEncryption,

    /// <summary>The key's algorithm or size is not one Signet signs with.</summary>
    UnsupportedKey,

    /// <summary>The key material does not parse or is inconsistent.</summary>
    InvalidKey,

    /// <summary>The key file or environment variable does not exist.</summary>
    NotFound,

    /// <summary>The key is encrypted and no passphrase could be obtained.</summary>
    PassphraseUnavailable,
}

/// <summary>
/// A key file that is well formed but cannot be used: wrong passphrase, refused KDF parameters, an unsupported key.
/// The message names the file and says what to do; <see cref="Error"/> is the machine-readable reason.
/// </summary>
public sealed class KeyFileException : CryptographicException
{
    public KeyFileException()
    {
    }

    public KeyFileException(string message)
        : base(message)
    {
    }

    public KeyFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KeyFileException(KeyFileError error, string keySource, string message, Exception? innerException = null)
        : base($"{keySource}: {message}", innerException)
    {
        Error = error;
        KeySource = keySource;
    }

    public KeyFileError Error { get; }

    /// <summary>The file path or reference the key came from.</summary>
    public string KeySource { get; } = string.Empty;
}

/// <summary>
/// A key file that is not what it claims to be: no PEM block, a truncated PEM, bad base64, malformed JSON in an
/// encrypted key, an oversized file. The message names the file and says what to do.
/// </summary>
public sealed class KeyFileFormatException : FormatException
{
    public KeyFileFormatException()
    {
    }

    public KeyFileFormatException(string message)
        : base(message)
    {
    }

    public KeyFileFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KeyFileFormatException(string keySource, string message, Exception? innerException)
        : base($"{keySource}: {message}", innerException)
    {
        KeySource = keySource;
    }

    /// <summary>The file path or reference the key came from.</summary>
    public string KeySource { get; } = string.Empty;
}
