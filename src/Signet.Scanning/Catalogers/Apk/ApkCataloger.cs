using System.Collections.Immutable;
using System.Text;

namespace Signet.Scanning.Catalogers.Apk;

/// <summary>
/// Installed Alpine (and Wolfi/Chainguard) packages from apk-tools' database <c>lib/apk/db/installed</c> or
/// <c>usr/lib/apk/db/installed</c> (apk-tools' "installed database" format, apk-spec: one <c>K:value</c> line per field,
/// a blank line after each package). Read: P name, V version, A arch, o origin (source), L license, m maintainer,
/// I installed size (property <c>installed-size</c>, bytes), D dependencies, p provides, F directory and R file
/// (installed files; a file name with a '/' or that is '.' or '..' is not one and is left out).
/// Dependencies are resolved as apk does: a D: token (<c>so:libc.musl-x86_64.so.1</c>, <c>cmd:sh</c>, <c>/bin/sh</c>,
/// <c>musl&gt;=1.2</c>) names a package or something a package provides (p:); it becomes that package's name. Conflicts
/// (<c>!name</c>) are dropped, and so are virtual names (with a ':' or a leading '/') no installed package provides.
/// </summary>
public sealed class ApkCataloger : ICataloger
{
    /// <summary>The most read of a database (real ones are well under 10 MiB).</summary>
    public const long MaxDatabaseBytes = 256L * 1024 * 1024;

    /// <summary>The most entries read from one database.</summary>
    public const int MaxEntries = 100_000;

    private static readonly string[] DatabasePaths = ["lib/apk/db/installed", "usr/lib/apk/db/installed"];

    public string Id => "apk-db";

    public bool Wants(CatalogFile file, CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.Name == "installed" && DatabasePaths.Contains(file.Path, StringComparer.Ordinal);
    }

    public ICatalogSession Start(CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Session(context, Id);
    }

    private sealed class Entry
    {
        public int Line { get; init; }

        public Dictionary<char, string> Fields { get; } = [];

        public List<string> Depends { get; } = [];

        public List<string> Provides { get; } = [];

        public List<string> Files { get; } = [];

        public string? Problem { get; set; }
    }

    private sealed record Database(CatalogFile File, List<Entry> Entries);

    private sealed class Session(CatalogContext context, string id) : ICatalogSession
    {
        private readonly List<Database> _databases = [];

        public async Task ReadAsync(CatalogFile file, Stream content, CancellationToken cancellationToken)
        {
            var bytes = await CatalogContent.ReadAllAsync(file, content, MaxDatabaseBytes, context, cancellationToken).ConfigureAwait(false);
            if (bytes is not null)
            {
                _databases.Add(new Database(file, Parse(file, Encoding.UTF8.GetString(bytes))));
            }
        }

        public IReadOnlyList<Package> Finish()
        {
            var packages = new List<Package>();
            var seen = new HashSet<(string, string)>();
            foreach (var database in _databases.OrderBy(d => d.File.Path, StringComparer.Ordinal))
            {
                var providers = Providers(database.Entries);
                foreach (var entry in database.Entries)
                {
                    if (seen.Add((entry.Fields['P'], entry.Fields['V'])))
                    {
                        packages.Add(Build(database.File, entry, providers));
                    }
                }
            }

            return packages;
        }

        private List<Entry> Parse(CatalogFile file, string text)
        {
            var entries = new List<Entry>();
            Entry? current = null;
            var (malformed, firstMalformed, missing, firstMissing, lineNumber) = (0, 0, 0, 0, 0);
            string? problem = null;
            var truncated = false;

            void Close()
            {
                if (current is null)
                {
                    return;
                }

                if (current.Problem is not null)
                {
                    (problem, firstMalformed) = malformed++ == 0 ? (current.Problem, current.Line) : (problem, firstMalformed);
                }
                else if (!current.Fields.TryGetValue('P', out var name) || name.Length == 0 || !current.Fields.TryGetValue('V', out var version) || version.Length == 0)
                {
                    firstMissing = missing++ == 0 ? current.Line : firstMissing;
                }
                else
                {
                    entries.Add(current);
                }

                current = null;
            }

            foreach (var line in text.AsSpan().EnumerateLines())
            {
                lineNumber++;
                if (line.IsWhiteSpace())
                {
                    Close();
                    continue;
                }

                if (current is null)
                {
                    if (entries.Count + malformed + missing >= MaxEntries)
                    {
                        truncated = true;
                        break;
                    }

                    current = new Entry { Line = lineNumber };
                }

                if (current.Problem is not null)
                {
                    continue;
                }

                if (line.Length < 2 || line[1] != ':')
                {
                    current.Problem = $"line {lineNumber} is not 'K:value'";
                    continue;
                }

                Add(current, line[0], line[2..].ToString());
            }

            Close();
            Report(file, malformed, firstMalformed, problem, missing, firstMissing, truncated);
            return entries;
        }

        private void Report(CatalogFile file, int malformed, int firstMalformed, string? problem, int missing, int firstMissing, bool truncated)
        {
            if (malformed > 0)
            {
                context.Report(new CatalogIssue(
                    ApkCodes.MalformedEntry, file.Path,
                    $"{malformed} entries have lines that are not 'K:value' and were skipped (first at line {firstMalformed}: {problem}); their packages are missing. The apk database is damaged: run 'apk audit' or 'apk fix' in the image."));
            }

            if (missing > 0)
            {
                context.Report(new CatalogIssue(
                    ApkCodes.MissingField, file.Path,
                    $"{missing} entries have no package name (P:) or version (V:) and were skipped (first at line {firstMissing}); their packages are missing. The apk database is damaged: run 'apk fix' in the image."));
            }

            if (truncated)
            {
                context.Report(new CatalogIssue(
                    ApkCodes.TooManyEntries, file.Path,
                    $"holds more than {MaxEntries} entries; the rest was skipped. A real apk database is far smaller: check where the file comes from."));
            }
        }

        private static void Add(Entry entry, char key, string value)
        {
            switch (key)
            {
                case 'D':
                    entry.Depends.AddRange(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    break;
                case 'p':
                    entry.Provides.AddRange(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    break;
                case 'F':
                    entry.Fields['F'] = value.Trim('/');
                    break;
                case 'R' when value is not ("" or "." or "..") && !value.Contains('/', StringComparison.Ordinal):
                    entry.Files.Add(entry.Fields.TryGetValue('F', out var directory) && directory.Length > 0 ? $"{directory}/{value}" : value);
                    break;
                case 'R':
                    break;
                default:
                    entry.Fields.TryAdd(key, value);
                    break;
            }
        }

        /// <summary>Package names and provided names (without their <c>=version</c>) to the package that has them; the first wins.</summary>
        private static Dictionary<string, string> Providers(List<Entry> entries)
        {
            var providers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                providers[entry.Fields['P']] = entry.Fields['P'];
            }

            foreach (var entry in entries)
            {
                foreach (var provided in entry.Provides)
                {
                    providers.TryAdd(NameOf(provided), entry.Fields['P']);
                }
            }

            return providers;
        }

        private Package Build(CatalogFile file, Entry entry, Dictionary<string, string> providers)
        {
            var name = entry.Fields['P'];
            var version = entry.Fields['V'];
            var arch = Field(entry, 'A');
            var installedFiles = OsPackages.Sorted(entry.Files);
            var distribution = context.Distribution;
            var origin = Field(entry, 'o');
            return new Package
            {
                Name = name,
                Version = version,
                Type = "apk",
                Purl = OsPackages.Purl(
                    context, file.Path, "apk", distribution?.Id ?? "alpine", name, version,
                    [new("arch", arch), new("distro", distribution?.DistroQualifier)]),
                FoundBy = id,
                Evidence = [file.Path],
                Layer = OsPackages.LayerOfFirstPresent(context, installedFiles, file.Layer),
                Licenses = Field(entry, 'L') is { } license ? [license] : [],
                Source = origin is null ? null : new PackageSource(origin, version),
                Supplier = Field(entry, 'm'),
                DependsOn = OsPackages.Dependencies(entry.Depends.Select(d => Resolve(d, providers)).OfType<string>().Where(d => d != name)),
                InstalledFiles = installedFiles,
                Properties = OsPackages.Properties(("arch", arch), ("installed-size", long.TryParse(Field(entry, 'I'), out var size) && size >= 0 ? Field(entry, 'I') : null)),
            };
        }

        private static string? Field(Entry entry, char key) => entry.Fields.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
    }

    /// <summary>The name of a dependency or provides token: before any version constraint (<c>&lt;&gt;=~</c>) or repository tag (<c>@</c>).</summary>
    internal static string NameOf(string token)
    {
        var end = token.AsSpan().IndexOfAny("<>=~@");
        return end < 0 ? token : token[..end];
    }

    /// <summary>The package a D: token resolves to; null for a conflict or an unresolved virtual name.</summary>
    internal static string? Resolve(string token, IReadOnlyDictionary<string, string> providers)
    {
        if (token.StartsWith('!'))
        {
            return null;
        }

        var name = NameOf(token);
        if (name.Length == 0)
        {
            return null;
        }

        return providers.TryGetValue(name, out var provider) ? provider
            : name.Contains(':', StringComparison.Ordinal) || name.StartsWith('/') ? null
            : name;
    }
}
