using System.Collections.Immutable;

namespace Signet.Scanning.Catalogers.Ruby;

/// <summary>
/// The gems a <c>Gemfile.lock</c> pins: the <c>specs:</c> of its GEM, GIT, PATH and PLUGIN SOURCE sections
/// (<c>    name (version[-platform])</c>, then <c>      dependency (constraint)</c> lines). A platform suffix is moved
/// to the <c>platform</c> property; the purl carries the version alone. Only for <see cref="ScanKind.SourceTree"/>.
/// </summary>
public sealed class GemfileLockCataloger : ICataloger
{
    /// <summary>The largest Gemfile.lock read.</summary>
    public const long MaxBytes = 16L * 1024 * 1024;

    private static readonly string[] SourceSections = ["GEM", "GIT", "PATH", "PLUGIN SOURCE"];

    public string Id => "ruby-gemfile-lock";

    public bool Wants(CatalogFile file, CatalogContext context) => context.Kind == ScanKind.SourceTree && file.Name == "Gemfile.lock";

    public ICatalogSession Start(CatalogContext context) => new Session(this, context);

    private sealed record Spec(string Name, string Version, string? Platform, List<string> Dependencies);

    private sealed class Session(GemfileLockCataloger cataloger, CatalogContext context) : LanguageCatalogSession(cataloger.Id, context)
    {
        protected override long MaxBytes(CatalogFile file) => GemfileLockCataloger.MaxBytes;

        protected override void Read(CatalogFile file, byte[] bytes)
        {
            var specs = new List<Spec>();
            var inSpecs = false;
            var inSource = false;
            var firstBad = 0;
            var number = 0;
            foreach (var raw in LanguagePackages.Text(bytes).Split('\n'))
            {
                number++;
                var line = raw.TrimEnd('\r', ' ');
                if (line.Length == 0)
                {
                    continue;
                }

                if (line[0] != ' ')
                {
                    inSource = SourceSections.Contains(line, StringComparer.Ordinal);
                    inSpecs = false;
                    continue;
                }

                if (line == "  specs:")
                {
                    inSpecs = inSource;
                    continue;
                }

                var indent = line.Length - line.TrimStart(' ').Length;
                if (!inSpecs || indent < 4)
                {
                    continue;
                }

                var (name, version) = Entry(line.Trim());
                if (indent == 6 && name is not null && version is not "" && specs.Count > 0)
                {
                    specs[^1].Dependencies.Add(name);
                }
                else if (indent == 4 && name is not null && version is { Length: > 0 } && !version.Contains(' ', StringComparison.Ordinal))
                {
                    var dash = version.IndexOf('-', StringComparison.Ordinal);
                    specs.Add(new Spec(name, dash < 0 ? version : version[..dash], dash < 0 ? null : version[(dash + 1)..], []));
                }
                else
                {
                    firstBad = firstBad == 0 ? number : firstBad;
                }
            }

            if (firstBad > 0)
            {
                Context.Report(new CatalogIssue(RubyCodes.MalformedGemfileLock, file.Path, $"line {firstBad} (and maybe others) under specs: is not 'name (version)' at four spaces or a dependency at six; such lines were skipped. Run 'bundle lock' again."));
            }

            var versions = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var spec in specs)
            {
                versions.TryAdd(spec.Name, spec.Version);
            }

            foreach (var spec in specs)
            {
                Packages.Add(NewPackage(file, "gem", null, spec.Name, spec.Version, RubyCodes.InvalidPurl) with
                {
                    DependsOn = LanguagePackages.Dependencies(spec.Dependencies, versions.GetValueOrDefault),
                    Properties = spec.Platform is null
                        ? ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal)
                        : ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal).Add("platform", spec.Platform),
                });
            }
        }

        /// <summary>"name" or "name (text)": the name and the text in parentheses (null when none, "" when unclosed); a null name when the line is neither.</summary>
        private static (string? Name, string? Version) Entry(string text)
        {
            var open = text.IndexOf(" (", StringComparison.Ordinal);
            var name = open < 0 ? text : text[..open];
            if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || c is '(' or ')'))
            {
                return (null, null);
            }

            return (name, open < 0 ? null : text.EndsWith(')') ? text[(open + 2)..^1].Trim() : "");
        }
    }
}
