using System.Collections.Immutable;
using System.Text;

namespace Signet.Registry.Auth;

/// <summary>
/// One challenge of a <c>WWW-Authenticate</c> header (RFC 7235 §4.1, §2.1): a case-insensitive scheme with either
/// auth-params (names case-insensitive, values tokens or quoted strings) or a token68.
/// </summary>
internal sealed record AuthChallenge
{
    public required string Scheme { get; init; }

    public ImmutableDictionary<string, string> Parameters { get; init; } = ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase);

    public string? Token68 { get; init; }

    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;
}

/// <summary>Parses <c>WWW-Authenticate</c> values: several challenges per value and several values per response.</summary>
internal static class AuthChallengeParser
{
    internal const int MaxHeaderChars = 8 * 1024;
    internal const int MaxChallenges = 16;
    internal const int MaxParameters = 32;

    /// <summary>All challenges in all values, in order.</summary>
    /// <exception cref="FormatException">A value is malformed or exceeds the limits; the message quotes it.</exception>
    public static ImmutableArray<AuthChallenge> Parse(IEnumerable<string> headerValues)
    {
        ArgumentNullException.ThrowIfNull(headerValues);
        var all = ImmutableArray.CreateBuilder<AuthChallenge>();
        foreach (var value in headerValues)
        {
            all.AddRange(Parse(value));
            if (all.Count > MaxChallenges)
            {
                throw new FormatException($"WWW-Authenticate has more than {MaxChallenges} challenges; the registry or a proxy in front of it is misconfigured");
            }
        }

        return all.ToImmutable();
    }

    /// <summary>The challenges in one header value.</summary>
    /// <exception cref="FormatException">The value is malformed or too long; the message quotes it.</exception>
    public static ImmutableArray<AuthChallenge> Parse(string headerValue)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        if (headerValue.Length > MaxHeaderChars)
        {
            throw new FormatException($"WWW-Authenticate value is {headerValue.Length} characters, more than the {MaxHeaderChars} limit");
        }

        return new Reader(headerValue).ReadAll();
    }

    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    private static bool IsToken68Char(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~' or '+' or '/';

    private ref struct Reader(string text)
    {
        private readonly string _text = text;
        private int _pos;

        public ImmutableArray<AuthChallenge> ReadAll()
        {
            var challenges = ImmutableArray.CreateBuilder<AuthChallenge>();
            while (true)
            {
                SkipSeparators();
                if (AtEnd)
                {
                    break;
                }

                challenges.Add(ReadChallenge());
                if (challenges.Count > MaxChallenges)
                {
                    throw Error($"more than {MaxChallenges} challenges");
                }
            }

            return challenges.Count == 0 ? throw Error("no challenge") : challenges.ToImmutable();
        }

        private readonly bool AtEnd => _pos >= _text.Length;

        private readonly char Current => _text[_pos];

        private AuthChallenge ReadChallenge()
        {
            var scheme = ReadToken();
            if (scheme.Length == 0)
            {
                throw Error("expected an authentication scheme");
            }

            if (!AtEnd && Current is not (' ' or '\t' or ','))
            {
                throw Error($"unexpected '{Current}' after scheme '{scheme}'");
            }

            SkipWhitespace();
            var parameters = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
            if (AtEnd || Current == ',')
            {
                return new AuthChallenge { Scheme = scheme, Parameters = parameters.ToImmutable() };
            }

            var first = true;
            while (true)
            {
                var start = _pos;
                var name = ReadToken();
                SkipWhitespace();
                if (name.Length > 0 && !AtEnd && Current == '=')
                {
                    _pos++;
                    SkipWhitespace();
                    string? value = null;
                    if (!AtEnd && Current == '"')
                    {
                        value = ReadQuoted();
                    }
                    else if (ReadToken() is { Length: > 0 } token)
                    {
                        value = token;
                    }

                    if (value is null)
                    {
                        if (!first)
                        {
                            throw Error($"parameter '{name}' has no value");
                        }

                        _pos = start;
                        return new AuthChallenge { Scheme = scheme, Parameters = parameters.ToImmutable(), Token68 = ReadToken68() };
                    }

                    if (!parameters.TryAdd(name, value))
                    {
                        throw Error($"parameter '{name}' appears twice in the '{scheme}' challenge");
                    }

                    if (parameters.Count > MaxParameters)
                    {
                        throw Error($"more than {MaxParameters} parameters");
                    }
                }
                else if (first)
                {
                    _pos = start;
                    return new AuthChallenge { Scheme = scheme, Parameters = parameters.ToImmutable(), Token68 = ReadToken68() };
                }
                else
                {
                    throw Error("expected name=value");
                }

                first = false;
                SkipWhitespace();
                if (AtEnd)
                {
                    break;
                }

                if (Current != ',')
                {
                    throw Error($"expected ',' after parameter '{name}'");
                }

                SkipSeparators();
                if (AtEnd || !NextIsParameter())
                {
                    break;
                }
            }

            return new AuthChallenge { Scheme = scheme, Parameters = parameters.ToImmutable() };
        }

        /// <summary>Looks ahead: <c>token BWS "="</c> starts a parameter; anything else starts the next challenge.</summary>
        private readonly bool NextIsParameter()
        {
            var p = _pos;
            while (p < _text.Length && IsTokenChar(_text[p]))
            {
                p++;
            }

            while (p < _text.Length && _text[p] is ' ' or '\t')
            {
                p++;
            }

            return p < _text.Length && _text[p] == '=';
        }

        private string ReadToken()
        {
            var start = _pos;
            while (!AtEnd && IsTokenChar(Current))
            {
                _pos++;
            }

            return _text[start.._pos];
        }

        private string ReadToken68()
        {
            var start = _pos;
            while (!AtEnd && IsToken68Char(Current))
            {
                _pos++;
            }

            if (_pos == start)
            {
                throw Error("expected auth-params or a token68");
            }

            while (!AtEnd && Current == '=')
            {
                _pos++;
            }

            var token = _text[start.._pos];
            SkipWhitespace();
            return AtEnd || Current == ',' ? token : throw Error("unexpected text after token68");
        }

        private string ReadQuoted()
        {
            _pos++;
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("unterminated quoted string");
                }

                var c = Current;
                _pos++;
                if (c == '"')
                {
                    return value.ToString();
                }

                if (c == '\\')
                {
                    if (AtEnd)
                    {
                        throw Error("unterminated escape in quoted string");
                    }

                    c = Current;
                    _pos++;
                }

                if (c < ' ' && c != '\t' || c == '\x7f')
                {
                    throw Error("control character in quoted string");
                }

                value.Append(c);
            }
        }

        private void SkipWhitespace()
        {
            while (!AtEnd && Current is ' ' or '\t')
            {
                _pos++;
            }
        }

        private void SkipSeparators()
        {
            while (!AtEnd && Current is ' ' or '\t' or ',')
            {
                _pos++;
            }
        }

        private readonly FormatException Error(string what) =>
            new($"malformed WWW-Authenticate value at offset {_pos}: {what} in \"{Excerpt(_text)}\"");

        private static string Excerpt(string s) => s.Length <= 200 ? s : s[..200] + "...";
    }
}
