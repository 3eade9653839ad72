using System.Diagnostics.CodeAnalysis;

namespace Signet.Oci.Json;

/// <summary>
/// Base64 as DSSE and proto3 JSON allow it: the standard (<c>+/</c>) or the URL-safe (<c>-_</c>) alphabet, but not both in
/// one value; padding optional but, when present, correct; CR and LF skipped (as Go's decoder does), nothing else.
/// </summary>
public static class Base64Text
{
    /// <summary>Decodes <paramref name="text"/>; false (and no bytes) when it is not base64 as described above.</summary>
    public static bool TryDecode(string text, [NotNullWhen(true)] out byte[]? bytes)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Go's base64 decoder (behind protojson and go-securesystemslib's DSSE) skips CR and LF; so does this one.
        if (text.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            text = text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
        }

        bytes = null;
        var padding = 0;
        var standard = false;
        var urlSafe = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '=')
            {
                padding++;
                continue;
            }

            if (padding > 0)
            {
                return false; // data after padding
            }

            switch (c)
            {
                case (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9'):
                    break;
                case '+' or '/':
                    standard = true;
                    break;
                case '-' or '_':
                    urlSafe = true;
                    break;
                default:
                    return false;
            }
        }

        var data = text.Length - padding;
        var missing = (4 - (data % 4)) % 4;
        if ((standard && urlSafe) || data % 4 == 1 || (padding > 0 && padding != missing))
        {
            return false;
        }

        var normalized = string.Create(data + missing, (text, data, urlSafe), static (span, state) =>
        {
            for (var i = 0; i < state.data; i++)
            {
                var c = state.text[i];
                span[i] = state.urlSafe ? c switch { '-' => '+', '_' => '/', _ => c } : c;
            }

            span[state.data..].Fill('=');
        });

        var buffer = new byte[normalized.Length / 4 * 3];
        if (!Convert.TryFromBase64String(normalized, buffer, out var written))
        {
            return false;
        }

        bytes = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }
}
