using System.Collections.Immutable;
using System.Text.Json;
using Signet.Scanning.FileSystem;

namespace Signet.Scanning.Catalogers.Php;

/// <summary>
/// The package entries Composer writes to <c>vendor/composer/installed.json</c> (Composer 1: an array; Composer 2:
/// <c>{"packages": [...], "dev-package-names": [...]}</c>) and to <c>composer.lock</c> (<c>packages</c> and
/// <c>packages-dev</c>). Purl <c>pkg:composer/VENDOR/NAME@VERSION</c>, the version exactly as written (<c>v1.2.3</c>
/// included), as Syft and Trivy emit it.
/// </summary>
internal static class ComposerPackages
{
    /// <summary>Deeper JSON is refused; Composer's is about six levels deep.</summary>
    public const int MaxDepth = 64;

    /// <summary>One entry as read, before it becomes a <see cref="Package"/>.</summary>
    public sealed record Entry(string Name, string Version, ImmutableArray<string> Licenses, string? Supplier, ImmutableArray<string> Requires, string? InstallPath, bool Dev);

    /// <summary>
    /// The entries of <paramref name="bytes"/>: from the arrays named <paramref name="arrays"/> of a root object (the
    /// second and later ones holding dev packages) or, when <paramref name="rootArray"/>, from a root array.
    /// </summary>
    public static List<Entry> Read(byte[] bytes, CatalogFile file, CatalogContext context, bool rootArray, params string[] arrays)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            context.Report(new CatalogIssue(PhpCodes.NotJson, file.Path, "is not UTF-8, so it is not JSON as Composer writes it; it was skipped. Run 'composer install' (or 'composer update --lock') again."));
            return [];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth, AllowTrailingCommas = false });
        }
        catch (JsonException exception)
        {
            context.Report(new CatalogIssue(PhpCodes.NotJson, file.Path, $"is not JSON nested at most {MaxDepth} deep ({exception.Message}); it was skipped. Run 'composer install' (or 'composer update --lock') again."));
            return [];
        }

        using (document)
        {
            var root = document.RootElement;
            var lists = new List<(JsonElement Array, bool Dev)>();
            if (rootArray && root.ValueKind == JsonValueKind.Array)
            {
                lists.Add((root, false));
            }
            else if (root.ValueKind == JsonValueKind.Object)
            {
                for (var i = 0; i < arrays.Length; i++)
                {
                    if (root.TryGetProperty(arrays[i], out var array) && array.ValueKind == JsonValueKind.Array)
                    {
                        lists.Add((array, i > 0));
                    }
                }
            }

            if (lists.Count == 0)
            {
                context.Report(new CatalogIssue(PhpCodes.UnexpectedShape, file.Path, $"is JSON but has no package list ({(rootArray ? "a root array or " : "")}an object with a '{arrays[0]}' array), so it is not what Composer writes; it was skipped."));
                return [];
            }

            var devNames = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("dev-package-names", out var names) && names.ValueKind == JsonValueKind.Array
                ? names.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!).ToHashSet(StringComparer.Ordinal)
                : [];
            var entries = new List<Entry>();
            var skipped = 0;
            foreach (var (array, dev) in lists)
            {
                foreach (var element in array.EnumerateArray())
                {
                    if (ReadEntry(element, dev, devNames) is { } entry)
                    {
                        entries.Add(entry);
                    }
                    else
                    {
                        skipped++;
                    }
                }
            }

            if (skipped > 0)
            {
                context.Report(new CatalogIssue(PhpCodes.MissingNameOrVersion, file.Path, $"{skipped} package entr{(skipped == 1 ? "y lacks" : "ies lack")} a string 'name' or 'version' and {(skipped == 1 ? "was" : "were")} skipped. Run 'composer install' again."));
            }

            return entries;
        }
    }

    /// <summary>A session of a Composer cataloger: entries become packages.</summary>
    internal abstract class Session(string foundBy, CatalogContext context) : LanguageCatalogSession(foundBy, context)
    {
        /// <summary>
        /// Adds the packages of <paramref name="entries"/>; <paramref name="placement"/> gives each one's layer, a
        /// second evidence file and its install directory in the tree, when known.
        /// </summary>
        protected void Add(List<Entry> entries, CatalogFile file, Func<Entry, (LayerInfo? Layer, string? Evidence, string? InstallPath)> placement)
        {
            var versions = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                versions.TryAdd(entry.Name.ToLowerInvariant(), entry.Version);
            }

            foreach (var entry in entries)
            {
                var slash = entry.Name.IndexOf('/', StringComparison.Ordinal);
                var (layer, evidence, installPath) = placement(entry);
                var properties = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
                if (entry.Dev)
                {
                    properties = properties.Add("composer.dev", "true");
                }

                if (installPath is not null)
                {
                    properties = properties.Add("composer.install-path", installPath);
                }

                // A name without a vendor keeps no namespace, so the purl fails and PHP1004 says why.
                var package = slash < 0
                    ? NewPackage(file, "composer", null, entry.Name, entry.Version, PhpCodes.InvalidPurl)
                    : NewPackage(file, "composer", entry.Name[..slash], entry.Name[(slash + 1)..], entry.Version, PhpCodes.InvalidPurl);
                Packages.Add(package with
                {
                    Evidence = evidence is null ? [file.Path] : [file.Path, evidence],
                    Layer = layer,
                    Licenses = entry.Licenses,
                    Supplier = entry.Supplier,
                    DependsOn = LanguagePackages.Dependencies(entry.Requires, n => versions.GetValueOrDefault(n.ToLowerInvariant())),
                    Properties = properties,
                });
            }
        }
    }

    private static Entry? ReadEntry(JsonElement element, bool dev, HashSet<string> devNames)
    {
        if (element.ValueKind != JsonValueKind.Object
            || String(element, "name") is not { Length: > 0 } name
            || String(element, "version") is not { Length: > 0 } version)
        {
            return null;
        }

        var licenses = element.TryGetProperty("license", out var license)
            ? license.ValueKind == JsonValueKind.Array ? license.EnumerateArray().Select(l => l.ValueKind == JsonValueKind.String ? l.GetString()! : "") : [String(element, "license") ?? ""]
            : [];
        string? supplier = null;
        if (element.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array)
        {
            supplier = authors.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Object)
                .Select(a => LanguagePackages.Person(String(a, "name"), String(a, "email"))).FirstOrDefault(p => p is not null);
        }

        // A require key without a vendor is a platform package (php, ext-*, lib-*, composer-plugin-api), not a package.
        var requires = element.TryGetProperty("require", out var require) && require.ValueKind == JsonValueKind.Object
            ? require.EnumerateObject().Select(p => p.Name).Where(n => n.Contains('/', StringComparison.Ordinal))
            : [];
        return new Entry(
            name,
            version,
            LanguagePackages.Sorted(licenses.Select(l => l.Trim())),
            supplier,
            LanguagePackages.Sorted(requires),
            String(element, "install-path"),
            dev || devNames.Contains(name));
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
