using System.Collections.Concurrent;
using System.Net;
using Signet.Testing.Registry;

namespace Signet.Registry.Tests.Client;

/// <summary>Which scheme the client uses for a registry: HTTPS, and plain HTTP only for loopback or listed insecure hosts.</summary>
public sealed class RegistryClientEndpointTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    /// <summary>
    /// Sits where the auth handler goes and records the URL of each registry request, answering it itself: a real
    /// registry on a non-loopback host name cannot be started here, and the scheme choice is what is under test.
    /// </summary>
    private sealed class RecordingHandler : DelegatingHandler
    {
        public ConcurrentQueue<Uri> Seen { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Enqueue(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent("{}") });
        }
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.example.com", false)]
    [InlineData("registry.example.com:5000", false)]
    [InlineData("10.0.0.1:5000", false)]
    [InlineData("localhost.example.com", false)]
    [InlineData("127.0.0.1.nip.io", false)]
    [InlineData("insecure.example:5000", true)]
    [InlineData("insecure.example", false)]
    [InlineData("insecure.example:5001", false)]
    public void IsInsecureAllowed_Host_OnlyLoopbackOrListed(string registry, bool expected)
    {
        using var client = new RegistryClient(new RegistryClientOptions { InsecureRegistries = ["insecure.example:5000"] });

        Assert.Equal(expected, client.IsInsecureAllowed(registry));
    }

    [Fact]
    public async Task PingAsync_RemoteHostNotListed_UsesHttpsWithoutProbe()
    {
        var recorder = new RecordingHandler();
        using var client = new RegistryClient(new RegistryClientOptions(), h => { recorder.InnerHandler = h; return recorder; });

        await client.PingAsync("registry.invalid:5000");

        Assert.Equal(new Uri("https://registry.invalid:5000/v2/"), Assert.Single(recorder.Seen));
    }

    [Fact]
    public async Task PingAsync_ListedInsecureHostWithoutTls_FallsBackToHttp()
    {
        var recorder = new RecordingHandler();
        using var client = new RegistryClient(
            new RegistryClientOptions { InsecureRegistries = ["registry.invalid:5000"] },
            h => { recorder.InnerHandler = h; return recorder; });

        await client.PingAsync("registry.invalid:5000");

        Assert.Equal(new Uri("http://registry.invalid:5000/v2/"), Assert.Single(recorder.Seen));
    }

    [Fact]
    public async Task PingAsync_RealLoopbackRegistryByLocalhostName_FallsBackToHttp()
    {
        using var client = new RegistryClient(new RegistryClientOptions());
        var host = $"localhost:{fixture.Registry.Port}";

        await client.PingAsync(host);
        var tags = client.ListTagsAsync(TestContent.Repo(host, "endpoint/none"));

        var e = await Assert.ThrowsAsync<ManifestNotFoundException>(async () => await tags.ToListAsync());
        Assert.Contains($"http://{host}/v2/endpoint/none/tags/list", e.Message, StringComparison.Ordinal);
    }

}
