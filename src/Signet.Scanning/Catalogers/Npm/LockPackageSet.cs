using System.Collections.Immutable;

namespace Signet.Scanning.Catalogers.Npm;

/// <summary>
/// The packages of one npm lockfile, once per name and version (a version installed at several places of the tree is
/// one package): dependencies are merged, and it is a dev dependency (<c>npm.dev</c>) only when every place says so.
/// Bounded to <paramref name="maxEntries"/> packages (<see cref="MaxEntries"/> but in tests).
/// </summary>
internal sealed class LockPackageSet(CatalogFile file, CatalogContext context, string foundBy, int maxEntries = LockPackageSet.MaxEntries)
{
    /// <summary>The most packages read from one lockfile; large monorepos have a few tens of thousands.</summary>
    public const int MaxEntries = 200_000;

    private readonly Dictionary<(string Name, string Version), Entry> _entries = [];
    private bool _full;

    public CatalogFile File => file;

    public CatalogContext Context => context;

    /// <summary>Adds one place a package is installed at; false once the bound is reached (reported once).</summary>
    public bool Add(string name, string version, bool? dev, string? integrity, string? resolved, IEnumerable<PackageDependency> dependsOn, string? license = null)
    {
        if (!_entries.TryGetValue((name, version), out var entry))
        {
            if (_entries.Count == maxEntries)
            {
                if (!_full)
                {
                    _full = true;
                    context.Report(new CatalogIssue(
                        NpmCodes.TooManyEntries, file.Path,
                        $"lists more than {maxEntries} packages; only the first {maxEntries} are listed. A real project has far fewer: check where the file comes from."));
                }

                return false;
            }

            entry = new Entry();
            _entries.Add((name, version), entry);
        }

        entry.Dev = dev is null ? entry.Dev : (entry.Dev ?? true) && dev.Value;
        entry.Integrity ??= integrity;
        entry.Resolved ??= resolved;
        entry.DependsOn.UnionWith(dependsOn);
        if (license is not null)
        {
            entry.Licenses.Add(license);
        }

        return true;
    }

    /// <summary>Reports an entry that has no usable name or version (<see cref="NpmCodes.EntryInvalid"/>).</summary>
    public void ReportEntry(string entry, string problem) =>
        context.Report(new CatalogIssue(
            NpmCodes.EntryInvalid, file.Path,
            $"the entry '{entry}' {problem}; it is not listed. Regenerate the lockfile with its tool."));

    public IReadOnlyList<Package> Build() =>
        [.. _entries.Select(e => new Package
        {
            Name = e.Key.Name,
            Version = e.Key.Version,
            Type = NpmPackages.Type,
            Purl = NpmPackages.Purl(e.Key.Name, e.Key.Version, file.Path, context),
            FoundBy = foundBy,
            Evidence = [file.Path],
            Layer = file.Layer,
            Licenses = [.. e.Value.Licenses],
            DependsOn = [.. e.Value.DependsOn.OrderBy(d => d.Name, StringComparer.Ordinal).ThenBy(d => d.Version, StringComparer.Ordinal)],
            Properties = e.Value.Properties(),
        })];

    private sealed class Entry
    {
        public bool? Dev { get; set; }

        public string? Integrity { get; set; }

        public string? Resolved { get; set; }

        public HashSet<PackageDependency> DependsOn { get; } = [];

        public SortedSet<string> Licenses { get; } = new(StringComparer.Ordinal);

        public ImmutableSortedDictionary<string, string> Properties()
        {
            var properties = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            if (Dev is { } dev)
            {
                properties["npm.dev"] = dev ? "true" : "false";
            }

            if (Integrity is not null)
            {
                properties["npm.integrity"] = Integrity;
            }

            if (Resolved is not null)
            {
                properties["npm.resolved"] = Resolved;
            }

            return properties.ToImmutable();
        }
    }
}
