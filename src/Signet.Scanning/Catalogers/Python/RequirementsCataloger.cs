namespace Signet.Scanning.Catalogers.Python;

/// <summary>
/// Pinned requirements of a source tree: the <c>name==version</c> (or <c>===</c>) lines of <c>*requirements*.txt</c>
/// files (pip's requirements file format). Unpinned, editable, direct-URL (<c>name @ url</c>) and option lines say
/// nothing exact and are skipped.
/// Only for <see cref="ScanKind.SourceTree"/>.
/// </summary>
public sealed class RequirementsCataloger : ICataloger
{
    /// <summary>The largest requirements file read.</summary>
    public const long MaxBytes = 4L * 1024 * 1024;

    public string Id => "python-requirements";

    public bool Wants(CatalogFile file, CatalogContext context) =>
        context.Kind == ScanKind.SourceTree && file.Name.EndsWith(".txt", StringComparison.Ordinal) && file.Name.Contains("requirements", StringComparison.Ordinal);

    public ICatalogSession Start(CatalogContext context) => new Session(this, context);

    private sealed class Session(RequirementsCataloger cataloger, CatalogContext context) : LanguageCatalogSession(cataloger.Id, context)
    {
        protected override long MaxBytes(CatalogFile file) => RequirementsCataloger.MaxBytes;

        protected override void Read(CatalogFile file, byte[] bytes)
        {
            var number = 0;
            foreach (var raw in LanguagePackages.Text(bytes).Replace("\\\r\n", " ", StringComparison.Ordinal).Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
            {
                number++;
                var line = StripComment(raw).Trim();
                var pin = line.IndexOf("==", StringComparison.Ordinal);
                if (line.Length == 0 || line[0] == '-' || pin < 0 || line[..pin].Contains('@', StringComparison.Ordinal))
                {
                    continue;
                }

                var name = PythonCataloger.RequirementName(line[..pin]);
                var version = VersionOf(line[(pin + 2)..]);
                if (version?.EndsWith('*') == true)
                {
                    continue;
                }

                if (name is null || version is null)
                {
                    Context.Report(new CatalogIssue(PythonCodes.MalformedRequirement, file.Path, $"line {number} ('{line}') pins no 'name==version' pip can read; it was skipped. Fix the line or pin it with 'name==version'."));
                    continue;
                }

                Packages.Add(NewPackage(file, "pypi", null, name, version, PythonCodes.InvalidPurl));
            }
        }

        /// <summary>pip treats '#' as a comment at the start of a line or after whitespace.</summary>
        private static string StripComment(string line)
        {
            for (var i = 0; i < line.Length; i++)
            {
                if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
                {
                    return line[..i];
                }
            }

            return line;
        }

        /// <summary>
        /// The version after '==' (or '==='), up to a marker, an option or another specifier; null when not one word.
        /// A prefix match ('1.4.*') is returned as is, for the caller to skip: it pins nothing exact.
        /// </summary>
        private static string? VersionOf(string rest)
        {
            rest = rest.TrimStart('=');
            var end = rest.IndexOfAny([';', ' ', '\t', ',']);
            var version = (end < 0 ? rest : rest[..end]).Trim();
            return version.Length == 0 || version.Any(c => c is '<' or '>' or '!' or '~' or '=' || char.IsControl(c)) ? null : version;
        }
    }
}
