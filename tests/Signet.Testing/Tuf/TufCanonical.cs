using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Signet.Testing.Tuf;

/// <summary>
/// The test repository's own canonical JSON (securesystemslib's form: sorted keys, no whitespace, only <c>"</c> and
/// <c>\</c> escaped), written independently of the client's encoder so the tests do not grade it with itself.
/// </summary>
public static class TufCanonical
{
    public static byte[] Encode(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Write(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    text.Append(first ? "" : ",");
                    first = false;
                    String(text, name);
                    text.Append(':');
                    Write(text, value);
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    text.Append(i > 0 ? "," : "");
                    Write(text, array[i]);
                }

                text.Append(']');
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                String(text, value.GetValue<string>());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                text.Append(value.ToJsonString());
                break;
            case JsonValue value:
                text.Append(value.GetValueKind() == JsonValueKind.True ? "true" : "false");
                break;
        }
    }

    private static void String(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        text.Append('"');
    }
}
