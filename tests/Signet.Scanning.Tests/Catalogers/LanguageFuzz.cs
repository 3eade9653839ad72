using FsCheck;
using FsCheck.Fluent;
using Signet.Scanning.Catalogers;

namespace Signet.Scanning.Tests.Catalogers;

/// <summary>
/// Random truncations and edits of text package metadata, biased to the characters their grammars turn on: a
/// cataloger given any of them returns packages with a name and evidence and reports issues, never throws.
/// </summary>
internal static class LanguageFuzz
{
    private static readonly byte[] Syntax = "\n\r \t\"'\\:=,;#[]{}()<>%|.-_/@!*~\u00e9"u8.ToArray().Concat(new byte[] { 0, 0x80, 0xC3, 0xFF }).ToArray();

    public static void NeverThrows(ICataloger cataloger, IReadOnlyDictionary<string, byte[]> files, ScanKind kind = ScanKind.SourceTree, int maxTest = 300)
    {
        var paths = files.Keys.Order(StringComparer.Ordinal).ToArray();
        var mutations =
            from path in Gen.Elements(paths)
            from count in Gen.Choose(1, 8)
            from edits in Gen.ArrayOf(
                from position in Gen.Choose(0, Math.Max(files[path].Length - 1, 0))
                from value in Gen.OneOf(Gen.Elements(Syntax), Gen.Choose(0, 255).Select(v => (byte)v))
                select (position, value),
                count)
            from keep in Gen.OneOf(Gen.Constant(files[path].Length), Gen.Choose(0, files[path].Length))
            select (path, Apply(files[path], edits, keep));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest), Prop.ForAll(mutations.ToArbitrary(), mutation =>
        {
            var mutated = new Dictionary<string, byte[]>(files, StringComparer.Ordinal) { [mutation.path] = mutation.Item2 };
            var (packages, issues) = CatalogerHarness.RunAsync(cataloger, mutated, kind).GetAwaiter().GetResult();
            return packages.All(p => p.Name.Length > 0 && p.Evidence.Length > 0 && p.FoundBy == cataloger.Id)
                && issues.All(i => i.Message.Length > 0);
        }));
    }

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
