using System.Text.Json;

namespace Signet.Scanning.Catalogers.Npm;

/// <summary>
/// <c>package-lock.json</c> / <c>npm-shrinkwrap.json</c> (https://docs.npmjs.com/cli/configuring-npm/package-lock-json):
/// lockfileVersion 2 and 3 from the <c>packages</c> map (keys are install paths, <c>node_modules/a/node_modules/b</c>;
/// the root <c>""</c> and workspace links are not packages, a workspace folder is one when it has a name and version;
/// the <c>license</c> npm 9+ records is kept),
/// lockfileVersion 1 from the nested <c>dependencies</c> tree. Dependencies are resolved to the version installed where
/// Node.js would find them (the nearest <c>node_modules</c> up the tree).
/// </summary>
internal static class PackageLockParser
{
    private const string NodeModules = "node_modules/";

    public static bool Read(byte[] bytes, LockPackageSet packages)
    {
        using var document = JsonFields.TryParse(bytes, out var error);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            return NpmLockfileCataloger.Invalid(packages, $"is not a package-lock.json JSON object ({error ?? "the document is not an object"})", "Run 'npm install --package-lock-only' to write it again.");
        }

        var version = JsonFields.Get(root, "lockfileVersion") is { ValueKind: JsonValueKind.Number } number && number.TryGetInt32(out var v) ? v : 0;
        switch (version)
        {
            case 2 or 3 when JsonFields.Get(root, "packages") is { ValueKind: JsonValueKind.Object } map:
                ReadPackages(map, packages);
                return true;
            case 1 or 2:
                ReadTree(JsonFields.Get(root, "dependencies"), [], packages);
                return true;
            default:
                return NpmLockfileCataloger.Unsupported(packages, $"lockfileVersion {JsonFields.Get(root, "lockfileVersion")?.GetRawText() ?? "(none)"}", "versions 1, 2 and 3");
        }
    }

    private static void ReadPackages(JsonElement map, LockPackageSet packages)
    {
        var entries = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var member in map.EnumerateObject())
        {
            entries.TryAdd(member.Name, member.Value);
        }

        foreach (var (key, entry) in entries)
        {
            if (key.Length == 0 || JsonFields.IsTrue(entry, "link"))
            {
                continue;
            }

            var at = key.LastIndexOf(NodeModules, StringComparison.Ordinal);
            var name = JsonFields.String(entry, "name") ?? (at >= 0 && (at == 0 || key[at - 1] == '/') ? key[(at + NodeModules.Length)..] : null);
            if (name is null || JsonFields.String(entry, "version") is not { } version)
            {
                packages.ReportEntry(key, "has no name or version");
                continue;
            }

            var dependsOn = DependencyNames(entry).Select(d => new PackageDependency(d, InstalledVersion(entries, key, d)));
            var added = packages.Add(
                name, version, JsonFields.IsTrue(entry, "dev"), JsonFields.String(entry, "integrity"), JsonFields.String(entry, "resolved"), dependsOn, JsonFields.String(entry, "license"));
            if (!added)
            {
                return;
            }
        }
    }

    /// <summary>The version of <paramref name="dependency"/> that the package at <paramref name="key"/> loads (Node.js module resolution).</summary>
    private static string? InstalledVersion(Dictionary<string, JsonElement> entries, string key, string dependency)
    {
        var directory = key;
        while (true)
        {
            var candidate = directory.Length == 0 ? NodeModules + dependency : $"{directory}/{NodeModules}{dependency}";
            if (entries.TryGetValue(candidate, out var entry))
            {
                if (JsonFields.IsTrue(entry, "link") && JsonFields.String(entry, "resolved") is { } target && entries.TryGetValue(target, out var linked))
                {
                    entry = linked;
                }

                return JsonFields.String(entry, "version");
            }

            if (directory.Length == 0)
            {
                return null;
            }

            var parent = directory.LastIndexOf("/" + NodeModules, StringComparison.Ordinal);
            directory = parent < 0 ? string.Empty : directory[..parent];
        }
    }

    /// <summary>lockfileVersion 1: <c>{"name": {"version", "dev", "requires", "dependencies": {…}}}</c>, nested as installed.</summary>
    private static bool ReadTree(JsonElement? level, List<JsonElement> scopes, LockPackageSet packages)
    {
        if (level is not { ValueKind: JsonValueKind.Object } dependencies)
        {
            return true;
        }

        foreach (var member in dependencies.EnumerateObject())
        {
            if (!Installed(member.Name, JsonFields.String(member.Value, "version"), out var name, out var version))
            {
                packages.ReportEntry(member.Name, "has no version");
                continue;
            }

            var nested = JsonFields.Get(member.Value, "dependencies");
            List<JsonElement> inner = [.. nested is { ValueKind: JsonValueKind.Object } n ? [n] : Array.Empty<JsonElement>(), dependencies, .. scopes];
            var dependsOn = JsonFields.StringMap(member.Value, "requires").Keys.Select(required => new PackageDependency(required, RequiredVersion(inner, required)));
            if (!packages.Add(name, version, JsonFields.IsTrue(member.Value, "dev"), JsonFields.String(member.Value, "integrity"), JsonFields.String(member.Value, "resolved"), dependsOn)
                || !ReadTree(nested, [dependencies, .. scopes], packages))
            {
                return false;
            }
        }

        return true;
    }

    private static string? RequiredVersion(List<JsonElement> scopes, string required)
    {
        foreach (var scope in scopes)
        {
            if (JsonFields.Get(scope, required) is { } entry)
            {
                return Installed(required, JsonFields.String(entry, "version"), out _, out var version) ? version : null;
            }
        }

        return null;
    }

    /// <summary>The installed name and version of a v1 entry; an alias's version is <c>npm:real-name@1.2.3</c>.</summary>
    private static bool Installed(string key, string? declared, out string name, out string version)
    {
        name = key;
        version = declared ?? string.Empty;
        if (declared is not null && declared.StartsWith("npm:", StringComparison.Ordinal))
        {
            var at = declared.LastIndexOf('@');
            if (at > 4)
            {
                name = declared[4..at];
                version = declared[(at + 1)..];
            }
        }

        return key.Length > 0 && version.Length > 0;
    }

    private static IEnumerable<string> DependencyNames(JsonElement entry) =>
        JsonFields.StringMap(entry, "dependencies").Keys.Concat(JsonFields.StringMap(entry, "optionalDependencies").Keys).Distinct(StringComparer.Ordinal);
}
