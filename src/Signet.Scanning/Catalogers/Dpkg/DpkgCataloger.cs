using System.Collections.Immutable;
using System.Text;
using Signet.Scanning.FileSystem;

namespace Signet.Scanning.Catalogers.Dpkg;

/// <summary>
/// Installed Debian packages from dpkg's database:
/// <list type="bullet">
/// <item><c>var/lib/dpkg/status</c>: entries whose Status has the state <c>installed</c> (its third word, as dpkg
/// reads it: <c>install ok installed</c>, <c>hold ok installed</c>...);</item>
/// <item><c>var/lib/dpkg/status.d/*</c> (distroless images; <c>*.md5sums</c> skipped): an entry without Status counts as
/// installed, as those files are written for installed packages only;</item>
/// <item><c>var/lib/dpkg/info/NAME.list</c> or <c>NAME:ARCH.list</c>: the installed files (and the layer that installed
/// the package);</item>
/// <item><c>usr/share/doc/NAME/copyright</c>: licenses, when it is machine-readable (DEP-5): the short names on the
/// <c>License:</c> lines of its paragraphs; a free-text copyright file gives none.</item>
/// </list>
/// Properties: <c>arch</c>, and <c>installed-size</c> in bytes (dpkg's Installed-Size is KiB; it is multiplied by 1024
/// to match the rpm and apk catalogers).
/// Only the standard place (<c>var/lib/dpkg</c> at the tree root) counts: a <c>lib/dpkg/status</c> elsewhere belongs to a
/// chroot, a build cache or a copied tree, not to the packages dpkg installed in this one (Trivy reads the same single
/// path; Syft's <c>**/lib/dpkg/status</c> glob would also list such copies).
/// </summary>
public sealed class DpkgCataloger : ICataloger
{
    /// <summary>The most read of a status file (real ones are a few MiB).</summary>
    public const long MaxStatusBytes = 256L * 1024 * 1024;

    /// <summary>The most read of one file list or copyright file.</summary>
    public const long MaxMetadataBytes = 16L * 1024 * 1024;

    /// <summary>The most entries read from one status file.</summary>
    public const int MaxEntries = 100_000;

    /// <summary>The most paths read from one file list.</summary>
    public const int MaxListedFiles = 1_000_000;

    internal const string StatusPath = "var/lib/dpkg/status";
    internal const string StatusDirectory = "var/lib/dpkg/status.d/";
    internal const string InfoDirectory = "var/lib/dpkg/info/";
    internal const string DocDirectory = "usr/share/doc/";

    public string Id => "dpkg-db";

    public bool Wants(CatalogFile file, CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(file);
        var path = file.Path;
        return path == StatusPath
            || (IsDirectChild(path, StatusDirectory) && !path.EndsWith(".md5sums", StringComparison.Ordinal))
            || (IsDirectChild(path, InfoDirectory) && path.EndsWith(".list", StringComparison.Ordinal))
            || (path.StartsWith(DocDirectory, StringComparison.Ordinal) && path.EndsWith("/copyright", StringComparison.Ordinal)
                && path.IndexOf('/', DocDirectory.Length) == path.Length - "/copyright".Length);
    }

    public ICatalogSession Start(CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Session(context, Id);
    }

    private static bool IsDirectChild(string path, string directory) =>
        path.Length > directory.Length && path.StartsWith(directory, StringComparison.Ordinal) && path.IndexOf('/', directory.Length) < 0;

    private sealed record Entry(string Path, LayerInfo? Layer, Deb822Paragraph Fields, bool FromStatusDirectory);

    private sealed record FileList(string Path, LayerInfo? Layer, ImmutableArray<string> Files);

    private sealed record Copyright(string Path, ImmutableArray<string> Licenses);

    private sealed class Session(CatalogContext context, string id) : ICatalogSession
    {
        private readonly List<Entry> _entries = [];
        private readonly Dictionary<string, FileList> _lists = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Copyright> _copyrights = new(StringComparer.Ordinal);

        public async Task ReadAsync(CatalogFile file, Stream content, CancellationToken cancellationToken)
        {
            var isStatus = file.Path == StatusPath || file.Path.StartsWith(StatusDirectory, StringComparison.Ordinal);
            var bytes = await CatalogContent.ReadAllAsync(file, content, isStatus ? MaxStatusBytes : MaxMetadataBytes, context, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                return;
            }

            var text = Encoding.UTF8.GetString(bytes);
            if (isStatus)
            {
                ReadStatus(file, text);
            }
            else if (file.Path.StartsWith(InfoDirectory, StringComparison.Ordinal))
            {
                ReadFileList(file, text);
            }
            else
            {
                ReadCopyright(file, text);
            }
        }

        public IReadOnlyList<Package> Finish()
        {
            var packages = new List<Package>();
            var seen = new HashSet<(string, string?)>();
            var ordered = _entries
                .OrderBy(e => e.FromStatusDirectory)
                .ThenBy(e => e.Path, StringComparer.Ordinal)
                .ThenBy(e => e.Fields.Line);
            foreach (var entry in ordered)
            {
                var name = entry.Fields["Package"]!;
                var arch = NullIfEmpty(entry.Fields["Architecture"]);
                if (seen.Add((name, arch)))
                {
                    packages.Add(Build(entry, name, entry.Fields["Version"]!, arch));
                }
            }

            return packages;
        }

        private Package Build(Entry entry, string name, string version, string? arch)
        {
            var list = (arch is null ? null : _lists.GetValueOrDefault($"{name}:{arch}")) ?? _lists.GetValueOrDefault(name);
            var copyright = _copyrights.GetValueOrDefault(name);
            var evidence = new[] { list?.Path, copyright?.Path }.OfType<string>().Order(StringComparer.Ordinal);
            var distribution = context.Distribution;
            var purl = OsPackages.Purl(
                context, entry.Path, "deb", distribution?.Id ?? "debian", name, version,
                [new("arch", arch), new("distro", distribution?.DistroQualifier)]);
            var installedSize = long.TryParse(entry.Fields["Installed-Size"], out var kib) && kib is >= 0 and < long.MaxValue / 1024
                ? (kib * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : null;
            return new Package
            {
                Name = name,
                Version = version,
                Type = "deb",
                Purl = purl,
                FoundBy = id,
                Evidence = [entry.Path, .. evidence],
                Layer = list?.Layer ?? entry.Layer,
                Licenses = copyright?.Licenses ?? [],
                Source = ParseSource(entry.Fields["Source"], version),
                Supplier = NullIfEmpty(entry.Fields["Maintainer"]),
                DependsOn = OsPackages.Dependencies(DependencyNames(entry.Fields["Pre-Depends"]).Concat(DependencyNames(entry.Fields["Depends"]))),
                InstalledFiles = list?.Files ?? [],
                Properties = OsPackages.Properties(("arch", arch), ("installed-size", installedSize)),
            };
        }

        private void ReadStatus(CatalogFile file, string text)
        {
            var fromDirectory = file.Path != StatusPath;
            var document = Deb822.Parse(text, MaxEntries);
            if (document.Malformed > 0)
            {
                context.Report(new CatalogIssue(
                    DpkgCodes.MalformedEntry, file.Path,
                    $"{document.Malformed} entries are not deb822 paragraphs and were skipped (first at line {document.FirstMalformedLine}: {document.FirstProblem}); their packages are missing. The dpkg database is damaged: check it with 'dpkg --audit' in the image."));
            }

            if (document.Truncated)
            {
                context.Report(new CatalogIssue(
                    DpkgCodes.TooManyEntries, file.Path,
                    $"holds more than {MaxEntries} entries; the rest was skipped. A real dpkg database is far smaller: check where the file comes from."));
            }

            var invalid = 0;
            var firstInvalid = 0;
            foreach (var paragraph in document.Paragraphs)
            {
                if (!IsInstalled(paragraph["Status"], fromDirectory))
                {
                    continue;
                }

                if (!IsPackageName(paragraph["Package"]) || !IsVersion(paragraph["Version"]))
                {
                    firstInvalid = invalid++ == 0 ? paragraph.Line : firstInvalid;
                    continue;
                }

                _entries.Add(new Entry(file.Path, file.Layer, paragraph, fromDirectory));
            }

            if (invalid > 0)
            {
                context.Report(new CatalogIssue(
                    DpkgCodes.MissingField, file.Path,
                    $"{invalid} installed entries have no valid Package or Version field and were skipped (first at line {firstInvalid}); their packages are missing. The dpkg database is damaged: check it with 'dpkg --audit' in the image."));
            }
        }

        private void ReadFileList(CatalogFile file, string text)
        {
            var files = new List<string>();
            var bad = 0;
            var firstBad = 0;
            var lineNumber = 0;
            foreach (var line in text.AsSpan().EnumerateLines())
            {
                lineNumber++;
                if (line.IsEmpty || line is "/.")
                {
                    continue;
                }

                if (line[0] != '/' || line.Length == 1 || files.Count >= MaxListedFiles)
                {
                    firstBad = bad++ == 0 ? lineNumber : firstBad;
                    continue;
                }

                files.Add(line[1..].ToString());
            }

            if (bad > 0)
            {
                context.Report(new CatalogIssue(
                    DpkgCodes.MalformedFileList, file.Path,
                    $"{bad} lines are not absolute paths or exceed the {MaxListedFiles} paths read (first at line {firstBad}) and were skipped; the package's installed files are incomplete. Reinstall the package in the image to rewrite its file list."));
            }

            var key = file.Name[..^".list".Length];
            _lists[key] = new FileList(file.Path, file.Layer, OsPackages.Sorted(files));
        }

        private void ReadCopyright(CatalogFile file, string text)
        {
            var document = Deb822.Parse(text, MaxEntries, allowRepeatedFields: true);
            var header = document.Paragraphs.Count > 0 ? document.Paragraphs[0] : null;
            if (header?["Format"] is null || header.Line != FirstContentLine(text))
            {
                return;
            }

            if (document.Malformed > 0 || document.Truncated)
            {
                context.Report(new CatalogIssue(
                    DpkgCodes.MalformedCopyright, file.Path,
                    $"is a machine-readable copyright file but {document.Malformed} paragraphs are malformed (first at line {document.FirstMalformedLine}: {document.FirstProblem ?? "too many paragraphs"}); their licenses are missing. Report it to the package's maintainer."));
            }

            var licenses = document.Paragraphs
                .Select(p => p["License"] is { } license ? license.Split('\n', 2)[0].Trim() : "")
                .Where(l => l.Length > 0);
            var name = file.Path[DocDirectory.Length..^"/copyright".Length];
            _copyrights[name] = new Copyright(file.Path, OsPackages.Sorted(licenses));
        }
    }

    /// <summary>The line of the first paragraph: the first line that is neither blank nor a comment.</summary>
    private static int FirstContentLine(string text)
    {
        var number = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            number++;
            if (!line.IsWhiteSpace() && line[0] != '#')
            {
                return number;
            }
        }

        return 0;
    }

    /// <summary>dpkg's want/flag/state triple: the package is installed when the state (third word) is <c>installed</c>.</summary>
    internal static bool IsInstalled(string? status, bool fromStatusDirectory)
    {
        if (status is null)
        {
            return fromStatusDirectory;
        }

        var words = status.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 3 && words[2] == "installed";
    }

    /// <summary>The names of Depends/Pre-Depends: the first alternative of each, without version, architecture qualifier or restrictions.</summary>
    internal static IEnumerable<string> DependencyNames(string? field)
    {
        if (field is null)
        {
            yield break;
        }

        foreach (var clause in field.Split(','))
        {
            var first = clause.Split('|')[0];
            var end = first.IndexOfAny(['(', '[', '<']);
            var name = (end < 0 ? first : first[..end]).Trim();
            var colon = name.IndexOf(':', StringComparison.Ordinal);
            name = colon < 0 ? name : name[..colon];
            if (IsPackageName(name))
            {
                yield return name;
            }
        }
    }

    /// <summary>Source as <c>name</c> or <c>name (version)</c>; the binary version when none is given.</summary>
    internal static PackageSource? ParseSource(string? field, string version)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return null;
        }

        var open = field.IndexOf('(', StringComparison.Ordinal);
        var name = (open < 0 ? field : field[..open]).Trim();
        if (!IsPackageName(name))
        {
            return null;
        }

        var close = field.IndexOf(')', StringComparison.Ordinal);
        var sourceVersion = open >= 0 && close > open ? field[(open + 1)..close].Trim() : version;
        return new PackageSource(name, IsVersion(sourceVersion) ? sourceVersion : version);
    }

    /// <summary>Debian Policy §5.6.1: lowercase letters, digits, '+', '-', '.'; at least two characters, starting alphanumeric.</summary>
    internal static bool IsPackageName(string? name) =>
        name is { Length: >= 2 and <= 256 } && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '-' or '.');

    /// <summary>A version dpkg could have stored: non-empty, printable ASCII without whitespace, at most 256 characters.</summary>
    internal static bool IsVersion(string? version) =>
        version is { Length: > 0 and <= 256 } && version.All(c => c is > ' ' and < '\u007f');

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
