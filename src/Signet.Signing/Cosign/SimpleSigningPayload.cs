using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Signet.Oci;

namespace Signet.Signing.Cosign;

/// <summary>
/// The simple-signing payload of a cosign legacy signature, kept as the exact bytes that were signed.
/// Produced the way Go's json.Marshal writes it (field order of the Go struct, sorted map keys, no spaces, HTML
/// characters escaped), so a signature Signet makes is byte-for-byte what cosign would sign.
/// </summary>
public sealed record SimpleSigningPayload
{
    /// <summary>Largest payload accepted when verifying.</summary>
    public const int MaxBytes = 128 * 1024;

    public required ReadOnlyMemory<byte> Raw { get; init; }

    /// <summary><c>critical.identity.docker-reference</c>.</summary>
    public required string DockerReference { get; init; }

    /// <summary><c>critical.image.docker-manifest-digest</c>.</summary>
    public required Digest ManifestDigest { get; init; }

    /// <summary><c>critical.type</c>.</summary>
    public required string Type { get; init; }

    /// <summary><c>optional</c>, with every value as its JSON text; empty when null or absent.</summary>
    public ImmutableSortedDictionary<string, string> Optional { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Builds the payload for an image digest, with <c>-a key=value</c> annotations as string values.</summary>
    public static SimpleSigningPayload Create(string dockerReference, Digest digest, IReadOnlyDictionary<string, string>? annotations)
    {
        ArgumentNullException.ThrowIfNull(dockerReference);
        var buffer = new StringBuilder();
        buffer.Append("{\"critical\":{\"identity\":{\"docker-reference\":").Append(GoString(dockerReference))
            .Append("},\"image\":{\"docker-manifest-digest\":").Append(GoString(digest.ToString()))
            .Append("},\"type\":").Append(GoString(CosignMediaTypes.ImageSignatureType))
            .Append("},\"optional\":");
        if (annotations is null || annotations.Count == 0)
        {
            buffer.Append("null");
        }
        else
        {
            buffer.Append('{');
            var first = true;
            foreach (var (key, value) in annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                buffer.Append(first ? string.Empty : ",").Append(GoString(key)).Append(':').Append(GoString(value));
                first = false;
            }

            buffer.Append('}');
        }

        buffer.Append('}');
        return Parse(Encoding.UTF8.GetBytes(buffer.ToString()), "new payload");
    }

    /// <summary>Parses stored payload bytes (bounded, strict about the fields cosign requires).</summary>
    public static SimpleSigningPayload Parse(ReadOnlyMemory<byte> raw, string where)
    {
        if (raw.Length > MaxBytes)
        {
            throw new FormatException($"simple-signing payload from {where} is {raw.Length} bytes; at most {MaxBytes} are accepted");
        }

        try
        {
            using var document = JsonDocument.Parse(raw, new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false });
            var root = document.RootElement;
            var critical = Object(root, "critical", where);
            var identity = Object(critical, "identity", where);
            var image = Object(critical, "image", where);
            var digestText = String(image, "docker-manifest-digest", where);
            if (!Digest.TryParse(digestText, out var digest, out var error))
            {
                throw new FormatException($"simple-signing payload from {where}: critical.image.docker-manifest-digest is not a digest: {error}");
            }

            var optional = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("optional", out var annotations) && annotations.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in annotations.EnumerateObject())
                {
                    optional[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }

            return new SimpleSigningPayload
            {
                Raw = raw,
                DockerReference = String(identity, "docker-reference", where),
                ManifestDigest = digest,
                Type = String(critical, "type", where),
                Optional = optional.ToImmutable(),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"simple-signing payload from {where} is not valid JSON: {e.Message}", e);
        }
    }

    private static JsonElement Object(JsonElement parent, string name, string where) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : throw new FormatException($"simple-signing payload from {where} has no object '{name}'");

    private static string String(JsonElement parent, string name, string where) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"simple-signing payload from {where} has no string '{name}'");

    /// <summary>
    /// A JSON string as Go's encoding/json writes it: quotes and backslashes escaped, \n \r \t short forms, other
    /// control characters and the HTML-sensitive &lt; &gt; &amp; and U+2028/U+2029 as lowercase \u escapes, the rest as UTF-8.
    /// </summary>
    internal static string GoString(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029':
                    builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])))
                    {
                        builder.Append("\\ufffd");
                    }
                    else if (char.IsHighSurrogate(c))
                    {
                        builder.Append(c).Append(value[++i]);
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}
