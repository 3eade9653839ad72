using System.Security.Cryptography;
using System.Text;

namespace Signet.Crypto.KeyFiles;

/// <summary>
/// Bounded reading of the first PEM block of a key file (as Go's pem.Decode and cosign do). Text before the block is
/// ignored; a block without its END line, with RFC 1421 headers or with bad base64 is a
/// <see cref="KeyFileFormatException"/> that says which.
/// </summary>
internal static class KeyPem
{
    /// <summary>The largest key file read: an RSA 4096 cosign key is under 5 KiB, a certificate chain a few more.</summary>
    public const int MaxBytes = 64 * 1024;

    private const string Begin = "-----BEGIN ";
    private const string End = "-----END ";

    public static (string Label, byte[] Data) ReadFirst(ReadOnlySpan<char> text, string keySource)
    {
        if (text.Length > MaxBytes)
        {
            throw new KeyFileFormatException(keySource, $"the key file is {text.Length} characters; at most {MaxBytes} are accepted for a PEM key", null);
        }

        var begin = text.IndexOf(Begin, StringComparison.Ordinal);
        if (begin < 0)
        {
            throw new KeyFileFormatException(keySource,
                "no PEM block found (expected -----BEGIN ...-----); give a PEM key file such as the .key or .pub that generate-key-pair writes", null);
        }

        if (PemEncoding.TryFind(text[begin..], out var fields) && fields.Location.Start.Value == 0)
        {
            var block = text[begin..];
            var label = block[fields.Label].ToString();
            var base64 = block[fields.Base64Data];
            var data = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(base64, data, out var written) || written != data.Length)
            {
                throw new KeyFileFormatException(keySource, $"the {Printable(label)} PEM block has invalid base64; the file is damaged", null);
            }

            return (label, data);
        }

        var rest = text[begin..];
        var lineEnd = rest.IndexOfAny('\r', '\n');
        var firstLine = Printable((lineEnd < 0 ? rest : rest[..lineEnd]).ToString());
        if (rest.IndexOf(End, StringComparison.Ordinal) < 0)
        {
            throw new KeyFileFormatException(keySource,
                $"the PEM block '{firstLine}' has no END line: the file is truncated; copy the whole key file again", null);
        }

        if (rest.IndexOf("Proc-Type:", StringComparison.Ordinal) >= 0 || rest.IndexOf("DEK-Info:", StringComparison.Ordinal) >= 0)
        {
            throw new KeyFileFormatException(keySource,
                $"the PEM block '{firstLine}' has headers (a legacy OpenSSL-encrypted key), which are not supported; " +
                "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8, then import-key-pair", null);
        }

        throw new KeyFileFormatException(keySource,
            $"the PEM block '{firstLine}' is damaged (mismatched BEGIN/END labels or characters outside base64); copy the whole key file again", null);
    }

    /// <summary>The PEM text of <paramref name="data"/> with 64-character lines and a final newline, as Go's pem.Encode writes it.</summary>
    public static string Write(string label, ReadOnlySpan<byte> data) => PemEncoding.WriteString(label, data) + "\n";

    /// <summary>Decodes file bytes as UTF-8 (invalid sequences become U+FFFD, which no PEM accepts).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    internal static string Printable(string value)
    {
        var cut = value.Length > 60 ? value[..60] + "…" : value;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }
}
