using Signet.Registry.Auth;
using Signet.Testing;
using Signet.Testing.Registry;

namespace Signet.Registry.Tests.Client;

internal static class AuthenticatedClients
{
    public static RegistryClient Create(RegistryProcess registry, Credential credential, RegistryClientOptions? options = null) =>
        new(options ?? new RegistryClientOptions(), h => new AuthHandler(new ExplicitCredentialProvider(registry.Host, credential), h));

    /// <summary>Pushes a blob monolithic and one chunked, a manifest by tag, and reads everything back.</summary>
    public static async Task RoundTripAsync(RegistryProcess registry, Credential credential, string repository)
    {
        using var client = Create(registry, credential, new RegistryClientOptions { ChunkSize = 16 * 1024 });
        var repo = TestContent.Repo(registry.Host, repository);
        var small = TestContent.Layer(1000, seed: 100);
        var large = TestContent.Layer(100_000, seed: 101);
        foreach (var blob in new[] { small, large, TestContent.EmptyConfig })
        {
            await client.PushBlobAsync(repo, blob.Descriptor, blob.Open());
        }

        var manifest = TestContent.Manifest(TestContent.EmptyConfig, [small, large]);
        await client.PutManifestAsync(repo, "v1", manifest);

        var fetched = await client.GetManifestAsync(repo, "v1");
        Assert.Equal(manifest.Raw.ToArray(), fetched.Raw.ToArray());
        await using var stream = await client.GetBlobAsync(repo, large.Descriptor);
        Assert.Equal(large.Content, await TestBytes.ReadAllAsync(stream));
        Assert.Equal(["v1"], await client.ListTagsAsync(repo).ToListAsync());
    }
}

public sealed class RegistryClientHtpasswdTests(HtpasswdRegistryFixture fixture) : IClassFixture<HtpasswdRegistryFixture>
{
    [Fact]
    public async Task PushAndPull_BasicCredentials_RoundTrips()
    {
        await AuthenticatedClients.RoundTripAsync(
            fixture.Registry, Credential.Basic(RegistryProcess.HtpasswdUser, RegistryProcess.HtpasswdPassword), "basic/app");
    }

    [Fact]
    public async Task PingAsync_WrongPassword_ThrowsNamingUser()
    {
        using var client = AuthenticatedClients.Create(fixture.Registry, Credential.Basic(RegistryProcess.HtpasswdUser, "wrong"));

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.PingAsync(fixture.Registry.Host));

        Assert.Contains(RegistryProcess.HtpasswdUser, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetManifestAsync_NoCredentials_ThrowsAuthenticationError()
    {
        using var client = new RegistryClient(new RegistryClientOptions());

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(TestContent.Repo(fixture.Registry.Host, "basic/app"), "v1"));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.Contains("signet login", e.Message, StringComparison.Ordinal);
    }
}

public sealed class RegistryClientTokenTests(TokenRegistryFixture fixture) : IClassFixture<TokenRegistryFixture>
{
    [Fact]
    public async Task PushAndPull_TokenAccount_RoundTrips()
    {
        await AuthenticatedClients.RoundTripAsync(
            fixture.Registry, Credential.Basic(RegistryProcess.PushUser, RegistryProcess.PushPassword), "token/app");
    }

    [Fact]
    public async Task MountBlobAsync_TokenAccount_MountsAcrossRepositories()
    {
        using var client = AuthenticatedClients.Create(fixture.Registry, Credential.Basic(RegistryProcess.PushUser, RegistryProcess.PushPassword));
        var source = TestContent.Repo(fixture.Registry.Host, "token/mount-a");
        var target = TestContent.Repo(fixture.Registry.Host, "token/mount-b");
        var blob = TestContent.Layer(3000, seed: 102);
        await client.PushBlobAsync(source, blob.Descriptor, blob.Open());

        Assert.True(await client.MountBlobAsync(target, blob.Descriptor, source.Repository));
        Assert.True(await client.BlobExistsAsync(target, blob.Descriptor));
    }

    [Fact]
    public async Task PushBlobAsync_PullOnlyAccount_ThrowsClearDenial()
    {
        using var client = AuthenticatedClients.Create(fixture.Registry, Credential.Basic(RegistryProcess.PullUser, RegistryProcess.PullPassword));
        var repo = TestContent.Repo(fixture.Registry.Host, "token/readonly");
        var blob = TestContent.Layer(100, seed: 103);

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.PushBlobAsync(repo, blob.Descriptor, blob.Open()));

        Assert.Contains(RegistryProcess.PullUser, e.Message, StringComparison.Ordinal);
        Assert.Contains("push", e.Message, StringComparison.Ordinal);
        Assert.Contains("token/readonly", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutManifestAsync_PullOnlyAccount_ThrowsClearDenial()
    {
        using var client = AuthenticatedClients.Create(fixture.Registry, Credential.Basic(RegistryProcess.PullUser, RegistryProcess.PullPassword));
        var repo = TestContent.Repo(fixture.Registry.Host, "token/readonly");
        var manifest = TestContent.Manifest(TestContent.EmptyConfig, []);

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.PutManifestAsync(repo, "v1", manifest));

        Assert.Contains(RegistryProcess.PullUser, e.Message, StringComparison.Ordinal);
        Assert.Contains("push", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetManifestAsync_PullOnlyAccountAfterPush_ReadsIt()
    {
        using (var pusher = AuthenticatedClients.Create(fixture.Registry, Credential.Basic(RegistryProcess.PushUser, RegistryProcess.PushPassword)))
        {
            var repo = TestContent.Repo(fixture.Registry.Host, "token/shared");
            await pusher.PushBlobAsync(repo, TestContent.EmptyConfig.Descriptor, TestContent.EmptyConfig.Open());
            await pusher.PutManifestAsync(repo, "v1", TestContent.Manifest(TestContent.EmptyConfig, []));
        }

        using var puller = AuthenticatedClients.Create(fixture.Registry, Credential.Basic(RegistryProcess.PullUser, RegistryProcess.PullPassword));
        var fetched = await puller.GetManifestAsync(TestContent.Repo(fixture.Registry.Host, "token/shared"), "v1");

        Assert.Equal(TestContent.Manifest(TestContent.EmptyConfig, []).Digest, fetched.Digest);
    }
}
