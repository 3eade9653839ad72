using System.Collections.Immutable;

namespace Signet.Scanning.Catalogers.DotNet;

/// <summary>Packages of the NuGet ecosystem (<c>pkg:nuget/Name@1.2.3</c>).</summary>
internal static class NuGetPackages
{
    /// <summary>The purl type.</summary>
    public const string Type = "nuget";

    /// <summary>The most libraries read from one file; real applications have a few hundred.</summary>
    public const int MaxEntries = 100_000;

    public static Package Create(
        string name,
        string version,
        CatalogFile file,
        CatalogContext context,
        string foundBy,
        IEnumerable<PackageDependency> dependsOn,
        IEnumerable<KeyValuePair<string, string>> properties)
    {
        var purl = LanguagePackages.TryPurl(Type, null, name, version, file.Path, DotNetCodes.PurlInvalid, context);

        return new Package
        {
            Name = name,
            Version = version,
            Type = Type,
            Purl = purl,
            FoundBy = foundBy,
            Evidence = [file.Path],
            Layer = file.Layer,
            DependsOn = [.. dependsOn.Distinct().OrderBy(d => d.Name, StringComparer.Ordinal).ThenBy(d => d.Version, StringComparer.Ordinal)],
            Properties = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, properties),
        };
    }

    /// <summary>Reports that <paramref name="file"/> lists more than <paramref name="maxEntries"/> libraries.</summary>
    public static void ReportTooMany(CatalogFile file, CatalogContext context, int maxEntries) =>
        context.Report(new CatalogIssue(
            DotNetCodes.TooManyEntries, file.Path,
            $"lists more than {maxEntries} libraries; only the first {maxEntries} are listed. A real application has far fewer: check where the file comes from."));
}
