using Signet.Scanning.Sbom;

namespace Signet.Scanning.Tests.Sbom;

public sealed class SpdxLicensesTests
{
    [Theory]
    [InlineData("MIT", nameof(LicenseKind.Id), "MIT")]
    [InlineData(" apache-2.0 ", nameof(LicenseKind.Id), "Apache-2.0")]
    [InlineData("GPL-2.0", nameof(LicenseKind.Id), "GPL-2.0")]
    [InlineData("GPL-2.0+", nameof(LicenseKind.Id), "GPL-2.0+")]
    [InlineData("Apache-2.0+", nameof(LicenseKind.Expression), "Apache-2.0+")]
    [InlineData("MIT OR Apache-2.0", nameof(LicenseKind.Expression), "MIT OR Apache-2.0")]
    [InlineData("mit or apache-2.0", nameof(LicenseKind.Expression), "MIT OR Apache-2.0")]
    [InlineData("(MIT  OR\tISC) AND BSD-3-Clause", nameof(LicenseKind.Expression), "(MIT OR ISC) AND BSD-3-Clause")]
    [InlineData("GPL-3.0-only WITH Classpath-exception-2.0", nameof(LicenseKind.Expression), "GPL-3.0-only WITH Classpath-exception-2.0")]
    [InlineData("LicenseRef-Custom.1", nameof(LicenseKind.Expression), "LicenseRef-Custom.1")]
    [InlineData("DocumentRef-other:LicenseRef-x", nameof(LicenseKind.Expression), "DocumentRef-other:LicenseRef-x")]
    [InlineData("((MIT))", nameof(LicenseKind.Expression), "((MIT))")]
    [InlineData("GPL-2+", nameof(LicenseKind.Name), "GPL-2+")]
    [InlineData("ASL 2.0", nameof(LicenseKind.Name), "ASL 2.0")]
    [InlineData("MIT OR", nameof(LicenseKind.Name), "MIT OR")]
    [InlineData("(MIT", nameof(LicenseKind.Name), "(MIT")]
    [InlineData("MIT)", nameof(LicenseKind.Name), "MIT)")]
    [InlineData("MIT WITH Apache-2.0", nameof(LicenseKind.Name), "MIT WITH Apache-2.0")]
    [InlineData("Classpath-exception-2.0", nameof(LicenseKind.Name), "Classpath-exception-2.0")]
    [InlineData("LicenseRef-", nameof(LicenseKind.Name), "LicenseRef-")]
    [InlineData("LicenseRef-a_b", nameof(LicenseKind.Name), "LicenseRef-a_b")]
    [InlineData("MIT AND AND ISC", nameof(LicenseKind.Name), "MIT AND AND ISC")]
    [InlineData("", nameof(LicenseKind.Name), "")]
    [InlineData("   ", nameof(LicenseKind.Name), "   ")]
    public void Classify_Table(string text, string kind, string value)
    {
        Assert.Equal(new ClassifiedLicense(Enum.Parse<LicenseKind>(kind), value), SpdxLicenses.Classify(text));
    }

    [Fact]
    public void Classify_DeepNesting_Name()
    {
        var deep = new string('(', 40) + "MIT" + new string(')', 40);

        Assert.Equal(LicenseKind.Name, SpdxLicenses.Classify(deep).Kind);
        Assert.Equal(LicenseKind.Expression, SpdxLicenses.Classify("((((MIT))))").Kind);
    }

    [Fact]
    public void Classify_LicenseText_Name()
    {
        var text = string.Join(" OR ", Enumerable.Repeat("MIT", 400));

        Assert.Equal(LicenseKind.Name, SpdxLicenses.Classify(text).Kind);
    }

    [Fact]
    public void JoinWithAnd_ParenthesisesCompound()
    {
        Assert.Equal("MIT AND (ISC OR 0BSD)", SpdxLicenses.JoinWithAnd(["MIT", "ISC OR 0BSD"], [false, true]));
        Assert.Equal("ISC OR 0BSD", SpdxLicenses.JoinWithAnd(["ISC OR 0BSD"], [true]));
    }
}
