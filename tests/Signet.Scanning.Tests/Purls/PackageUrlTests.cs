using FsCheck;
using FsCheck.Fluent;
using Signet.Scanning.Purls;

namespace Signet.Scanning.Tests.Purls;

public sealed class PackageUrlTests
{
    [Fact]
    public void Parse_DebWithDistro_KeepsComponentsAndSortsQualifiers()
    {
        var purl = PackageUrl.Parse("pkg:deb/debian/libssl3@3.0.15-1~deb12u1?distro=debian-12&arch=amd64");

        Assert.Equal(("deb", "debian", "libssl3", "3.0.15-1~deb12u1"), (purl.Type, purl.Namespace, purl.Name, purl.Version));
        Assert.Equal(["arch", "distro"], purl.Qualifiers.Keys);
        Assert.Equal("pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12", purl.ToString());
    }

    [Fact]
    public void Equals_TwoSpellingsOfOnePackage_AreEqual()
    {
        Assert.Equal(PackageUrl.Parse("pkg:PYPI/Django_Package@1.0"), PackageUrl.Create("pypi", null, "django-package", "1.0"));
        Assert.NotEqual(PackageUrl.Parse("pkg:npm/a@1"), PackageUrl.Parse("pkg:npm/a@2"));
    }

    [Fact]
    public void Parse_CpanAuthorInLowercase_IsUppercasedAsTheTypeDefinitionSays()
    {
        Assert.Equal("pkg:cpan/DROLSKY/DateTime@1.55", PackageUrl.Parse("pkg:cpan/drolsky/DateTime@1.55").ToString());
    }

    [Fact]
    public void Create_QualifierWithSpaceAndSlash_IsPercentEncoded()
    {
        var purl = PackageUrl.Create("generic", null, "a b", "1", [new("download_url", "https://x/y z")]);

        Assert.Equal("pkg:generic/a%20b@1?download_url=https:%2F%2Fx%2Fy%20z", purl.ToString());
        Assert.Equal("https://x/y z", PackageUrl.Parse(purl.ToString()).Qualifiers["download_url"]);
    }

    [Theory]
    [InlineData("pkg:npm/a%zz@1", PackageUrlCodes.Syntax)]
    [InlineData("pkg:npm/a%ff@1", PackageUrlCodes.Syntax)]
    [InlineData("pkg:npm/a@1?x=1&x=2", PackageUrlCodes.Syntax)]
    [InlineData("pkg:npm/a@1?1x=1", PackageUrlCodes.Syntax)]
    [InlineData("pkg:npm/a@1?novalue", PackageUrlCodes.Syntax)]
    [InlineData("pkg:npm/a%2Fb/c@1", PackageUrlCodes.Syntax)]
    [InlineData("http:npm/a@1", PackageUrlCodes.Syntax)]
    [InlineData("pkg:npm", PackageUrlCodes.Syntax)]
    [InlineData("pkg:deb/curl@7", PackageUrlCodes.Component)]
    [InlineData("pkg:pypi/ns/django@1", PackageUrlCodes.Component)]
    [InlineData("pkg:npm/@1", PackageUrlCodes.Component)]
    [InlineData("pkg:swid/Acme@1", PackageUrlCodes.Component)]
    public void TryParse_Invalid_FailsWithStableCode(string input, string code)
    {
        Assert.False(PackageUrl.TryParse(input, out _, out var error));
        Assert.Equal(code, error.Code);
        Assert.Contains(input, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OverMaxLength_FailsTooLong()
    {
        var input = "pkg:generic/a@1?x=" + new string('a', PackageUrl.MaxLength);

        var error = Assert.Throws<PackageUrlFormatException>(() => PackageUrl.Parse(input));
        Assert.Equal(PackageUrlCodes.TooLong, error.Code);
    }

    [Fact]
    public void Create_CanonicalFormOverMaxLength_FailsTooLong()
    {
        var name = new string('/', PackageUrl.MaxLength / 3 + 1);

        var error = Assert.Throws<PackageUrlFormatException>(() => PackageUrl.Create("generic", null, name));
        Assert.Equal(PackageUrlCodes.TooLong, error.Code);
    }

    [Fact]
    public void Parse_PercentEncodedTextWithCharactersOutsideTheBmp_DecodesThem()
    {
        var purl = PackageUrl.Parse("pkg:generic/a%20\U0001F600b@1");

        Assert.Equal("a \U0001F600b", purl.Name);
        Assert.Equal("pkg:generic/a%20%F0%9F%98%80b@1", purl.ToString());
    }

    [Fact]
    public void Create_NoType_FailsComponent()
    {
        Assert.Equal(PackageUrlCodes.Component, Assert.Throws<PackageUrlFormatException>(() => PackageUrl.Create("", null, "a")).Code);
    }

    [Fact]
    public void Parse_RandomAndMutatedInput_OnlyFormatFailuresAndStableCanonicalForm()
    {
        var seeds = new[] { "pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12", "pkg:npm/%40babel/core@7#lib/x", "pkg:git/github.com/a/b@c" };
        var inputs = Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Where(s => s is not null),
            from seed in Gen.Elements(seeds)
            from position in Gen.Choose(0, 60)
            from c in Gen.Elements('%', '/', '@', '?', '#', '&', '=', ':', 'A', '\u00e9')
            select seed.Insert(Math.Min(position, seed.Length), c.ToString()));

        Prop.ForAll(inputs.ToArbitrary(), input =>
        {
            if (!PackageUrl.TryParse(input, out var purl, out _))
            {
                return;
            }

            var again = PackageUrl.Parse(purl.ToString());
            Assert.Equal(purl, again);
            Assert.Equal(purl.ToString(), again.ToString());
        }).QuickCheckThrowOnFailure();
    }
}
