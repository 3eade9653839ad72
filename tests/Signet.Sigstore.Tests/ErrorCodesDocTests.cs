using System.Reflection;
using System.Text.RegularExpressions;
using Signet.Sigstore.Timestamps;
using Signet.Sigstore.TransparencyLog;

namespace Signet.Sigstore.Tests;

/// <summary>Every Signet.Sigstore code constant has its section in docs/error-codes.md, in code order.</summary>
public partial class ErrorCodesDocTests
{
    private static string Doc() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "error-codes.md"));

    private static List<string> Codes(Type type) => [.. type.GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)];

    [Fact]
    public void ErrorCodesDoc_EveryTimestampCode_HasASection()
    {
        var codes = Codes(typeof(TimestampCodes));
        var documented = TimestampHeading().Matches(Doc()).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(11, codes.Count);
        Assert.Equal(codes.Order(StringComparer.Ordinal), documented);
    }

    [Fact]
    public void ErrorCodesDoc_EveryTransparencyLogCode_HasASection()
    {
        var codes = Codes(typeof(TlogCodes));
        var documented = TlogHeading().Matches(Doc()).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(18, codes.Count);
        Assert.Equal(codes.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"^### (TSA\d{4}):", RegexOptions.Multiline)]
    private static partial Regex TimestampHeading();

    [GeneratedRegex(@"^### (tlog-[a-z-]+):", RegexOptions.Multiline)]
    private static partial Regex TlogHeading();
}
