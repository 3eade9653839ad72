using System.Collections.Immutable;
using System.Text.Json;

namespace Signet.Oci.Json;

/// <summary>
/// <see cref="StrictJson"/> for OCI documents (manifests, indexes, configs, layouts, docker-archive manifests): every
/// problem is an <see cref="OciFormatException"/>, and digests and descriptors are read with their checks.
/// </summary>
internal static class JsonFields
{
    /// <summary>A strict reader of <paramref name="document"/> that throws <see cref="OciFormatException"/>.</summary>
    public static StrictJson For(string document) =>
        new(document, static (message, inner) => inner is null ? new OciFormatException(message) : new OciFormatException(message, inner))
        {
            QuoteNumbers = true,
        };

    public static Digest RequiredDigest(this StrictJson fields, JsonElement obj, string name, string path)
    {
        var text = fields.RequiredString(obj, name, path);
        return Digest.TryParse(text, out var digest, out var error) ? digest : throw fields.Error(StrictJson.Join(path, name), $"is not a valid digest: {error}");
    }

    public static Descriptor RequiredDescriptor(this StrictJson fields, JsonElement obj, string name, string path)
    {
        if (!StrictJson.TryGet(obj, name, out var value))
        {
            throw fields.Error(StrictJson.Join(path, name), "is required");
        }

        return fields.ReadDescriptor(value, StrictJson.Join(path, name));
    }

    public static Descriptor? OptionalDescriptor(this StrictJson fields, JsonElement obj, string name, string path) =>
        StrictJson.TryGet(obj, name, out var value) ? fields.ReadDescriptor(value, StrictJson.Join(path, name)) : null;

    public static ImmutableArray<Descriptor> DescriptorArray(this StrictJson fields, JsonElement obj, string name, string path, bool required)
    {
        var items = required ? fields.RequiredArray(obj, name, path) : fields.OptionalArray(obj, name, path);
        var builder = ImmutableArray.CreateBuilder<Descriptor>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            builder.Add(fields.ReadDescriptor(items[i], $"{StrictJson.Join(path, name)}[{i}]"));
        }

        return builder.MoveToImmutable();
    }

    public static Descriptor ReadDescriptor(this StrictJson fields, JsonElement element, string path)
    {
        fields.RequireObject(element, path);
        var mediaType = fields.RequiredString(element, "mediaType", path);
        var digest = fields.RequiredDigest(element, "digest", path);
        var size = fields.RequiredInt64(element, "size", path);
        if (size < 0)
        {
            throw fields.Error(StrictJson.Join(path, "size"), $"is negative ({size})");
        }

        ReadOnlyMemory<byte>? data = null;
        if (fields.OptionalString(element, "data", path) is { } base64)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                throw fields.Error(StrictJson.Join(path, "data"), "is not valid base64");
            }

            if (bytes.Length != size || !digest.Matches(bytes))
            {
                throw fields.Error(StrictJson.Join(path, "data"), $"does not match the descriptor's digest {digest} and size {size}");
            }

            data = bytes;
        }

        Platform? platform = null;
        if (StrictJson.TryGet(element, "platform", out var p))
        {
            var platformPath = StrictJson.Join(path, "platform");
            fields.RequireObject(p, platformPath);
            platform = new Platform
            {
                Os = fields.RequiredString(p, "os", platformPath),
                Architecture = fields.RequiredString(p, "architecture", platformPath),
                Variant = fields.OptionalString(p, "variant", platformPath),
                OsVersion = fields.OptionalString(p, "os.version", platformPath),
                OsFeatures = fields.OptionalStringArray(p, "os.features", platformPath),
            };
        }

        return new Descriptor
        {
            MediaType = mediaType,
            Digest = digest,
            Size = size,
            Urls = fields.OptionalStringArray(element, "urls", path),
            Annotations = fields.OptionalStringMap(element, "annotations", path),
            ArtifactType = fields.OptionalString(element, "artifactType", path),
            Platform = platform,
            Data = data,
        };
    }
}
