using System.Text.Json;

namespace Signet.Oci.Json;

/// <summary>Writes descriptors in the field order the OCI specs use.</summary>
public static class DescriptorJson
{
    public static void Write(Utf8JsonWriter writer, Descriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(descriptor);
        writer.WriteStartObject();
        writer.WriteString("mediaType", descriptor.MediaType);
        writer.WriteString("digest", descriptor.Digest.ToString());
        writer.WriteNumber("size", descriptor.Size);
        if (!descriptor.Urls.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("urls");
            foreach (var url in descriptor.Urls)
            {
                writer.WriteStringValue(url);
            }

            writer.WriteEndArray();
        }

        if (descriptor.Data is { } data)
        {
            writer.WriteBase64String("data", data.Span);
        }

        if (descriptor.Platform is { } platform)
        {
            writer.WriteStartObject("platform");
            writer.WriteString("architecture", platform.Architecture);
            writer.WriteString("os", platform.Os);
            if (platform.OsVersion is not null)
            {
                writer.WriteString("os.version", platform.OsVersion);
            }

            if (!platform.OsFeatures.IsDefaultOrEmpty)
            {
                writer.WriteStartArray("os.features");
                foreach (var feature in platform.OsFeatures)
                {
                    writer.WriteStringValue(feature);
                }

                writer.WriteEndArray();
            }

            if (platform.Variant is not null)
            {
                writer.WriteString("variant", platform.Variant);
            }

            writer.WriteEndObject();
        }

        if (descriptor.ArtifactType is not null)
        {
            writer.WriteString("artifactType", descriptor.ArtifactType);
        }

        if (descriptor.Annotations.Count > 0)
        {
            writer.WriteStartObject("annotations");
            foreach (var (key, value) in descriptor.Annotations)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
