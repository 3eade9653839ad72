using FsCheck;
using FsCheck.Fluent;
using Signet.Registry.Auth;

namespace Signet.Registry.Tests.Auth;

public class AuthChallengeParserTests
{
    public static TheoryData<string, string, string, string?> Singles => new()
    {
        // header, scheme, expected "name=value;..." (sorted), token68
        { "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:ns/app:pull,push\"", "Bearer", "realm=https://auth.example/token;scope=repository:ns/app:pull,push;service=registry.example", null },
        { "basic realm=\"lab-realm\"", "basic", "realm=lab-realm", null },
        { "BEARER realm=x", "BEARER", "realm=x", null },
        { "Bearer realm = \"x\" ,  service=y", "Bearer", "realm=x;service=y", null },
        { "Bearer realm=\"a\\\"b\\\\c\"", "Bearer", "realm=a\"b\\c", null },
        { "Bearer realm=\"\"", "Bearer", "realm=", null },
        { "Bearer realm=\"x\",error=\"insufficient_scope\",scope=\"repository:a:pull repository:b:pull\"", "Bearer", "error=insufficient_scope;realm=x;scope=repository:a:pull repository:b:pull", null },
        { "Negotiate", "Negotiate", "", null },
        { "Negotiate abc123+/==", "Negotiate", "", "abc123+/==" },
        { "Bearer realm=", "Bearer", "", "realm=" },
        { "  Basic realm=x  ", "Basic", "realm=x", null },
    };

    [Theory]
    [MemberData(nameof(Singles))]
    public void Parse_SingleChallenge_ReturnsSchemeAndParameters(string header, string scheme, string parameters, string? token68)
    {
        var challenge = Assert.Single(AuthChallengeParser.Parse(header));

        Assert.Equal(scheme, challenge.Scheme);
        Assert.Equal(parameters, string.Join(';', challenge.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
        Assert.Equal(token68, challenge.Token68);
    }

    [Fact]
    public void Parse_Rfc7235Example_ReturnsTwoChallenges()
    {
        var challenges = AuthChallengeParser.Parse("Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"");

        Assert.Equal(2, challenges.Length);
        Assert.Equal("Newauth", challenges[0].Scheme);
        Assert.Equal("Login to \"apps\"", challenges[0]["title"]);
        Assert.Equal("1", challenges[0]["type"]);
        Assert.True(challenges[1].IsBasic);
        Assert.Equal("simple", challenges[1]["realm"]);
    }

    [Fact]
    public void Parse_Token68ThenChallenge_ReturnsBoth()
    {
        var challenges = AuthChallengeParser.Parse("Negotiate abc==, Bearer realm=\"r\"");

        Assert.Equal(["Negotiate", "Bearer"], challenges.Select(c => c.Scheme));
        Assert.Equal("abc==", challenges[0].Token68);
    }

    [Fact]
    public void Parse_SeveralHeaderValues_ReturnsAllInOrder()
    {
        var challenges = AuthChallengeParser.Parse(["Basic realm=a", "Bearer realm=b,service=s"]);

        Assert.Equal(["Basic", "Bearer"], challenges.Select(c => c.Scheme));
        Assert.Equal("s", challenges[1]["service"]);
    }

    [Fact]
    public void Parse_ParameterNamesAnyCase_LookupIsCaseInsensitive()
    {
        var challenge = Assert.Single(AuthChallengeParser.Parse("bearer REALM=\"x\",Service=y"));

        Assert.True(challenge.IsBearer);
        Assert.Equal("x", challenge["realm"]);
        Assert.Equal("y", challenge["SERVICE"]);
    }

    [Theory]
    [InlineData("", "no challenge")]
    [InlineData("   ,  ", "no challenge")]
    [InlineData("Bearer realm=\"unterminated", "unterminated quoted string")]
    [InlineData("Bearer realm=\"x\\", "unterminated escape")]
    [InlineData("Bearer realm=\"x\" service=\"y\"", "expected ','")]
    [InlineData("Bearer realm=\"x\",realm=\"y\"", "appears twice")]
    [InlineData("Bearer a=1, b=", "has no value")]
    [InlineData("=realm", "expected an authentication scheme")]
    [InlineData("Bearer realm=\"a\u0001\"", "control character")]
    [InlineData("Basic abc== def", "unexpected text after token68")]
    [InlineData("Bearer\"realm\"", "unexpected '\"'")]
    public void Parse_Malformed_ThrowsFormatExceptionQuotingInput(string header, string reason)
    {
        var e = Assert.Throws<FormatException>(() => AuthChallengeParser.Parse(header));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Contains("WWW-Authenticate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HeaderOverLimit_Throws()
    {
        var header = "Bearer realm=\"" + new string('a', AuthChallengeParser.MaxHeaderChars) + "\"";

        var e = Assert.Throws<FormatException>(() => AuthChallengeParser.Parse(header));

        Assert.Contains("limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManyParameters_Throws()
    {
        var header = "Bearer " + string.Join(',', Enumerable.Range(0, AuthChallengeParser.MaxParameters + 1).Select(i => $"p{i}=v"));

        Assert.Throws<FormatException>(() => AuthChallengeParser.Parse(header));
    }

    [Fact]
    public void Parse_RandomAndMutatedInput_ReturnsOrThrowsFormatExceptionOnly()
    {
        const string Seed = "Bearer realm=\"https://a/t\",service=\"s\",scope=\"repository:x:pull\", Basic realm=\"b\"";
        Prop.ForAll<string, int, char>((random, position, replacement) =>
        {
            var mutated = Seed.Remove(Math.Abs(position % Seed.Length), 1).Insert(Math.Abs(position % Seed.Length), replacement.ToString());
            return ParsesOrRejects(random ?? string.Empty) && ParsesOrRejects(mutated);
        }).QuickCheckThrowOnFailure();
    }

    private static bool ParsesOrRejects(string header)
    {
        try
        {
            var challenges = AuthChallengeParser.Parse(header);
            return !challenges.IsEmpty && challenges.All(c => c.Scheme.Length > 0);
        }
        catch (FormatException)
        {
            return true;
        }
    }
}
