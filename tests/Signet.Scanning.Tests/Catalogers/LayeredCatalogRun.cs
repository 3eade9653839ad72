using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Signet.Oci;
using Signet.Scanning.Catalogers;
using Signet.Scanning.FileSystem;
using Signet.Scanning.Os;

namespace Signet.Scanning.Tests.Catalogers;

/// <summary>
/// Runs a cataloger over in-memory files that each carry the layer that wrote them, with
/// <see cref="CatalogContext.LayerOf"/> answering from the same files plus other paths of the tree (for layer
/// attribution), and fuzzes catalogers with mutated real files.
/// </summary>
public static class LayeredCatalogRun
{
    public static LayerInfo Layer(int index) => new() { Index = index, Digest = Digest.Compute(Encoding.UTF8.GetBytes($"layer {index}")) };

    /// <summary>The packages and issues over <paramref name="files"/> (path to content and layer index) and <paramref name="otherPaths"/> (path to layer index, not offered to the cataloger).</summary>
    public static async Task<(IReadOnlyList<Package> Packages, IReadOnlyList<CatalogIssue> Issues)> RunAsync(
        ICataloger cataloger,
        IReadOnlyDictionary<string, (byte[] Content, int Layer)> files,
        IReadOnlyDictionary<string, int>? otherPaths = null,
        LinuxDistribution? distribution = null)
    {
        var issues = new List<CatalogIssue>();
        LayerInfo? LayerOf(string path)
        {
            path = path.TrimStart('/');
            return files.TryGetValue(path, out var file) ? Layer(file.Layer)
                : otherPaths is not null && otherPaths.TryGetValue(path, out var index) ? Layer(index)
                : null;
        }

        var context = new CatalogContext(ScanKind.Image, distribution, issues.Add, LayerOf);
        var session = cataloger.Start(context);
        foreach (var (path, (content, layer)) in files.OrderByDescending(f => f.Key, StringComparer.Ordinal))
        {
            var file = new CatalogFile { Path = path, Size = content.Length, Mode = UnixFileMode.UserRead, Layer = Layer(layer) };
            if (cataloger.Wants(file, context))
            {
                await using var stream = new MemoryStream(content, writable: false);
                await session.ReadAsync(file, stream, CancellationToken.None);
            }
        }

        return (session.Finish(), issues);
    }

    /// <summary>Byte mutations and truncations of <paramref name="original"/>, biased to its first <paramref name="hot"/> bytes.</summary>
    public static Gen<byte[]> Mutated(byte[] original, int hot) =>
        from count in Gen.Choose(1, 8)
        from edits in Gen.ArrayOf(
            from position in Gen.OneOf(Gen.Choose(0, Math.Min(hot, original.Length) - 1), Gen.Choose(0, original.Length - 1))
            from value in Gen.OneOf(Gen.Choose(0, 255), Gen.Elements<int>('\n', ' ', ':', '\t', '#', ',', '|', '(', 0, 0xff))
            select (position, (byte)value),
            count)
        from keep in Gen.OneOf(Gen.Constant(original.Length), Gen.Choose(0, original.Length))
        select Apply(original, edits, keep);

    /// <summary>Every mutation of <paramref name="path"/>'s content reads without an exception and gives packages with a name and evidence.</summary>
    public static void FuzzNeverThrows(ICataloger cataloger, string path, byte[] original, int maxTest)
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest), Prop.ForAll(Mutated(original, 4096).ToArbitrary(), mutated =>
        {
            var (packages, issues) = CatalogerHarness.RunAsync(cataloger, new Dictionary<string, byte[]> { [path] = mutated }).GetAwaiter().GetResult();
            return packages.All(p => p.Name.Length > 0 && !p.Evidence.IsEmpty) && issues.All(i => i.Code.Length > 0);
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
