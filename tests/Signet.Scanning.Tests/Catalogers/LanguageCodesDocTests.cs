using System.Reflection;
using System.Text.RegularExpressions;
using Signet.Scanning.Catalogers.Php;
using Signet.Scanning.Catalogers.Python;
using Signet.Scanning.Catalogers.Ruby;

namespace Signet.Scanning.Tests.Catalogers;

/// <summary>Every code of the Python, Ruby and PHP catalogers has its section in docs/error-codes.md, in code order.</summary>
public sealed class LanguageCodesDocTests
{
    [Theory]
    [InlineData(typeof(PythonCodes), "PY", 7)]
    [InlineData(typeof(RubyCodes), "GEM", 5)]
    [InlineData(typeof(PhpCodes), "PHP", 4)]
    public void ErrorCodesDoc_EveryCode_HasASection(Type codes, string prefix, int count)
    {
        var values = codes.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "error-codes.md"));
        var headings = Regex.Matches(doc, $@"^### ({prefix}\d{{4}}):", RegexOptions.Multiline).Select(m => m.Groups[1].Value);

        Assert.Equal(count, values.Count);
        Assert.Equal(values.Order(StringComparer.Ordinal), headings);
    }
}
