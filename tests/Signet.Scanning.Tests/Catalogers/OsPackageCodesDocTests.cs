using System.Reflection;
using System.Text.RegularExpressions;
using Signet.Scanning.Catalogers.Apk;
using Signet.Scanning.Catalogers.Dpkg;
using Signet.Scanning.Catalogers.Rpm;

namespace Signet.Scanning.Tests.Catalogers;

/// <summary>Every code of the OS package catalogers (DPKG, APK, RPM) has its section in docs/error-codes.md, in code order.</summary>
public sealed class OsPackageCodesDocTests
{
    [Theory]
    [InlineData(typeof(DpkgCodes), "DPKG", 5)]
    [InlineData(typeof(ApkCodes), "APK", 3)]
    [InlineData(typeof(RpmCodes), "RPM", 4)]
    public void ErrorCodesDoc_EveryCode_HasASection(Type codes, string prefix, int count)
    {
        var constants = codes.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "error-codes.md"));

        Assert.Equal(count, constants.Count);
        Assert.All(constants, c => Assert.StartsWith(prefix, c, StringComparison.Ordinal));
        Assert.Equal(
            constants.Order(StringComparer.Ordinal),
            Regex.Matches(doc, $@"^### ({prefix}\d{{4}}):", RegexOptions.Multiline).Select(m => m.Groups[1].Value));
        Assert.True(doc.IndexOf($"({prefix})\n", StringComparison.Ordinal) < doc.IndexOf("## Cataloging codes (CAT)", StringComparison.Ordinal), $"the {prefix} section comes before the CAT section");
    }
}
