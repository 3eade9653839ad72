using System.Text;

namespace Signet.Scanning.Catalogers.Ruby;

/// <summary>
/// The Ruby literals RubyGems writes into installed gemspecs: <c>"text"</c>, <c>'text'</c>, <c>%q&lt;text&gt;</c>
/// (and the other %q/%Q delimiters), each optionally followed by <c>.freeze</c>, and arrays of them. No interpreter:
/// anything else is not a literal.
/// </summary>
internal static class RubyLiterals
{
    /// <summary>
    /// The strings of the literal or array of literals starting at <paramref name="start"/> (spaces skipped); null
    /// when the text there is not one that ends on this line.
    /// </summary>
    public static List<string>? ReadValue(string line, int start)
    {
        var i = SkipSpaces(line, start);
        if (i < line.Length && line[i] == '[')
        {
            var values = new List<string>();
            i = SkipSpaces(line, i + 1);
            while (i < line.Length && line[i] != ']')
            {
                var value = ReadString(line, ref i);
                if (value is null)
                {
                    return null;
                }

                values.Add(value);
                i = SkipSpaces(line, i);
                if (i < line.Length && line[i] == ',')
                {
                    i = SkipSpaces(line, i + 1);
                }
            }

            return i < line.Length ? values : null;
        }

        return ReadString(line, ref i) is { } single ? [single] : null;
    }

    /// <summary>One string literal at <paramref name="i"/>, moving past it and a following <c>.freeze</c>; null when there is none.</summary>
    public static string? ReadString(string line, ref int i)
    {
        i = SkipSpaces(line, i);
        if (i >= line.Length)
        {
            return null;
        }

        string? value;
        if (line[i] is '"' or '\'')
        {
            value = ReadQuoted(line, ref i, line[i], line[i], line[i] == '"');
        }
        else if (line[i] == '%' && i + 2 < line.Length && line[i + 1] is 'q' or 'Q' && Closing(line[i + 2]) is { } closing)
        {
            var interpolated = line[i + 1] == 'Q';
            i += 2;
            value = ReadQuoted(line, ref i, line[i], closing, interpolated);
        }
        else
        {
            return null;
        }

        if (value is not null && string.CompareOrdinal(line, i, ".freeze", 0, 7) == 0)
        {
            i += 7;
        }

        return value;
    }

    private static char? Closing(char open) => open switch
    {
        '<' => '>',
        '(' => ')',
        '[' => ']',
        '{' => '}',
        _ when char.IsAsciiLetterOrDigit(open) || char.IsWhiteSpace(open) => null,
        _ => open,
    };

    private static string? ReadQuoted(string line, ref int i, char open, char close, bool escapes)
    {
        var text = new StringBuilder();
        var depth = 0;
        for (var j = i + 1; j < line.Length; j++)
        {
            var c = line[j];
            if (c == '\\' && j + 1 < line.Length)
            {
                j++;
                AppendEscape(text, line, ref j, escapes);
                continue;
            }

            if (c == close && depth == 0)
            {
                i = j + 1;
                return text.ToString();
            }

            depth += open != close && c == open ? 1 : open != close && c == close ? -1 : 0;
            text.Append(c);
        }

        return null;
    }

    /// <summary>A backslash escape: in double quotes \n, \t, \uXXXX and \u{X} are decoded; elsewhere only \\ and the delimiters.</summary>
    private static void AppendEscape(StringBuilder text, string line, ref int j, bool escapes)
    {
        var c = line[j];
        if (!escapes)
        {
            text.Append(c is '\\' or '\'' or '>' or ')' or ']' or '}' ? c : $"\\{c}");
            return;
        }

        switch (c)
        {
            case 'n':
                text.Append('\n');
                break;
            case 't':
                text.Append('\t');
                break;
            case 'u' when j + 4 < line.Length && line[j + 1] != '{' && int.TryParse(line.AsSpan(j + 1, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var code):
                text.Append((char)code);
                j += 4;
                break;
            case 'u' when j + 1 < line.Length && line[j + 1] == '{' && line.IndexOf('}', j) is var end and > 0
                && int.TryParse(line.AsSpan(j + 2, end - j - 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var point)
                && point is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF):
                text.Append(char.ConvertFromUtf32(point));
                j = end;
                break;
            default:
                text.Append(c);
                break;
        }
    }

    private static int SkipSpaces(string line, int i)
    {
        while (i < line.Length && line[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }
}
