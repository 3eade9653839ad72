using System.Text;
using System.Text.Json;

namespace Signet.Sigstore.Tuf;

/// <summary>
/// The canonical JSON that TUF signs (securesystemslib / OLPC): object keys sorted by code point, no whitespace,
/// strings as raw UTF-8 with only <c>\</c> and <c>"</c> escaped, integers only (floats refused).
/// </summary>
public static class CanonicalJson
{
    public static byte[] Encode(JsonElement element)
    {
        using var output = new MemoryStream();
        Write(output, element, 0);
        return output.ToArray();
    }

    private static void Write(MemoryStream output, JsonElement element, int depth)
    {
        if (depth > 64)
        {
            throw new TufException("canonical JSON: nesting deeper than 64");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = element.EnumerateObject()
                    .Select(p => (Key: Encoding.UTF8.GetBytes(p.Name), p.Value))
                    .OrderBy(p => p.Key, ByteOrder.Instance)
                    .ToList();
                output.WriteByte((byte)'{');
                for (var i = 0; i < properties.Count; i++)
                {
                    if (i > 0)
                    {
                        output.WriteByte((byte)',');
                    }

                    WriteString(output, properties[i].Key);
                    output.WriteByte((byte)':');
                    Write(output, properties[i].Value, depth + 1);
                }

                output.WriteByte((byte)'}');
                break;
            case JsonValueKind.Array:
                output.WriteByte((byte)'[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        output.WriteByte((byte)',');
                    }

                    first = false;
                    Write(output, item, depth + 1);
                }

                output.WriteByte((byte)']');
                break;
            case JsonValueKind.String:
                WriteString(output, Encoding.UTF8.GetBytes(element.GetString()!));
                break;
            case JsonValueKind.Number:
                if (!element.TryGetInt64(out var number))
                {
                    throw new TufException($"canonical JSON allows only integers, found {element.GetRawText()}");
                }

                output.Write(Encoding.ASCII.GetBytes(number.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case JsonValueKind.True:
                output.Write("true"u8);
                break;
            case JsonValueKind.False:
                output.Write("false"u8);
                break;
            case JsonValueKind.Null:
                output.Write("null"u8);
                break;
            default:
                throw new TufException($"canonical JSON: unexpected {element.ValueKind}");
        }
    }

    private static void WriteString(MemoryStream output, byte[] utf8)
    {
        output.WriteByte((byte)'"');
        foreach (var b in utf8)
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                output.WriteByte((byte)'\\');
            }

            output.WriteByte(b);
        }

        output.WriteByte((byte)'"');
    }

    /// <summary>UTF-8 byte order equals code point order, which is how securesystemslib sorts keys.</summary>
    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
