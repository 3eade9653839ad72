using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Signet.Scanning.Catalogers.Binaries.Go;

/// <summary>A module line of the Go module information (<c>mod</c> or <c>dep</c>) and its replacement (<c>=&gt;</c>), if any.</summary>
internal sealed record GoModule(string Path, string Version, string? Sum, GoModule? Replace = null);

/// <summary>
/// The module information text the go command embeds in a binary (the format runtime/debug.ParseBuildInfo reads):
/// tab-separated lines <c>path</c>, <c>mod</c>, <c>dep</c>, <c>=&gt;</c> (replacing the line before) and
/// <c>build key=value</c> (value Go-quoted when it has spaces or quotes). Lines that do not fit are collected in
/// <see cref="Problems"/> and skipped, so one bad line does not hide the rest.
/// </summary>
internal sealed record GoModInfo
{
    /// <summary>The most lines read; a real binary has a few hundred.</summary>
    public const int MaxLines = 100_000;

    public string? Path { get; init; }

    public GoModule? Main { get; init; }

    public ImmutableArray<GoModule> Dependencies { get; init; } = [];

    /// <summary>The build settings in their order (<c>GOOS</c>, <c>vcs.revision</c>, <c>-ldflags</c>...).</summary>
    public ImmutableArray<KeyValuePair<string, string>> Settings { get; init; } = [];

    /// <summary>The lines that were skipped, with why.</summary>
    public ImmutableArray<string> Problems { get; init; } = [];

    public static GoModInfo Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? path = null;
        GoModule? main = null;
        var dependencies = new List<GoModule>();
        var settings = new List<KeyValuePair<string, string>>();
        var problems = new List<string>();
        // The module line a following "=>" replaces: none after any other line, as in runtime/debug.
        var last = LastModule.None;
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (lineNumber > MaxLines)
            {
                problems.Add($"the module information has more than {MaxLines} lines; the rest was not read");
                break;
            }

            if (line.Length == 0)
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var tag = tab < 0 ? line : line[..tab];
            var rest = tab < 0 ? string.Empty : line[(tab + 1)..];
            switch (tag)
            {
                case "go":
                    break;
                case "path":
                    path = rest;
                    break;
                case "mod" or "dep" when ParseModule(rest, replacement: false) is { } module:
                    if (tag == "mod")
                    {
                        main = module;
                        last = LastModule.Main;
                    }
                    else
                    {
                        dependencies.Add(module);
                        last = LastModule.Dependency;
                    }

                    continue;
                case "=>" when ParseModule(rest, replacement: true) is { } replacement:
                    switch (last)
                    {
                        case LastModule.Main:
                            main = main! with { Replace = replacement };
                            break;
                        case LastModule.Dependency:
                            dependencies[^1] = dependencies[^1] with { Replace = replacement };
                            break;
                        default:
                            problems.Add($"line {lineNumber}: a replacement (=>) does not follow a mod or dep line");
                            break;
                    }

                    break;
                case "build" when ParseSetting(rest) is { } setting:
                    settings.Add(setting);
                    break;
                default:
                    problems.Add($"line {lineNumber}: '{Printable.Of(line)}' is not a path, mod, dep, => or build line of the expected shape");
                    break;
            }

            last = LastModule.None;
        }

        return new GoModInfo
        {
            Path = path,
            Main = main,
            Dependencies = [.. dependencies],
            Settings = [.. settings],
            Problems = [.. problems],
        };
    }

    private enum LastModule
    {
        None,
        Main,
        Dependency,
    }

    private static GoModule? ParseModule(string rest, bool replacement)
    {
        var fields = rest.Split('\t');
        if (fields.Length > 3 || fields[0].Length == 0 || (!replacement && fields.Length < 2))
        {
            return null;
        }

        var version = fields.Length > 1 ? fields[1] : string.Empty;
        var sum = fields.Length > 2 && fields[2].Length > 0 ? fields[2] : null;
        return new GoModule(fields[0], version, sum);
    }

    private static KeyValuePair<string, string>? ParseSetting(string rest)
    {
        var equals = rest.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return null;
        }

        var key = rest[..equals];
        var value = rest[(equals + 1)..];
        if (key.StartsWith('"'))
        {
            return null;
        }

        if (value.StartsWith('"'))
        {
            return TryUnquote(value, out var unquoted) ? new(key, unquoted) : null;
        }

        return new(key, value);
    }

    /// <summary>Decodes a Go interpreted string literal (strconv.Quote's output): the escapes of the Go specification.</summary>
    internal static bool TryUnquote(string literal, out string value)
    {
        value = string.Empty;
        if (literal.Length < 2 || literal[0] != '"' || literal[^1] != '"')
        {
            return false;
        }

        var bytes = new List<byte>(literal.Length);
        Span<byte> encoded = stackalloc byte[4];
        for (var i = 1; i < literal.Length - 1; i++)
        {
            var c = literal[i];
            if (c == '"')
            {
                return false;
            }

            if (c != '\\')
            {
                var width = char.IsHighSurrogate(c) && i + 1 < literal.Length - 1 ? 2 : 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(literal.Substring(i, width)));
                i += width - 1;
                continue;
            }

            if (++i >= literal.Length - 1)
            {
                return false;
            }

            switch (literal[i])
            {
                case 'a': bytes.Add(7); break;
                case 'b': bytes.Add(8); break;
                case 'f': bytes.Add(12); break;
                case 'n': bytes.Add(10); break;
                case 'r': bytes.Add(13); break;
                case 't': bytes.Add(9); break;
                case 'v': bytes.Add(11); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case '"': bytes.Add((byte)'"'); break;
                case '\'': bytes.Add((byte)'\''); break;
                case 'x' when TryHex(literal, i + 1, 2, out var b):
                    bytes.Add((byte)b);
                    i += 2;
                    break;
                case >= '0' and <= '7' when i + 2 < literal.Length - 1 && TryOctal(literal.AsSpan(i, 3), out var o):
                    bytes.Add((byte)o);
                    i += 2;
                    break;
                case 'u' or 'U' when TryHex(literal, i + 1, literal[i] == 'u' ? 4 : 8, out var code) && Rune.IsValid(code):
                    var written = new Rune(code).EncodeToUtf8(encoded);
                    bytes.AddRange(encoded[..written]);
                    i += literal[i] == 'u' ? 4 : 8;
                    break;
                default:
                    return false;
            }
        }

        value = Encoding.UTF8.GetString([.. bytes]);
        return true;
    }

    private static bool TryHex(string text, int start, int digits, out int value)
    {
        value = 0;
        return start + digits <= text.Length - 1
            && int.TryParse(text.AsSpan(start, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            && value >= 0;
    }

    private static bool TryOctal(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            if (digit is < '0' or > '7')
            {
                return false;
            }

            value = (value * 8) + (digit - '0');
        }

        return value <= 255;
    }
}
