using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Signet.Scanning.Catalogers.Ruby;

/// <summary>
/// Installed gems: the gemspecs RubyGems writes to <c>specifications/*.gemspec</c> (and <c>specifications/default/</c>
/// for default gems), read with a small scanner of the literal assignments RubyGems emits (<c>s.name = "rake".freeze</c>),
/// as Syft and Trivy do; no Ruby is run. Purl <c>pkg:gem/NAME@VERSION</c>.
/// </summary>
public sealed partial class GemspecCataloger : ICataloger
{
    /// <summary>The largest gemspec read (a generated one lists its files, so big gems reach a few hundred KiB).</summary>
    public const long MaxBytes = 4L * 1024 * 1024;

    public string Id => "ruby-gemspec";

    public bool Wants(CatalogFile file, CatalogContext context)
    {
        if (!file.Path.EndsWith(".gemspec", StringComparison.Ordinal))
        {
            return false;
        }

        var directory = LanguagePackages.DirectoryOf(file.Path);
        return IsDirectory(directory, "specifications") || IsDirectory(directory, "specifications/default");
    }

    public ICatalogSession Start(CatalogContext context) => new Session(this, context);

    private static bool IsDirectory(string directory, string suffix) =>
        directory == suffix || directory.EndsWith("/" + suffix, StringComparison.Ordinal);

    [GeneratedRegex(@"Gem::Specification\.new\s*(?:do\s*|\{\s*)\|\s*([A-Za-z_][A-Za-z0-9_]*)\s*\|")]
    private static partial Regex SpecificationBlock();

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)\.([a-z_]+)(?:\s*=(?!=)|\s*\(|\s+(?=[""'%]))")]
    private static partial Regex Call();

    private sealed class Session(GemspecCataloger cataloger, CatalogContext context) : LanguageCatalogSession(cataloger.Id, context)
    {
        protected override long MaxBytes(CatalogFile file) => GemspecCataloger.MaxBytes;

        protected override void Read(CatalogFile file, byte[] bytes)
        {
            if (Parse(file, LanguagePackages.Text(bytes)) is { } package)
            {
                Packages.Add(package);
            }
        }

        private Package? Parse(CatalogFile file, string text)
        {
            var block = SpecificationBlock().Match(text);
            if (!block.Success)
            {
                Context.Report(new CatalogIssue(RubyCodes.NotAGemspec, file.Path, "has no 'Gem::Specification.new do |s|' block, so it is not a gemspec RubyGems installed; it was skipped. Check what wrote it."));
                return null;
            }

            var variable = block.Groups[1].Value;
            var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var runtime = new List<string>();
            var plain = new List<string>();
            var typedCalls = false;
            var firstBad = 0;
            var blockLine = text.AsSpan(0, block.Index + block.Length).Count('\n');
            var lines = text[(block.Index + block.Length)..].Split('\n');
            for (var number = 0; number < lines.Length; number++)
            {
                var line = lines[number].Trim();
                var call = Call().Match(line);
                if (!call.Success || call.Groups[1].Value != variable)
                {
                    continue;
                }

                var member = call.Groups[2].Value;
                var value = RubyLiterals.ReadValue(line, call.Length);
                switch (member)
                {
                    case "name" or "version" or "licenses" or "license" or "authors" or "author":
                        if (value is null)
                        {
                            firstBad = firstBad == 0 ? blockLine + number + 1 : firstBad;
                        }
                        else
                        {
                            values[member] = value;
                        }

                        break;
                    case "add_runtime_dependency" or "add_development_dependency" or "add_dependency":
                        typedCalls |= member != "add_dependency";
                        var position = call.Length;
                        if (RubyLiterals.ReadString(line, ref position) is { Length: > 0 } dependency)
                        {
                            (member == "add_dependency" ? plain : member == "add_runtime_dependency" ? runtime : []).Add(dependency);
                        }
                        else
                        {
                            firstBad = firstBad == 0 ? blockLine + number + 1 : firstBad;
                        }

                        break;
                }
            }

            if (firstBad > 0)
            {
                Context.Report(new CatalogIssue(RubyCodes.MalformedValue, file.Path, $"line {firstBad} sets a field to something other than a string literal or an array of them on one line; that value was skipped. Installed gemspecs hold literals only: reinstall the gem."));
            }

            var name = values.GetValueOrDefault("name")?.FirstOrDefault();
            var version = values.GetValueOrDefault("version")?.FirstOrDefault();
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(version))
            {
                Context.Report(new CatalogIssue(RubyCodes.MissingNameOrVersion, file.Path, $"sets no literal {(string.IsNullOrWhiteSpace(name) ? "name" : "version")}, so the gem was skipped. Reinstall it ('gem pristine') or check what wrote the file."));
                return null;
            }

            var authors = values.GetValueOrDefault("authors") ?? values.GetValueOrDefault("author") ?? [];
            var supplier = string.Join(", ", authors.Select(LanguagePackages.Collapse).OfType<string>());
            var properties = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

            // Older RubyGems wrote runtime and development dependencies as typed calls, repeating them as plain
            // add_dependency in a fallback branch; only when no typed call exists do the plain ones count.
            return NewPackage(file, "gem", null, name, version, RubyCodes.InvalidPurl) with
            {
                Licenses = LanguagePackages.Sorted([.. values.GetValueOrDefault("licenses") ?? [], .. values.GetValueOrDefault("license") ?? []]),
                Supplier = supplier.Length == 0 ? null : supplier,
                DependsOn = LanguagePackages.Dependencies(typedCalls ? runtime : plain),
                Properties = IsDirectory(LanguagePackages.DirectoryOf(file.Path), "specifications/default") ? properties.Add("gem.default", "true") : properties,
            };
        }
    }
}
