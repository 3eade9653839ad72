using System.Collections.Immutable;
using System.Text.Json;

namespace Signet.Oci.Json;

/// <summary>
/// Writes an image manifest (OCI image manifest v1 or Docker image manifest v2 schema 2) in the field order of the
/// OCI image spec (https://github.com/opencontainers/image-spec/blob/main/manifest.md), with
/// <see cref="JsonWriterDefaults"/>. The bytes returned are the manifest: hash and store them as they are.
/// </summary>
public static class ManifestWriter
{
    /// <param name="mediaType">The manifest's own media type (<see cref="MediaTypes.OciManifest"/>, <see cref="MediaTypes.DockerManifest"/>).</param>
    /// <param name="config">The config descriptor.</param>
    /// <param name="layers">The layer descriptors, in order.</param>
    /// <param name="artifactType">For an artifact manifest, its type; omitted when null.</param>
    /// <param name="subject">For a referrer, the manifest it refers to; omitted when null.</param>
    /// <param name="annotations">Manifest annotations; omitted when null or empty.</param>
    /// <param name="indented">Indented (<see cref="JsonWriterDefaults.Indented"/>) rather than compact output.</param>
    public static byte[] Write(
        string mediaType,
        Descriptor config,
        IEnumerable<Descriptor> layers,
        string? artifactType = null,
        Descriptor? subject = null,
        ImmutableSortedDictionary<string, string>? annotations = null,
        bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(layers);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, indented ? JsonWriterDefaults.Indented : JsonWriterDefaults.Compact))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", mediaType);
            if (artifactType is not null)
            {
                writer.WriteString("artifactType", artifactType);
            }

            writer.WritePropertyName("config");
            DescriptorJson.Write(writer, config);
            writer.WriteStartArray("layers");
            foreach (var layer in layers)
            {
                DescriptorJson.Write(writer, layer);
            }

            writer.WriteEndArray();
            if (subject is not null)
            {
                writer.WritePropertyName("subject");
                DescriptorJson.Write(writer, subject);
            }

            if (annotations is { Count: > 0 })
            {
                writer.WriteStartObject("annotations");
                foreach (var (key, value) in annotations)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
