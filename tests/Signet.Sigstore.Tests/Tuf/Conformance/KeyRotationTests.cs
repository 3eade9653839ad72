using static Signet.Testing.Tuf.TufRepositorySimulator;

namespace Signet.Sigstore.Tests.Tuf.Conformance;

/// <summary>Ports of tuf-conformance tuf_conformance/test_updater_key_rotations.py.</summary>
public sealed class KeyRotationTests : ConformanceTestBase
{
    /// <summary>One metadata version: the key indexes it trusts, its threshold, the key indexes that sign it.</summary>
    public sealed record MdVersion(int[] Keys, int Threshold, int[] Sigs, bool Result = true);

    public static TheoryData<string, MdVersion[]> RootRotationCases => new()
    {
        { "1-of-1-key-rotation", [new([1], 1, [1]), new([2], 1, [2, 1]), new([2], 1, [2])] },
        { "1-of-1-key-rotation-unused-signatures", [new([1], 1, [3, 1, 4]), new([2], 1, [3, 2, 1, 4]), new([2], 1, [3, 2, 4])] },
        { "3-of-5-sign-with-different-keycombos", [new([0, 1, 2, 3, 4], 3, [0, 2, 4]), new([0, 1, 2, 3, 4], 3, [0, 4, 1]), new([0, 1, 2, 3, 4], 3, [0, 1, 3]), new([0, 1, 2, 3, 4], 3, [0, 1, 3])] },
        { "3-of-5-one-key-rotated", [new([0, 1, 2, 3, 4], 3, [0, 2, 4]), new([0, 1, 3, 4, 5], 3, [0, 4, 1])] },
        { "3-of-5-one-key-rotated-with-intermediate-step", [new([0, 1, 2, 3, 4], 3, [0, 2, 4]), new([0, 1, 3, 4, 5], 3, [0, 2, 4, 5]), new([0, 1, 3, 4, 5], 3, [0, 4, 5])] },
        { "3-of-5-all-keys-rotated-with-intermediate-step", [new([0, 1, 2, 3, 4], 3, [0, 2, 4]), new([5, 6, 7, 8, 9], 3, [0, 2, 4, 5, 6, 7]), new([5, 6, 7, 8, 9], 3, [5, 6, 7])] },
        { "1-of-3-threshold-increase-to-2-of-3", [new([1, 2, 3], 1, [1]), new([1, 2, 3], 2, [1, 2])] },
        { "2-of-3-threshold-decrease-to-1-of-3", [new([1, 2, 3], 2, [1, 2]), new([1, 2, 3], 1, [1, 2]), new([1, 2, 3], 1, [1])] },
        { "1-of-2-threshold-increase-to-2-of-2", [new([1], 1, [1]), new([1, 2], 2, [1, 2])] },
        { "1-of-1-key-rotation-fail-not-signed-with-old-key", [new([1], 1, [1]), new([2], 1, [2, 3, 4], false)] },
        { "1-of-1-key-rotation-fail-not-signed-with-new-key", [new([1], 1, [1]), new([2], 1, [1, 3, 4], false)] },
        { "3-of-5-one-key-rotate-fails-not-signed-with-3-new-keys", [new([0, 1, 2, 3, 4], 3, [0, 2, 4]), new([0, 1, 3, 4, 5], 3, [0, 2, 4], false)] },
        { "3-of-5-one-key-rotate-fails-not-signed-with-3-old-keys", [new([0, 1, 2, 3, 4], 3, [0, 2, 4]), new([0, 1, 3, 4, 5], 3, [0, 4, 5], false)] },
        { "1-of-3-threshold-bump-to-2-of-3-fails-new-threshold-not-reached", [new([1, 2, 3], 1, [1]), new([1, 2, 3], 2, [2], false)] },
        { "2-of-3-threshold-decr-to-1-of-3-fails-old-threshold-not-eached", [new([1, 2, 3], 2, [1, 2]), new([1, 2, 3], 1, [1], false)] },
    };

    public static TheoryData<string, MdVersion> NonRootRotationCases => new()
    {
        { "1-of-1-key-rotation", new([2], 1, [2]) },
        { "1-of-1-key-rotation-unused-signatures", new([1], 1, [3, 1, 4]) },
        { "1-of-1-key-rotation-fail-not-signed-with-new-key", new([2], 1, [1, 3, 4], false) },
        { "3-of-5-one-key-signature-wrong-not-signed-with-3-expected-keys", new([0, 1, 3, 4, 5], 3, [0, 2, 4], false) },
        { "2-of-5-one-key-signature-mising-threshold-not-reached", new([0, 1, 3, 4, 5], 3, [0, 4], false) },
        { "3-of-5-sign-first-combo", new([0, 1, 2, 3, 4], 3, [0, 2, 4]) },
        { "3-of-5-sign-second-combo", new([0, 1, 2, 3, 4], 3, [0, 4, 1]) },
        { "3-of-5-sign-third-combo", new([0, 1, 2, 3, 4], 3, [0, 1, 3]) },
        { "3-of-5-sign-fourth-combo", new([0, 1, 2, 3, 4], 3, [1, 2, 3]) },
        { "3-of-5-sign-fifth-combo", new([0, 1, 2, 3, 4], 3, [2, 3, 4]) },
    };

    /// <summary>test_root_rotation[...]: Ed25519 root keys; the local root ends as the last (or, on failure, the last good) root.</summary>
    [Theory]
    [MemberData(nameof(RootRotationCases))]
    public async Task Refresh_RootRotations_AcceptsExactlyTheValidChain(string name, MdVersion[] versions)
    {
        var keys = Enumerable.Range(0, 10).Select(_ => Repo.NewKey(ed25519: true)).ToArray();
        Repo.Unpublish(RootRole);
        Repo.SetVersion(RootRole, 0);
        foreach (var version in versions)
        {
            SetRole(RootRole, keys, version);
            Repo.Publish(RootRole);
        }

        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);
        Client.Init(Repo.FetchMetadata(RootRole, 1)!);

        var roots = Repo.PublishedRoots();
        var success = versions[^1].Result;
        Assert.True((success ? 0 : 1) == await Client.RefreshAsync(), $"{name}: {Client.LastError?.Message}");
        Assert.Equal(success ? roots[^1] : roots[^2], Client.LocalBytes(RootRole));
    }

    /// <summary>test_non_root_rotations[...]: timestamp, snapshot and targets keys replaced in turn.</summary>
    [Theory]
    [MemberData(nameof(NonRootRotationCases))]
    public async Task Refresh_NonRootRotations_AcceptsOnlyValidSignatures(string name, MdVersion version)
    {
        InitClient();
        var keys = Enumerable.Range(0, 10).Select(_ => Repo.NewKey()).ToArray();
        foreach (var role in new[] { TimestampRole, SnapshotRole, TargetsRole })
        {
            SetRole(role, keys, version);
            Repo.Publish(RootRole, TargetsRole, SnapshotRole, TimestampRole);

            Assert.True((version.Result ? 0 : 1) == await Client.RefreshAsync(), $"{name}/{role}: {Client.LastError?.Message}");
            if (version.Result)
            {
                Assert.Equal(Repo.FetchMetadata(role), Client.LocalBytes(role));
            }
        }
    }

    private void SetRole(string role, Signet.Testing.Tuf.TufTestKey[] keys, MdVersion version)
    {
        Repo.Root["roles"]![role]!["keyids"] = new System.Text.Json.Nodes.JsonArray();
        Repo.Root["roles"]![role]!["threshold"] = version.Threshold;
        Repo.Signers[role] = [];
        foreach (var i in version.Keys)
        {
            Repo.AddKey(role, key: keys[i], sign: false);
        }

        foreach (var i in version.Sigs)
        {
            Repo.AddSigner(role, keys[i]);
        }
    }
}
