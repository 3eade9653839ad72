using System.Reflection;
using System.Text.RegularExpressions;
using Signet.Scanning.FileSystem;

namespace Signet.Scanning.Tests.FileSystem;

/// <summary>Every <see cref="LayerCodes"/> constant has its section in docs/error-codes.md, in code order.</summary>
public sealed partial class LayerCodesDocTests
{
    [Fact]
    public void ErrorCodesDoc_EveryLayerCode_HasASection()
    {
        var codes = typeof(LayerCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "error-codes.md"));

        Assert.Equal(7, codes.Count);
        Assert.Equal(codes.Order(StringComparer.Ordinal), Heading().Matches(doc).Select(m => m.Groups[1].Value));
    }

    [GeneratedRegex(@"^### (LFS\d{4}):", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
