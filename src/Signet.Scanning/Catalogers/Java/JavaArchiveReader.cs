using System.Collections.Immutable;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Signet.Oci.Compression;
using Signet.Scanning.Purls;

namespace Signet.Scanning.Catalogers.Java;

/// <summary>
/// Reads one Java archive (and the archives nested in it) from a seekable copy and turns its Maven and manifest
/// metadata into packages. Bounded: entries per archive, central directory bytes, metadata entry sizes, nesting depth
/// and the bytes inflated per top-level archive; each entry must inflate to no more than its declared size.
/// </summary>
internal sealed class JavaArchiveReader
{
    /// <summary>Entries a central directory may declare.</summary>
    public const long MaxEntries = 200_000;

    /// <summary>Bytes a central directory may declare.</summary>
    public const long MaxCentralDirectoryBytes = 64L * 1024 * 1024;

    /// <summary>Bytes read of one MANIFEST.MF, pom.properties or pom.xml.</summary>
    public const long MaxMetadataBytes = 1024 * 1024;

    /// <summary>Archives nested in archives are read down to this depth (the scanned file is depth 0).</summary>
    public const int MaxNestingDepth = 4;

    /// <summary>Bytes inflated from one scanned archive, nested archives and metadata included.</summary>
    public const long MaxInflatedBytes = 512L * 1024 * 1024;

    /// <summary>The separator between an archive's path and the path of an entry inside it (<c>app.war!WEB-INF/lib/x.jar</c>).</summary>
    public const char NestedSeparator = '!';

    private const string MavenType = "maven";
    private const string ManifestPath = "META-INF/MANIFEST.MF";
    private const string MavenPrefix = "META-INF/maven/";

    private static readonly string[] PrimaryGroupFields =
        ["Group-Id", "Bundle-SymbolicName", "Extension-Name", "Specification-Vendor", "Implementation-Vendor", "Implementation-Vendor-Id", "Implementation-Title", "Bundle-Activator"];

    private static readonly string[] SecondaryGroupFields = ["Automatic-Module-Name", "Main-Class", "Package"];

    private static readonly string[] Domains = ["com.", "org.", "net.", "io.", "be."];

    private readonly CatalogFile _file;
    private readonly CatalogContext _context;
    private readonly string _foundBy;
    private readonly List<Package> _packages;
    private long _budget = MaxInflatedBytes;

    public JavaArchiveReader(CatalogFile file, CatalogContext context, string foundBy, List<Package> packages)
    {
        _file = file;
        _context = context;
        _foundBy = foundBy;
        _packages = packages;
    }

    /// <summary>Whether a file or entry name has the extension of a Java archive.</summary>
    public static bool IsArchiveName(string name) =>
        name.EndsWith(".jar", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".war", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".ear", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".par", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".sar", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".jpi", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".hpi", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the archive in <paramref name="archive"/> (seekable, positioned anywhere) found at <paramref name="virtualPath"/>.</summary>
    public async Task ReadAsync(Stream archive, string virtualPath, int depth, CancellationToken cancellationToken)
    {
        archive.Position = 0;
#pragma warning disable CA5350 // SHA-1 names the archive for scanners' lookups (Trivy's Java DB, Grype); it protects nothing.
        var sha1 = Convert.ToHexStringLower(await SHA1.HashDataAsync(archive, cancellationToken).ConfigureAwait(false));
#pragma warning restore CA5350
        ZipArchive zip;
        try
        {
            var directory = ZipDirectory.Read(archive);
            if (directory is null)
            {
                Report(JavaCodes.NotAZip, virtualPath, "has no zip end-of-central-directory record: it is not a Java archive or it is truncated; its packages were not read. Check the file, e.g. with unzip -t.");
                return;
            }

            if (directory.Value.EntryCount > MaxEntries || directory.Value.DirectorySize > MaxCentralDirectoryBytes)
            {
                Report(JavaCodes.TooManyEntries, virtualPath, $"declares {directory.Value.EntryCount} entries in a {directory.Value.DirectorySize}-byte central directory, more than the {MaxEntries} entries or {MaxCentralDirectoryBytes} bytes read; its packages were not read. A real archive is smaller: check where it comes from.");
                return;
            }

            archive.Position = 0;
            zip = new ZipArchive(archive, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception exception) when (IsMalformed(exception))
        {
            Report(JavaCodes.NotAZip, virtualPath, $"is not a readable zip ({exception.Message}); its packages were not read. Check the file, e.g. with unzip -t.");
            return;
        }

        using (zip)
        {
            IReadOnlyList<ZipArchiveEntry> entries;
            try
            {
                entries = zip.Entries;
            }
            catch (Exception exception) when (IsMalformed(exception))
            {
                Report(JavaCodes.NotAZip, virtualPath, $"has a corrupt central directory ({exception.Message}); its packages were not read. Check the file, e.g. with unzip -t.");
                return;
            }

            await ReadMetadataAsync(entries, virtualPath, sha1, cancellationToken).ConfigureAwait(false);
            await ReadNestedAsync(entries, virtualPath, depth, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReadMetadataAsync(IReadOnlyList<ZipArchiveEntry> entries, string virtualPath, string sha1, CancellationToken cancellationToken)
    {
        JavaManifest? manifest = null;
        var manifestEntry = entries.FirstOrDefault(e => string.Equals(e.FullName, ManifestPath, StringComparison.OrdinalIgnoreCase));
        if (manifestEntry is not null)
        {
            // An unreadable manifest (reported) still marks a Java archive: its identity then comes from the file name.
            manifest = JavaManifest.Parse(await ReadTextAsync(manifestEntry, virtualPath, cancellationToken).ConfigureAwait(false) ?? string.Empty);
            if (manifest.MalformedLines > 0)
            {
                Report(JavaCodes.ManifestMalformed, Nested(virtualPath, manifestEntry.FullName), $"has {manifest.MalformedLines} line(s) that are neither \"Name: value\" attributes nor continuations; they were skipped. Rebuild the archive with a conforming jar tool.");
            }
        }

        var poms = await ReadPomsAsync(entries, virtualPath, cancellationToken).ConfigureAwait(false);
        var fileName = ArchiveFileName.Parse(virtualPath[(virtualPath.LastIndexOfAny(['/', NestedSeparator]) + 1)..]);
        // As Syft: the pom.properties whose artifactId is the file's name is the archive's own, as is a single one whose
        // artifactId starts with it; others are artifacts shaded into the archive. Beyond Syft: a single pom.properties is
        // also the archive's own when the file name gives no version and the manifest gives none or the same one
        // (distributions install renamed, unversioned jars: Debian's maven3-core.jar is org.apache.maven:maven-core).
        var own = poms.FirstOrDefault(p => p.Properties.ArtifactId == fileName.Name)
            ?? (poms.Count == 1 && IsSinglePomOwn(poms[0].Properties, fileName, manifest) ? poms[0] : null);
        if (own is null && manifest is null)
        {
            if (poms.Count == 0)
            {
                Report(JavaCodes.NoIdentity, virtualPath, "has neither META-INF/MANIFEST.MF nor META-INF/maven/**/pom.properties: no package was identified. If it is a library, rebuild it with Maven or a jar tool that writes a manifest.");
            }

            foreach (var pom in poms)
            {
                AddEmbedded(pom, virtualPath);
            }

            return;
        }

        var name = own?.Properties.ArtifactId ?? fileName.Name;
        var version = own?.Properties.Version ?? fileName.Version ?? VersionFrom(manifest!);
        var group = own?.Properties.GroupId ?? (manifest is null ? null : GroupFrom(manifest));
        var evidence = new List<string>();
        if (manifestEntry is not null)
        {
            evidence.Add(Nested(virtualPath, manifestEntry.FullName));
        }

        IReadOnlyList<string> licenses = manifest?.Get("Bundle-License") is { } bundleLicense ? SplitBundleLicense(bundleLicense) : [];
        if (licenses.Count == 0 && own is not null)
        {
            licenses = own.Licenses;
        }

        foreach (var pom in poms)
        {
            if (ReferenceEquals(pom, own) || pom.Properties.ArtifactId == name)
            {
                evidence.AddRange(pom.Evidence(virtualPath));
            }
            else
            {
                AddEmbedded(pom, virtualPath);
            }
        }

        Add(
            name, version, group, [virtualPath, .. evidence.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], licenses,
            manifest?.Get("Implementation-Vendor") ?? manifest?.Get("Bundle-Vendor") ?? manifest?.Get("Specification-Vendor"),
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("java.sha1", sha1)]));
    }

    private async Task<List<PomEntry>> ReadPomsAsync(IReadOnlyList<ZipArchiveEntry> entries, string virtualPath, CancellationToken cancellationToken)
    {
        var poms = new List<PomEntry>();
        var pomXmls = entries.Where(e => e.FullName.StartsWith(MavenPrefix, StringComparison.Ordinal) && e.FullName.EndsWith("/pom.xml", StringComparison.Ordinal))
            .DistinctBy(e => e.FullName, StringComparer.Ordinal)
            .ToDictionary(e => e.FullName, StringComparer.Ordinal);
        var properties = entries.Where(e => e.FullName.StartsWith(MavenPrefix, StringComparison.Ordinal) && e.FullName.EndsWith("/pom.properties", StringComparison.Ordinal))
            .DistinctBy(e => e.FullName, StringComparer.Ordinal);
        foreach (var entry in properties)
        {
            if (await ReadTextAsync(entry, virtualPath, cancellationToken).ConfigureAwait(false) is not { } text)
            {
                continue;
            }

            var coordinates = PomProperties.Parse(text);
            if (coordinates.ArtifactId is null || coordinates.Version is null)
            {
                Report(JavaCodes.PomPropertiesIncomplete, Nested(virtualPath, entry.FullName), "has no artifactId or no version; it was ignored. Rebuild the archive with Maven, which writes groupId, artifactId and version.");
                continue;
            }

            var xmlPath = entry.FullName[..^"pom.properties".Length] + "pom.xml";
            var xmlEntry = pomXmls.GetValueOrDefault(xmlPath);
            IReadOnlyList<string> licenses = [];
            if (xmlEntry is not null && await ReadBytesAsync(xmlEntry, virtualPath, cancellationToken).ConfigureAwait(false) is { } xml)
            {
                try
                {
                    licenses = PomXml.ReadLicenses(xml);
                }
                catch (XmlException exception)
                {
                    Report(JavaCodes.PomXmlMalformed, Nested(virtualPath, xmlPath), $"is not a well-formed POM without DTD ({exception.Message}); its licenses were not read. Rebuild the archive with a conforming pom.xml.");
                }
            }

            poms.Add(new PomEntry(entry.FullName, coordinates, xmlEntry?.FullName, licenses));
        }

        return poms;
    }

    private async Task ReadNestedAsync(IReadOnlyList<ZipArchiveEntry> entries, string virtualPath, int depth, CancellationToken cancellationToken)
    {
        var nested = entries.Where(e => !e.FullName.EndsWith('/') && IsArchiveName(e.FullName)).ToList();
        if (nested.Count > 0 && depth >= MaxNestingDepth)
        {
            Report(JavaCodes.TooDeep, virtualPath, $"is nested {depth} archives deep and holds {nested.Count} more archive(s) ({nested[0].FullName}...); archives deeper than {MaxNestingDepth} levels were not read. A real application nests far less: check where it comes from.");
            return;
        }

        foreach (var entry in nested)
        {
            var nestedPath = Nested(virtualPath, entry.FullName);
            var spool = await InflateAsync(entry, nestedPath, cancellationToken).ConfigureAwait(false);
            if (spool is null)
            {
                continue;
            }

            await using (spool.ConfigureAwait(false))
            {
                await ReadAsync(spool, nestedPath, depth + 1, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<string?> ReadTextAsync(ZipArchiveEntry entry, string virtualPath, CancellationToken cancellationToken) =>
        await ReadBytesAsync(entry, virtualPath, cancellationToken).ConfigureAwait(false) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    private async Task<byte[]?> ReadBytesAsync(ZipArchiveEntry entry, string virtualPath, CancellationToken cancellationToken)
    {
        var path = Nested(virtualPath, entry.FullName);
        if (entry.Length > MaxMetadataBytes)
        {
            Report(JavaCodes.MetadataTooLarge, path, $"declares {entry.Length} bytes, more than the {MaxMetadataBytes} bytes read of a metadata file; it was skipped. A real one is far smaller: check where the archive comes from.");
            return null;
        }

        var spool = await InflateAsync(entry, path, cancellationToken).ConfigureAwait(false);
        if (spool is null)
        {
            return null;
        }

        await using (spool.ConfigureAwait(false))
        {
            var bytes = new byte[spool.Length];
            spool.ReadExactly(bytes);
            return bytes;
        }
    }

    /// <summary>Inflates one entry into a seekable copy, within its declared size and the archive's budget; null after reporting why not.</summary>
    private async Task<Stream?> InflateAsync(ZipArchiveEntry entry, string path, CancellationToken cancellationToken)
    {
        if (entry.Length > _budget)
        {
            Report(JavaCodes.InflateBudget, path, $"declares {entry.Length} bytes but only {_budget} of the {MaxInflatedBytes} bytes inflated per archive remain; it was skipped. A real archive inflates to less: check where it comes from.");
            return null;
        }

        try
        {
            // .NET stops a deflated entry at its declared size; a stored one would run on to its compressed size.
            var bounded = new BoundedReadStream(entry.Open(), path, leaveOpen: false, maxLength: entry.Length);
            await using (bounded.ConfigureAwait(false))
            {
                var spool = await CatalogContent.SpoolAsync(bounded, entry.Length, cancellationToken).ConfigureAwait(false);
                _budget -= spool.Length;
                return spool;
            }
        }
        catch (Exception exception) when (IsMalformed(exception))
        {
            Report(JavaCodes.EntryCorrupt, path, $"cannot be inflated ({exception.Message}); it was skipped. The archive is corrupt or crafted: check it with unzip -t.");
            return null;
        }
    }

    private void AddEmbedded(PomEntry pom, string virtualPath)
    {
        var evidence = pom.Evidence(virtualPath).ToList();
        Add(pom.Properties.ArtifactId!, pom.Properties.Version, pom.Properties.GroupId, [evidence[0], .. evidence.Skip(1).Order(StringComparer.Ordinal)], pom.Licenses, null, ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal));
    }

    private void Add(string name, string? version, string? group, ImmutableArray<string> evidence, IReadOnlyList<string> licenses, string? supplier, ImmutableSortedDictionary<string, string> properties)
    {
        PackageUrl? purl = null;
        try
        {
            purl = PackageUrl.Create(MavenType, group ?? name, name, version);
        }
        catch (PackageUrlFormatException exception)
        {
            Report(JavaCodes.InvalidPurl, evidence[0], $"names {group}:{name}:{version}, which is not a valid maven package URL ({exception.Message}); the package is listed without one.");
        }

        _packages.Add(new Package
        {
            Name = name,
            Version = version,
            Type = MavenType,
            Purl = purl,
            FoundBy = _foundBy,
            Evidence = evidence,
            Layer = _file.Layer,
            Licenses = [.. licenses.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Supplier = supplier,
            Properties = properties,
        });
    }

    private static bool IsSinglePomOwn(PomProperties pom, ArchiveFileName fileName, JavaManifest? manifest) =>
        pom.ArtifactId!.StartsWith(fileName.Name, StringComparison.Ordinal)
        || (fileName.Version is null && (manifest is null || VersionFrom(manifest) is not { } declared || declared == pom.Version));

    private static string? VersionFrom(JavaManifest manifest) =>
        manifest.GetAnySection("Implementation-Version") ?? manifest.GetAnySection("Specification-Version")
        ?? manifest.GetAnySection("Plugin-Version") ?? manifest.GetAnySection("Bundle-Version");

    /// <summary>The group id a manifest suggests, as Syft guesses it: values of well-known fields that start with a top-level domain, cleaned, the ordinally first.</summary>
    private static string? GroupFrom(JavaManifest manifest) => GroupFrom(manifest, PrimaryGroupFields) ?? GroupFrom(manifest, SecondaryGroupFields);

    private static string? GroupFrom(JavaManifest manifest, string[] fields) =>
        fields.SelectMany(field => new[] { manifest.Main }.Concat(manifest.Sections).Select(s => s.TryGetValue(field, out var value) ? value : null))
            .Where(value => value is not null && Domains.Any(d => value.StartsWith(d, StringComparison.Ordinal)))
            .Select(value => value!.Split(';')[0].Split('#')[0].Trim())
            .Where(value => value.Length > 0)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();

    private static List<string> SplitBundleLicense(string value) =>
        [.. value.Split(',').Select(l => l.Split(';')[0].Trim().Trim('"')).Where(l => l.Length > 0)];

    private static string Nested(string virtualPath, string entryName) => $"{virtualPath}{NestedSeparator}{entryName}";

    private static bool IsMalformed(Exception exception) =>
        exception is InvalidDataException or IOException or NotSupportedException or ArgumentException or OverflowException;

    private void Report(string code, string path, string message) => _context.Report(new CatalogIssue(code, path, message));

    private sealed record PomEntry(string PropertiesPath, PomProperties Properties, string? XmlPath, IReadOnlyList<string> Licenses)
    {
        public IEnumerable<string> Evidence(string virtualPath) =>
            XmlPath is null ? [Nested(virtualPath, PropertiesPath)] : [Nested(virtualPath, PropertiesPath), Nested(virtualPath, XmlPath)];
    }
}
