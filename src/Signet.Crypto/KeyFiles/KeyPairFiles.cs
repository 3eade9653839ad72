using System.Security.Cryptography;
using Signet.Crypto.Keys;
using Signet.Crypto.Passphrases;

namespace Signet.Crypto.KeyFiles;

/// <summary>The two files of a key pair.</summary>
public sealed record KeyPairPaths(string PrivateKeyPath, string PublicKeyPath);

/// <summary>
/// cosign-compatible key pair files: <c>NAME.key</c> (<c>ENCRYPTED SIGSTORE PRIVATE KEY</c>, mode 0600) and
/// <c>NAME.pub</c> (<c>PUBLIC KEY</c>). Reads are bounded to <see cref="MaxFileBytes"/>; a missing file is a
/// <see cref="FileNotFoundException"/>, anything wrong with its content a <see cref="KeyFileFormatException"/> or
/// <see cref="KeyFileException"/>.
/// </summary>
public static class KeyPairFiles
{
    public const int MaxFileBytes = KeyPem.MaxBytes;

    /// <summary>Reads a bounded key file as text.</summary>
    public static async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        var buffer = new byte[MaxFileBytes + 1];
        var total = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (total > MaxFileBytes)
        {
            throw new KeyFileFormatException(path, $"the file is larger than {MaxFileBytes} bytes; a PEM key file is a few KiB: is this the right file?", null);
        }

        var text = KeyPem.Decode(buffer.AsSpan(0, total));
        CryptographicOperations.ZeroMemory(buffer);
        return text;
    }

    /// <summary>Reads and, when it is encrypted, decrypts the private key at <paramref name="path"/>.</summary>
    public static async Task<PrivateKey> ReadPrivateKeyAsync(string path, IPassphraseSource passphrases, CancellationToken cancellationToken = default)
    {
        var text = await ReadTextAsync(path, cancellationToken).ConfigureAwait(false);
        return await OpenAsync(PrivateKeyPem.Parse(text, path), passphrases, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a parsed private key PEM, asking <paramref name="passphrases"/> only when it is encrypted.</summary>
    public static async Task<PrivateKey> OpenAsync(PrivateKeyPem pem, IPassphraseSource passphrases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pem);
        ArgumentNullException.ThrowIfNull(passphrases);
        if (!pem.IsEncrypted)
        {
            return pem.Open([]);
        }

        var passphrase = await passphrases.GetPassphraseAsync(new PassphraseRequest(pem.KeySource, PassphrasePurpose.Decrypt), cancellationToken).ConfigureAwait(false);
        try
        {
            return pem.Open(passphrase);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passphrase);
        }
    }

    /// <summary>
    /// Writes <paramref name="prefix"/>.key (encrypted with a passphrase from <paramref name="passphrases"/>, purpose
    /// <see cref="PassphrasePurpose.Encrypt"/>) and <paramref name="prefix"/>.pub. Existing files are an
    /// <see cref="IOException"/> unless <paramref name="overwrite"/>.
    /// </summary>
    public static async Task<KeyPairPaths> WriteAsync(
        PrivateKey key, string prefix, IPassphraseSource passphrases, bool overwrite = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentNullException.ThrowIfNull(passphrases);
        var paths = new KeyPairPaths(prefix + ".key", prefix + ".pub");
        if (!overwrite)
        {
            foreach (var path in new[] { paths.PrivateKeyPath, paths.PublicKeyPath })
            {
                if (File.Exists(path))
                {
                    throw new IOException($"{path} already exists; remove it or choose another name (nothing was written)");
                }
            }
        }

        var passphrase = await passphrases.GetPassphraseAsync(new PassphraseRequest(paths.PrivateKeyPath, PassphrasePurpose.Encrypt), cancellationToken).ConfigureAwait(false);
        string privatePem;
        try
        {
            privatePem = PrivateKeyPem.Encrypt(key, passphrase);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passphrase);
        }

        await WriteFileAsync(paths.PrivateKeyPath, privatePem, UnixFileMode.UserRead | UnixFileMode.UserWrite, cancellationToken).ConfigureAwait(false);
        await WriteFileAsync(paths.PublicKeyPath, PublicKeyPem.Write(key.PublicKey),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, cancellationToken).ConfigureAwait(false);
        return paths;
    }

    /// <summary>generate-key-pair: a new key of <paramref name="algorithm"/> written as <paramref name="prefix"/>.key/.pub.</summary>
    public static async Task<KeyPairPaths> GenerateAsync(
        KeyAlgorithm algorithm, string prefix, IPassphraseSource passphrases, bool overwrite = false, CancellationToken cancellationToken = default)
    {
        using var key = PrivateKey.Generate(algorithm);
        return await WriteAsync(key, prefix, passphrases, overwrite, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// import-key-pair: reads the private key at <paramref name="sourcePath"/> (PKCS#8, SEC1, PKCS#1, or a cosign
    /// encrypted key) and writes it as <paramref name="prefix"/>.key/.pub.
    /// </summary>
    public static async Task<KeyPairPaths> ImportAsync(
        string sourcePath, string prefix, IPassphraseSource passphrases, bool overwrite = false, CancellationToken cancellationToken = default)
    {
        using var key = await ReadPrivateKeyAsync(sourcePath, passphrases, cancellationToken).ConfigureAwait(false);
        return await WriteAsync(key, prefix, passphrases, overwrite, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteFileAsync(string path, string text, UnixFileMode mode, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        await using (var file = new FileStream(path, options))
        {
            await file.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text), cancellationToken).ConfigureAwait(false);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode); // an overwritten file keeps its old mode otherwise
        }
    }
}
