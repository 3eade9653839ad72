using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Signet.Oci.Json;

namespace Signet.Sigstore.Bundles;

/// <summary>
/// Reading the proto3 JSON mapping by hand (protobuf.dev "ProtoJSON Format"): fields by lowerCamelCase JSON name or by
/// the proto name, null as the default, int64 as a string or a number, bytes as standard or URL-safe base64 with or
/// without padding, enums by name or number, unknown fields ignored. Every failure is a <see cref="BundleFormatException"/>.
/// </summary>
internal static class ProtoJson
{
    /// <summary>
    /// Parses a bundle with <see cref="StrictJson"/>'s rules; a duplicate key is <see cref="BundleCodes.AmbiguousField"/>,
    /// anything else <see cref="BundleCodes.MalformedJson"/>.
    /// </summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> raw) => new StrictJson("Sigstore bundle", static (message, inner) =>
        new BundleFormatException(
            inner is JsonException e && e.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase) ? BundleCodes.AmbiguousField : BundleCodes.MalformedJson,
            message,
            inner)).Parse(raw);

    public static BundleFormatException Error(string code, string path, string problem) => new(code, $"Sigstore bundle field '{path}' {problem}");

    /// <summary>Finds a field by JSON name or proto name; null counts as absent; both spellings at once is ambiguous.</summary>
    public static bool TryGet(JsonElement obj, string jsonName, string protoName, string path, out JsonElement value)
    {
        var hasJson = obj.TryGetProperty(jsonName, out var byJson) && byJson.ValueKind != JsonValueKind.Null;
        var hasProto = jsonName != protoName && obj.TryGetProperty(protoName, out var byProto) && byProto.ValueKind != JsonValueKind.Null;
        if (hasJson && hasProto)
        {
            throw Error(BundleCodes.AmbiguousField, StrictJson.Join(path, jsonName), $"is also given as '{protoName}'; refusing an ambiguous bundle");
        }

        if (hasJson)
        {
            value = byJson;
            return true;
        }

        if (hasProto)
        {
            obj.TryGetProperty(protoName, out value);
            return true;
        }

        value = default;
        return false;
    }

    public static bool TryGet(JsonElement obj, string name, string path, out JsonElement value) =>
        TryGet(obj, name, ToSnake(name), path, out value);

    public static bool TryGetObject(JsonElement obj, string name, string path, out JsonElement value)
    {
        if (!TryGet(obj, name, path, out value))
        {
            return false;
        }

        return value.ValueKind == JsonValueKind.Object
            ? true
            : throw Error(BundleCodes.InvalidField, StrictJson.Join(path, name), $"must be an object, found {StrictJson.Describe(value)}");
    }

    public static JsonElement RequireObject(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object ? element : throw Error(BundleCodes.InvalidField, path, $"must be an object, found {StrictJson.Describe(element)}");

    public static string String(JsonElement obj, string name, string path) => OptionalString(obj, name, path) ?? string.Empty;

    public static string? OptionalString(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, path, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Error(BundleCodes.InvalidField, StrictJson.Join(path, name), $"must be a string, found {StrictJson.Describe(value)}");
        }

        return StringValue(value, StrictJson.Join(path, name));
    }

    /// <summary>A string value; an escape decoding to invalid UTF-16 (a lone surrogate) is malformed input.</summary>
    public static string StringValue(JsonElement value, string path)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new BundleFormatException(BundleCodes.InvalidField, $"Sigstore bundle field '{path}' is not a valid string: {e.Message}", e);
        }
    }

    /// <summary>An int64: a JSON string of decimal digits (what protojson writes) or an integral JSON number.</summary>
    public static long Int64(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, path, out var value))
        {
            return 0;
        }

        var field = StrictJson.Join(path, name);
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetInt64(out var number):
                return number;
            case JsonValueKind.String:
                var text = StringValue(value, field);
                if (text.Length is > 0 and <= 20 && IsInteger(text)
                    && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }

                throw Error(BundleCodes.InvalidField, field, $"is '{Truncate(text)}', not a 64-bit integer");
            default:
                throw Error(BundleCodes.InvalidField, field, $"must be a 64-bit integer (as a string or a number), found {StrictJson.Describe(value)}");
        }
    }

    public static ReadOnlyMemory<byte> Bytes(JsonElement obj, string name, string path) =>
        TryGet(obj, name, path, out var value) ? BytesValue(value, StrictJson.Join(path, name)) : ReadOnlyMemory<byte>.Empty;

    public static ReadOnlyMemory<byte> BytesValue(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Error(BundleCodes.InvalidField, path, $"must be a base64 string, found {StrictJson.Describe(value)}");
        }

        return Base64Text.TryDecode(StringValue(value, path), out var bytes)
            ? bytes
            : throw Error(BundleCodes.InvalidBase64, path, "is not valid base64");
    }

    public static ImmutableArray<JsonElement> Array(JsonElement obj, string name, string path, int maxItems)
    {
        if (!TryGet(obj, name, path, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(BundleCodes.InvalidField, StrictJson.Join(path, name), $"must be an array, found {StrictJson.Describe(value)}");
        }

        var length = value.GetArrayLength();
        return length > maxItems
            ? throw Error(BundleCodes.OverLimit, StrictJson.Join(path, name), $"has {length} entries; at most {maxItems} are read")
            : [.. value.EnumerateArray()];
    }

    public static BundleHashAlgorithm HashAlgorithm(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, path, out var value))
        {
            return BundleHashAlgorithm.Unspecified;
        }

        var field = StrictJson.Join(path, name);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return Enum.IsDefined((BundleHashAlgorithm)number)
                ? (BundleHashAlgorithm)number
                : throw Error(BundleCodes.InvalidField, field, $"is {number}, not a known HashAlgorithm");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Error(BundleCodes.InvalidField, field, $"must be a HashAlgorithm name, found {StrictJson.Describe(value)}");
        }

        var text = StringValue(value, field);
        return HashAlgorithmNames.FirstOrDefault(pair => pair.Value == text) is { Value: not null } match
            ? match.Key
            : throw Error(BundleCodes.InvalidField, field, $"is '{Truncate(text)}', not a known HashAlgorithm ({string.Join(", ", HashAlgorithmNames.Values)})");
    }

    public static readonly ImmutableSortedDictionary<BundleHashAlgorithm, string> HashAlgorithmNames = ImmutableSortedDictionary.CreateRange(
    [
        new KeyValuePair<BundleHashAlgorithm, string>(BundleHashAlgorithm.Unspecified, "HASH_ALGORITHM_UNSPECIFIED"),
        new KeyValuePair<BundleHashAlgorithm, string>(BundleHashAlgorithm.Sha256, "SHA2_256"),
        new KeyValuePair<BundleHashAlgorithm, string>(BundleHashAlgorithm.Sha384, "SHA2_384"),
        new KeyValuePair<BundleHashAlgorithm, string>(BundleHashAlgorithm.Sha512, "SHA2_512"),
        new KeyValuePair<BundleHashAlgorithm, string>(BundleHashAlgorithm.Sha3256, "SHA3_256"),
        new KeyValuePair<BundleHashAlgorithm, string>(BundleHashAlgorithm.Sha3384, "SHA3_384"),
    ]);

    private static bool IsInteger(string text)
    {
        var start = text[0] == '-' ? 1 : 0;
        if (start == text.Length)
        {
            return false;
        }

        for (var i = start; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>lowerCamelCase JSON name to the proto field name (<c>logIndex</c> to <c>log_index</c>).</summary>
    private static string ToSnake(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                builder.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
