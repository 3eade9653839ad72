using System.Text.Json;
using Signet.Scanning.Catalogers.Npm;

namespace Signet.Scanning.Catalogers.DotNet;

/// <summary>
/// NuGet packages of a source tree from <c>packages.lock.json</c> (written by <c>dotnet restore</c> with
/// <c>RestorePackagesWithLockFile</c>; format versions 1 and 2), for <see cref="ScanKind.SourceTree"/> only. As
/// Trivy's nuget lock parser: every target framework's packages, once per name and version; <c>Project</c> entries
/// (project references) are not packages. Dependencies are the versions resolved in the same target framework
/// (the lockfile's own dependency values are ranges). Properties: <c>nuget.dependency-type</c> (Direct when direct in
/// any framework), <c>nuget.content-hash</c>, <c>nuget.target-frameworks</c>.
/// </summary>
public sealed class NuGetLockfileCataloger : ICataloger
{
    /// <summary>The largest packages.lock.json read.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    public string Id => "nuget-lockfile";

    public bool Wants(CatalogFile file, CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(context);
        return context.Kind == ScanKind.SourceTree && file.Name == "packages.lock.json";
    }

    public ICatalogSession Start(CatalogContext context) =>
        new WholeFileSession(context, MaxBytes, (file, bytes, ctx) => Parse(file, bytes, ctx, Id));

    internal static IReadOnlyList<Package> Parse(CatalogFile file, byte[] bytes, CatalogContext context, string foundBy, int maxEntries = NuGetPackages.MaxEntries)
    {
        using var document = JsonFields.TryParse(bytes, out var error);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            context.Report(new CatalogIssue(
                DotNetCodes.LockfileInvalid, file.Path,
                $"is not a packages.lock.json object ({error ?? "the document is not an object"}); its packages are not listed. Run 'dotnet restore --force-evaluate' to write it again."));
            return [];
        }

        if (JsonFields.Get(root, "version") is not { ValueKind: JsonValueKind.Number } formatVersion
            || !formatVersion.TryGetInt32(out var number) || number is not (1 or 2))
        {
            context.Report(new CatalogIssue(
                DotNetCodes.LockfileVersionUnsupported, file.Path,
                $"declares lock file version {JsonFields.Get(root, "version")?.GetRawText() ?? "(none)"}; versions 1 and 2 are read. Its packages are not listed; write it with a current .NET SDK."));
            return [];
        }

        var packages = new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase);
        foreach (var framework in JsonFields.Members(root, "dependencies"))
        {
            var entries = framework.Value.ValueKind == JsonValueKind.Object ? framework.Value.EnumerateObject().ToList() : [];
            var resolved = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in entries)
            {
                if (JsonFields.String(entry.Value, "resolved") is { } resolvedVersion)
                {
                    resolved.TryAdd(entry.Name, resolvedVersion);
                }
            }

            foreach (var entry in entries)
            {
                var type = JsonFields.String(entry.Value, "type");
                if (string.Equals(type, "Project", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (JsonFields.String(entry.Value, "resolved") is not { } version || entry.Name.Length == 0)
                {
                    context.Report(new CatalogIssue(
                        DotNetCodes.LockfileInvalid, file.Path,
                        $"the entry '{entry.Name}' of target framework '{framework.Name}' has no resolved version; it is not listed. Run 'dotnet restore --force-evaluate' to write the lock file again."));
                    continue;
                }

                if (!packages.TryGetValue($"{entry.Name}/{version}", out var package))
                {
                    if (packages.Count == maxEntries)
                    {
                        NuGetPackages.ReportTooMany(file, context, maxEntries);
                        return Build(packages, file, context, foundBy);
                    }

                    package = new Entry(entry.Name, version);
                    packages.Add($"{entry.Name}/{version}", package);
                }

                package.Merge(framework.Name, type, JsonFields.String(entry.Value, "contentHash"));
                foreach (var dependency in JsonFields.StringMap(entry.Value, "dependencies").Keys)
                {
                    if (resolved.TryGetValue(dependency, out var dependencyVersion))
                    {
                        package.DependsOn.Add(new PackageDependency(dependency, dependencyVersion));
                    }
                }
            }
        }

        return Build(packages, file, context, foundBy);
    }

    private static List<Package> Build(Dictionary<string, Entry> packages, CatalogFile file, CatalogContext context, string foundBy) =>
        [.. packages.Values.Select(p => NuGetPackages.Create(p.Name, p.Version, file, context, foundBy, p.DependsOn, p.Properties()))];

    /// <summary>One package across target frameworks.</summary>
    private sealed class Entry(string name, string version)
    {
        private readonly SortedSet<string> _frameworks = new(StringComparer.Ordinal);
        private string? _type;
        private string? _contentHash;

        public string Name => name;

        public string Version => version;

        public HashSet<PackageDependency> DependsOn { get; } = [];

        public void Merge(string framework, string? type, string? contentHash)
        {
            _frameworks.Add(framework);
            _type = _type is null || string.Equals(type, "Direct", StringComparison.OrdinalIgnoreCase) ? type ?? _type : _type;
            _contentHash ??= contentHash;
        }

        public IEnumerable<KeyValuePair<string, string>> Properties()
        {
            if (_type is not null)
            {
                yield return new("nuget.dependency-type", _type);
            }

            if (_contentHash is not null)
            {
                yield return new("nuget.content-hash", _contentHash);
            }

            yield return new("nuget.target-frameworks", string.Join(',', _frameworks));
        }
    }
}
