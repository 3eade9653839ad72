using FsCheck;
using FsCheck.Fluent;

namespace Signet.Testing;

/// <summary>Byte-level edits for property tests: replace, insert, delete, truncate.</summary>
public static class Mutation
{
    /// <summary>
    /// Copies of one of <paramref name="seeds"/>, each with <paramref name="minEdits"/> to <paramref name="maxEdits"/>
    /// random edits (see <see cref="Apply"/>) whose new bytes come from <paramref name="values"/> (default: any byte).
    /// </summary>
    public static Gen<byte[]> Of(IReadOnlyList<byte[]> seeds, int minEdits, int maxEdits, Gen<byte>? values = null)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var value = values ?? Gen.Choose(0, 255).Select(b => (byte)b);
        var edit = from kind in Gen.Choose(0, 3)
                   from position in Gen.Choose(0, int.MaxValue - 1)
                   from v in value
                   select (kind, position, v);
        return from seed in Gen.Elements(seeds.ToArray())
               from count in Gen.Choose(minEdits, maxEdits)
               from edits in Gen.ArrayOf(edit, count)
               select Apply(seed, edits);
    }

    /// <summary>
    /// Applies each edit in turn: kind 0 replaces the byte at the position (modulo the length), 1 inserts one there,
    /// 2 deletes it, anything else truncates from there; an empty array gets the value appended.
    /// </summary>
    public static byte[] Apply(byte[] source, (int kind, int position, byte value)[] edits)
    {
        ArgumentNullException.ThrowIfNull(edits);
        var bytes = new List<byte>(source);
        foreach (var (kind, position, value) in edits)
        {
            if (bytes.Count == 0)
            {
                bytes.Add(value);
                continue;
            }

            var at = position % bytes.Count;
            switch (kind)
            {
                case 0:
                    bytes[at] = value;
                    break;
                case 1:
                    bytes.Insert(at, value);
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }
}
