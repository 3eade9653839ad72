using Signet.Sigstore.Tuf;
using static Signet.Testing.Tuf.TufRepositorySimulator;

namespace Signet.Sigstore.Tests.Tuf.Conformance;

/// <summary>Ports of tuf-conformance tuf_conformance/test_quoting_issues.py.</summary>
public sealed class QuotingTests : ConformanceTestBase
{
    /// <summary>test_unusual_role_name[?|#|/delegatedrole|../delegatedrole]: the URL and the local file quote the name.</summary>
    [Theory]
    [InlineData("?", "%3F")]
    [InlineData("#", "%23")]
    [InlineData("/delegatedrole", "%2Fdelegatedrole")]
    [InlineData("../delegatedrole", "..%2Fdelegatedrole")]
    public async Task Download_UnusualRoleName_RequestedQuoted(string role, string quoted)
    {
        Repo.AddDelegation(TargetsRole, role);
        Repo.PublishAsIs(role);
        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);
        InitClient();

        Assert.Equal(1, await Client.DownloadTargetAsync("nonexistent target"));

        Assert.Equal(TufCodes.TargetNotFound, Client.LastError!.Code);
        Assert.Contains((quoted, 1), Repo.MetadataRequests);
        Assert.Equal(5, Client.TrustedRoles().Count);
        Assert.True(File.Exists(Path.Combine(Client.MetadataDirectory, quoted + ".json")));
        Assert.Single(Directory.GetFiles(Client.MetadataDirectory, "*", SearchOption.AllDirectories), f => f.Contains(quoted, StringComparison.Ordinal));
    }

    /// <summary>
    /// test_TestDelegateConsistentSnapshotDisabled (an earlier test_expiration.py): delegated roles named "role1", ".."
    /// and "." without consistent snapshots; fetched as unversioned names that stay single path segments, and kept
    /// inside the metadata directory.
    /// </summary>
    [Fact]
    public async Task Download_DotRoleNamesWithoutConsistentSnapshot_StayInsideTheMetadataDirectory()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());
        Repo.Root["consistent_snapshot"] = false;
        Repo.Publish(RootRole);
        foreach (var role in new[] { "role1", "..", "." })
        {
            Repo.AddDelegation(TargetsRole, role, body: NewTargets(DateTimeOffset.UtcNow.AddDays(5)));
            Repo.PublishAsIs(role);
        }

        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);

        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(1, await Client.DownloadTargetAsync("missing"));

        Assert.Equal(TufCodes.TargetNotFound, Client.LastError!.Code);
        Assert.Equal([("role1", null), ("..", null), (".", null)], Repo.MetadataRequests.TakeLast(3));
        Assert.Equal(["...json", "..json", "role1.json"], Directory.GetFiles(Client.MetadataDirectory, "*.json").Select(Path.GetFileName).Where(f => f is "...json" or "..json" or "role1.json").Order(StringComparer.Ordinal));
    }
}
