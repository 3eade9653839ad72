namespace Signet.Scanning.Catalogers.Java;

/// <summary>
/// A JAR manifest (<c>META-INF/MANIFEST.MF</c>): the main section and the named sections, as
/// https://docs.oracle.com/en/java/javase/21/docs/specs/jar/jar.html#jar-manifest defines them: <c>Name: value</c>
/// lines, a line starting with one space continues the previous value, a blank line ends a section.
/// </summary>
internal sealed class JavaManifest
{
    private JavaManifest(Dictionary<string, string> main, List<Dictionary<string, string>> sections, int malformedLines)
    {
        Main = main;
        Sections = sections;
        MalformedLines = malformedLines;
    }

    /// <summary>The main attributes; names compare case-insensitively as the spec says.</summary>
    public IReadOnlyDictionary<string, string> Main { get; }

    /// <summary>The per-entry sections, in order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Sections { get; }

    /// <summary>Lines that were neither an attribute nor a continuation of one (skipped).</summary>
    public int MalformedLines { get; }

    /// <summary>Parses manifest text; never throws: malformed lines are counted and skipped.</summary>
    public static JavaManifest Parse(string text)
    {
        var main = NewSection();
        var sections = new List<Dictionary<string, string>>();
        var current = main;
        var started = true;
        string? lastKey = null;
        var malformed = 0;
        foreach (var line in text.Split(["\r\n", "\n", "\r"], StringSplitOptions.None))
        {
            if (line.Length == 0)
            {
                started = false;
                lastKey = null;
                continue;
            }

            if (!started)
            {
                current = NewSection();
                sections.Add(current);
                started = true;
            }

            if (line[0] == ' ')
            {
                if (lastKey is null)
                {
                    malformed++;
                    continue;
                }

                current[lastKey] += line[1..];
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                malformed++;
                lastKey = null;
                continue;
            }

            lastKey = line[..colon].Trim();
            current[lastKey] = line[(colon + 1)..].TrimStart(' ');
        }

        return new JavaManifest(main, sections, malformed);
    }

    /// <summary>The value of <paramref name="name"/> in the main section, trimmed; null when absent or blank.</summary>
    public string? Get(string name) => Main.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>The value in the main section, else in the first named section that has it.</summary>
    public string? GetAnySection(string name) =>
        Get(name) ?? Sections.Select(s => s.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null).FirstOrDefault(v => v is not null);

    private static Dictionary<string, string> NewSection() => new(StringComparer.OrdinalIgnoreCase);
}
