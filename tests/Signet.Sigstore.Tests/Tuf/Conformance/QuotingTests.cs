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
}
