using Signet.Sigstore.Tuf;
using static Signet.Testing.Tuf.TufRepositorySimulator;

namespace Signet.Sigstore.Tests.Tuf.Conformance;

/// <summary>Ports of tuf-conformance tuf_conformance/test_expiration.py and test_delegated_expiration.py (freeze attacks).</summary>
public sealed class ExpirationTests : ConformanceTestBase
{
    /// <summary>test_root_expired: an expired root is persisted (5.3.10 checks after), but nothing else updates.</summary>
    [Fact]
    public async Task Refresh_NewRootExpired_RootKeptNothingElseUpdated()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());
        Repo.Publish(RootRole);
        Assert.Equal(0, await Client.RefreshAsync());

        Repo.SetExpires(RootRole, DateTimeOffset.UtcNow.AddDays(-1));
        Repo.Publish(RootRole);
        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.Expired, Client.LastError!.Code);
        Assert.Contains("root v3", Client.LastError.Message, StringComparison.Ordinal);
        Assert.Equal(3, Client.Version(RootRole));
        Assert.Equal(1, Client.Version(TimestampRole));
        Assert.Equal(1, Client.Version(SnapshotRole));
    }

    /// <summary>test_snapshot_expired.</summary>
    [Fact]
    public async Task Refresh_NewSnapshotExpired_NotStored()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());

        Repo.SetExpires(SnapshotRole, DateTimeOffset.UtcNow.AddDays(-5));
        Repo.Publish(SnapshotRole, TimestampRole);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.Expired, Client.LastError!.Code);
        Assert.Equal(2, Client.Version(TimestampRole));
        Assert.Equal(1, Client.Version(SnapshotRole));
    }

    /// <summary>test_targets_expired.</summary>
    [Fact]
    public async Task Refresh_NewTargetsExpired_NotStored()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());

        Repo.SetExpires(TargetsRole, DateTimeOffset.UtcNow.AddDays(-5));
        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.Expired, Client.LastError!.Code);
        Assert.Equal(2, Client.Version(SnapshotRole));
        Assert.Equal(1, Client.Version(TargetsRole));
    }

    /// <summary>test_expired_metadata: expired local timestamp/snapshot do not stop an update to valid new ones (day 18).</summary>
    [Fact]
    public async Task Refresh_LocalTimestampExpiredButNewOneValid_Updates()
    {
        InitClient();
        var now = DateTimeOffset.UtcNow;
        Repo.SetExpires(TimestampRole, now.AddDays(7));
        Repo.Unpublish(TimestampRole);
        Repo.PublishAsIs(TimestampRole);
        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal([(RootRole, 1L), (SnapshotRole, 1L), (TargetsRole, 1L), (TimestampRole, 1L)], Client.TrustedRoles());

        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);
        Repo.SetExpires(TimestampRole, now.AddDays(21));
        Repo.Publish(TimestampRole);

        Assert.Equal(0, await Client.RefreshAsync(now.AddDays(18)));
        Assert.Equal(2, Client.Version(TargetsRole));
        Assert.Equal(3, Client.Version(TimestampRole));
        Assert.Equal(2, Client.Version(SnapshotRole));
    }

    /// <summary>test_timestamp_expired.</summary>
    [Fact]
    public async Task Refresh_NewTimestampExpired_NotStored()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());

        Repo.SetExpires(TimestampRole, DateTimeOffset.UtcNow.AddDays(-5));
        Repo.Publish(TimestampRole);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.Expired, Client.LastError!.Code);
        Assert.Equal(1, Client.Version(TimestampRole));
    }

    /// <summary>test_delegated_targets_expired (test_delegated_expiration.py).</summary>
    [Fact]
    public async Task Download_DelegatedRoleExpired_Refused()
    {
        InitClient();
        Repo.AddDelegation(TargetsRole, "delegated", ["delegatedpath/*"], body: NewTargets(DateTimeOffset.UtcNow.AddDays(-1)));
        Repo.AddArtifact("delegated", "delegated content"u8.ToArray(), "delegatedpath/target");
        Repo.Publish("delegated", TargetsRole, SnapshotRole, TimestampRole);

        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(1, await Client.DownloadTargetAsync("delegatedpath/target"));

        Assert.Equal(TufCodes.Expired, Client.LastError!.Code);
        Assert.Empty(Client.DownloadedTargets());
        Assert.Equal([(RootRole, 1L), (SnapshotRole, 2L), (TargetsRole, 2L), (TimestampRole, 2L)], Client.TrustedRoles());
    }

    /// <summary>test_expired_local_delegated_targets (test_delegated_expiration.py).</summary>
    [Fact]
    public async Task Download_TrustedDelegatedRoleExpiredNoNewer_Refused()
    {
        InitClient();
        var now = DateTimeOffset.UtcNow;
        Repo.AddDelegation(TargetsRole, "delegated", ["delegatedpath/*"], body: NewTargets(now.AddDays(7)));
        Repo.AddArtifact("delegated", "first"u8.ToArray(), "delegatedpath/first");
        Repo.AddArtifact("delegated", "second"u8.ToArray(), "delegatedpath/second");
        Repo.Publish("delegated", TargetsRole, SnapshotRole, TimestampRole);
        Assert.Equal(0, await Client.DownloadTargetAsync("delegatedpath/first"));

        Assert.Equal(1, await Client.DownloadTargetAsync("delegatedpath/second", now.AddDays(18)));

        Assert.Equal(TufCodes.Expired, Client.LastError!.Code);
        Assert.Equal(["first"], Client.DownloadedTargets());
    }

    /// <summary>test_expired_local_delegated_targets_updates (test_delegated_expiration.py).</summary>
    [Fact]
    public async Task Download_TrustedDelegatedRoleExpiredNewerValid_Updates()
    {
        InitClient();
        var now = DateTimeOffset.UtcNow;
        Repo.AddDelegation(TargetsRole, "delegated", ["delegatedpath/*"], body: NewTargets(now.AddDays(7)));
        Repo.AddArtifact("delegated", "first"u8.ToArray(), "delegatedpath/first");
        Repo.AddArtifact("delegated", "second"u8.ToArray(), "delegatedpath/second");
        Repo.Publish("delegated", TargetsRole, SnapshotRole, TimestampRole);
        Assert.Equal(0, await Client.DownloadTargetAsync("delegatedpath/first"));

        Repo.SetExpires("delegated", now.AddDays(21));
        Repo.Publish("delegated", SnapshotRole, TimestampRole);

        Assert.Equal(0, await Client.DownloadTargetAsync("delegatedpath/second", now.AddDays(18)));
        Assert.Equal(["first", "second"], Client.DownloadedTargets());
    }
}
