using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Signet.Oci.Json;

/// <summary>
/// Strict, bounded reading of untrusted JSON (manifests, configs, layouts, DSSE envelopes, in-toto statements, Sigstore
/// bundles): UTF-8 checked up front, duplicate keys refused (a parser differential is a classic signature bypass),
/// depth and array sizes bounded, and messages that name the document and the field. Every problem is reported through
/// the exception factory the caller passes, so each parser throws only its own documented exception type.
/// </summary>
public sealed class StrictJson
{
    /// <summary>Depth 64, no comments, no trailing commas, duplicate keys refused.</summary>
    public static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = 64,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>Most entries read from one array or map unless the caller names another limit.</summary>
    public const int DefaultMaxItems = 10_000;

    private readonly string _document;
    private readonly Func<string, Exception?, Exception> _error;

    /// <param name="document">What is read, as messages name it (<c>DSSE envelope</c>, <c>manifest sha256:...</c>).</param>
    /// <param name="error">Makes the exception to throw from a message and the exception that caused it, if any.</param>
    public StrictJson(string document, Func<string, Exception?, Exception> error)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(error);
        _document = document;
        _error = error;
    }

    /// <summary>
    /// Whether a number found where something else was expected is quoted in messages (<c>found the number 5</c>)
    /// rather than only named (<c>found a number</c>).
    /// </summary>
    public bool QuoteNumbers { get; init; }

    /// <summary>Parses the document with <see cref="Options"/>; invalid UTF-8 anywhere is refused before parsing.</summary>
    public JsonDocument Parse(ReadOnlyMemory<byte> raw)
    {
        // Checked up front: System.Text.Json reports bad UTF-8 inside strings only when a string is read, and then
        // with an InvalidOperationException.
        if (!Utf8.IsValid(raw.Span))
        {
            throw _error($"{_document} is not valid UTF-8 (JSON text must be UTF-8)", null);
        }

        try
        {
            return JsonDocument.Parse(raw, Options);
        }
        catch (JsonException e)
        {
            throw _error($"{_document} is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // The duplicate-key check unescapes every key; a key escaping a lone surrogate fails there.
            throw _error($"{_document} has a key that is not a valid string: {e.Message}", e);
        }
    }

    /// <summary>The caller's exception for a problem with one field: <c>DOCUMENT: field 'PATH' PROBLEM</c>.</summary>
    public Exception Error(string path, string problem) => _error($"{_document}: field '{path}' {problem}", null);

    public JsonElement RequireObject(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object ? element : throw Error(path, $"must be an object, found {Found(element)}");

    /// <summary>True when the property exists and is not null.</summary>
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
            : throw Error(Join(path, name), $"must be a string, found {Found(value)}");
    }

    public long RequiredInt64(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            throw Error(Join(path, name), "is required");
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw Error(Join(path, name), $"must be an integer, found {Found(value)}");
        }

        return number;
    }

    /// <summary>A boolean; false when absent or null.</summary>
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
            _ => throw Error(Join(path, name), $"must be true or false, found {Found(value)}"),
        };
    }

    /// <summary>An RFC 3339 time string; null when absent or null.</summary>
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

    public ImmutableArray<JsonElement> RequiredArray(JsonElement obj, string name, string path, int maxItems = DefaultMaxItems) =>
        TryGet(obj, name, out var value) ? ArrayItems(value, Join(path, name), maxItems) : throw Error(Join(path, name), "is required");

    /// <summary>The entries of an array; empty when absent or null.</summary>
    public ImmutableArray<JsonElement> OptionalArray(JsonElement obj, string name, string path, int maxItems = DefaultMaxItems) =>
        TryGet(obj, name, out var value) ? ArrayItems(value, Join(path, name), maxItems) : [];

    /// <summary>An array of strings; empty when absent or null.</summary>
    public ImmutableArray<string> OptionalStringArray(JsonElement obj, string name, string path)
    {
        var items = OptionalArray(obj, name, path);
        var builder = ImmutableArray.CreateBuilder<string>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            builder.Add(items[i].ValueKind == JsonValueKind.String
                ? Text(items[i], $"{Join(path, name)}[{i}]")
                : throw Error($"{Join(path, name)}[{i}]", $"must be a string, found {Found(items[i])}"));
        }

        return builder.MoveToImmutable();
    }

    /// <summary>An object of string values (annotations, labels), sorted by key; empty when absent or null.</summary>
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
            if (builder.Count >= DefaultMaxItems)
            {
                throw Error(Join(path, name), $"has more than {DefaultMaxItems} entries");
            }

            var key = PropertyName(property, Join(path, name));
            builder[key] = property.Value.ValueKind == JsonValueKind.String
                ? Text(property.Value, $"{Join(path, name)}.{key}")
                : throw Error($"{Join(path, name)}.{key}", $"must be a string, found {Found(property.Value)}");
        }

        return builder.ToImmutable();
    }

    /// <summary>Reads a JSON string; an escape that decodes to invalid UTF-16 (a lone surrogate) is malformed input.</summary>
    public string Text(JsonElement value, string path)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw _error($"{_document}: field '{path}' is not a valid string: {e.Message}", e);
        }
    }

    /// <summary>A property's name; an escape that decodes to invalid UTF-16 is malformed input.</summary>
    public string PropertyName(JsonProperty property, string path)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException e)
        {
            throw _error($"{_document}: a key in '{path}' is not a valid string: {e.Message}", e);
        }
    }

    /// <summary>Decodes base64 as <see cref="Base64Text"/> accepts it.</summary>
    public byte[] Base64(string text, string path) =>
        Base64Text.TryDecode(text, out var bytes) ? bytes : throw Error(path, "is not valid base64");

    /// <summary>The exact bytes of a value as they appear in the document (a copy of the slice, never re-serialized).</summary>
    public static ReadOnlyMemory<byte> RawBytes(JsonElement element) => JsonMarshal.GetRawUtf8Value(element).ToArray();

    /// <summary>The path of a member: <c>name</c> at the root, else <c>path.name</c>.</summary>
    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>What kind of value an element is, for messages (<c>an object</c>, <c>a number</c>, <c>null</c>).</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private string Found(JsonElement element) =>
        QuoteNumbers && element.ValueKind == JsonValueKind.Number ? $"the number {element.GetRawText()}" : Describe(element);

    private ImmutableArray<JsonElement> ArrayItems(JsonElement value, string path, int maxItems)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(path, $"must be an array, found {Found(value)}");
        }

        var length = value.GetArrayLength();
        return length > maxItems
            ? throw Error(path, $"has {length} entries; at most {maxItems} are accepted")
            : [.. value.EnumerateArray()];
    }
}
