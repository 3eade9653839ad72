using FsCheck;
using FsCheck.Fluent;

namespace Signet.Scanning.Tests.Catalogers;

/// <summary>FsCheck generators of damaged copies of a real file, for parsers of untrusted bytes.</summary>
public static class ByteMutations
{
    /// <summary>
    /// One to <paramref name="maxEdits"/> byte edits biased to the hot range [<paramref name="hotStart"/>,
    /// <paramref name="hotEnd"/>) (headers, index, directory) but reaching anywhere, and sometimes a truncation.
    /// </summary>
    public static Gen<byte[]> Mutated(byte[] original, int hotStart, int hotEnd, int maxEdits = 6) =>
        from count in Gen.Choose(1, maxEdits)
        from edits in Gen.ArrayOf(
            from position in Gen.OneOf(Gen.Choose(Math.Max(0, hotStart), Math.Min(hotEnd, original.Length) - 1), Gen.Choose(0, original.Length - 1))
            from value in Gen.OneOf(Gen.Choose(0, 255), Gen.Elements(0, 1, 0x7f, 0x80, 0xff))
            select (position, (byte)value),
            count)
        from keep in Gen.OneOf(Gen.Constant(original.Length), Gen.Choose(0, original.Length))
        select Apply(original, edits, keep);

    private static byte[] Apply(byte[] original, (int Position, byte Value)[] edits, int keep)
    {
        var copy = original[..keep];
        foreach (var (position, value) in edits.Where(e => e.Position < keep))
        {
            copy[position] = value;
        }

        return copy;
    }
}
