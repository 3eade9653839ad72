using System.Reflection;
using System.Text.RegularExpressions;
using Signet.Scanning.Purls;

namespace Signet.Scanning.Tests;

/// <summary>Every Signet.Scanning code constant has its section in docs/error-codes.md, in code order.</summary>
public partial class ErrorCodesDocTests
{
    [Fact]
    public void ErrorCodesDoc_EveryPackageUrlCode_HasASection()
    {
        var codes = typeof(PackageUrlCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "error-codes.md"));

        Assert.Equal(3, codes.Count);
        Assert.Equal(codes.Order(StringComparer.Ordinal), PurlHeading().Matches(doc).Select(m => m.Groups[1].Value));
    }

    [GeneratedRegex(@"^### (PURL\d{4}):", RegexOptions.Multiline)]
    private static partial Regex PurlHeading();
}
