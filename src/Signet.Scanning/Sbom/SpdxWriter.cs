using System.Text.Json;
using Signet.Scanning.Catalogers;

namespace Signet.Scanning.Sbom;

/// <summary>
/// Writes an SPDX 2.3 JSON document (https://spdx.github.io/spdx-spec/v2.3/) of a scan: the subject as the described
/// package, the distribution and every package, CONTAINS and DEPENDS_ON relationships, free-text licenses as
/// LicenseRef-* entries. docs/sbom.md maps every field. Deterministic: the same input gives the same bytes.
/// </summary>
public static class SpdxWriter
{
    /// <summary>The media type of the output.</summary>
    public const string MediaType = "application/spdx+json";

    private const string NoAssertion = SbomSupplier.NoAssertion;
    private const string DocumentId = "SPDXRef-DOCUMENT";
    private const string OperatingSystemId = "SPDXRef-OperatingSystem";
    private const string EvidencePrefix = "signet:evidence:";

    /// <summary>Writes the document to <paramref name="output"/> (left open, flushed).</summary>
    public static void Write(SbomSubject subject, IEnumerable<Package> packages, Stream output, SbomOptions options)
    {
        var model = SbomModel.Build(subject, packages);
        var licenseRefs = LicenseRefs(model);
        SbomJson.WriteIdentified(output, options, (writer, uuid) => WriteDocument(writer, model, options, licenseRefs, uuid));
    }

    private static string SubjectId(SbomModel model) => model.IsImage ? "SPDXRef-DocumentRoot-Image" : "SPDXRef-DocumentRoot-Directory";

    private static string PackageId(SbomEntry entry) => $"SPDXRef-Package-{entry.Key}";

    private static void WriteDocument(Utf8JsonWriter writer, SbomModel model, SbomOptions options, SortedDictionary<string, string> licenseRefs, string uuid)
    {
        var subjectId = SubjectId(model);
        var tool = $"Tool: {options.ToolName}-{options.ToolVersion}";
        var created = SbomModel.Timestamp(options.Timestamp);
        writer.WriteStartObject();
        writer.WriteString("spdxVersion", "SPDX-2.3");
        writer.WriteString("dataLicense", "CC0-1.0");
        writer.WriteString("SPDXID", DocumentId);
        writer.WriteString("name", model.Subject.Name);
        var kind = model.IsImage ? "image" : "dir";
        writer.WriteString("documentNamespace", $"https://spdx.org/spdxdocs/{SbomModel.IdSafe(options.ToolName, 32)}-{kind}-{SbomModel.IdSafe(model.Subject.Name, 64)}-{uuid}");
        writer.WriteStartObject("creationInfo");
        writer.WriteString("created", created);
        writer.WriteStartArray("creators");
        writer.WriteStringValue(tool);
        writer.WriteEndArray();
        writer.WriteString("licenseListVersion", SpdxLicenses.ListVersion);
        writer.WriteEndObject();
        writer.WriteStartArray("documentDescribes");
        writer.WriteStringValue(subjectId);
        writer.WriteEndArray();

        writer.WriteStartArray("packages");
        WriteSubject(writer, model, subjectId, tool, created);
        if (model.Subject.Distribution is { } distribution)
        {
            WritePackageStart(writer, OperatingSystemId, distribution.Id, distribution.VersionId, "OPERATING_SYSTEM");
            writer.WriteStringIfPresent("description", distribution.PrettyName);
            WriteAnnotations(writer, SbomModel.OperatingSystemProperties(distribution), tool, created);
            writer.WriteEndObject();
        }

        foreach (var entry in model.Entries)
        {
            WritePackage(writer, entry, licenseRefs, tool, created);
        }

        writer.WriteEndArray();

        if (licenseRefs.Count > 0)
        {
            writer.WriteStartArray("hasExtractedLicensingInfos");
            foreach (var (text, id) in licenseRefs.OrderBy(r => r.Value, StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteString("licenseId", id);
                writer.WriteString("extractedText", text);
                writer.WriteString("name", text);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteStartArray("relationships");
        WriteRelationship(writer, DocumentId, "DESCRIBES", subjectId);
        if (model.Subject.Distribution is not null)
        {
            WriteRelationship(writer, subjectId, "CONTAINS", OperatingSystemId);
        }

        foreach (var entry in model.Entries)
        {
            WriteRelationship(writer, subjectId, "CONTAINS", PackageId(entry));
        }

        var byKey = model.Entries.ToDictionary(e => e.Key, StringComparer.Ordinal);
        foreach (var entry in model.Entries)
        {
            foreach (var dependency in entry.DependsOn)
            {
                WriteRelationship(writer, PackageId(entry), "DEPENDS_ON", PackageId(byKey[dependency]));
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteSubject(Utf8JsonWriter writer, SbomModel model, string subjectId, string tool, string created)
    {
        var subject = model.Subject;
        var purpose = subject.Kind switch
        {
            ScanKind.Image => "CONTAINER",
            ScanKind.SourceTree => "SOURCE",
            _ => "FILE",
        };
        WritePackageStart(writer, subjectId, subject.Name, subject.ManifestDigest?.ToString(), purpose);
        if (subject.ManifestDigest is { Algorithm: "sha256" or "sha512" } digest)
        {
            writer.WriteStartArray("checksums");
            writer.WriteStartObject();
            writer.WriteString("algorithm", digest.Algorithm == "sha256" ? "SHA256" : "SHA512");
            writer.WriteString("checksumValue", digest.Encoded);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        WritePurl(writer, model.SubjectPurl?.ToString());
        WriteAnnotations(writer, model.SubjectProperties(), tool, created);
        writer.WriteEndObject();
    }

    private static void WritePackage(Utf8JsonWriter writer, SbomEntry entry, SortedDictionary<string, string> licenseRefs, string tool, string created)
    {
        var package = entry.Package;
        WritePackageStart(writer, PackageId(entry), package.Name, package.Version, "LIBRARY", DeclaredLicense(package, licenseRefs), SbomSupplier.SpdxAgent(package.Supplier));
        writer.WriteString("sourceInfo", $"acquired package info from {package.FoundBy}: {string.Join(", ", package.Evidence)}");
        WritePurl(writer, package.Purl?.ToString());
        WriteAnnotations(writer, SbomModel.PackageProperties(package).Where(p => !p.Key.StartsWith(EvidencePrefix, StringComparison.Ordinal)), tool, created);
        writer.WriteEndObject();
    }

    /// <summary>Writes the fields every package has; the caller adds its own and ends the object.</summary>
    private static void WritePackageStart(Utf8JsonWriter writer, string id, string name, string? version, string purpose, string licenseDeclared = NoAssertion, string supplier = NoAssertion)
    {
        writer.WriteStartObject();
        writer.WriteString("SPDXID", id);
        writer.WriteString("name", name);
        writer.WriteStringIfPresent("versionInfo", version);
        writer.WriteString("supplier", supplier);
        writer.WriteString("downloadLocation", NoAssertion);
        writer.WriteBoolean("filesAnalyzed", false);
        writer.WriteString("licenseConcluded", NoAssertion);
        writer.WriteString("licenseDeclared", licenseDeclared);
        writer.WriteString("copyrightText", NoAssertion);
        writer.WriteString("primaryPackagePurpose", purpose);
    }

    private static void WritePurl(Utf8JsonWriter writer, string? purl)
    {
        if (purl is null)
        {
            return;
        }

        writer.WriteStartArray("externalRefs");
        writer.WriteStartObject();
        writer.WriteString("referenceCategory", "PACKAGE-MANAGER");
        writer.WriteString("referenceType", "purl");
        writer.WriteString("referenceLocator", purl);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    /// <summary>One annotation per property, comment <c>NAME=VALUE</c> (the CycloneDX property names).</summary>
    private static void WriteAnnotations(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, string>> properties, string tool, string created)
    {
        writer.WriteStartArray("annotations");
        foreach (var (name, value) in properties)
        {
            writer.WriteStartObject();
            writer.WriteString("annotationDate", created);
            writer.WriteString("annotationType", "OTHER");
            writer.WriteString("annotator", tool);
            writer.WriteString("comment", $"{name}={value}");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteRelationship(Utf8JsonWriter writer, string element, string type, string related)
    {
        writer.WriteStartObject();
        writer.WriteString("spdxElementId", element);
        writer.WriteString("relationshipType", type);
        writer.WriteString("relatedSpdxElement", related);
        writer.WriteEndObject();
    }

    /// <summary>The declared licenses joined with AND: ids and expressions as they are, free text as its LicenseRef.</summary>
    private static string DeclaredLicense(Package package, SortedDictionary<string, string> licenseRefs)
    {
        if (package.Licenses.IsDefaultOrEmpty)
        {
            return NoAssertion;
        }

        var classified = package.Licenses.Select(SpdxLicenses.Classify).ToList();
        var values = classified.Select((l, i) => l.Kind == LicenseKind.Name ? licenseRefs[package.Licenses[i]] : l.Value).ToList();
        return SpdxLicenses.JoinWithAnd(values, classified.Select(l => l.IsCompound).ToList());
    }

    /// <summary>
    /// A LicenseRef id for every distinct free-text license: <c>LicenseRef-</c> and the text reduced to letters, digits,
    /// '.' and '-', with a short hash of the text when that reduction lost characters or is taken. Assigned in ordinal
    /// order of the texts, so the ids are stable.
    /// </summary>
    private static SortedDictionary<string, string> LicenseRefs(SbomModel model)
    {
        var texts = model.Entries
            .SelectMany(e => e.Package.Licenses)
            .Where(l => SpdxLicenses.Classify(l).Kind == LicenseKind.Name)
            .ToHashSet(StringComparer.Ordinal);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in texts.Order(StringComparer.Ordinal))
        {
            var safe = SbomModel.IdSafe(text.Trim(), 64);
            var id = $"LicenseRef-{(safe.Length == 0 ? "empty" : safe)}";
            if (safe != text || !used.Add(id))
            {
                id = $"{id}-{SbomModel.ShortHash(text)}";
                used.Add(id);
            }

            result[text] = id;
        }

        return result;
    }
}
