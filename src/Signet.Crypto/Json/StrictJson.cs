using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Signet.Crypto.Json;

/// <summary>
/// Strict, bounded reading of untrusted JSON (DSSE envelopes, in-toto statements): UTF-8 checked up front, duplicate
/// keys refused, depth bounded, and every problem reported through one exception factory so a parser throws only
/// its documented exception type.
/// </summary>
internal sealed class StrictJson
{
    public static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = 64,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>Writer settings: compact, and no HTML escaping (Go's protojson and sigstore-js do not escape '+').</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private readonly string _document;
    private readonly Func<string, Exception?, Exception> _error;

    public StrictJson(string document, Func<string, Exception?, Exception> error)
    {
        _document = document;
        _error = error;
    }

    public JsonDocument Parse(ReadOnlyMemory<byte> raw)
    {
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
            throw _error($"{_document} has a key that is not a valid string: {e.Message}", e);
        }
    }

    public Exception Error(string path, string problem) => _error($"{_document}: field '{path}' {problem}", null);

    public JsonElement RequireObject(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object ? element : throw Error(path, $"must be an object, found {Describe(element)}");

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
            : throw Error(Join(path, name), $"must be a string, found {Describe(value)}");
    }

    public ImmutableArray<JsonElement> RequiredArray(JsonElement obj, string name, string path, int maxItems)
    {
        if (!TryGet(obj, name, out var value))
        {
            throw Error(Join(path, name), "is required");
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(Join(path, name), $"must be an array, found {Describe(value)}");
        }

        var length = value.GetArrayLength();
        if (length > maxItems)
        {
            throw Error(Join(path, name), $"has {length} entries; at most {maxItems} are accepted");
        }

        return [.. value.EnumerateArray()];
    }

    /// <summary>Reads a string; an escape decoding to invalid UTF-16 (a lone surrogate) is malformed input.</summary>
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

    /// <summary>The exact bytes of a value as they appear in the document (a slice, never re-serialized).</summary>
    public static ReadOnlyMemory<byte> RawBytes(JsonElement element) => JsonMarshal.GetRawUtf8Value(element).ToArray();

    public byte[] Base64(string text, string path) =>
        Base64Text.TryDecode(text, out var bytes) ? bytes : throw Error(path, "is not valid base64");

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
