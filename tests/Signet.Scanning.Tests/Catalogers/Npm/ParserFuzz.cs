using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Signet.Scanning.Catalogers;

namespace Signet.Scanning.Tests.Catalogers.Npm;

/// <summary>
/// Feeds a parser of text metadata (JSON, YAML, yarn.lock) mutated copies of a real file: random bytes, truncations,
/// and splices of structural tokens (so that fields change kind, not only the syntax breaks). Every outcome must be
/// packages with a name, or issues; any exception fails the property.
/// </summary>
public static class ParserFuzz
{
    private static readonly string[] Tokens =
        ["null", "[]", "{}", "1", "-1", "true", "\"\"", "\"x\"", "{\"a\":1}", "[1,[2]]", ":", ",", "\"", "{", "}", "[", "]", "\n", "  ", "- ", "'", "@", "/", "#", "&a", "*a", "!!", "\t", "\0", "\u00e9", "\uFEFF"];

    /// <summary>Checks <paramref name="parse"/> over <paramref name="tests"/> mutations of <paramref name="original"/>.</summary>
    public static void NeverThrows(byte[] original, Func<byte[], CatalogContext, IEnumerable<Package>> parse, int tests = 1500)
    {
        var mutated =
            from count in Gen.Choose(1, 5)
            from edits in Gen.ArrayOf(
                from position in Gen.Choose(0, original.Length)
                from splice in Gen.OneOf(Gen.Elements(Tokens).Select(Encoding.UTF8.GetBytes), Gen.Choose(0, 255).Select(b => new[] { (byte)b }))
                from cut in Gen.Choose(0, 3)
                select (position, splice, cut),
                count)
            from keep in Gen.OneOf(Gen.Constant(int.MaxValue), Gen.Choose(0, original.Length))
            select Apply(original, edits, keep);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(tests), Prop.ForAll(mutated.ToArbitrary(), bytes =>
        {
            var context = new CatalogContext(ScanKind.SourceTree, null, _ => { });
            return parse(bytes, context).All(p => p.Name.Length > 0 && p.Evidence.Length > 0);
        }));
    }

    private static byte[] Apply(byte[] original, (int Position, byte[] Splice, int Cut)[] edits, int keep)
    {
        var bytes = new List<byte>(original);
        foreach (var (position, splice, cut) in edits.OrderByDescending(e => e.Position))
        {
            var at = Math.Min(position, bytes.Count);
            bytes.RemoveRange(at, Math.Min(cut, bytes.Count - at));
            bytes.InsertRange(at, splice);
        }

        return [.. bytes.Take(keep)];
    }
}
