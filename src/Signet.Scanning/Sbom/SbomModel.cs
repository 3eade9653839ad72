using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Signet.Oci;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Os;
using Signet.Scanning.Purls;

namespace Signet.Scanning.Sbom;

/// <summary>One package of the document with its stable key (bom-ref / SPDXID suffix) and resolved dependencies.</summary>
internal sealed record SbomEntry(Package Package, string Key, ImmutableArray<string> DependsOn);

/// <summary>
/// What both writers share: the packages in their canonical order with stable keys, dependencies resolved to keys, the
/// subject's and the distribution's place in the graph, and the properties (layer attribution, evidence, facts).
/// </summary>
internal sealed class SbomModel
{
    public const string SubjectKey = "subject";
    public const string OperatingSystemKey = "operating-system";

    private static readonly HashSet<string> OsPackageTypes = new(StringComparer.Ordinal) { "deb", "apk", "rpm", "alpm" };

    private SbomModel(SbomSubject subject, ImmutableArray<SbomEntry> entries, ImmutableArray<string> subjectDependsOn, ImmutableArray<string> osDependsOn)
    {
        Subject = subject;
        Entries = entries;
        SubjectDependsOn = subjectDependsOn;
        OperatingSystemDependsOn = osDependsOn;
        SubjectPurl = ImagePurl(subject);
    }

    public SbomSubject Subject { get; }

    /// <summary>The packages, sorted by purl, name, version, first evidence path (then every other field).</summary>
    public ImmutableArray<SbomEntry> Entries { get; }

    /// <summary>The subject's direct dependencies: the distribution (when detected) and the top-level packages.</summary>
    public ImmutableArray<string> SubjectDependsOn { get; }

    /// <summary>The distribution's dependencies: the top-level packages of the OS package managers.</summary>
    public ImmutableArray<string> OperatingSystemDependsOn { get; }

    /// <summary>The <c>pkg:oci/...</c> purl of an image whose reference parses and whose manifest digest is known.</summary>
    public PackageUrl? SubjectPurl { get; }

    public bool IsImage => Subject.Kind == ScanKind.Image;

    public static SbomModel Build(SbomSubject subject, IEnumerable<Package> packages)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(packages);
        var sorted = packages.ToList();
        sorted.Sort(ComparePackages);
        var keys = AssignKeys(sorted);
        var dependencies = ResolveDependencies(sorted, keys);
        var entries = sorted.Select((p, i) => new SbomEntry(p, keys[i], dependencies[i])).ToImmutableArray();

        var topLevel = TopLevel(entries);
        var hasOs = subject.Distribution is not null;
        var osDependsOn = hasOs
            ? topLevel.Where(e => OsPackageTypes.Contains(e.Package.Type)).Select(e => e.Key).ToImmutableArray()
            : [];
        var subjectDependsOn = (hasOs ? [OperatingSystemKey] : Array.Empty<string>())
            .Concat(topLevel.Where(e => !hasOs || !OsPackageTypes.Contains(e.Package.Type)).Select(e => e.Key))
            .Order(StringComparer.Ordinal)
            .ToImmutableArray();
        return new SbomModel(subject, entries, subjectDependsOn, osDependsOn.Sort(StringComparer.Ordinal));
    }

    /// <summary>The <c>signet:*</c> properties of a package, in a fixed order (docs/sbom.md lists them).</summary>
    public static IEnumerable<KeyValuePair<string, string>> PackageProperties(Package package)
    {
        yield return new("signet:foundBy", package.FoundBy);
        yield return new("signet:package:type", package.Type);
        if (package.Layer is { } layer)
        {
            yield return new("signet:layer:index", layer.Index.ToString(CultureInfo.InvariantCulture));
            yield return new("signet:layer:digest", layer.Digest.ToString());
            if (layer.DiffId is { } diffId)
            {
                yield return new("signet:layer:diffID", diffId.ToString());
            }

            if (!string.IsNullOrEmpty(layer.CreatedBy))
            {
                yield return new("signet:layer:createdBy", layer.CreatedBy);
            }
        }

        if (package.Source is { } source)
        {
            yield return new("signet:source:name", source.Name);
            if (source.Version is not null)
            {
                yield return new("signet:source:version", source.Version);
            }
        }

        for (var i = 0; i < package.Evidence.Length; i++)
        {
            yield return new($"signet:evidence:{i.ToString(CultureInfo.InvariantCulture)}", package.Evidence[i]);
        }

        foreach (var (key, value) in package.Properties)
        {
            yield return new($"signet:package:{key}", value);
        }
    }

    /// <summary>The <c>signet:image:*</c> properties of the subject (config digest, platform, layers).</summary>
    public IEnumerable<KeyValuePair<string, string>> SubjectProperties()
    {
        yield return new("signet:subject:kind", Subject.Kind switch
        {
            ScanKind.Image => "image",
            ScanKind.RootFilesystem => "root-filesystem",
            _ => "source-tree",
        });
        if (Subject.ConfigDigest is { } config)
        {
            yield return new("signet:image:configDigest", config.ToString());
        }

        if (Subject.Platform is { } platform)
        {
            yield return new("signet:image:platform", platform.ToString());
        }

        foreach (var layer in Subject.Layers.OrderBy(l => l.Index))
        {
            var prefix = $"signet:image:layer:{layer.Index.ToString(CultureInfo.InvariantCulture)}";
            yield return new($"{prefix}:digest", layer.Digest.ToString());
            if (layer.DiffId is { } diffId)
            {
                yield return new($"{prefix}:diffID", diffId.ToString());
            }

            if (!string.IsNullOrEmpty(layer.CreatedBy))
            {
                yield return new($"{prefix}:createdBy", layer.CreatedBy);
            }
        }
    }

    /// <summary>The <c>signet:os:*</c> properties of the distribution.</summary>
    public static IEnumerable<KeyValuePair<string, string>> OperatingSystemProperties(LinuxDistribution distribution)
    {
        if (distribution.Codename is not null)
        {
            yield return new("signet:os:codename", distribution.Codename);
        }

        yield return new("signet:os:distro", distribution.DistroQualifier);
        yield return new("signet:os:source", distribution.Source);
    }

    /// <summary>A version-5-shaped UUID from the first 16 bytes of a SHA-256 of the document content.</summary>
    public static string UuidFromHash(ReadOnlySpan<byte> hash)
    {
        Span<byte> bytes = stackalloc byte[16];
        hash[..16].CopyTo(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(bytes);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary>Letters, digits, '.' and '-' only (SPDXID and LicenseRef syntax); other characters become '-'.</summary>
    public static string IdSafe(string value, int maxLength)
    {
        var builder = new StringBuilder(Math.Min(value.Length, maxLength));
        foreach (var c in value)
        {
            if (builder.Length == maxLength)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-');
        }

        return builder.ToString();
    }

    public static string ShortHash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 8));

    public static string Timestamp(DateTimeOffset timestamp) =>
        timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static PackageUrl? ImagePurl(SbomSubject subject)
    {
        if (subject.Kind != ScanKind.Image || !Reference.TryParse(subject.Name, out var reference))
        {
            return null;
        }

        var digest = subject.ManifestDigest ?? reference.Digest;
        if (digest is null)
        {
            return null;
        }

        var name = reference.Repository[(reference.Repository.LastIndexOf('/') + 1)..];
        var qualifiers = new List<KeyValuePair<string, string?>> { new("repository_url", reference.Name) };
        if (subject.Platform is { } platform)
        {
            qualifiers.Add(new("arch", platform.Architecture));
        }

        if (reference.Tag is { } tag)
        {
            qualifiers.Add(new("tag", tag));
        }

        try
        {
            return PackageUrl.Create("oci", null, name, digest.Value.ToString(), qualifiers);
        }
        catch (PackageUrlFormatException)
        {
            return null;
        }
    }

    private static int ComparePackages(Package a, Package b)
    {
        var c = string.CompareOrdinal(a.Purl?.ToString(), b.Purl?.ToString());
        c = c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        c = c != 0 ? c : string.CompareOrdinal(a.Version, b.Version);
        c = c != 0 ? c : CompareSequences(a.Evidence, b.Evidence);
        c = c != 0 ? c : string.CompareOrdinal(a.Type, b.Type);
        c = c != 0 ? c : string.CompareOrdinal(a.FoundBy, b.FoundBy);
        c = c != 0 ? c : (a.Layer?.Index ?? -1).CompareTo(b.Layer?.Index ?? -1);
        c = c != 0 ? c : string.CompareOrdinal(a.Layer?.Digest.ToString(), b.Layer?.Digest.ToString());
        c = c != 0 ? c : CompareSequences(a.Licenses, b.Licenses);
        c = c != 0 ? c : string.CompareOrdinal(a.Supplier, b.Supplier);
        c = c != 0 ? c : string.CompareOrdinal(a.Source?.Name, b.Source?.Name);
        c = c != 0 ? c : string.CompareOrdinal(a.Source?.Version, b.Source?.Version);
        c = c != 0 ? c : CompareSequences(a.DependsOn.Select(d => $"{d.Name}@{d.Version}"), b.DependsOn.Select(d => $"{d.Name}@{d.Version}"));
        c = c != 0 ? c : CompareSequences(a.Properties.Select(p => $"{p.Key}={p.Value}"), b.Properties.Select(p => $"{p.Key}={p.Value}"));
        return c != 0 ? c : CompareSequences(a.InstalledFiles, b.InstalledFiles);
    }

    private static int CompareSequences(IEnumerable<string> a, IEnumerable<string> b)
    {
        using var left = a.GetEnumerator();
        using var right = b.GetEnumerator();
        while (true)
        {
            var hasLeft = left.MoveNext();
            var hasRight = right.MoveNext();
            if (!hasLeft || !hasRight)
            {
                return hasLeft.CompareTo(hasRight);
            }

            var c = string.CompareOrdinal(left.Current, right.Current);
            if (c != 0)
            {
                return c;
            }
        }
    }

    private static string[] AssignKeys(List<Package> packages)
    {
        var used = new HashSet<string>(StringComparer.Ordinal) { SubjectKey, OperatingSystemKey };
        var keys = new string[packages.Count];
        for (var i = 0; i < packages.Count; i++)
        {
            var package = packages[i];
            var identity = $"{package.Purl?.ToString() ?? $"{package.Type}/{package.Name}@{package.Version}"}\n{FirstEvidence(package)}";
            var key = $"{IdSafe(package.Type, 16)}-{IdSafe(package.Name, 48)}-{ShortHash(identity)}";
            var unique = key;
            for (var n = 2; !used.Add(unique); n++)
            {
                unique = $"{key}-{n.ToString(CultureInfo.InvariantCulture)}";
            }

            keys[i] = unique;
        }

        return keys;
    }

    private static string FirstEvidence(Package package) => package.Evidence.IsDefaultOrEmpty ? string.Empty : package.Evidence[0];

    /// <summary>
    /// Resolves each <see cref="Package.DependsOn"/> to a package of the same type and name (exact version when the
    /// dependency pins one; names compared ordinally, then ignoring case and, for pypi, '-', '_' and '.'), preferring the
    /// candidate whose first evidence path shares the longest directory prefix (the same node_modules tree, the same
    /// site-packages), then the one nearest the root (node's lookup walks up), then the first in canonical order. Dependencies that match no package are left out.
    /// </summary>
    private static ImmutableArray<string>[] ResolveDependencies(List<Package> packages, string[] keys)
    {
        var byName = new Dictionary<(string Type, string Name), List<int>>();
        var byLooseName = new Dictionary<(string Type, string Name), List<int>>();
        for (var i = 0; i < packages.Count; i++)
        {
            Add(byName, (packages[i].Type, packages[i].Name), i);
            Add(byLooseName, (packages[i].Type, LooseName(packages[i].Type, packages[i].Name)), i);
        }

        var result = new ImmutableArray<string>[packages.Count];
        for (var i = 0; i < packages.Count; i++)
        {
            var package = packages[i];
            var resolved = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var dependency in package.DependsOn)
            {
                var candidates = Candidates(byName, (package.Type, dependency.Name), packages, dependency, i);
                if (candidates.Count == 0)
                {
                    candidates = Candidates(byLooseName, (package.Type, LooseName(package.Type, dependency.Name)), packages, dependency, i);
                }

                if (candidates.Count > 0)
                {
                    resolved.Add(keys[Nearest(candidates, packages, FirstEvidence(package))]);
                }
            }

            result[i] = [.. resolved];
        }

        return result;

        static void Add(Dictionary<(string, string), List<int>> index, (string, string) key, int value)
        {
            if (!index.TryGetValue(key, out var list))
            {
                index[key] = list = [];
            }

            list.Add(value);
        }
    }

    private static List<int> Candidates(Dictionary<(string, string), List<int>> index, (string, string) key, List<Package> packages, PackageDependency dependency, int self) =>
        index.TryGetValue(key, out var list)
            ? list.Where(c => c != self && (dependency.Version is null || string.Equals(packages[c].Version, dependency.Version, StringComparison.Ordinal))).ToList()
            : [];

    private static string LooseName(string type, string name)
    {
        var lower = name.ToLowerInvariant();
        return type == "pypi" ? lower.Replace('_', '-').Replace('.', '-') : lower;
    }

    private static int Nearest(List<int> candidates, List<Package> packages, string evidence)
    {
        var best = candidates[0];
        var bestShared = -1;
        var bestDepth = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var path = FirstEvidence(packages[candidate]);
            var shared = CommonDirectoryPrefix(evidence, path);
            var depth = path.Count(c => c == '/');
            if (shared > bestShared || (shared == bestShared && depth < bestDepth))
            {
                best = candidate;
                bestShared = shared;
                bestDepth = depth;
            }
        }

        return best;
    }

    /// <summary>The number of leading directory segments two paths share.</summary>
    private static int CommonDirectoryPrefix(string a, string b)
    {
        var left = a.Split('/');
        var right = b.Split('/');
        var count = 0;
        while (count < left.Length - 1 && count < right.Length - 1 && string.Equals(left[count], right[count], StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// The packages no other package depends on, plus, so that every package is reachable from the subject, the first
    /// (in canonical order) of each group that only a dependency cycle holds.
    /// </summary>
    private static List<SbomEntry> TopLevel(ImmutableArray<SbomEntry> entries)
    {
        var byKey = entries.ToDictionary(e => e.Key, StringComparer.Ordinal);
        var depended = entries.SelectMany(e => e.DependsOn).ToHashSet(StringComparer.Ordinal);
        var roots = entries.Where(e => !depended.Contains(e.Key)).ToList();
        var reached = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            Walk(root);
        }

        foreach (var entry in entries)
        {
            if (!reached.Contains(entry.Key))
            {
                roots.Add(entry);
                Walk(entry);
            }
        }

        return roots;

        void Walk(SbomEntry start)
        {
            var pending = new Stack<SbomEntry>([start]);
            while (pending.TryPop(out var next))
            {
                if (reached.Add(next.Key))
                {
                    foreach (var dependency in next.DependsOn)
                    {
                        pending.Push(byKey[dependency]);
                    }
                }
            }
        }
    }
}
