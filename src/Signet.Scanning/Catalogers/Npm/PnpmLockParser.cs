using System.Globalization;

namespace Signet.Scanning.Catalogers.Npm;

/// <summary>
/// <c>pnpm-lock.yaml</c> (https://github.com/pnpm/spec/tree/master/lockfile): lockfileVersion 5.x (keys
/// <c>/name/1.0.0_peer@2.0.0</c>), 6.x and 7.x (<c>/name@1.0.0(peer@2.0.0)</c>) with <c>dev</c> and
/// <c>dependencies</c> on each package; 9.x (<c>name@1.0.0</c>) with dependencies in <c>snapshots</c> and dev
/// dependencies found as those reachable only from the importers' <c>devDependencies</c>. Peer suffixes are not part
/// of the version; an entry's own <c>name</c> and <c>version</c> (tarball and git dependencies) win over its key.
/// </summary>
internal static class PnpmLockParser
{
    public static bool Read(byte[] bytes, LockPackageSet packages)
    {
        var root = YamlTree.TryRead(bytes, out var error);
        if (root is not Dictionary<string, object?> lockfile)
        {
            return NpmLockfileCataloger.Invalid(packages, $"is not a pnpm-lock.yaml mapping ({error ?? "the document is not a mapping"})", "Run 'pnpm install --lockfile-only' to write it again.");
        }

        var declared = YamlTree.Text(lockfile, "lockfileVersion") ?? "(none)";
        var dot = declared.IndexOf('.', StringComparison.Ordinal);
        if (!int.TryParse(dot < 0 ? declared : declared[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var major) || major is not (5 or 6 or 7 or 9))
        {
            return NpmLockfileCataloger.Unsupported(packages, $"lockfileVersion {declared}", "lockfileVersion 5.x, 6.x, 7.x and 9.x");
        }

        var graph = major == 9 ? Snapshots(lockfile, major) : null;
        var production = graph is null ? null : Reachable(lockfile, graph, "dependencies", "optionalDependencies");
        var development = graph is null ? null : Reachable(lockfile, graph, "devDependencies");
        foreach (var (key, value) in YamlTree.Map(lockfile, "packages"))
        {
            if (Identify(key, value, major) is not var (name, version))
            {
                packages.ReportEntry(key, "has a key that names no package and version");
                continue;
            }

            var id = $"{name}@{version}";
            bool? dev = graph is null
                ? YamlTree.Text(value, "dev") is { } flag ? flag == "true" : null
                : !production!.Contains(id) && development!.Contains(id);
            var dependsOn = graph is null ? Dependencies(value, major) : graph.GetValueOrDefault(id) ?? [];
            var resolution = YamlTree.Map(value, "resolution");
            if (!packages.Add(name, version, dev, YamlTree.Text(resolution, "integrity"), YamlTree.Text(resolution, "tarball"), dependsOn))
            {
                break;
            }
        }

        return true;
    }

    /// <summary>The name and version of a <c>packages</c> entry.</summary>
    private static (string Name, string Version)? Identify(string key, object? entry, int major)
    {
        if (YamlTree.Text(entry, "name") is { Length: > 0 } name && YamlTree.Text(entry, "version") is { Length: > 0 } version)
        {
            return (name, version);
        }

        return ParseKey(key, major);
    }

    /// <summary><c>/name/1.0.0_peers</c> (5.x), <c>/name@1.0.0(peers)</c> (6.x, 7.x), <c>name@1.0.0(peers)</c> (9.x).</summary>
    private static (string Name, string Version)? ParseKey(string key, int major)
    {
        var text = key.StartsWith('/') ? key[1..] : key;
        var peers = text.IndexOf('(', StringComparison.Ordinal);
        text = peers < 0 ? text : text[..peers];
        int split;
        if (major == 5)
        {
            split = text.LastIndexOf('/');
            var underscore = split < 0 ? -1 : text.IndexOf('_', split);
            text = underscore < 0 ? text : text[..underscore];
        }
        else
        {
            split = text.LastIndexOf('@');
        }

        return split > 0 && split < text.Length - 1 ? (text[..split], text[(split + 1)..]) : null;
    }

    /// <summary>A dependency value: a version (with peer suffix), <c>link:</c> (no version), or an alias's key.</summary>
    private static PackageDependency Resolve(string name, string? value, int major)
    {
        if (value is null || value.StartsWith("link:", StringComparison.Ordinal) || value.StartsWith("file:", StringComparison.Ordinal))
        {
            return new PackageDependency(name);
        }

        var peers = value.IndexOf('(', StringComparison.Ordinal);
        var bare = peers < 0 ? value : value[..peers];
        if (bare.StartsWith('/') || (major == 9 && bare.Length > 0 && bare.IndexOf('@', 1) > 0))
        {
            return ParseKey(bare, major) is var (aliased, version) ? new PackageDependency(aliased, version) : new PackageDependency(name);
        }

        var underscore = major == 5 ? bare.IndexOf('_', StringComparison.Ordinal) : -1;
        return new PackageDependency(name, underscore < 0 ? bare : bare[..underscore]);
    }

    private static List<PackageDependency> Dependencies(object? entry, int major) =>
        [.. ((string[])["dependencies", "optionalDependencies"])
            .SelectMany(field => YamlTree.Map(entry, field))
            .Select(d => Resolve(d.Key, d.Value as string, major))];

    /// <summary>9.x: the dependencies of each <c>name@version</c>, merged over its peer variants in <c>snapshots</c>.</summary>
    private static Dictionary<string, List<PackageDependency>> Snapshots(Dictionary<string, object?> lockfile, int major)
    {
        var graph = new Dictionary<string, List<PackageDependency>>(StringComparer.Ordinal);
        foreach (var (key, value) in YamlTree.Map(lockfile, "snapshots"))
        {
            if (ParseKey(key, major) is var (name, version))
            {
                var id = $"{name}@{version}";
                graph[id] = [.. (graph.GetValueOrDefault(id) ?? []).Union(Dependencies(value, major))];
            }
        }

        return graph;
    }

    /// <summary>9.x: the packages reachable from the importers' <paramref name="fields"/>.</summary>
    private static HashSet<string> Reachable(Dictionary<string, object?> lockfile, Dictionary<string, List<PackageDependency>> graph, params string[] fields)
    {
        var pending = new Stack<PackageDependency>(
            YamlTree.Map(lockfile, "importers").Values
                .SelectMany(importer => fields.SelectMany(field => YamlTree.Map(importer, field)))
                .Select(d => Resolve(d.Key, YamlTree.Text(d.Value, "version"), 9)));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryPop(out var dependency))
        {
            if (dependency.Version is not null && seen.Add($"{dependency.Name}@{dependency.Version}"))
            {
                foreach (var next in graph.GetValueOrDefault($"{dependency.Name}@{dependency.Version}") ?? [])
                {
                    pending.Push(next);
                }
            }
        }

        return seen;
    }
}
