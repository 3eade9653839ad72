using System.Reflection;
using System.Text.RegularExpressions;
using Signet.Scanning.Catalogers.Java;

namespace Signet.Scanning.Tests.Catalogers.Java;

/// <summary>Every <see cref="JavaCodes"/> constant has its section in docs/error-codes.md, in code order, before the CAT codes.</summary>
public sealed partial class JavaCodesDocTests
{
    [Fact]
    public void ErrorCodesDoc_EveryJavaCode_HasASection()
    {
        var codes = typeof(JavaCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "error-codes.md"));

        Assert.Equal(11, codes.Count);
        Assert.Equal(codes.Order(StringComparer.Ordinal), Heading().Matches(doc).Select(m => m.Groups[1].Value));
        Assert.True(doc.IndexOf("## Java archive codes (JAVA)", StringComparison.Ordinal) < doc.IndexOf("## Cataloging codes (CAT)", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^### (JAVA\d{4}):", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
