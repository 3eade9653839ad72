using System.Globalization;
using System.Text;

namespace Signet.Scanning.Catalogers.Java;

/// <summary>
/// <c>META-INF/maven/&lt;groupId&gt;/&lt;artifactId&gt;/pom.properties</c> as Maven writes it: a Java properties file
/// (java.util.Properties#load: <c>key=value</c>, <c>key:value</c> or <c>key value</c>; <c>#</c>/<c>!</c> comments; a
/// line ending in an odd number of backslashes continues on the next; <c>\t \n \r \f \uXXXX</c> escapes).
/// </summary>
internal sealed record PomProperties(string? GroupId, string? ArtifactId, string? Version)
{
    /// <summary>Reads the three coordinates; never throws.</summary>
    public static PomProperties Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in LogicalLines(text))
        {
            var at = 0;
            var key = ReadKey(line, ref at);
            while (at < line.Length && IsBlank(line[at]))
            {
                at++;
            }

            if (at < line.Length && line[at] is '=' or ':')
            {
                at++;
                while (at < line.Length && IsBlank(line[at]))
                {
                    at++;
                }
            }

            values.TryAdd(key, Unescape(line[at..]).Trim());
        }

        return new PomProperties(Value(values, "groupId"), Value(values, "artifactId"), Value(values, "version"));
    }

    private static IEnumerable<string> LogicalLines(string text)
    {
        var logical = new StringBuilder();
        foreach (var raw in text.Split(["\r\n", "\n", "\r"], StringSplitOptions.None))
        {
            var line = raw.TrimStart(' ', '\t', '\f');
            if (logical.Length == 0 && (line.Length == 0 || line[0] is '#' or '!'))
            {
                continue;
            }

            if (TrailingBackslashes(line) % 2 == 1)
            {
                logical.Append(line.AsSpan(0, line.Length - 1));
                continue;
            }

            logical.Append(line);
            yield return logical.ToString();
            logical.Clear();
        }

        if (logical.Length > 0)
        {
            yield return logical.ToString();
        }
    }

    private static string ReadKey(string line, ref int at)
    {
        var start = at;
        while (at < line.Length && line[at] is not ('=' or ':') && !IsBlank(line[at]))
        {
            at += line[at] == '\\' ? 2 : 1;
        }

        at = Math.Min(at, line.Length);
        return Unescape(line[start..at]);
    }

    private static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\' || i + 1 == value.Length)
            {
                result.Append(value[i]);
                continue;
            }

            var next = value[++i];
            if (next == 'u' && i + 4 < value.Length && ushort.TryParse(value.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                result.Append((char)code);
                i += 4;
                continue;
            }

            result.Append(next switch { 't' => '\t', 'n' => '\n', 'r' => '\r', 'f' => '\f', _ => next });
        }

        return result.ToString();
    }

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\f';

    private static int TrailingBackslashes(string line)
    {
        var count = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            count++;
        }

        return count;
    }

    private static string? Value(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
}
