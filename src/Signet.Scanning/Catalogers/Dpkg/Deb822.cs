using System.Text;

namespace Signet.Scanning.Catalogers.Dpkg;

/// <summary>One paragraph of a deb822 file: fields by case-insensitive name, the line it starts on.</summary>
internal sealed record Deb822Paragraph(int Line, IReadOnlyDictionary<string, string> Fields)
{
    public string? this[string field] => Fields.TryGetValue(field, out var value) ? value : null;
}

/// <summary>The well-formed paragraphs of a deb822 file and what was wrong with the others.</summary>
internal sealed record Deb822Document(IReadOnlyList<Deb822Paragraph> Paragraphs, int Malformed, int FirstMalformedLine, string? FirstProblem, bool Truncated);

/// <summary>
/// The control-file syntax of dpkg's status database and of DEP-5 copyright files (Debian Policy §5.1): paragraphs
/// separated by blank lines; <c>Field: value</c> lines; continuation lines start with a space or a tab; lines starting
/// with '#' are comments. A paragraph with a line of no field, a continuation before any field, or a repeated field (where refused) is
/// dropped whole and counted; the others are kept.
/// </summary>
internal static class Deb822
{
    /// <summary>At most this many fields in one paragraph (a status entry has about 15).</summary>
    public const int MaxFields = 256;

    /// <summary>
    /// Parses <paramref name="text"/>, keeping at most <paramref name="maxParagraphs"/> paragraphs (well-formed or not).
    /// dpkg refuses a repeated field; copyright files in the wild repeat Comment fields, so
    /// <paramref name="allowRepeatedFields"/> keeps the first value there instead.
    /// </summary>
    public static Deb822Document Parse(string text, int maxParagraphs, bool allowRepeatedFields = false)
    {
        var paragraphs = new List<Deb822Paragraph>();
        var malformed = 0;
        var firstMalformedLine = 0;
        string? firstProblem = null;
        Dictionary<string, StringBuilder>? fields = null;
        string? lastField = null;
        string? problem = null;
        var skipContinuation = false;
        var start = 0;
        var lineNumber = 0;

        void Close()
        {
            if (fields is not null)
            {
                if (problem is null)
                {
                    paragraphs.Add(new Deb822Paragraph(start, fields.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
                }
                else
                {
                    malformed++;
                    if (firstProblem is null)
                    {
                        (firstProblem, firstMalformedLine) = (problem, start);
                    }
                }
            }

            (fields, lastField, problem, skipContinuation) = (null, null, null, false);
        }

        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = rawLine;
            if (line.IsWhiteSpace())
            {
                Close();
                continue;
            }

            if (line[0] == '#')
            {
                continue;
            }

            if (fields is null && paragraphs.Count + malformed >= maxParagraphs)
            {
                return new Deb822Document(paragraphs, malformed, firstMalformedLine, firstProblem, Truncated: true);
            }

            if (fields is null)
            {
                fields = new Dictionary<string, StringBuilder>(StringComparer.OrdinalIgnoreCase);
                start = lineNumber;
            }

            if (problem is not null)
            {
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (skipContinuation)
                {
                    continue;
                }

                if (lastField is null)
                {
                    problem = $"line {lineNumber} continues a field but no field came before it";
                    continue;
                }

                fields[lastField].Append('\n').Append(line[1..].TrimEnd());
                continue;
            }

            var colon = line.IndexOf(':');
            var name = colon > 0 ? line[..colon] : [];
            if (name.IsEmpty || name.ContainsAny(' ', '\t') || name[0] == '-')
            {
                problem = $"line {lineNumber} is neither 'Field: value' nor a continuation line";
                continue;
            }

            var key = name.ToString();
            if (allowRepeatedFields && fields.ContainsKey(key))
            {
                skipContinuation = true;
                continue;
            }

            skipContinuation = false;
            if (fields.Count >= MaxFields || !fields.TryAdd(key, new StringBuilder().Append(line[(colon + 1)..].Trim())))
            {
                problem = fields.Count >= MaxFields
                    ? $"line {lineNumber} adds a field beyond the {MaxFields} fields a paragraph may have"
                    : $"line {lineNumber} repeats the field '{key}'";
                continue;
            }

            lastField = key;
        }

        Close();
        return new Deb822Document(paragraphs, malformed, firstMalformedLine, firstProblem, Truncated: false);
    }
}
