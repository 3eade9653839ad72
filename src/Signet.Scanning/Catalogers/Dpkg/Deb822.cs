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
/// with '#' are comments. A paragraph with a line of no field, a continuation before any field, or a repeated field is
/// dropped whole and counted; the others are kept.
/// </summary>
internal static class Deb822
{
    /// <summary>At most this many fields in one paragraph (a status entry has about 15).</summary>
    public const int MaxFields = 256;

    public static Deb822Document Parse(string text, int maxParagraphs)
    {
        var paragraphs = new List<Deb822Paragraph>();
        var malformed = 0;
        var firstMalformedLine = 0;
        string? firstProblem = null;
        Dictionary<string, string>? fields = null;
        string? lastField = null;
        string? problem = null;
        var start = 0;
        var lineNumber = 0;

        void Close()
        {
            if (fields is not null)
            {
                if (problem is null)
                {
                    paragraphs.Add(new Deb822Paragraph(start, fields));
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

            (fields, lastField, problem) = (null, null, null);
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
                fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                start = lineNumber;
            }

            if (problem is not null)
            {
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (lastField is null)
                {
                    problem = $"line {lineNumber} continues a field but no field came before it";
                    continue;
                }

                fields[lastField] = string.Concat(fields[lastField], "\n", line[1..].TrimEnd());
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
            if (fields.Count >= MaxFields || !fields.TryAdd(key, line[(colon + 1)..].Trim().ToString()))
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
