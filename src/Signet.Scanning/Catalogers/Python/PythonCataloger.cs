using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Signet.Scanning.Catalogers.Python;

/// <summary>
/// Installed Python distributions: <c>*.dist-info/METADATA</c> with its RECORD (wheels, pip), <c>*.egg-info/PKG-INFO</c>
/// with its installed-files.txt, <c>EGG-INFO/PKG-INFO</c> of an unzipped egg, and a standalone <c>*.egg-info</c> file
/// (distutils), and the <c>EGG-INFO/PKG-INFO</c> inside a zipped <c>.egg</c>. Purl <c>pkg:pypi/NAME@VERSION</c>, name normalised per the pypi
/// purl type (lowercase, '_' to '-').
/// </summary>
public sealed partial class PythonCataloger : ICataloger
{
    /// <summary>The largest METADATA / PKG-INFO read (long descriptions make some a few hundred KiB).</summary>
    public const long MaxMetadataBytes = 8L * 1024 * 1024;

    /// <summary>The largest zipped .egg opened (it is copied to a seekable spool first).</summary>
    public const long MaxEggBytes = 256L * 1024 * 1024;

    /// <summary>The largest RECORD / installed-files.txt read.</summary>
    public const long MaxRecordBytes = 32L * 1024 * 1024;

    private enum FileKind
    {
        None,
        Metadata,
        Record,
        InstalledFiles,
        EggArchive,
    }

    public string Id => "python-installed";

    public bool Wants(CatalogFile file, CatalogContext context) => KindOf(file.Path) != FileKind.None;

    public ICatalogSession Start(CatalogContext context) => new Session(this, context);

    private static FileKind KindOf(string path)
    {
        if (path.EndsWith(".dist-info/METADATA", StringComparison.Ordinal)
            || path.EndsWith(".egg-info/PKG-INFO", StringComparison.Ordinal)
            || path.EndsWith(".egg/EGG-INFO/PKG-INFO", StringComparison.Ordinal)
            || path.EndsWith(".egg-info", StringComparison.Ordinal))
        {
            return FileKind.Metadata;
        }

        if (path.EndsWith(".dist-info/RECORD", StringComparison.Ordinal))
        {
            return FileKind.Record;
        }

        if (path.EndsWith(".egg-info/installed-files.txt", StringComparison.Ordinal))
        {
            return FileKind.InstalledFiles;
        }

        return path.EndsWith(".egg", StringComparison.Ordinal) ? FileKind.EggArchive : FileKind.None;
    }

    /// <summary>The project name a PEP 508 requirement starts with; null when it starts with none.</summary>
    internal static string? RequirementName(string requirement)
    {
        var text = requirement.AsSpan().TrimStart();
        var length = 0;
        while (length < text.Length && (char.IsAsciiLetterOrDigit(text[length]) || text[length] is '.' or '_' or '-'))
        {
            length++;
        }

        var name = text[..length].ToString();
        return ValidName().IsMatch(name) ? name : null;
    }

    /// <summary>A project name as PEP 508 allows it.</summary>
    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")]
    internal static partial Regex ValidName();

    [GeneratedRegex(@"\bextra\s*==")]
    private static partial Regex ExtraMarker();

    private sealed class Distribution
    {
        public CatalogFile? Metadata { get; set; }

        public Package? Package { get; set; }

        public List<string> OtherEvidence { get; } = [];

        public List<string> Files { get; } = [];
    }

    private sealed class Session(PythonCataloger cataloger, CatalogContext context) : LanguageCatalogSession(cataloger.Id, context)
    {
        private readonly Dictionary<string, Distribution> _distributions = new(StringComparer.Ordinal);

        public override async Task ReadAsync(CatalogFile file, Stream content, CancellationToken cancellationToken)
        {
            if (KindOf(file.Path) != FileKind.EggArchive)
            {
                await base.ReadAsync(file, content, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (file.Size > MaxEggBytes)
            {
                Context.Report(new CatalogIssue(CatalogCodes.TooLarge, file.Path, $"is {file.Size} bytes, more than the {MaxEggBytes} bytes read for a zipped egg; it was skipped. A real one is far smaller: check where it comes from."));
                return;
            }

            await using var spool = await CatalogContent.SpoolAsync(content, file.Size, cancellationToken).ConfigureAwait(false);
            if (await EggMetadataAsync(file, spool, cancellationToken).ConfigureAwait(false) is { } text)
            {
                _distributions[file.Path] = new Distribution { Metadata = file, Package = ReadMetadata(file, text) };
            }
        }

        protected override long MaxBytes(CatalogFile file) => KindOf(file.Path) == FileKind.Metadata ? MaxMetadataBytes : MaxRecordBytes;

        protected override void Read(CatalogFile file, byte[] bytes)
        {
            var kind = KindOf(file.Path);
            var text = LanguagePackages.Text(bytes);
            var isStandalone = kind == FileKind.Metadata && file.Path.EndsWith(".egg-info", StringComparison.Ordinal);
            var key = isStandalone ? file.Path : LanguagePackages.DirectoryOf(file.Path);
            if (!_distributions.TryGetValue(key, out var distribution))
            {
                distribution = new Distribution();
                _distributions[key] = distribution;
            }

            if (kind == FileKind.Metadata)
            {
                distribution.Metadata = file;
                distribution.Package = ReadMetadata(file, text);
                return;
            }

            distribution.OtherEvidence.Add(file.Path);

            // RECORD paths are relative to the directory holding the .dist-info; installed-files.txt ones to the .egg-info.
            var baseDirectory = kind == FileKind.Record ? LanguagePackages.DirectoryOf(key) : key;
            distribution.Files.AddRange(ReadFileList(file.Path, text, baseDirectory, csv: kind == FileKind.Record));
        }

        public override IReadOnlyList<Package> Finish() => LanguagePackages.Ordered(
            _distributions.Values
                .Where(d => d.Package is not null)
                .Select(d => d.Package! with
                {
                    Evidence = [d.Metadata!.Path, .. LanguagePackages.Sorted(d.OtherEvidence)],
                    InstalledFiles = LanguagePackages.Sorted(d.Files),
                }));

        private Package? ReadMetadata(CatalogFile file, string text)
        {
            var metadata = CoreMetadata.Parse(text);
            if (metadata.FirstMalformedLine > 0)
            {
                Context.Report(new CatalogIssue(PythonCodes.MalformedHeader, file.Path, $"line {metadata.FirstMalformedLine} of the core metadata headers is neither 'Name: value' nor an indented continuation; such lines were skipped. The file was edited or truncated: reinstall the distribution."));
            }

            var name = LanguagePackages.Collapse(metadata.First("Name"));
            var version = LanguagePackages.Collapse(metadata.First("Version"));
            if (name is null || version is null)
            {
                Context.Report(new CatalogIssue(PythonCodes.MissingNameOrVersion, file.Path, $"the core metadata declares no {(name is null ? "Name" : "Version")}, so the distribution was skipped. Reinstall it or check what wrote the file."));
                return null;
            }

            var dependencies = new List<string>();
            foreach (var requirement in metadata.All("Requires-Dist"))
            {
                var semicolon = requirement.IndexOf(';', StringComparison.Ordinal);
                if (semicolon >= 0 && ExtraMarker().IsMatch(requirement[semicolon..]))
                {
                    continue;
                }

                if (RequirementName(semicolon >= 0 ? requirement[..semicolon] : requirement) is { } dependency)
                {
                    dependencies.Add(dependency);
                }
                else
                {
                    Context.Report(new CatalogIssue(PythonCodes.MalformedHeader, file.Path, $"the Requires-Dist '{requirement}' of {name} names no project (PEP 508); it was left out of the dependencies."));
                }
            }

            return NewPackage(file, "pypi", null, name, version, PythonCodes.InvalidPurl) with
            {
                Licenses = LanguagePackages.Sorted(PythonLicenses.Of(metadata)),
                Supplier = LanguagePackages.Person(metadata.First("Author"), metadata.First("Author-email"))
                    ?? LanguagePackages.Person(metadata.First("Maintainer"), metadata.First("Maintainer-email")),
                DependsOn = LanguagePackages.Dependencies(dependencies),
            };
        }

        /// <summary>The text of EGG-INFO/PKG-INFO in a zipped egg; null after reporting PY1007 when it cannot be read.</summary>
        private async Task<string?> EggMetadataAsync(CatalogFile file, Stream spool, CancellationToken cancellationToken)
        {
            string problem;
            try
            {
                using var zip = new ZipArchive(spool, ZipArchiveMode.Read, leaveOpen: true);
                var entry = zip.GetEntry("EGG-INFO/PKG-INFO");
                if (entry is not null && entry.Length <= MaxMetadataBytes)
                {
                    await using var stream = entry.Open();
                    using var bounded = new MemoryStream();
                    var buffer = new byte[81920];
                    int read;
                    while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0 && bounded.Length <= MaxMetadataBytes)
                    {
                        bounded.Write(buffer, 0, read);
                    }

                    if (bounded.Length <= MaxMetadataBytes)
                    {
                        return LanguagePackages.Text(bounded.ToArray());
                    }
                }

                problem = entry is null ? "holds no EGG-INFO/PKG-INFO" : $"holds an EGG-INFO/PKG-INFO larger than {MaxMetadataBytes} bytes";
            }
            catch (Exception exception) when (exception is InvalidDataException or NotSupportedException or IOException)
            {
                problem = $"is not a readable zip ({exception.Message})";
            }

            Context.Report(new CatalogIssue(PythonCodes.MalformedEgg, file.Path, $"{problem}, so the egg was skipped. Reinstall the distribution (pip installs wheels, not eggs)."));
            return null;
        }

        private List<string> ReadFileList(string path, string text, string baseDirectory, bool csv)
        {
            var files = new List<string>();
            var number = 0;
            var firstBad = 0;
            foreach (var raw in text.Split('\n'))
            {
                number++;
                var line = raw.TrimEnd('\r');
                if (line.Length == 0)
                {
                    continue;
                }

                var relative = csv ? FirstCsvField(line) : line;
                var resolved = relative is { Length: > 0 } ? LanguagePackages.Resolve(baseDirectory, relative) : null;
                if (resolved is null)
                {
                    firstBad = firstBad == 0 ? number : firstBad;
                    continue;
                }

                files.Add(resolved);
            }

            if (firstBad > 0)
            {
                Context.Report(new CatalogIssue(PythonCodes.MalformedRecord, path, $"line {firstBad} (and maybe others) names no file inside the tree (an unterminated quote, an empty path or one climbing above the root); such lines were left out of the installed files."));
            }

            return files;
        }

        /// <summary>The first field of a RECORD line (CSV: quoted when it holds a comma or quote); null when a quote is unterminated.</summary>
        private static string? FirstCsvField(string line)
        {
            if (!line.StartsWith('"'))
            {
                var comma = line.IndexOf(',', StringComparison.Ordinal);
                return comma < 0 ? line : line[..comma];
            }

            var field = new System.Text.StringBuilder();
            for (var i = 1; i < line.Length; i++)
            {
                if (line[i] != '"')
                {
                    field.Append(line[i]);
                }
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    return field.ToString();
                }
            }

            return null;
        }
    }
}
