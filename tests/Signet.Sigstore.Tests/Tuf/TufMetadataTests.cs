using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Signet.Sigstore.Tuf;
using Signet.Testing;
using TestData = Signet.Testing.TestData;

namespace Signet.Sigstore.Tests.Tuf;

public class TufMetadataTests
{
    private static string Sigstore(string name) => Path.Combine(TestData.Require(Path.Combine("sigstore-root-signing", "metadata")), name);

    private static byte[] TufOnCiTargets() =>
        File.ReadAllBytes(Path.Combine(TestData.Require(Path.Combine("tuf-conformance", "static_data", "tuf-on-ci-0.11", "metadata")), "1.targets.json"));

    private static byte[] Modified(byte[] raw, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(raw)!.AsObject();
        change(node);
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    [Fact]
    public void Parse_SigstoreTopLevelMetadata_ReadsVersionsAndMeta()
    {
        var timestamp = TimestampMetadata.Parse(File.ReadAllBytes(Sigstore("timestamp.json")));
        var snapshot = SnapshotMetadata.Parse(File.ReadAllBytes(Sigstore("snapshot.json")));
        var targets = TargetsMetadata.Parse(File.ReadAllBytes(Sigstore("targets.json")));

        Assert.Equal(762, timestamp.Version);
        Assert.Equal(File.ReadAllBytes(Sigstore("timestamp.json")), timestamp.Raw.ToArray());
        Assert.Equal(File.ReadAllBytes(Sigstore("targets.json")), targets.Raw.ToArray());
        Assert.Equal(snapshot.Version, timestamp.SnapshotMeta.Version);
        Assert.Equal(snapshot.Meta["targets.json"].Version, targets.Version);
        Assert.True(targets.Targets["trusted_root.json"].Length > 0);
        var delegation = Assert.Single(targets.Delegations!.Roles);
        Assert.Equal("registry.npmjs.org", delegation.Name);
        Assert.True(delegation.IsDelegatedPath("registry.npmjs.org/keys.json"));
        Assert.False(delegation.IsDelegatedPath("trusted_root.json"));
    }

    [Fact]
    public void Parse_TufOnCiDelegation_TerminatingWithPaths()
    {
        var role = Assert.Single(TargetsMetadata.Parse(TufOnCiTargets()).Delegations!.Roles);

        Assert.True(role.Terminating);
        Assert.Equal(1, role.Threshold);
        Assert.Equal(2, role.KeyIds.Length);
        Assert.True(role.IsDelegatedPath("delegatedrole/artifact"));
        Assert.False(role.IsDelegatedPath("artifact"));
    }

    [Theory]
    [InlineData("timestamp.json", "snapshot")]
    [InlineData("snapshot.json", "timestamp")]
    [InlineData("targets.json", "timestamp")]
    public void Parse_WrongType_Malformed(string file, string otherParser)
    {
        var raw = File.ReadAllBytes(Sigstore(file));

        var e = Assert.Throws<TufException>(() => Parse(otherParser, raw));

        Assert.Equal(TufCodes.Malformed, e.Code);
        Assert.Contains("_type", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TimestampWithTwoMetaEntries_Malformed()
    {
        var raw = Modified(File.ReadAllBytes(Sigstore("timestamp.json")), n => n["signed"]!["meta"]!["targets.json"] = new JsonObject { ["version"] = 1 });

        var e = Assert.Throws<TufException>(() => TimestampMetadata.Parse(raw));

        Assert.Contains("exactly one entry", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version", "0")]
    [InlineData("spec_version", "\"2.0\"")]
    [InlineData("expires", "\"tomorrow\"")]
    [InlineData("version", "1.5")]
    public void Parse_BadCommonField_Malformed(string field, string json)
    {
        var raw = Modified(File.ReadAllBytes(Sigstore("snapshot.json")), n => n["signed"]![field] = JsonNode.Parse(json));

        var e = Assert.Throws<TufException>(() => SnapshotMetadata.Parse(raw));

        Assert.Equal(TufCodes.Malformed, e.Code);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TargetWithoutHashesOrNegativeLength_Malformed()
    {
        var raw = File.ReadAllBytes(Sigstore("targets.json"));
        var noHashes = Modified(raw, n => n["signed"]!["targets"]!["trusted_root.json"]!.AsObject().Remove("hashes"));
        var negative = Modified(raw, n => n["signed"]!["targets"]!["trusted_root.json"]!["length"] = -1);

        Assert.Contains("hashes", Assert.Throws<TufException>(() => TargetsMetadata.Parse(noHashes)).Message, StringComparison.Ordinal);
        Assert.Contains("negative", Assert.Throws<TufException>(() => TargetsMetadata.Parse(negative)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name", "\"targets\"", "top-level role name")]
    [InlineData("path_hash_prefixes", "[\"ab\"]", "exactly one of")]
    [InlineData("keyids", "[\"unknown\"]", "not in the keys")]
    [InlineData("threshold", "0", "1 to 1000")]
    public void Parse_BadDelegation_Malformed(string field, string json, string expected)
    {
        var raw = Modified(TufOnCiTargets(), n => n["signed"]!["delegations"]!["roles"]![0]![field] = JsonNode.Parse(json));

        var e = Assert.Throws<TufException>(() => TargetsMetadata.Parse(raw));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    /// <summary>python-tuf's succinct_bins_graph vectors (tests/test_updater_delegation_graphs.py).</summary>
    [Theory]
    [InlineData(1, "boo", "bin-0")]
    [InlineData(1, "too", "bin-1")]
    [InlineData(2, "foo", "bin-0")]
    [InlineData(2, "doo", "bin-1")]
    [InlineData(2, "too", "bin-2")]
    [InlineData(2, "bar", "bin-3")]
    [InlineData(8, "bar", "bin-fc")]
    public void RoleFor_SuccinctRoles_BinOfThePathHash(int bitLength, string targetPath, string bin)
    {
        var roles = new TufSuccinctRoles([], 1, bitLength, "bin");

        Assert.Equal(bin, roles.RoleFor(targetPath));
        Assert.True(roles.IsBin(bin));
    }

    [Theory]
    [InlineData(2, "bin-4")]
    [InlineData(2, "bin-00")]
    [InlineData(8, "bin-0")]
    [InlineData(8, "other-00")]
    [InlineData(32, "bin-")]
    public void IsBin_NameOutsideTheBins_False(int bitLength, string role)
    {
        Assert.False(new TufSuccinctRoles([], 1, bitLength, "bin").IsBin(role));
    }

    [Fact]
    public void Parse_SuccinctRoles_ReadsBins()
    {
        var raw = Modified(TufOnCiTargets(), n =>
        {
            var delegations = n["signed"]!["delegations"]!.AsObject();
            var keyId = delegations["roles"]![0]!["keyids"]![0]!.DeepClone();
            delegations.Remove("roles");
            delegations["succinct_roles"] = new JsonObject { ["keyids"] = new JsonArray(keyId), ["threshold"] = 1, ["bit_length"] = 4, ["name_prefix"] = "b" };
        });

        var targets = TargetsMetadata.Parse(raw);

        var bin = Assert.Single(targets.RolesForTarget("any/path"));
        Assert.True(bin.Terminating);
        Assert.Matches("^b-[0-9a-f]$", bin.Name);
        Assert.NotNull(targets.Delegations!.Find("b-f"));
        Assert.Null(targets.Delegations.Find("b-10"));
    }

    [Theory]
    [InlineData("{\"keyids\": [], \"threshold\": 1, \"bit_length\": 0, \"name_prefix\": \"b\"}", "1 to 32", true)]
    [InlineData("{\"keyids\": [], \"threshold\": 1, \"bit_length\": 33, \"name_prefix\": \"b\"}", "1 to 32", true)]
    [InlineData("{\"keyids\": [], \"threshold\": 1, \"bit_length\": 4, \"name_prefix\": \"b\"}", "exactly one of 'roles' and 'succinct_roles'", false)]
    public void Parse_BadSuccinctRoles_Malformed(string succinct, string expected, bool withoutRoles)
    {
        var raw = Modified(TufOnCiTargets(), n =>
        {
            var delegations = n["signed"]!["delegations"]!.AsObject();
            if (withoutRoles)
            {
                delegations.Remove("roles");
            }

            delegations["succinct_roles"] = JsonNode.Parse(succinct);
        });

        var e = Assert.Throws<TufException>(() => TargetsMetadata.Parse(raw));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rsa", "rsassa-pss-sha256", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    [InlineData("ecdsa", "ecdsa-sha2-nistp384", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    [InlineData("ed25519", "ed25519", "00")]
    [InlineData("ecdsa", "ecdsa-sha2-nistp256", "not a key")]
    public void TryGetPublicKey_UnsupportedOrBrokenKey_NotUsable(string keyType, string scheme, string value)
    {
        Assert.False(new TufKey("id", keyType, scheme, value).TryGetPublicKey(out _));
        Assert.Throws<TufException>(() => new TufKey("id", keyType, scheme, value).ToPublicKey());
    }

    [Fact]
    public void Parse_OverTheLimit_TooLarge()
    {
        var raw = File.ReadAllBytes(Sigstore("timestamp.json"));

        var e = Assert.Throws<TufException>(() => TimestampMetadata.Parse(raw, maxBytes: raw.Length - 1));

        Assert.Equal(TufCodes.TooLarge, e.Code);
    }

    [Theory]
    [InlineData("*", "a", true)]
    [InlineData("*", "a/b", false)]
    [InlineData("*/*", "a/b", true)]
    [InlineData("releases/*/*", "releases/x/x_v1", true)]
    [InlineData("releases/*/*", "releases/x", false)]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/README.md", false)]
    [InlineData("file-?.txt", "file-1.txt", true)]
    [InlineData("file-?.txt", "file-12.txt", false)]
    [InlineData("v[0-9].tgz", "v7.tgz", true)]
    [InlineData("v[!0-9].tgz", "v7.tgz", false)]
    [InlineData("v[!0-9].tgz", "vx.tgz", true)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("[.tgz", "[.tgz", true)]
    public void IsDelegatedPath_Pattern_MatchesSegmentBySegment(string pattern, string path, bool expected)
    {
        var role = new TufDelegatedRole("r", [], 1, false, [pattern], null);

        Assert.Equal(expected, role.IsDelegatedPath(path));
    }

    [Fact]
    public void IsDelegatedPath_HashPrefix_MatchesSha256OfPath()
    {
        // sha256("targetfile") = 9b4b8b7e...; the prefix of another path does not match it.
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("targetfile"u8));
        var role = new TufDelegatedRole("bin", [], 1, false, null, [hash[..2]]);

        Assert.True(role.IsDelegatedPath("targetfile"));
        Assert.Equal(hash[..2] == Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("other"u8))[..2], role.IsDelegatedPath("other"));
    }

    [Fact]
    public void IsDelegatedPath_HostilePattern_FinishesQuickly()
    {
        var role = new TufDelegatedRole("r", [], 1, false, [string.Concat(Enumerable.Repeat("a*", 200)) + "b"], null);

        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(role.IsDelegatedPath(new string('a', 5000)));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Fact]
    public void Parse_MutatedMetadata_OnlyTufException()
    {
        var seeds = new[] { "timestamp.json", "snapshot.json", "targets.json", "root.json" }.Select(f => File.ReadAllBytes(Sigstore(f))).Append(TufOnCiTargets()).ToArray();
        var gen = Mutation.Of(seeds, 1, 4, Gen.Elements<byte>((byte)'"', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)':', (byte)',', (byte)'\\', (byte)'-', (byte)'0', (byte)'9', (byte)'.', 0x00, 0xc3, 0xff));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1500), Prop.ForAll(gen.ToArbitrary(), ParsesOrRefuses));
    }

    [Fact]
    public void Parse_RandomBytes_OnlyTufException()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(ArbMap.Default.GeneratorFor<byte[]>().ToArbitrary(), ParsesOrRefuses));
    }

    private static bool ParsesOrRefuses(byte[] raw)
    {
        foreach (var kind in new[] { "root", "timestamp", "snapshot", "targets" })
        {
            try
            {
                Parse(kind, raw);
            }
            catch (TufException)
            {
                // Refused with a code: fine.
            }
        }

        return true;
    }

    private static object Parse(string kind, byte[] raw) => kind switch
    {
        "root" => RootMetadata.Parse(raw),
        "timestamp" => TimestampMetadata.Parse(raw, SnapshotMetadata.MaxBytes),
        "snapshot" => SnapshotMetadata.Parse(raw),
        _ => TargetsMetadata.Parse(raw),
    };
}
