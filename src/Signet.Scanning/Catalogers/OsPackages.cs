using System.Collections.Immutable;
using Signet.Scanning.FileSystem;
using Signet.Scanning.Purls;

namespace Signet.Scanning.Catalogers;

/// <summary>What the OS package catalogers (dpkg, apk, rpm) share: purls that never throw, layers from installed files.</summary>
internal static class OsPackages
{
    /// <summary>
    /// The package URL, or null after reporting the purl code (docs/error-codes.md, PURL) when the metadata cannot form
    /// one; the package is kept either way.
    /// </summary>
    public static PackageUrl? Purl(
        CatalogContext context, string evidence, string type, string? @namespace, string name, string version, IEnumerable<KeyValuePair<string, string?>> qualifiers) =>
        LanguagePackages.TryPurl(type, @namespace, name, version, evidence, null, context, qualifiers);

    /// <summary>
    /// The layer of the first of <paramref name="installedFiles"/> (sorted) still present in the tree, else
    /// <paramref name="fallback"/> (the layer of the database the package was read from).
    /// </summary>
    public static LayerInfo? LayerOfFirstPresent(CatalogContext context, ImmutableArray<string> installedFiles, LayerInfo? fallback)
    {
        foreach (var file in installedFiles)
        {
            if (context.LayerOf(file) is { } layer)
            {
                return layer;
            }
        }

        return fallback;
    }

    /// <summary>Distinct, ordinally sorted.</summary>
    public static ImmutableArray<string> Sorted(IEnumerable<string> values) =>
        [.. values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Dependencies by name, distinct, ordinally sorted.</summary>
    public static ImmutableArray<PackageDependency> Dependencies(IEnumerable<string> names) =>
        [.. Sorted(names).Select(n => new PackageDependency(n))];

    /// <summary>Properties with ordinal keys, dropping null values.</summary>
    public static ImmutableSortedDictionary<string, string> Properties(params (string Key, string? Value)[] properties) =>
        properties.Where(p => p.Value is not null).ToImmutableSortedDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);
}
