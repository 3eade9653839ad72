using System.Reflection;
using System.Text.RegularExpressions;
using Signet.Sigstore.Timestamps;

namespace Signet.Sigstore.Tests;

/// <summary>Every Signet.Sigstore code constant has its section in docs/error-codes.md, in code order.</summary>
public partial class ErrorCodesDocTests
{
    private static string Doc() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "error-codes.md"));

    internal static List<string> Codes(Type type) => [.. type.GetFields(BindingFlags.Public | BindingFlags.Static)
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

    [GeneratedRegex(@"^### (TSA\d{4}):", RegexOptions.Multiline)]
    private static partial Regex TimestampHeading();
}
