using System.Reflection;
using System.Text.RegularExpressions;
using Signet.Scanning.Catalogers;

namespace Signet.Scanning.Tests.Catalogers;

/// <summary>Every <see cref="CatalogCodes"/> constant has its section in docs/error-codes.md, in code order.</summary>
public sealed partial class CatalogCodesDocTests
{
    [Fact]
    public void ErrorCodesDoc_EveryCatalogCode_HasASection()
    {
        var codes = typeof(CatalogCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "error-codes.md"));

        Assert.Equal(3, codes.Count);
        Assert.Equal(codes.Order(StringComparer.Ordinal), Heading().Matches(doc).Select(m => m.Groups[1].Value));
    }

    [GeneratedRegex(@"^### (CAT\d{4}):", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
