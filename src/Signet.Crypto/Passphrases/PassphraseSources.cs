using System.Text;
using Signet.Crypto.KeyFiles;

namespace Signet.Crypto.Passphrases;

/// <summary>Why a passphrase is wanted: to open an existing key, or to encrypt a new one (a prompt should ask twice).</summary>
public enum PassphrasePurpose
{
    Decrypt,
    Encrypt,
}

/// <summary>A request for the passphrase of one key.</summary>
/// <param name="KeySource">The file path or reference of the key, for the prompt.</param>
/// <param name="Purpose">Decrypting an existing key or encrypting a new one.</param>
public sealed record PassphraseRequest(string KeySource, PassphrasePurpose Purpose);

/// <summary>Supplies key passphrases as UTF-8 bytes (the caller zeroes them after use). An empty passphrase is valid.</summary>
public interface IPassphraseSource
{
    /// <summary>
    /// The passphrase for <paramref name="request"/>; throws <see cref="KeyFileException"/> with
    /// <see cref="KeyFileError.PassphraseUnavailable"/> when none can be obtained.
    /// </summary>
    ValueTask<byte[]> GetPassphraseAsync(PassphraseRequest request, CancellationToken cancellationToken = default);
}

/// <summary>
/// What the CLI supplies to read a passphrase without echo from the terminal; null when the user gave none (end of
/// input). For <see cref="PassphrasePurpose.Encrypt"/> the prompt asks twice and compares.
/// </summary>
public delegate ValueTask<string?> PassphrasePrompt(PassphraseRequest request, CancellationToken cancellationToken);

/// <summary>
/// The passphrase from <c>SIGNET_PASSWORD</c>, else <c>COSIGN_PASSWORD</c> (a variable that is set but empty is the
/// empty passphrase, as in cosign), else from the prompt the caller supplies (a no-echo terminal prompt in the CLI).
/// </summary>
public sealed class EnvironmentPassphraseSource : IPassphraseSource
{
    public const string SignetVariable = "SIGNET_PASSWORD";
    public const string CosignVariable = "COSIGN_PASSWORD";

    private readonly PassphrasePrompt? _prompt;
    private readonly Func<string, string?> _environment;

    /// <param name="prompt">Asked when neither variable is set; null for non-interactive use.</param>
    /// <param name="environment">Reads a variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when null (tests pass their own).</param>
    public EnvironmentPassphraseSource(PassphrasePrompt? prompt = null, Func<string, string?>? environment = null)
    {
        _prompt = prompt;
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    public async ValueTask<byte[]> GetPassphraseAsync(PassphraseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var value = _environment(SignetVariable) ?? _environment(CosignVariable);
        if (value is not null)
        {
            return Encoding.UTF8.GetBytes(value);
        }

        if (_prompt is null)
        {
            throw new KeyFileException(KeyFileError.PassphraseUnavailable, request.KeySource,
                $"a passphrase is needed and there is no terminal to ask; set {SignetVariable} (or {CosignVariable}); an empty value means no passphrase");
        }

        var entered = await _prompt(request, cancellationToken).ConfigureAwait(false);
        return entered is null
            ? throw new KeyFileException(KeyFileError.PassphraseUnavailable, request.KeySource,
                $"no passphrase was entered; enter one at the prompt or set {SignetVariable}")
            : Encoding.UTF8.GetBytes(entered);
    }
}

/// <summary>A passphrase known in advance (library callers and tests).</summary>
public sealed class FixedPassphraseSource(string passphrase) : IPassphraseSource
{
    public ValueTask<byte[]> GetPassphraseAsync(PassphraseRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Encoding.UTF8.GetBytes(passphrase));
}
