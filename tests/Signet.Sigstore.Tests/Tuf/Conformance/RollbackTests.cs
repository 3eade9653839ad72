using Signet.Sigstore.Tuf;
using static Signet.Testing.Tuf.TufRepositorySimulator;

namespace Signet.Sigstore.Tests.Tuf.Conformance;

/// <summary>Ports of tuf-conformance tuf_conformance/test_rollback.py.</summary>
public sealed class RollbackTests : ConformanceTestBase
{
    /// <summary>test_simple_snapshot_rollback: an older snapshot served without a new timestamp is never fetched.</summary>
    [Fact]
    public async Task Refresh_OlderSnapshotWithoutNewTimestamp_KeepsTrustedSnapshot()
    {
        InitClient();
        Repo.Publish(SnapshotRole, TimestampRole);
        Assert.Equal(0, await Client.RefreshAsync());

        Repo.SetVersion(SnapshotRole, 1);
        Repo.PublishAsIs(SnapshotRole, urlVersion: 2);

        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(2, Client.Version(SnapshotRole));
        Assert.Equal((TimestampRole, null), Repo.MetadataRequests[^1]);
    }

    /// <summary>test_new_timestamp_version_rollback.</summary>
    [Fact]
    public async Task Refresh_OlderTimestamp_Refused()
    {
        InitClient();
        Repo.Publish(TimestampRole);
        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(2, Client.Version(TimestampRole));

        Repo.SetVersion(TimestampRole, 1);
        Repo.PublishAsIs(TimestampRole);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.Rollback, Client.LastError!.Code);
        Assert.Equal(2, Client.Version(TimestampRole));
        Assert.Equal((TimestampRole, null), Repo.MetadataRequests[^1]);
    }

    /// <summary>test_snapshot_rollback[basic|with hashes]: a new timestamp naming an older snapshot is refused.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Refresh_TimestampNamingOlderSnapshot_Refused(bool useHashes)
    {
        Repo.ComputeMetafileHashesAndLength = useHashes;
        InitClient();
        Repo.Publish(SnapshotRole, TimestampRole);
        Assert.Equal(0, await Client.RefreshAsync());

        Repo.SetVersion(SnapshotRole, 1);
        Repo.PublishAsIs(SnapshotRole);
        Repo.Publish(TimestampRole);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.Rollback, Client.LastError!.Code);
        Assert.Equal(2, Client.Version(TimestampRole));
        Assert.Equal(2, Client.Version(SnapshotRole));
        Assert.Equal((TimestampRole, null), Repo.MetadataRequests[^1]);
    }

    /// <summary>test_new_targets_fast_forward_recovery: after the snapshot keys rotate, targets may go back to v1.</summary>
    [Fact]
    public async Task Refresh_TargetsFastForwardThenSnapshotKeysRotated_Recovers()
    {
        InitClient();
        Repo.SetVersion(TargetsRole, 99999);
        Repo.PublishAsIs(TargetsRole);
        Repo.Publish(SnapshotRole, TimestampRole);
        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(99999, Client.Version(TargetsRole));

        Repo.RotateKeys(SnapshotRole);
        Repo.Publish(RootRole);
        Repo.SetVersion(TargetsRole, 1);
        Repo.PublishAsIs(TargetsRole);
        Repo.Publish(SnapshotRole, TimestampRole);

        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(1, Client.Version(TargetsRole));
    }

    /// <summary>test_new_snapshot_fast_forward_recovery: after snapshot and timestamp keys rotate, snapshot may go back to v1.</summary>
    [Fact]
    public async Task Refresh_SnapshotFastForwardThenKeysRotated_Recovers()
    {
        InitClient();
        Repo.SetVersion(SnapshotRole, 99999);
        Repo.PublishAsIs(SnapshotRole);
        Repo.Publish(TimestampRole);
        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(99999, Client.Version(SnapshotRole));

        Repo.RotateKeys(SnapshotRole);
        Repo.RotateKeys(TimestampRole);
        Repo.Publish(RootRole);
        Repo.SetVersion(SnapshotRole, 1);
        Repo.PublishAsIs(SnapshotRole);
        Repo.Publish(TimestampRole);

        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(1, Client.Version(SnapshotRole));
    }

    /// <summary>test_new_snapshot_version_mismatch: the snapshot at timestamp's URL is another version.</summary>
    [Fact]
    public async Task Refresh_SnapshotVersionNotAsTimestampSays_Refused()
    {
        InitClient();
        Repo.SetVersion(SnapshotRole, 2);
        Repo.PublishAsIs(SnapshotRole, urlVersion: 1);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.VersionMismatch, Client.LastError!.Code);
        Assert.Equal([(RootRole, 1L), (TimestampRole, 1L)], Client.TrustedRoles());
        Assert.Equal((SnapshotRole, 1), Repo.MetadataRequests[^1]);
    }

    /// <summary>test_new_timestamp_fast_forward_recovery: after the timestamp keys rotate, timestamp may go back to v1.</summary>
    [Fact]
    public async Task Refresh_TimestampFastForwardThenKeysRotated_Recovers()
    {
        InitClient();
        Repo.SetVersion(TimestampRole, 99999);
        Repo.PublishAsIs(TimestampRole);
        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(99999, Client.Version(TimestampRole));

        Repo.RotateKeys(TimestampRole);
        Repo.Publish(RootRole);
        Repo.SetVersion(TimestampRole, 1);
        Repo.PublishAsIs(TimestampRole);

        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(1, Client.Version(TimestampRole));
    }

    /// <summary>
    /// test_targets_rollback[basic|with hashes]: a snapshot listing targets older than the trusted snapshot does is refused
    /// (spec 5.5.5), so snapshot and targets stay at v2. Upstream's assertion of snapshot v3 depends on its simulator's
    /// publish semantics; the check itself is the same.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Refresh_SnapshotListingOlderTargets_Refused(bool useHashes)
    {
        Repo.ComputeMetafileHashesAndLength = useHashes;
        InitClient();
        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);
        Assert.Equal(0, await Client.RefreshAsync());

        Repo.SetVersion(TargetsRole, 1);
        Repo.PublishAsIs(TargetsRole);
        Repo.Publish(SnapshotRole, TimestampRole);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.Rollback, Client.LastError!.Code);
        Assert.Equal(2, Client.Version(SnapshotRole));
        Assert.Equal(2, Client.Version(TargetsRole));
    }
}
