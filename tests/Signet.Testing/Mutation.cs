namespace Signet.Testing;

/// <summary>Byte-level edits for property tests: replace, insert, delete, truncate.</summary>
public static class Mutation
{
    public static byte[] Apply(byte[] source, (int kind, int position, byte value)[] edits)
    {
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
