using System.Text;

namespace Signet.Registry.Auth;

/// <summary>
/// A credential given on the command line (<c>--username</c> with <c>--password-stdin</c>) for one registry host. It
/// overrides the stores for that host; other hosts go to <c>fallback</c>.
/// </summary>
public sealed class ExplicitCredentialProvider : ICredentialProvider
{
    /// <summary>The most a password read from stdin may be.</summary>
    public const int MaxPasswordChars = 64 * 1024;

    private readonly string _host;
    private readonly Credential _credential;
    private readonly ICredentialProvider? _fallback;

    public ExplicitCredentialProvider(string registryHost, Credential credential, ICredentialProvider? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _host = RegistryHost.Normalize(registryHost);
        _credential = credential;
        _fallback = fallback;
    }

    /// <inheritdoc/>
    public Task<Credential?> GetAsync(string registryHost, CancellationToken cancellationToken = default) =>
        RegistryHost.Normalize(registryHost) == _host
            ? Task.FromResult<Credential?>(_credential)
            : _fallback?.GetAsync(registryHost, cancellationToken) ?? Task.FromResult<Credential?>(null);

    /// <summary>
    /// Reads a password from <paramref name="stdin"/> as <c>docker login --password-stdin</c> does: the whole input
    /// with trailing line breaks removed.
    /// </summary>
    /// <exception cref="InvalidDataException">The input is empty or longer than <see cref="MaxPasswordChars"/>.</exception>
    public static async Task<string> ReadPasswordAsync(TextReader stdin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        var buffer = new char[4096];
        var text = new StringBuilder();
        int read;
        while ((read = await stdin.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > MaxPasswordChars)
            {
                throw new InvalidDataException($"the password on stdin is longer than {MaxPasswordChars} characters; pipe only the password (for example 'cat token.txt | signet login --password-stdin')");
            }
        }

        var password = text.ToString().TrimEnd('\r', '\n');
        return password.Length > 0
            ? password
            : throw new InvalidDataException("--password-stdin was given but stdin was empty; pipe the password in (for example 'cat token.txt | signet login --password-stdin')");
    }
}
