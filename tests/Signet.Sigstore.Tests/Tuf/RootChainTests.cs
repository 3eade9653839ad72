using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Signet.Sigstore.Tuf;
using Signet.Testing;

namespace Signet.Sigstore.Tests.Tuf;

public class RootChainTests
{
    private static string History => TestData.Require(Path.Combine("sigstore-root-signing", "metadata", "root_history"));

    private static byte[] Raw(int version) => File.ReadAllBytes(Path.Combine(History, $"{version}.root.json"));

    private static RootMetadata Root(int version) => RootMetadata.Parse(Raw(version));

    private static RootMetadata Modified(int version, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(Raw(version))!.AsObject();
        change(node);
        return RootMetadata.Parse(Encoding.UTF8.GetBytes(node.ToJsonString()));
    }

    [Fact]
    public void VerifyChain_SigstoreRootsOneToFifteen_ReachesVersionFifteen()
    {
        var last = RootChain.VerifyChain(Root(1), Enumerable.Range(2, 14).Select(Root));

        Assert.Equal(15, last.Version);
        Assert.Equal(3, last.RootRole.Threshold);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(15)]
    public void CountValidSignatures_OwnRootRole_MeetsThreshold(int version)
    {
        var root = Root(version);

        Assert.True(root.CountValidSignatures(root.RootRole, root.Keys) >= root.RootRole.Threshold);
    }

    [Fact]
    public void VerifyUpdate_VersionSkipped_FailsNamingVersions()
    {
        var e = Assert.Throws<TufException>(() => RootChain.VerifyUpdate(Root(12), Root(14)));

        Assert.Contains("expected 13", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyUpdate_SignaturesRemovedBelowThreshold_Fails()
    {
        // v15 carries 5 signatures; keep only the first two non-empty ones.
        var next = Modified(15, node =>
        {
            var kept = new JsonArray();
            foreach (var sig in node["signatures"]!.AsArray().Where(s => s!["sig"]!.GetValue<string>().Length > 0).Take(2))
            {
                kept.Add(sig!.DeepClone());
            }

            node["signatures"] = kept;
        });

        var e = Assert.Throws<TufException>(() => RootChain.VerifyUpdate(Root(14), next));

        Assert.Contains("needs 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyUpdate_SignedBodyTampered_Fails()
    {
        var next = Modified(15, node => node["signed"]!["expires"] = "2099-01-01T00:00:00Z");

        var e = Assert.Throws<TufException>(() => RootChain.VerifyUpdate(Root(14), next));

        Assert.Contains("valid signatures from the root keys of trusted v14", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyUpdate_SameSignatureRepeated_CountsKeyOnce()
    {
        // Three copies of one valid signature must not reach a threshold of 3.
        var next = Modified(15, node =>
        {
            var one = node["signatures"]!.AsArray().First(s => s!["sig"]!.GetValue<string>().Length > 0)!;
            node["signatures"] = new JsonArray(one.DeepClone(), one.DeepClone(), one.DeepClone());
        });

        Assert.Throws<TufException>(() => RootChain.VerifyUpdate(Root(14), next));
    }

    [Fact]
    public void Parse_WrongType_Fails()
    {
        var e = Assert.Throws<TufException>(() => Modified(15, node => node["signed"]!["_type"] = "targets"));

        Assert.Contains("_type", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateKey_Fails()
    {
        Assert.Throws<TufException>(() => RootMetadata.Parse("{\"signed\":{},\"signed\":{}}"u8.ToArray()));
    }

    [Fact]
    public void Encode_Object_SortsKeysAndEscapesOnlyQuoteAndBackslash()
    {
        using var document = JsonDocument.Parse("{\"b\": [1, true, null], \"a\": \"x\\\"y\\\\z\\n\u00e9\"}");

        var canonical = Encoding.UTF8.GetString(CanonicalJson.Encode(document.RootElement));

        Assert.Equal("{\"a\":\"x\\\"y\\\\z\n\u00e9\",\"b\":[1,true,null]}", canonical);
    }

    [Fact]
    public void Encode_Float_Fails()
    {
        using var document = JsonDocument.Parse("{\"a\": 1.5}");

        Assert.Throws<TufException>(() => CanonicalJson.Encode(document.RootElement));
    }
}
