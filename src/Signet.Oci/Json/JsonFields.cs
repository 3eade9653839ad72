using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Signet.Oci.Json;

/// <summary>
/// Strict, bounded reading of untrusted JSON objects with messages that name the document and the field.
/// Duplicate keys are refused (a parser differential is a classic signature bypass).
/// </summary>
internal sealed class JsonFields
{
    public static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = 64,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>Most entries read from one array or map (layers, manifests, annotations, history).</summary>
    public const int MaxItems = 10_000;

    private readonly string _document;

    public JsonFields(string document) => _document = document;

    public static JsonDocument ParseDocument(ReadOnlyMemory<byte> raw, string document)
    {
        // Checked up front: System.Text.Json reports bad UTF-8 inside strings only when a string is read, and then
        // with an InvalidOperationException.
        if (!Utf8.IsValid(raw.Span))
        {
            throw new OciFormatException($"{document} is not valid UTF-8 (JSON text must be UTF-8)");
        }

        try
        {
            return JsonDocument.Parse(raw, Options);
        }
        catch (JsonException e)
        {
            throw new OciFormatException($"{document} is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // The duplicate-key check unescapes every key; a key escaping a lone surrogate fails there.
            throw new OciFormatException($"{document} has a key that is not a valid string: {e.Message}", e);
        }
    }

    public OciFormatException Error(string path, string problem) => new($"{_document}: field '{path}' {problem}");

    public JsonElement RequireObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, $"must be an object, found {Describe(element)}");
        }

        return element;
    }

    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public string RequiredString(JsonElement obj, string name, string path) =>
        OptionalString(obj, name, path) ?? throw Error(Join(path, name), "is required");

    public string? OptionalString(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? Text(value, Join(path, name))
            : throw Error(Join(path, name), $"must be a string, found {Describe(value)}");
    }

    public long RequiredInt64(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            throw Error(Join(path, name), "is required");
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw Error(Join(path, name), $"must be an integer, found {Describe(value)}");
        }

        return number;
    }

    public bool OptionalBool(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(Join(path, name), $"must be true or false, found {Describe(value)}"),
        };
    }

    public Digest RequiredDigest(JsonElement obj, string name, string path)
    {
        var text = RequiredString(obj, name, path);
        return Digest.TryParse(text, out var digest, out var error) ? digest : throw Error(Join(path, name), $"is not a valid digest: {error}");
    }

    public DateTimeOffset? OptionalTime(JsonElement obj, string name, string path)
    {
        var text = OptionalString(obj, name, path);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            ? time
            : throw Error(Join(path, name), $"is not an RFC 3339 time: '{text}'");
    }

    public ImmutableArray<JsonElement> OptionalArray(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(Join(path, name), $"must be an array, found {Describe(value)}");
        }

        var length = value.GetArrayLength();
        if (length > MaxItems)
        {
            throw Error(Join(path, name), $"has {length} entries; at most {MaxItems} are accepted");
        }

        return [.. value.EnumerateArray()];
    }

    public ImmutableArray<string> OptionalStringArray(JsonElement obj, string name, string path)
    {
        var items = OptionalArray(obj, name, path);
        var builder = ImmutableArray.CreateBuilder<string>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            builder.Add(items[i].ValueKind == JsonValueKind.String
                ? Text(items[i], $"{Join(path, name)}[{i}]")
                : throw Error($"{Join(path, name)}[{i}]", $"must be a string, found {Describe(items[i])}"));
        }

        return builder.MoveToImmutable();
    }

    public ImmutableSortedDictionary<string, string> OptionalStringMap(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return ImmutableSortedDictionary<string, string>.Empty;
        }

        RequireObject(value, Join(path, name));
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (builder.Count >= MaxItems)
            {
                throw Error(Join(path, name), $"has more than {MaxItems} entries");
            }

            var key = PropertyName(property, Join(path, name));
            builder[key] = property.Value.ValueKind == JsonValueKind.String
                ? Text(property.Value, $"{Join(path, name)}.{key}")
                : throw Error($"{Join(path, name)}.{key}", $"must be a string, found {Describe(property.Value)}");
        }

        return builder.ToImmutable();
    }

    public Descriptor RequiredDescriptor(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            throw Error(Join(path, name), "is required");
        }

        return ReadDescriptor(value, Join(path, name));
    }

    public Descriptor? OptionalDescriptor(JsonElement obj, string name, string path) =>
        TryGet(obj, name, out var value) ? ReadDescriptor(value, Join(path, name)) : null;

    public ImmutableArray<Descriptor> DescriptorArray(JsonElement obj, string name, string path, bool required)
    {
        if (required && !TryGet(obj, name, out _))
        {
            throw Error(Join(path, name), "is required");
        }

        var items = OptionalArray(obj, name, path);
        var builder = ImmutableArray.CreateBuilder<Descriptor>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            builder.Add(ReadDescriptor(items[i], $"{Join(path, name)}[{i}]"));
        }

        return builder.MoveToImmutable();
    }

    public Descriptor ReadDescriptor(JsonElement element, string path)
    {
        RequireObject(element, path);
        var mediaType = RequiredString(element, "mediaType", path);
        var digest = RequiredDigest(element, "digest", path);
        var size = RequiredInt64(element, "size", path);
        if (size < 0)
        {
            throw Error(Join(path, "size"), $"is negative ({size})");
        }

        ReadOnlyMemory<byte>? data = null;
        if (OptionalString(element, "data", path) is { } base64)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                throw Error(Join(path, "data"), "is not valid base64");
            }

            if (bytes.Length != size || !digest.Matches(bytes))
            {
                throw Error(Join(path, "data"), $"does not match the descriptor's digest {digest} and size {size}");
            }

            data = bytes;
        }

        Platform? platform = null;
        if (TryGet(element, "platform", out var p))
        {
            var platformPath = Join(path, "platform");
            RequireObject(p, platformPath);
            platform = new Platform
            {
                Os = RequiredString(p, "os", platformPath),
                Architecture = RequiredString(p, "architecture", platformPath),
                Variant = OptionalString(p, "variant", platformPath),
                OsVersion = OptionalString(p, "os.version", platformPath),
                OsFeatures = OptionalStringArray(p, "os.features", platformPath),
            };
        }

        return new Descriptor
        {
            MediaType = mediaType,
            Digest = digest,
            Size = size,
            Urls = OptionalStringArray(element, "urls", path),
            Annotations = OptionalStringMap(element, "annotations", path),
            ArtifactType = OptionalString(element, "artifactType", path),
            Platform = platform,
            Data = data,
        };
    }

    /// <summary>Reads a JSON string; an escape that decodes to invalid UTF-16 (a lone surrogate) is malformed input.</summary>
    private string Text(JsonElement value, string path)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new OciFormatException($"{_document}: field '{path}' is not a valid string: {e.Message}", e);
        }
    }

    private string PropertyName(JsonProperty property, string path)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException e)
        {
            throw new OciFormatException($"{_document}: a key in '{path}' is not a valid string: {e.Message}", e);
        }
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
