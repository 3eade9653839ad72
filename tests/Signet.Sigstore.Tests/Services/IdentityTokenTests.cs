using Signet.Sigstore.Services;

namespace Signet.Sigstore.Tests.Services;

/// <summary>The claims Signet reads from an OIDC token, and the tokens it refuses before calling Fulcio.</summary>
public sealed class IdentityTokenTests
{
    private static string Jwt(string claims) => ServiceClientTests.Jwt(claims);

    [Fact]
    public void Parse_VerifiedEmail_IsTheSubject()
    {
        var token = IdentityToken.Parse("  " + Jwt("{\"iss\":\"https://accounts.example\",\"sub\":\"123\",\"email\":\"dev@example.test\",\"email_verified\":true}") + "\n");

        Assert.Equal("dev@example.test", token.Subject);
        Assert.Equal("https://accounts.example", token.Issuer);
        Assert.DoesNotContain(token.Raw, token.ToString(), StringComparison.Ordinal);
        Assert.Equal("identity token for dev@example.test from https://accounts.example", token.ToString());
    }

    [Fact]
    public void Parse_SubOnly_IsTheSubject()
    {
        var token = IdentityToken.Parse(Jwt("{\"iss\":\"https://token.actions.githubusercontent.com\",\"sub\":\"repo:signet/signet:ref:refs/heads/main\"}"));

        Assert.Equal("repo:signet/signet:ref:refs/heads/main", token.Subject);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("abc", "is not a JWT: it has 1 dot-separated parts")]
    [InlineData("a..c", "is not a JWT")]
    [InlineData("a.!!!.c", "are not base64url")]
    [InlineData("a.WzFd.c", "must be an object")]
    public void Parse_Malformed_IsRefused(string token, string expected)
    {
        var e = Assert.Throws<IdentityTokenException>(() => IdentityToken.Parse(token));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"email\":\"dev@example.test\"}", "has not verified it")]
    [InlineData("{\"email\":\"dev@example.test\",\"email_verified\":\"true\"}", "has not verified it")]
    [InlineData("{\"iss\":\"x\"}", "neither an email nor a sub claim")]
    [InlineData("{\"sub\":\"\"}", "neither an email nor a sub claim")]
    [InlineData("{\"sub\":5}", "field 'sub' must be a string")]
    [InlineData("{\"sub\":\"a\",\"sub\":\"b\"}", "sub")]
    public void Parse_UnusableClaims_AreRefused(string claims, string expected)
    {
        var e = Assert.Throws<IdentityTokenException>(() => IdentityToken.Parse(Jwt(claims)));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OversizeToken_IsRefusedBeforeDecoding()
    {
        var e = Assert.Throws<IdentityTokenException>(() => IdentityToken.Parse(new string('a', IdentityToken.MaxBytes + 1)));

        Assert.Contains($"at most {IdentityToken.MaxBytes}", e.Message, StringComparison.Ordinal);
    }
}
