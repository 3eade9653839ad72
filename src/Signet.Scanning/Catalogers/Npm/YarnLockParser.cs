using System.Text;

namespace Signet.Scanning.Catalogers.Npm;

/// <summary>
/// <c>yarn.lock</c> of Yarn Classic (v1, "# yarn lockfile v1"): entries headed by their specifiers
/// (<c>"@babel/core@^7.0.0", "@babel/core@^7.1.0":</c>) with <c>version</c>, <c>resolved</c>, <c>integrity</c> and
/// <c>dependencies</c> / <c>optionalDependencies</c> (<c>name "range"</c>) indented below. A dependency's version is
/// the one of the entry whose header lists <c>name@range</c>. The file says nothing of dev dependencies. Yarn Berry
/// lockfiles (YAML with a <c>__metadata</c> entry) are a different format, reported as unsupported.
/// </summary>
internal static class YarnLockParser
{
    public static bool Read(byte[] bytes, LockPackageSet packages)
    {
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var lines = Encoding.UTF8.GetString(bytes, start, bytes.Length - start).Split('\n');
        var entries = new List<Entry>();
        Entry? current = null;
        string? section = null;
        for (var number = 1; number <= lines.Length; number++)
        {
            var line = lines[number - 1].TrimEnd('\r');
            var content = line.TrimStart(' ');
            if (content.Length == 0 || content[0] == '#')
            {
                continue;
            }

            var indent = line.Length - content.Length;
            if (indent == 0 && content.StartsWith("__metadata:", StringComparison.Ordinal))
            {
                return NpmLockfileCataloger.Unsupported(packages, "the Yarn Berry format (a __metadata entry)", "Yarn Classic (v1) lockfiles");
            }

            if (indent == 0 && content.EndsWith(':'))
            {
                current = new Entry(number, [.. content[..^1].Split(',').Select(s => Unquote(s.Trim())).Where(s => s.Length > 0)]);
                entries.Add(current);
                section = null;
            }
            else if (indent == 2 && current is not null && content.EndsWith(':'))
            {
                section = content[..^1];
            }
            else if (indent == 2 && current is not null && Field(content) is var (key, value) && value.Length > 0)
            {
                current.Fields.TryAdd(key, value);
                section = null;
            }
            else if (indent == 4 && section is "dependencies" or "optionalDependencies" && Field(content) is var (name, range) && range.Length > 0)
            {
                current!.Dependencies.Add((name, range));
            }
            else if (indent != 4 || section is null or "dependencies" or "optionalDependencies")
            {
                var shown = line.Length > 80 ? line[..80] + "…" : line;
                return NpmLockfileCataloger.Invalid(packages, $"line {number} is not part of a yarn v1 lockfile entry ('{shown}')", "Run 'yarn install' to write it again.");
            }
        }

        return Add(entries, packages);
    }

    private static bool Add(List<Entry> entries, LockPackageSet packages)
    {
        var bySpecifier = new Dictionary<string, (string Name, string Version)>(StringComparer.Ordinal);
        var valid = new List<(Entry Entry, string Name, string Version)>();
        foreach (var entry in entries)
        {
            if (entry.Specifiers.Count == 0 || !entry.Fields.TryGetValue("version", out var version))
            {
                packages.ReportEntry(entry.Specifiers.Count == 0 ? $"at line {entry.Line}" : entry.Specifiers[0], "has no version");
                continue;
            }

            var name = PackageName(entry.Specifiers[0]);
            valid.Add((entry, name, version));
            foreach (var specifier in entry.Specifiers)
            {
                bySpecifier.TryAdd(specifier, (name, version));
            }
        }

        foreach (var (entry, name, version) in valid)
        {
            var dependsOn = entry.Dependencies.Select(d =>
                bySpecifier.TryGetValue($"{d.Name}@{d.Range}", out var resolved) ? new PackageDependency(resolved.Name, resolved.Version) : new PackageDependency(d.Name));
            entry.Fields.TryGetValue("integrity", out var integrity);
            entry.Fields.TryGetValue("resolved", out var resolvedUrl);
            if (!packages.Add(name, version, null, integrity, resolvedUrl, dependsOn))
            {
                break;
            }
        }

        return true;
    }

    /// <summary>The package a specifier installs: <c>name@range</c>, or for an alias <c>alias@npm:name@range</c>, name.</summary>
    private static string PackageName(string specifier)
    {
        var at = specifier.IndexOf('@', 1);
        if (at < 0)
        {
            return specifier;
        }

        var range = specifier[(at + 1)..];
        if (range.StartsWith("npm:", StringComparison.Ordinal) && range.LastIndexOf('@') is var realAt and > 4)
        {
            return range[4..realAt];
        }

        return specifier[..at];
    }

    /// <summary>A <c>key value</c> line, either side optionally double-quoted.</summary>
    private static (string Key, string Value)? Field(string content)
    {
        var keyEnd = content[0] == '"' ? content.IndexOf('"', 1) + 1 : content.IndexOf(' ', StringComparison.Ordinal);
        if (keyEnd <= 0 || keyEnd >= content.Length || content[keyEnd] != ' ')
        {
            return null;
        }

        return (Unquote(content[..keyEnd]), Unquote(content[(keyEnd + 1)..].Trim()));
    }

    private static string Unquote(string text) =>
        text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1] : text;

    private sealed record Entry(int Line, List<string> Specifiers)
    {
        public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

        public List<(string Name, string Range)> Dependencies { get; } = [];
    }
}
