using System.Text.Json.Nodes;
using Signet.Sigstore.Tuf;
using static Signet.Testing.Tuf.TufRepositorySimulator;

namespace Signet.Sigstore.Tests.Tuf.Conformance;

/// <summary>Ports of tuf-conformance tuf_conformance/test_keys.py (thresholds counted over distinct keys).</summary>
public sealed class KeysTests : ConformanceTestBase
{
    /// <summary>test_root_has_keys_but_not_snapshot: raising the snapshot threshold in root alone does not make snapshot valid.</summary>
    [Fact]
    public async Task Refresh_SnapshotThresholdAboveItsSignatures_Refused()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());
        await SnapshotThresholdThreeWithFourKeysAsync();

        SetThreshold(SnapshotRole, 5);
        Repo.Publish(RootRole);
        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.ThresholdNotMet, Client.LastError!.Code);
        Assert.Equal(5, Client.Version(RootRole));

        // A fifth key only in root (it never signs) still leaves snapshot short of the threshold.
        Repo.AddKey(SnapshotRole, sign: false);
        Repo.Publish(RootRole);
        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(6, Client.Version(RootRole));
        Assert.Equal(3, Client.Version(SnapshotRole));
    }

    /// <summary>test_wrong_hashing_algorithm: a misleading keyid_hash_algorithms field on a key is ignored.</summary>
    [Fact]
    public async Task Refresh_KeyWithWrongKeyidHashAlgorithm_Updates()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());
        await SnapshotThresholdThreeWithFourKeysAsync();
        Repo.AddKey(SnapshotRole);
        SetThreshold(SnapshotRole, 5);
        var first = Repo.Root["roles"]![SnapshotRole]!["keyids"]![0]!.GetValue<string>();
        Repo.Root["keys"]![first]!["keyid_hash_algorithms"] = new JsonArray("md5");
        Repo.Publish(RootRole);
        Repo.Publish(SnapshotRole, TimestampRole);

        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(5, Client.Version(RootRole));
        Assert.Equal(4, Client.Version(SnapshotRole));
    }

    /// <summary>test_snapshot_threshold: five snapshot keys, threshold six.</summary>
    [Fact]
    public async Task Refresh_SnapshotThresholdAboveKeyCount_Refused()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());
        for (var i = 0; i < 4; i++)
        {
            Repo.AddKey(SnapshotRole);
        }

        SetThreshold(SnapshotRole, 6);
        Repo.Publish(RootRole);
        Repo.Publish(SnapshotRole, TimestampRole);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.ThresholdNotMet, Client.LastError!.Code);
        Assert.Equal(1, Client.Version(SnapshotRole));
    }

    /// <summary>test_duplicate_keys_root: one key id listed nine times for snapshot cannot meet a threshold of six.</summary>
    [Fact]
    public async Task Refresh_RootListsOneKeyIdManyTimes_Refused()
    {
        InitClient();
        var key = Repo.NewKey();
        Repo.Root["keys"]![key.KeyId] = key.Json.DeepClone();
        for (var i = 0; i < 9; i++)
        {
            Repo.Root["roles"]![SnapshotRole]!["keyids"]!.AsArray().Add(key.KeyId);
        }

        Repo.AddSigner(SnapshotRole, key);
        SetThreshold(SnapshotRole, 6);
        Repo.Publish(RootRole);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.Malformed, Client.LastError!.Code);
        Assert.Null(Client.Version(SnapshotRole));
    }

    /// <summary>
    /// The older form of test_duplicate_keys_root: distinct key ids, identical keys. The same public key under two key
    /// ids counts once, so a threshold of two is not met by one key signing twice.
    /// </summary>
    [Fact]
    public async Task Refresh_SameKeyUnderTwoKeyIds_CountsOnce()
    {
        InitClient();
        var key = Repo.Signers[SnapshotRole][0];
        var twin = key.Json.DeepClone();
        twin["x-twin"] = true;
        Repo.Root["keys"]!["twin"] = twin;
        Repo.Root["roles"]![SnapshotRole]!["keyids"]!.AsArray().Add("twin");
        SetThreshold(SnapshotRole, 2);
        Repo.Publish(RootRole);
        var snapshot = JsonNode.Parse(Repo.Sign(SnapshotRole))!;
        var signature = snapshot["signatures"]![0]!.DeepClone();
        signature["keyid"] = "twin";
        snapshot["signatures"]!.AsArray().Add(signature);
        Repo.Unpublish(SnapshotRole);
        Repo.Store(SnapshotRole, System.Text.Encoding.UTF8.GetBytes(snapshot.ToJsonString()), 1);

        Assert.Equal(1, await Client.RefreshAsync());
        Assert.Equal(TufCodes.ThresholdNotMet, Client.LastError!.Code);
        Assert.Contains("has 1 valid signatures", Client.LastError.Message, StringComparison.Ordinal);
    }

    /// <summary>tuf-conformance's initial_setup_for_key_threshold: threshold 3 reached only once four keys sign.</summary>
    private async Task SnapshotThresholdThreeWithFourKeysAsync()
    {
        SetThreshold(SnapshotRole, 3);
        Repo.Publish(RootRole);
        Repo.AddKey(SnapshotRole);
        Repo.Publish(RootRole);
        Repo.Publish(SnapshotRole, TimestampRole);
        Assert.Equal(1, await Client.RefreshAsync());

        Repo.AddKey(SnapshotRole);
        Repo.AddKey(SnapshotRole);
        Repo.Publish(RootRole);
        Repo.Publish(SnapshotRole, TimestampRole);
        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(3, Client.Version(SnapshotRole));
        Assert.Equal(4, Client.Version(RootRole));
    }

    private void SetThreshold(string role, int threshold) => Repo.Root["roles"]![role]!["threshold"] = threshold;
}
