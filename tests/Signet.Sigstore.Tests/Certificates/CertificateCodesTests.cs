using System.Reflection;
using System.Text.RegularExpressions;
using Signet.Sigstore.Certificates;

namespace Signet.Sigstore.Tests.Certificates;

public sealed partial class CertificateCodesTests
{
    [Fact]
    public void ErrorCodesDoc_EveryCertificateCode_HasASectionInOrder()
    {
        var markdown = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "error-codes.md"));
        var codes = typeof(CertificateCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Equal(17, codes.Count);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Equal(codes.Order(StringComparer.Ordinal), CertificateHeading().Matches(markdown).Select(m => m.Groups[1].Value));
    }

    [GeneratedRegex(@"^### (CRT\d{4}): ", RegexOptions.Multiline)]
    private static partial Regex CertificateHeading();
}
