using System.Text.Json;
using Signet.Scanning.Catalogers;

namespace Signet.Scanning.Sbom;

/// <summary>
/// Writes a CycloneDX 1.6 JSON BOM (https://cyclonedx.org/docs/1.6/json/) of a scan: the subject as
/// <c>metadata.component</c>, the distribution and every package as components, the dependency graph. docs/sbom.md
/// maps every field. Deterministic: the same input gives the same bytes.
/// </summary>
public static class CycloneDxWriter
{
    /// <summary>The media type of the output.</summary>
    public const string MediaType = "application/vnd.cyclonedx+json";

    /// <summary>Writes the BOM to <paramref name="output"/> (left open, flushed).</summary>
    public static void Write(SbomSubject subject, IEnumerable<Package> packages, Stream output, SbomOptions options)
    {
        var model = SbomModel.Build(subject, packages);
        SbomJson.WriteIdentified(output, options, (writer, uuid) => WriteBom(writer, model, options, uuid));
    }

    private static void WriteBom(Utf8JsonWriter writer, SbomModel model, SbomOptions options, string uuid)
    {
        writer.WriteStartObject();
        writer.WriteString("$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
        writer.WriteString("bomFormat", "CycloneDX");
        writer.WriteString("specVersion", "1.6");
        writer.WriteString("serialNumber", $"urn:uuid:{uuid}");
        writer.WriteNumber("version", 1);

        writer.WriteStartObject("metadata");
        writer.WriteString("timestamp", SbomModel.Timestamp(options.Timestamp));
        writer.WriteStartObject("tools");
        writer.WriteStartArray("components");
        writer.WriteStartObject();
        writer.WriteString("type", "application");
        writer.WriteString("name", options.ToolName);
        writer.WriteString("version", options.ToolVersion);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        WriteSubject(writer, model);
        writer.WriteEndObject();

        writer.WriteStartArray("components");
        if (model.Subject.Distribution is { } distribution)
        {
            writer.WriteStartObject();
            writer.WriteString("bom-ref", SbomModel.OperatingSystemKey);
            writer.WriteString("type", "operating-system");
            writer.WriteString("name", distribution.Id);
            writer.WriteStringIfPresent("version", distribution.VersionId);
            writer.WriteStringIfPresent("description", distribution.PrettyName);
            WriteProperties(writer, SbomModel.OperatingSystemProperties(distribution));
            writer.WriteEndObject();
        }

        foreach (var entry in model.Entries)
        {
            WriteComponent(writer, entry);
        }

        writer.WriteEndArray();

        writer.WriteStartArray("dependencies");
        WriteDependency(writer, SbomModel.SubjectKey, model.SubjectDependsOn);
        if (model.Subject.Distribution is not null)
        {
            WriteDependency(writer, SbomModel.OperatingSystemKey, model.OperatingSystemDependsOn);
        }

        foreach (var entry in model.Entries)
        {
            WriteDependency(writer, entry.Key, entry.DependsOn);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteSubject(Utf8JsonWriter writer, SbomModel model)
    {
        var subject = model.Subject;
        writer.WriteStartObject("component");
        writer.WriteString("bom-ref", SbomModel.SubjectKey);
        writer.WriteString("type", model.IsImage ? "container" : "file");
        writer.WriteString("name", subject.Name);
        writer.WriteStringIfPresent("version", subject.ManifestDigest?.ToString());
        if (subject.ManifestDigest is { Algorithm: "sha256" or "sha512" } digest)
        {
            writer.WriteStartArray("hashes");
            writer.WriteStartObject();
            writer.WriteString("alg", digest.Algorithm == "sha256" ? "SHA-256" : "SHA-512");
            writer.WriteString("content", digest.Encoded);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        writer.WriteStringIfPresent("purl", model.SubjectPurl?.ToString());
        WriteProperties(writer, model.SubjectProperties());
        writer.WriteEndObject();
    }

    private static void WriteComponent(Utf8JsonWriter writer, SbomEntry entry)
    {
        var package = entry.Package;
        writer.WriteStartObject();
        writer.WriteString("bom-ref", entry.Key);
        writer.WriteString("type", "library");
        if (package.Supplier is { Length: > 0 } supplier)
        {
            writer.WriteStartObject("supplier");
            writer.WriteString("name", SbomSupplier.NameOf(supplier));
            writer.WriteEndObject();
            writer.WriteString("publisher", supplier);
        }

        writer.WriteString("name", package.Name);
        writer.WriteStringIfPresent("version", package.Version);
        WriteLicenses(writer, package.Licenses);
        writer.WriteStringIfPresent("purl", package.Purl?.ToString());
        WriteProperties(writer, SbomModel.PackageProperties(package));
        if (!package.Evidence.IsDefaultOrEmpty)
        {
            writer.WriteStartObject("evidence");
            writer.WriteStartArray("occurrences");
            foreach (var path in package.Evidence)
            {
                writer.WriteStartObject();
                writer.WriteString("location", path);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// One <c>expression</c> when a declared license is a compound expression and every other one is an id or an
    /// expression (joined with AND); otherwise one entry per license: <c>license.id</c> for a list id, <c>license.name</c>
    /// for anything else (CycloneDX allows no mix of the two forms).
    /// </summary>
    private static void WriteLicenses(Utf8JsonWriter writer, IReadOnlyList<string> licenses)
    {
        if (licenses.Count == 0)
        {
            return;
        }

        var classified = licenses.Select(SpdxLicenses.Classify).ToList();
        writer.WriteStartArray("licenses");
        if (classified.Any(l => l.Kind == LicenseKind.Expression) && classified.All(l => l.Kind != LicenseKind.Name))
        {
            writer.WriteStartObject();
            writer.WriteString("expression", SpdxLicenses.JoinWithAnd(classified.Select(l => l.Value).ToList(), classified.Select(l => l.IsCompound).ToList()));
            writer.WriteEndObject();
        }
        else
        {
            for (var i = 0; i < classified.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteStartObject("license");
                if (classified[i].Kind == LicenseKind.Id)
                {
                    writer.WriteString("id", classified[i].Value);
                }
                else
                {
                    writer.WriteString("name", licenses[i]);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteProperties(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, string>> properties)
    {
        writer.WriteStartArray("properties");
        foreach (var (name, value) in properties)
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteString("value", value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteDependency(Utf8JsonWriter writer, string key, IEnumerable<string> dependsOn)
    {
        writer.WriteStartObject();
        writer.WriteString("ref", key);
        writer.WriteStartArray("dependsOn");
        foreach (var dependency in dependsOn)
        {
            writer.WriteStringValue(dependency);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
