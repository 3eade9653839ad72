using System.Text;
using System.Text.Json.Nodes;
using Signet.Sigstore.Tuf;
using Signet.Testing.Tuf;
using static Signet.Testing.Tuf.TufRepositorySimulator;

namespace Signet.Sigstore.Tests.Tuf.Conformance;

/// <summary>Ports of tuf-conformance tuf_conformance/test_basic.py (one test per upstream test; the name is in each summary).</summary>
public sealed class BasicTests : ConformanceTestBase
{
    private static readonly (string, long?)[] TopLevelRequests = [(RootRole, 2), (TimestampRole, null), (SnapshotRole, 1), (TargetsRole, 1)];

    /// <summary>test_basic_refresh_requests.</summary>
    [Fact]
    public async Task Refresh_FreshClient_RequestsRootTimestampSnapshotTargets()
    {
        InitClient();

        Assert.Equal(0, await Client.RefreshAsync());

        Assert.Equal(TopLevelRequests, Repo.MetadataRequests);
    }

    /// <summary>test_basic_refresh_trusted_data.</summary>
    [Fact]
    public async Task Refresh_FreshClient_StoresTheRepositoryBytes()
    {
        InitClient();

        Assert.Equal(0, await Client.RefreshAsync());

        foreach (var role in new[] { RootRole, TimestampRole, SnapshotRole, TargetsRole })
        {
            Assert.Equal(Repo.FetchMetadata(role), Client.LocalBytes(role));
        }
    }

    /// <summary>test_implicit_refresh.</summary>
    [Fact]
    public async Task Download_BeforeRefresh_RefreshesFirst()
    {
        InitClient();

        Assert.Equal(1, await Client.DownloadTargetAsync("nonexistent artifact"));

        Assert.Equal(TufCodes.TargetNotFound, Client.LastError!.Code);
        Assert.Equal(TopLevelRequests, Repo.MetadataRequests);
        foreach (var role in new[] { RootRole, TimestampRole, SnapshotRole, TargetsRole })
        {
            Assert.Equal(Repo.FetchMetadata(role), Client.LocalBytes(role));
        }
    }

    /// <summary>test_invalid_initial_root.</summary>
    [Fact]
    public async Task Refresh_InitialRootWithoutVersion_FailsWithoutRequests()
    {
        var root = JsonNode.Parse(InitialRoot)!;
        root["signed"]!.AsObject().Remove("version");
        Client.Init(Encoding.UTF8.GetBytes(root.ToJsonString()));

        Assert.Equal(1, await Client.RefreshAsync());

        Assert.Equal(TufCodes.Malformed, Client.LastError!.Code);
        Assert.Empty(Repo.MetadataRequests);
    }

    /// <summary>test_unsigned_initial_root.</summary>
    [Fact]
    public async Task Refresh_InitialRootSignatureReplaced_FailsWithoutRequests()
    {
        var root = JsonNode.Parse(InitialRoot)!;
        root["signatures"]![0]!["sig"] = "3045022100ee448afe2d25dd1f05afedac83a24e7df90f203615221434979153dc7cea6d4702207710015851e571885a77db8a6e42c4b2983a59b9e1ebec91178dfa2fb0d42ab8";
        Client.Init(Encoding.UTF8.GetBytes(root.ToJsonString()));

        Assert.Equal(1, await Client.RefreshAsync());

        Assert.Equal(TufCodes.ThresholdNotMet, Client.LastError!.Code);
        Assert.Empty(Repo.MetadataRequests);
    }

    public static TheoryData<string, string> UnsignedCases => new()
    {
        { RootRole, "root:1" },
        { TimestampRole, "root:2" },
        { SnapshotRole, "root:2 timestamp:2" },
        { TargetsRole, "root:2 snapshot:2 timestamp:2" },
    };

    /// <summary>test_unsigned_metadata[root|timestamp|snapshot|targets].</summary>
    [Theory]
    [MemberData(nameof(UnsignedCases))]
    public async Task Refresh_RoleNotSigned_StopsAtThatRole(string role, string trusted)
    {
        Repo.Signers[role].RemoveAt(Repo.Signers[role].Count - 1);
        Repo.Publish(RootRole, TargetsRole, SnapshotRole, TimestampRole);
        InitClient();

        Assert.Equal(1, await Client.RefreshAsync());

        Assert.Equal(TufCodes.ThresholdNotMet, Client.LastError!.Code);
        Assert.Equal(trusted, Trusted());
    }

    public static TheoryData<string, string> MismatchCases => new()
    {
        { RootRole, "root:1" },
        { SnapshotRole, "root:2 timestamp:2" },
        { TargetsRole, "root:2 snapshot:2 timestamp:2" },
    };

    /// <summary>test_url_and_metadata_version_mismatch[root|snapshot|targets]: version 3 served at the URL of version 2.</summary>
    [Theory]
    [MemberData(nameof(MismatchCases))]
    public async Task Refresh_VersionDiffersFromUrl_StopsAtThatRole(string role, string trusted)
    {
        Repo.Publish(RootRole, TargetsRole, SnapshotRole, TimestampRole);
        Repo.SetVersion(role, 3);
        Repo.PublishAsIs(role, urlVersion: 2);
        InitClient();

        Assert.Equal(1, await Client.RefreshAsync());

        Assert.Equal(TufCodes.VersionMismatch, Client.LastError!.Code);
        Assert.Equal(trusted, Trusted());
    }

    /// <summary>test_timestamp_content_changes (and the older test_timestamp_eq_versions_check).</summary>
    [Fact]
    public async Task Refresh_TimestampChangedWithoutNewVersion_KeepsTrustedTimestamp()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());
        var trusted = Client.LocalBytes(TimestampRole);

        Repo.Unpublish(TimestampRole);
        Repo.Timestamp["meta"]!["snapshot.json"]!["version"] = 100;
        Repo.PublishAsIs(TimestampRole);

        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal((TimestampRole, null), Repo.MetadataRequests[^1]);
        Assert.Equal(trusted, Client.LocalBytes(TimestampRole));
    }

    /// <summary>test_basic_metadata_hash_support.</summary>
    [Fact]
    public async Task Refresh_TargetsHashInSnapshotWrong_RefusesTargets()
    {
        Repo.ComputeMetafileHashesAndLength = true;
        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());

        Repo.Publish(TargetsRole);
        Repo.Publish(SnapshotRole);
        Repo.Snapshot["meta"]!["targets.json"]!["hashes"]!["sha256"] = "46419349341cfb2d95f6ae3d4cd5c3d3dd7f4673985dad42a45130be5e0531a0";
        Repo.PublishAsIs(SnapshotRole);
        Repo.Publish(TimestampRole);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.HashMismatch, Client.LastError!.Code);
        Assert.Equal(3, Client.Version(SnapshotRole));
        Assert.Equal(2, Client.Version(TargetsRole));
    }

    /// <summary>test_metadata_bytes_match.</summary>
    [Fact]
    public async Task Refresh_UnusualSerialization_StoresExactBytes()
    {
        InitClient();
        var data = Repo.FetchMetadata(TimestampRole)!.Concat(" "u8.ToArray()).ToArray();
        Repo.Store(TimestampRole, data, 1);

        Assert.Equal(0, await Client.RefreshAsync());

        Assert.Equal(data, Client.LocalBytes(TimestampRole));
    }

    /// <summary>test_custom_fields.</summary>
    [Fact]
    public async Task Refresh_RootWithCustomFields_Accepted()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());

        Repo.Root["custom-field"] = "value";
        Repo.AddKey(RootRole, key: TufTestKey.Ecdsa(new JsonObject { ["extra-field"] = new JsonObject { ["a"] = 1, ["b"] = 2 } }));
        Repo.Root["roles"]![RootRole]!["another-field"] = "value";
        Repo.Publish(RootRole);

        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(2, Client.Version(RootRole));
    }

    /// <summary>test_deprecated_keyid_hash_algorithms.</summary>
    [Fact]
    public async Task Refresh_KeyWithKeyidHashAlgorithms_Ignored()
    {
        InitClient();
        var old = Repo.Signers[SnapshotRole][0];
        Repo.Root["roles"]![SnapshotRole]!["keyids"] = new JsonArray();
        Repo.Root["keys"]!.AsObject().Remove(old.KeyId);
        Repo.Signers[SnapshotRole].Clear();
        Repo.AddKey(SnapshotRole, key: TufTestKey.Ecdsa(new JsonObject { ["keyid_hash_algorithms"] = "md5" }));
        Repo.Publish(RootRole, SnapshotRole, TimestampRole);

        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(2, Client.Version(RootRole));
        Assert.Equal(2, Client.Version(SnapshotRole));
    }

    /// <summary>test_snapshot_404.</summary>
    [Fact]
    public async Task Refresh_SnapshotNamedByTimestampMissing_FailsAfterTimestamp()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());

        Repo.SetVersion(TimestampRole, 2);
        Repo.Timestamp["meta"]!["snapshot.json"]!["version"] = 2;
        Repo.PublishAsIs(TimestampRole);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.FetchFailed, Client.LastError!.Code);
        Assert.Equal((SnapshotRole, 2), Repo.MetadataRequests[^1]);
        Assert.Equal("root:1 snapshot:1 targets:1 timestamp:2", Trusted());
    }

    /// <summary>test_targets_404.</summary>
    [Fact]
    public async Task Refresh_TargetsNamedBySnapshotMissing_FailsAfterSnapshot()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());

        Repo.SetVersion(SnapshotRole, 2);
        Repo.Snapshot["meta"]!["targets.json"]!["version"] = 2;
        Repo.PublishAsIs(SnapshotRole);
        Repo.Publish(TimestampRole);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal((TargetsRole, 2), Repo.MetadataRequests[^1]);
        Assert.Equal("root:1 snapshot:2 targets:1 timestamp:2", Trusted());
    }

    /// <summary>test_timestamp_404.</summary>
    [Fact]
    public async Task Refresh_TimestampMissing_Fails()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());

        Repo.Unpublish(TimestampRole);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.FetchFailed, Client.LastError!.Code);
        Assert.Equal((TimestampRole, null), Repo.MetadataRequests[^1]);
    }

    /// <summary>test_incorrect_metadata_type: a snapshot, signed by the timestamp key too, served as timestamp.</summary>
    [Fact]
    public async Task Refresh_SnapshotServedAsTimestamp_Refused()
    {
        InitClient();
        Repo.AddKey(SnapshotRole, key: Repo.Signers[TimestampRole][0]);
        Repo.Snapshot["meta"] = new JsonObject { ["snapshot.json"] = new JsonObject { ["version"] = 1 } };
        Repo.Publish(RootRole);
        Repo.SetVersion(SnapshotRole, 2);
        Repo.Store(TimestampRole, Repo.Sign(SnapshotRole), 2);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.Malformed, Client.LastError!.Code);
        Assert.Contains("_type", Client.LastError.Message, StringComparison.Ordinal);
        Assert.Equal("root:2", Trusted());
    }

    /// <summary>test_faketime: the client takes "now" from the injected clock.</summary>
    [Fact]
    public async Task Refresh_ClockPastRootExpiry_Fails()
    {
        InitClient();
        var now = DateTimeOffset.UtcNow;
        Repo.SetExpires(RootRole, now.AddDays(7));
        Repo.Publish(RootRole);

        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(1, await Client.RefreshAsync(now.AddDays(8)));
        Assert.Equal(TufCodes.Expired, Client.LastError!.Code);
    }

    /// <summary>test_new_targets_version_mismatch: a new targets version that snapshot does not name is not fetched.</summary>
    [Fact]
    public async Task Refresh_TargetsPublishedWithoutSnapshot_NotFetched()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());

        Repo.Publish(TargetsRole);

        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(1, Client.Version(TargetsRole));
        Assert.Equal((TimestampRole, null), Repo.MetadataRequests[^1]);
    }

    private string Trusted() => string.Join(' ', Client.TrustedRoles().Select(r => $"{r.Role}:{r.Version}"));
}
