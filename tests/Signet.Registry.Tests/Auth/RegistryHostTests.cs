using Signet.Registry.Auth;

namespace Signet.Registry.Tests.Auth;

public class RegistryHostTests
{
    [Theory]
    [InlineData("docker.io", "docker.io")]
    [InlineData("index.docker.io", "docker.io")]
    [InlineData("registry-1.docker.io", "docker.io")]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("Registry.Example.COM:5000", "registry.example.com:5000")]
    [InlineData("https://registry.example.com/v2/", "registry.example.com")]
    [InlineData("http://127.0.0.1:5001", "127.0.0.1:5001")]
    [InlineData("quay.io/ns/repo", "quay.io")]
    [InlineData("[::1]:5000", "[::1]:5000")]
    public void Normalize_Keys_ReturnsHost(string key, string host)
    {
        Assert.Equal(host, RegistryHost.Normalize(key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("https://")]
    [InlineData(":5000")]
    [InlineData("my registry")]
    public void Normalize_NoHost_ThrowsNamingInput(string key)
    {
        var e = Assert.Throws<FormatException>(() => RegistryHost.Normalize(key));

        Assert.Contains("host[:port]", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://registry.example.com/", "registry.example.com")]
    [InlineData("http://127.0.0.1:5000/", "127.0.0.1:5000")]
    [InlineData("https://registry-1.docker.io/v2/", "docker.io")]
    public void FromUri_RegistryBase_ReturnsHost(string uri, string host)
    {
        Assert.Equal(host, RegistryHost.FromUri(new Uri(uri)));
    }
}
