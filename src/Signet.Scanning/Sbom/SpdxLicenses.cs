using System.Collections.Frozen;
using System.Text;

namespace Signet.Scanning.Sbom;

/// <summary>How a declared license string is written into an SBOM.</summary>
internal enum LicenseKind
{
    /// <summary>Exactly one SPDX license id of the license list (canonical spelling).</summary>
    Id,

    /// <summary>A valid SPDX license expression (normalised: canonical ids, upper-case operators, single spaces).</summary>
    Expression,

    /// <summary>Free text that is no SPDX expression (<c>GPL-2+</c>, <c>BSD-like</c>, a license sentence).</summary>
    Name,
}

internal readonly record struct ClassifiedLicense(LicenseKind Kind, string Value)
{
    /// <summary>True for an expression with an operator, which needs parentheses when joined to others.</summary>
    public bool IsCompound => Kind == LicenseKind.Expression && Value.Contains(' ', StringComparison.Ordinal);
}

/// <summary>
/// The SPDX license list and the license expression syntax (SPDX 2.3 Annex D). The ids are those of the CycloneDX 1.6
/// <c>spdx.schema.json</c> enum (license list 3.28, CycloneDX/specification e02a34a), split into licenses
/// (<c>spdx-license-ids.txt</c>) and exceptions (<c>spdx-exception-ids.txt</c>) and embedded in the assembly.
/// </summary>
internal static class SpdxLicenses
{
    /// <summary>The license list version written into SPDX <c>creationInfo.licenseListVersion</c>.</summary>
    public const string ListVersion = "3.28";

    /// <summary>Longer strings are never parsed as expressions (they are license texts, written as names).</summary>
    private const int MaxExpressionLength = 1024;

    private const int MaxDepth = 16;

    private static readonly FrozenDictionary<string, string> LicenseIds = Load("spdx-license-ids.txt");
    private static readonly FrozenDictionary<string, string> ExceptionIds = Load("spdx-exception-ids.txt");

    /// <summary>Classifies a declared license: a list id, a valid expression, or free text.</summary>
    public static ClassifiedLicense Classify(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.Length > MaxExpressionLength)
        {
            return new ClassifiedLicense(LicenseKind.Name, text);
        }

        if (LicenseIds.TryGetValue(trimmed, out var id))
        {
            return new ClassifiedLicense(LicenseKind.Id, id);
        }

        var parser = new Parser(Tokenize(trimmed));
        return parser.TryParse(out var normalized)
            ? new ClassifiedLicense(LicenseKind.Expression, normalized)
            : new ClassifiedLicense(LicenseKind.Name, text);
    }

    /// <summary>Joins classified licenses (none of them a name) into one expression with AND.</summary>
    public static string JoinWithAnd(IReadOnlyList<string> values, IReadOnlyList<bool> compound)
    {
        if (values.Count == 1)
        {
            return values[0];
        }

        var builder = new StringBuilder();
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(" AND ");
            }

            builder.Append(compound[i] ? $"({values[i]})" : values[i]);
        }

        return builder.ToString();
    }

    private static FrozenDictionary<string, string> Load(string resource)
    {
        using var stream = typeof(SpdxLicenses).Assembly.GetManifestResourceStream($"Signet.Scanning.Sbom.{resource}")
            ?? throw new InvalidOperationException($"the embedded SPDX list {resource} is missing from Signet.Scanning");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                ids.TryAdd(line, line);
            }
        }

        return ids.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsWhiteSpace(c) || c is '(' or ')')
            {
                if (start >= 0)
                {
                    tokens.Add(text[start..i]);
                    start = -1;
                }

                if (c is '(' or ')')
                {
                    tokens.Add(c.ToString());
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        return tokens;
    }

    private static bool IsIdString(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '.' and not '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Recursive descent over the SPDX 2.3 Annex D grammar: OR binds loosest, then AND, then WITH.</summary>
    private sealed class Parser(List<string> tokens)
    {
        private readonly StringBuilder _output = new();
        private int _position;

        public bool TryParse(out string normalized)
        {
            normalized = string.Empty;
            if (!Expression(0) || _position != tokens.Count)
            {
                return false;
            }

            normalized = _output.ToString();
            return true;
        }

        private string? Peek => _position < tokens.Count ? tokens[_position] : null;

        private bool Expression(int depth) => Binary("OR", depth, () => Binary("AND", depth, () => With(depth)));

        private bool Binary(string op, int depth, Func<bool> operand)
        {
            if (!operand())
            {
                return false;
            }

            while (string.Equals(Peek, op, StringComparison.OrdinalIgnoreCase))
            {
                _position++;
                _output.Append(' ').Append(op).Append(' ');
                if (!operand())
                {
                    return false;
                }
            }

            return true;
        }

        private bool With(int depth)
        {
            if (!Simple(depth))
            {
                return false;
            }

            if (!string.Equals(Peek, "WITH", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            _position++;
            if (Peek is not { } exception || !ExceptionIds.TryGetValue(exception, out var canonical))
            {
                return false;
            }

            _position++;
            _output.Append(" WITH ").Append(canonical);
            return true;
        }

        private bool Simple(int depth)
        {
            if (Peek is not { } token)
            {
                return false;
            }

            _position++;
            if (token == "(")
            {
                if (depth >= MaxDepth)
                {
                    return false;
                }

                _output.Append('(');
                if (!Expression(depth + 1) || Peek != ")")
                {
                    return false;
                }

                _position++;
                _output.Append(')');
                return true;
            }

            return Term(token);
        }

        private bool Term(string token)
        {
            if (token.StartsWith("LicenseRef-", StringComparison.Ordinal) && IsIdString(token.AsSpan("LicenseRef-".Length)))
            {
                _output.Append(token);
                return true;
            }

            if (token.StartsWith("DocumentRef-", StringComparison.Ordinal)
                && token.Split(':') is [var document, var reference]
                && IsIdString(document.AsSpan("DocumentRef-".Length))
                && reference.StartsWith("LicenseRef-", StringComparison.Ordinal)
                && IsIdString(reference.AsSpan("LicenseRef-".Length)))
            {
                _output.Append(token);
                return true;
            }

            var orLater = token.EndsWith('+');
            if (!LicenseIds.TryGetValue(orLater ? token[..^1] : token, out var id))
            {
                return false;
            }

            _output.Append(id);
            if (orLater)
            {
                _output.Append('+');
            }

            return true;
        }
    }
}
