using System.Collections.Immutable;
using System.Text;
using Signet.Scanning.Purls;

namespace Signet.Scanning.Catalogers;

/// <summary>What catalogers share: purls that never throw, sorted collections, text (OS catalogers add theirs in <see cref="OsPackages"/>).</summary>
internal static class LanguagePackages
{
    /// <summary>
    /// The purl of a package, or null after reporting <paramref name="code"/> (the purl's own PURL code when null) when
    /// its name or version cannot form one; the package is kept either way.
    /// </summary>
    public static PackageUrl? TryPurl(
        string type, string? @namespace, string name, string? version, string path, string? code, CatalogContext context, IEnumerable<KeyValuePair<string, string?>>? qualifiers = null)
    {
        try
        {
            return PackageUrl.Create(type, @namespace, name, version, qualifiers);
        }
        catch (PackageUrlFormatException exception)
        {
            context.Report(new CatalogIssue(code ?? exception.Code, path, $"the package '{name}' {version} cannot form a {type} package URL ({exception.Message}); it is listed without one. Check the metadata of that package."));
            return null;
        }
    }

    /// <summary>Packages in the order catalogers return them: name, version, evidence, then properties (ordinal).</summary>
    public static IReadOnlyList<Package> Ordered(IEnumerable<Package> packages) =>
    [
        .. packages
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Version, StringComparer.Ordinal)
            .ThenBy(p => p.Evidence[0], StringComparer.Ordinal)
            .ThenBy(p => string.Join('\n', p.Properties.Select(e => $"{e.Key}={e.Value}")), StringComparer.Ordinal),
    ];

    /// <summary>Distinct, non-empty, ordinally sorted.</summary>
    public static ImmutableArray<string> Sorted(IEnumerable<string> values) =>
        [.. values.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Distinct by name, ordinally sorted, each with the version <paramref name="resolve"/> gives (lockfiles pin them).</summary>
    public static ImmutableArray<PackageDependency> Dependencies(IEnumerable<string> names, Func<string, string?>? resolve = null) =>
        [.. Sorted(names).Select(n => new PackageDependency(n, resolve?.Invoke(n)))];

    /// <summary>UTF-8 text without a byte order mark; invalid sequences become U+FFFD instead of failing.</summary>
    public static string Text(byte[] bytes) =>
        bytes.AsSpan().StartsWith("\uFEFF"u8) ? Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3) : Encoding.UTF8.GetString(bytes);

    /// <summary>Whitespace runs (line breaks included) become one space; null when nothing is left.</summary>
    public static string? Collapse(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var collapsed = string.Join(' ', value.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length == 0 ? null : collapsed;
    }

    /// <summary>"name &lt;email&gt;", or whichever of the two is declared; null when neither is.</summary>
    public static string? Person(string? name, string? email)
    {
        name = Collapse(name);
        email = Collapse(email);
        return (name, email) switch
        {
            (null, null) => null,
            (null, _) => email,
            (_, null) => name,
            _ when email.Contains('<', StringComparison.Ordinal) => email,
            _ => $"{name} <{email}>",
        };
    }

    /// <summary>
    /// <paramref name="relative"/> resolved against the directory <paramref name="directory"/> of the tree ('.' and
    /// '..' applied; a leading '/' means the tree root); null when it climbs above the root.
    /// </summary>
    public static string? Resolve(string directory, string relative)
    {
        var segments = new List<string>();
        var start = relative.StartsWith('/') ? relative : directory + "/" + relative;
        foreach (var segment in start.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    return null;
                }

                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(segment);
        }

        return segments.Count == 0 ? null : string.Join('/', segments);
    }

    /// <summary>The directory part of a tree path ("" at the root).</summary>
    public static string DirectoryOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }
}
