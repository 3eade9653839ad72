using System.Reflection;
using System.Text.RegularExpressions;
using Signet.Scanning.Catalogers.DotNet;
using Signet.Scanning.Catalogers.Npm;

namespace Signet.Scanning.Tests.Catalogers.Npm;

/// <summary>Every <see cref="NpmCodes"/> and <see cref="DotNetCodes"/> constant has its section in docs/error-codes.md, in code order.</summary>
public sealed class EcosystemCodesDocTests
{
    public static TheoryData<Type, string, int> Ecosystems => new()
    {
        { typeof(NpmCodes), "NPM", 6 },
        { typeof(DotNetCodes), "NET", 6 },
    };

    [Theory]
    [MemberData(nameof(Ecosystems))]
    public void ErrorCodesDoc_EveryCode_HasASection(Type codesType, string prefix, int count)
    {
        var codes = codesType.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "error-codes.md"));

        Assert.Equal(count, codes.Count);
        Assert.All(codes, c => Assert.StartsWith(prefix, c, StringComparison.Ordinal));
        var headings = Regex.Matches(doc, $@"^### ({prefix}\d{{4}}):", RegexOptions.Multiline).Select(m => m.Groups[1].Value);
        Assert.Equal(codes.Order(StringComparer.Ordinal), headings);
    }
}
