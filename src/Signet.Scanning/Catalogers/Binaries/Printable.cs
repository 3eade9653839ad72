using System.Globalization;
using System.Text;

namespace Signet.Scanning.Catalogers.Binaries;

/// <summary>Untrusted text from a binary made safe to print in an issue: control characters escaped, length bounded.</summary>
internal static class Printable
{
    public const int MaxLength = 80;

    public static string Of(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength) + 3);
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, MaxLength)))
        {
            if (char.IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return text.Length > MaxLength ? builder.Append("...").ToString() : builder.ToString();
    }
}
