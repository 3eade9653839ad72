namespace Signet.Scanning.Catalogers.Python;

/// <summary>
/// The packages a <c>poetry.lock</c> pins (its <c>[[package]]</c> tables and their <c>[package.dependencies]</c>),
/// read with a small TOML scanner that knows the shape poetry writes. Only for <see cref="ScanKind.SourceTree"/>.
/// </summary>
public sealed class PoetryLockCataloger : ICataloger
{
    /// <summary>The largest poetry.lock read.</summary>
    public const long MaxBytes = 32L * 1024 * 1024;

    public string Id => "python-poetry-lock";

    public bool Wants(CatalogFile file, CatalogContext context) => context.Kind == ScanKind.SourceTree && file.Name == "poetry.lock";

    public ICatalogSession Start(CatalogContext context) => new Session(this, context);

    /// <summary>The PEP 503 form of a project name, for matching dependency names with locked packages.</summary>
    internal static string Normalise(string name) => name.ToLowerInvariant().Replace('_', '-').Replace('.', '-');

    private sealed class Locked
    {
        public string? Name { get; set; }

        public string? Version { get; set; }

        public List<string> Dependencies { get; } = [];
    }

    private sealed class Session(PoetryLockCataloger cataloger, CatalogContext context) : LanguageCatalogSession(cataloger.Id, context)
    {
        protected override long MaxBytes(CatalogFile file) => PoetryLockCataloger.MaxBytes;

        protected override void Read(CatalogFile file, byte[] bytes)
        {
            var (locked, firstBad) = Scan(LanguagePackages.Text(bytes));
            if (firstBad > 0)
            {
                Context.Report(new CatalogIssue(PythonCodes.MalformedPoetryLock, file.Path, $"line {firstBad} is not TOML as poetry writes it (a table header, 'key = value', or the rest of a multi-line value); the rest of its table was skipped. Run 'poetry lock' again."));
            }

            var complete = locked.Where(l => l.Name is not null && l.Version is not null).ToList();
            if (complete.Count < locked.Count)
            {
                Context.Report(new CatalogIssue(PythonCodes.MalformedPoetryLock, file.Path, $"{locked.Count - complete.Count} [[package]] table(s) lack a name or version string and were skipped. Run 'poetry lock' again."));
            }

            var versions = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var package in complete)
            {
                versions.TryAdd(Normalise(package.Name!), package.Version!);
            }

            foreach (var package in complete)
            {
                Packages.Add(NewPackage(file, "pypi", null, package.Name!, package.Version, PythonCodes.InvalidPurl) with
                {
                    DependsOn = LanguagePackages.Dependencies(package.Dependencies, n => versions.GetValueOrDefault(Normalise(n))),
                });
            }
        }

        /// <summary>The [[package]] tables, and the 1-based number of the first line that is not understood (0 when none).</summary>
        private static (List<Locked> Packages, int FirstBad) Scan(string text)
        {
            var packages = new List<Locked>();
            Locked? current = null;
            var inDependencies = false;
            var skipping = false;
            var pending = new TomlValueTracker();
            var firstBad = 0;
            var number = 0;
            foreach (var raw in text.Split('\n'))
            {
                number++;
                var line = raw.TrimEnd('\r');
                if (pending.IsOpen)
                {
                    pending.Feed(line);
                    continue;
                }

                var trimmed = line.Trim();
                if (trimmed.Length == 0 || trimmed[0] == '#')
                {
                    continue;
                }

                if (trimmed[0] == '[')
                {
                    skipping = false;
                    inDependencies = trimmed == "[package.dependencies]" && current is not null;
                    if (trimmed == "[[package]]")
                    {
                        current = new Locked();
                        packages.Add(current);
                    }
                    else if (!trimmed.StartsWith("[package.", StringComparison.Ordinal))
                    {
                        current = null;
                    }

                    continue;
                }

                var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
                var key = equals > 0 ? Key(trimmed[..equals].Trim()) : null;
                if (key is null)
                {
                    if (!skipping)
                    {
                        firstBad = firstBad == 0 ? number : firstBad;
                        skipping = true;
                        current = null;
                    }

                    continue;
                }

                var value = trimmed[(equals + 1)..].Trim();
                pending.Feed(value);
                if (skipping || current is null)
                {
                    continue;
                }

                if (inDependencies)
                {
                    if (key != "python")
                    {
                        current.Dependencies.Add(key);
                    }
                }
                else if (key == "name")
                {
                    current.Name = TomlString(value);
                }
                else if (key == "version")
                {
                    current.Version = TomlString(value);
                }
            }

            if (pending.IsOpen)
            {
                firstBad = firstBad == 0 ? number : firstBad;
            }

            return (packages, firstBad);
        }

        /// <summary>A bare or quoted TOML key; null when it is neither.</summary>
        private static string? Key(string key)
        {
            if (key.Length >= 2 && key[0] is '"' or '\'' && key[^1] == key[0])
            {
                return key[1..^1];
            }

            return key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? key : null;
        }

        /// <summary>A one-line TOML basic or literal string (escapes other than \" and \\ kept as written); null when the value is not one.</summary>
        private static string? TomlString(string value)
        {
            if (value.Length < 2 || value[0] is not ('"' or '\''))
            {
                return null;
            }

            var quote = value[0];
            var text = new System.Text.StringBuilder();
            for (var i = 1; i < value.Length; i++)
            {
                if (value[i] == quote)
                {
                    return text.Length == 0 ? null : text.ToString();
                }

                if (quote == '"' && value[i] == '\\' && i + 1 < value.Length && value[i + 1] is '"' or '\\')
                {
                    i++;
                }

                text.Append(value[i]);
            }

            return null;
        }
    }

    /// <summary>Follows a TOML value over lines: open arrays and inline tables, and multi-line strings.</summary>
    private sealed class TomlValueTracker
    {
        private int _depth;
        private string? _multiLineQuote;

        public bool IsOpen => _depth > 0 || _multiLineQuote is not null;

        public void Feed(string text)
        {
            var i = 0;
            while (i < text.Length)
            {
                if (_multiLineQuote is not null)
                {
                    var end = text.IndexOf(_multiLineQuote, i, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        return;
                    }

                    i = end + 3;
                    _multiLineQuote = null;
                    continue;
                }

                var c = text[i];
                if (c is '"' or '\'')
                {
                    var triple = new string(c, 3);
                    if (string.CompareOrdinal(text, i, triple, 0, 3) == 0)
                    {
                        _multiLineQuote = triple;
                        i += 3;
                        continue;
                    }

                    i = SkipString(text, i);
                    continue;
                }

                if (c == '#')
                {
                    return;
                }

                _depth += c is '[' or '{' ? 1 : c is ']' or '}' ? -1 : 0;
                _depth = Math.Max(_depth, 0);
                i++;
            }
        }

        private static int SkipString(string text, int start)
        {
            var quote = text[start];
            for (var i = start + 1; i < text.Length; i++)
            {
                if (quote == '"' && text[i] == '\\')
                {
                    i++;
                }
                else if (text[i] == quote)
                {
                    return i + 1;
                }
            }

            return text.Length;
        }
    }
}
