using Signet.Registry.Auth;

namespace Signet.Registry.Tests.Auth;

public class ScopeTests
{
    [Theory]
    [InlineData("repository:ns/app:pull", "repository:ns/app:pull")]
    [InlineData("repository:ns/app:push,pull", "repository:ns/app:pull,push")]
    [InlineData("repository:a:pull repository:a:push", "repository:a:pull,push")]
    [InlineData("repository:b:pull repository:a:pull", "repository:a:pull repository:b:pull")]
    [InlineData("registry:catalog:*", "registry:catalog:*")]
    [InlineData("repository(plugin):x:pull", "repository(plugin):x:pull")]
    [InlineData("repository:localhost:5000/app:pull", "repository:localhost:5000/app:pull")]
    [InlineData("", "")]
    public void Parse_Scopes_CanonicalKey(string scopes, string key)
    {
        Assert.Equal(key, ScopeSet.Parse(scopes).Key);
    }

    [Theory]
    [InlineData("repository")]
    [InlineData("repository:app")]
    [InlineData("repository:app:")]
    [InlineData(":app:pull")]
    [InlineData("repository::pull")]
    [InlineData("repository:app:,")]
    public void Parse_Malformed_Throws(string scope)
    {
        var e = Assert.Throws<FormatException>(() => ScopeSet.Parse(scope));

        Assert.Contains(scope.Length == 0 ? "scope" : scope, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Union_SameRepository_MergesActions()
    {
        var merged = ScopeSet.Parse("repository:a:pull").Union(ScopeSet.Parse("repository:a:push repository:b:pull"));

        Assert.Equal<string>(["repository:a:pull,push", "repository:b:pull"], merged.Scopes);
    }

    [Theory]
    [InlineData("repository:a:pull,push", "repository:a:pull", true)]
    [InlineData("repository:a:pull", "repository:a:pull,push", false)]
    [InlineData("repository:a:pull", "repository:b:pull", false)]
    [InlineData("repository:a:*", "repository:a:pull,push,delete", true)]
    [InlineData("repository:a:pull", "", true)]
    public void Covers_Sets_ExpectedAnswer(string have, string need, bool expected)
    {
        Assert.Equal(expected, ScopeSet.Parse(have).Covers(ScopeSet.Parse(need)));
    }

    [Fact]
    public void RegistryScope_PullPush_BuildsSortedScope()
    {
        Assert.Equal("repository:ns/app:pull,push", RegistryScope.PullPush("ns/app"));
        Assert.Equal("repository:ns/app:pull", RegistryScope.Pull("ns/app"));
        Assert.Equal("repository:x:delete,pull", RegistryScope.Repository("x", "pull", "delete", "pull"));
    }

    [Fact]
    public void RegistryScope_NoActions_Throws()
    {
        Assert.Throws<ArgumentException>(() => RegistryScope.Repository("x"));
    }

    [Theory]
    [InlineData("GET", "/v2/", "")]
    [InlineData("GET", "/v2/ns/app/manifests/latest", "repository:ns/app:pull")]
    [InlineData("HEAD", "/v2/app/blobs/sha256:abc", "repository:app:pull")]
    [InlineData("POST", "/v2/app/blobs/uploads/", "repository:app:pull,push")]
    [InlineData("PATCH", "/v2/app/blobs/uploads/0f3c", "repository:app:pull,push")]
    [InlineData("PUT", "/v2/a/blobs/b/manifests/v1", "repository:a/blobs/b:pull,push")]
    [InlineData("DELETE", "/v2/app/manifests/sha256:abc", "repository:app:delete")]
    [InlineData("GET", "/v2/app/tags/list", "repository:app:pull")]
    [InlineData("GET", "/v2/app/referrers/sha256:abc", "repository:app:pull")]
    [InlineData("POST", "/v2/app/blobs/uploads/?mount=sha256:abc&from=other/repo", "repository:app:pull,push repository:other/repo:pull")]
    [InlineData("GET", "/v2/_catalog", "")]
    public void RequestScopes_DistributionPaths_InferredScope(string method, string path, string expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri("https://registry.example" + path));

        Assert.Equal(expected, AuthHandler.RequestScopes(request).Key);
    }

    [Fact]
    public void RequestScopes_ScopeOption_OverridesPath()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("https://registry.example/v2/_catalog"));
        request.Options.Set(AuthHandler.ScopeOption, "registry:catalog:*");

        Assert.Equal("registry:catalog:*", AuthHandler.RequestScopes(request).Key);
    }
}
