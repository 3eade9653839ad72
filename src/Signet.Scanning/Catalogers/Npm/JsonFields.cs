using System.Text.Json;

namespace Signet.Scanning.Catalogers.Npm;

/// <summary>Reads fields of untrusted JSON without throwing on an unexpected shape (a field of the wrong kind is absent).</summary>
internal static class JsonFields
{
    /// <summary>Depth enough for any real manifest or lockfile; deeper documents are refused by the parser.</summary>
    public const int MaxDepth = 256;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    /// <summary>
    /// Parses <paramref name="bytes"/> (a UTF-8 byte order mark is skipped); null with the reason when it is not JSON.
    /// Every string and property name is decoded once here, so that later reads cannot fail on invalid UTF-8 or a
    /// lone surrogate escape, which the parser itself lets through.
    /// </summary>
    public static JsonDocument? TryParse(byte[] bytes, out string? error)
    {
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(bytes.AsMemory(start), Options);
            DecodeAll(document.RootElement);
            error = null;
            return document;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            document?.Dispose();
            error = exception.Message;
            return null;
        }
    }

    private static void DecodeAll(JsonElement root)
    {
        var pending = new Stack<JsonElement>([root]);
        while (pending.TryPop(out var element))
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        pending.Push(item);
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        _ = property.Name;
                        pending.Push(property.Value);
                    }

                    break;
            }
        }
    }

    /// <summary>The property <paramref name="name"/> of an object, when <paramref name="element"/> is one and has it.</summary>
    public static JsonElement? Get(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;

    /// <summary>The string property <paramref name="name"/>, trimmed; null when absent, not a string or blank.</summary>
    public static string? String(JsonElement element, string name) =>
        Get(element, name) is { ValueKind: JsonValueKind.String } value && value.GetString()!.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>Whether the property <paramref name="name"/> is <c>true</c>.</summary>
    public static bool IsTrue(JsonElement element, string name) => Get(element, name)?.ValueKind == JsonValueKind.True;

    /// <summary>The members of the object property <paramref name="name"/>; empty when absent or not an object.</summary>
    public static IEnumerable<JsonProperty> Members(JsonElement element, string name) =>
        Get(element, name) is { ValueKind: JsonValueKind.Object } value ? value.EnumerateObject() : [];

    /// <summary>The string values of an object's members (<c>{"name": "range"}</c>), first occurrence of a key kept.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(JsonElement element, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in Members(element, name))
        {
            if (member.Value.ValueKind == JsonValueKind.String && member.Name.Length > 0)
            {
                map.TryAdd(member.Name, member.Value.GetString()!);
            }
        }

        return map;
    }
}
