using System.Text;
using Signet.Crypto.KeyFiles;
using Signet.Crypto.Passphrases;

namespace Signet.Cli.Output;

/// <summary>
/// Reads key passphrases and PINs from the terminal without echo, prompting on stderr. Used only when stdin is a
/// terminal (<see cref="Available"/>); otherwise commands rely on <c>SIGNET_PASSWORD</c> and say so when it is unset.
/// </summary>
internal static class PassphrasePrompter
{
    private const int MaxLength = 4096;

    /// <summary>True when stdin is a terminal that can be asked.</summary>
    public static bool Available => !Console.IsInputRedirected;

    /// <summary>The prompt for <see cref="EnvironmentPassphraseSource"/>: asks once to decrypt, twice (and compares) to encrypt.</summary>
    public static ValueTask<string?> PromptAsync(PassphraseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Purpose == PassphrasePurpose.Decrypt)
        {
            return ValueTask.FromResult(ReadHidden($"Enter passphrase for {request.KeySource}: ", cancellationToken));
        }

        var first = ReadHidden($"Enter passphrase for the new key {request.KeySource} (empty for none): ", cancellationToken);
        if (first is null)
        {
            return ValueTask.FromResult<string?>(null);
        }

        var second = ReadHidden("Enter the passphrase again: ", cancellationToken);
        return second == first
            ? ValueTask.FromResult<string?>(first)
            : throw new KeyFileException(KeyFileError.PassphraseUnavailable, request.KeySource, "the two passphrases differ; nothing was written, run the command again");
    }

    /// <summary>Reads one line without echo; null at end of input (Ctrl+D on an empty line).</summary>
    public static string? ReadHidden(string prompt, CancellationToken cancellationToken)
    {
        Console.Error.Write(prompt);
        var text = new StringBuilder();
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var key = Console.ReadKey(intercept: true);
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        return text.ToString();
                    case ConsoleKey.Backspace:
                        if (text.Length > 0)
                        {
                            text.Length--;
                        }

                        break;
                    default:
                        if (key.KeyChar == '\u0004' && text.Length == 0)
                        {
                            return null;
                        }

                        if (key.KeyChar == '\u0003')
                        {
                            throw new OperationCanceledException(cancellationToken);
                        }

                        if (!char.IsControl(key.KeyChar) && text.Length < MaxLength)
                        {
                            text.Append(key.KeyChar);
                        }

                        break;
                }
            }
        }
        finally
        {
            Console.Error.WriteLine();
        }
    }
}
