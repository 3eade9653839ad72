using Signet.Registry.Auth;

namespace Signet.Registry.Tests.Auth;

public class TokenCacheTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Find_BeforeExpiry_ReturnsToken()
    {
        var clock = new ManualTimeProvider(Start);
        var cache = new TokenCache(clock);
        var scopes = ScopeSet.Parse("repository:a:pull");
        cache.Add("https://auth/token", "svc", new BearerToken("t1", Start.AddSeconds(60), scopes));

        clock.Advance(TimeSpan.FromSeconds(50));

        Assert.Equal("t1", cache.Find("https://auth/token", "svc", scopes)?.Value);
    }

    [Fact]
    public void Find_WithinMarginOfExpiry_ReturnsNullAndEvicts()
    {
        var clock = new ManualTimeProvider(Start);
        var cache = new TokenCache(clock);
        var scopes = ScopeSet.Parse("repository:a:pull");
        cache.Add("https://auth/token", "svc", new BearerToken("t1", Start.AddSeconds(60), scopes));

        clock.Advance(TimeSpan.FromSeconds(60) - TokenCache.ExpiryMargin);

        Assert.Null(cache.Find("https://auth/token", "svc", scopes));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Find_OtherRealmServiceOrScope_ReturnsNull()
    {
        var cache = new TokenCache(new ManualTimeProvider(Start));
        cache.Add("https://auth/token", "svc", new BearerToken("t1", Start.AddMinutes(5), ScopeSet.Parse("repository:a:pull")));

        Assert.Null(cache.Find("https://other/token", "svc", ScopeSet.Parse("repository:a:pull")));
        Assert.Null(cache.Find("https://auth/token", "other", ScopeSet.Parse("repository:a:pull")));
        Assert.Null(cache.Find("https://auth/token", "svc", ScopeSet.Parse("repository:a:push")));
        Assert.Null(cache.Find("https://auth/token", "svc", ScopeSet.Parse("repository:b:pull")));
    }

    [Fact]
    public void Find_NarrowerScope_ReturnsCoveringToken()
    {
        var cache = new TokenCache(new ManualTimeProvider(Start));
        cache.Add("https://auth/token", "svc", new BearerToken("wide", Start.AddMinutes(5), ScopeSet.Parse("repository:a:pull,push repository:b:pull")));

        Assert.Equal("wide", cache.Find("https://auth/token", "svc", ScopeSet.Parse("repository:a:pull"))?.Value);
        Assert.Equal("wide", cache.Find("https://auth/token", "svc", ScopeSet.Empty)?.Value);
    }

    [Fact]
    public void Add_SameKey_ReplacesToken()
    {
        var cache = new TokenCache(new ManualTimeProvider(Start));
        var scopes = ScopeSet.Parse("repository:a:pull");
        cache.Add("r", null, new BearerToken("old", Start.AddMinutes(5), scopes));
        cache.Add("r", null, new BearerToken("new", Start.AddMinutes(5), scopes));

        Assert.Equal("new", cache.Find("r", null, scopes)?.Value);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Add_BeyondLimit_KeepsAtMostMaxEntries()
    {
        var cache = new TokenCache(new ManualTimeProvider(Start));
        for (var i = 0; i < TokenCache.MaxEntries + 10; i++)
        {
            cache.Add("r", "s", new BearerToken($"t{i}", Start.AddMinutes(5 + i), ScopeSet.Parse($"repository:r{i}:pull")));
        }

        Assert.Equal(TokenCache.MaxEntries, cache.Count);
        Assert.Equal($"t{TokenCache.MaxEntries + 9}", cache.Find("r", "s", ScopeSet.Parse($"repository:r{TokenCache.MaxEntries + 9}:pull"))?.Value);
    }
}
