using Signet.Scanning.Sbom;

namespace Signet.Scanning.Tests.Sbom;

public sealed class SbomSupplierTests
{
    [Theory]
    [InlineData("Jane Doe <jane@example.com>", "Person: Jane Doe (jane@example.com)", "Jane Doe")]
    [InlineData("Debian Python Team <team+python@tracker.debian.org>", "Organization: Debian Python Team (team+python@tracker.debian.org)", "Debian Python Team")]
    [InlineData("GNU Libc Maintainers <debian-glibc@lists.debian.org>", "Organization: GNU Libc Maintainers (debian-glibc@lists.debian.org)", "GNU Libc Maintainers")]
    [InlineData("Red Hat, Inc.", "Organization: Red Hat, Inc.", "Red Hat, Inc.")]
    [InlineData("<only@example.com>", "Person: only@example.com (only@example.com)", "only@example.com")]
    [InlineData("Name (nick) <n@example.com>", "Person: Name [nick] (n@example.com)", "Name (nick)")]
    [InlineData("Broken <", "Organization: Broken <", "Broken <")]
    [InlineData("Odd <a(b)>", "Organization: Odd <a[b]>", "Odd <a(b)>")]
    public void SpdxAgentAndName_Table(string supplier, string agent, string name)
    {
        Assert.Equal(agent, SbomSupplier.SpdxAgent(supplier));
        Assert.Equal(name, SbomSupplier.NameOf(supplier));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void SpdxAgent_Missing_NoAssertion(string? supplier)
    {
        Assert.Equal("NOASSERTION", SbomSupplier.SpdxAgent(supplier));
    }
}
