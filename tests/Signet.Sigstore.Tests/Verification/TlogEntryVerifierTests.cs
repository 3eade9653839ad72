using System.Text;
using System.Text.Json.Nodes;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.TransparencyLog;
using Signet.Sigstore.TrustedRoots;
using Signet.Sigstore.Verification;
using TestData = Signet.Testing.TestData;

namespace Signet.Sigstore.Tests.Verification;

/// <summary>
/// The checks on one transparency log entry that come before its body is compared with the bundle, on conformance
/// bundles (shared data) altered one field at a time.
/// </summary>
public sealed class TlogEntryVerifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static SigstoreBundle Bundle(string name) =>
        SigstoreBundle.Parse(File.ReadAllBytes(TestData.Require($"sigstore-conformance/bundle-verify/{name}/bundle.sigstore.json")));

    private static TrustedRoot Root(string path) => TrustedRoot.Parse(File.ReadAllBytes(TestData.Require(path)));

    private static TrustedRoot Production => Root("sigstore-conformance/trusted_root.production.json");

    private static TrustedRoot RekorV2Root => Root("sigstore-conformance/bundle-verify/rekor2-happy-path/trusted_root.json");

    private static TransparencyLogEntry Entry(SigstoreBundle bundle) => bundle.VerificationMaterial!.TlogEntries[0];

    [Fact]
    public void Verify_EntryOfAnUnknownLog_IsSkipped()
    {
        var bundle = Bundle("bundle-from-wrong-instance_fail");

        var outcome = TlogEntryVerifier.Verify(Entry(bundle), bundle, null, Production, Now);

        Assert.True(outcome.Result.IsValid);
        Assert.Null(outcome.Verified);
    }

    [Fact]
    public void Verify_NeitherPromiseNorProof_FailsUnproven()
    {
        var bundle = Bundle("happy-path-v0.3");
        var entry = Entry(bundle) with { SignedEntryTimestamp = null, InclusionProof = null };

        var outcome = TlogEntryVerifier.Verify(entry, bundle, null, Production, Now);

        Assert.Equal(VerificationCodes.TlogEntryUnproven, outcome.Result.Code);
    }

    [Fact]
    public void Verify_RekorV2EntryWithoutProof_FailsMissingInclusionProof()
    {
        var bundle = Bundle("rekor2-happy-path");
        var entry = Entry(bundle) with { InclusionProof = null, SignedEntryTimestamp = new byte[] { 1 } };

        var outcome = TlogEntryVerifier.Verify(entry, bundle, null, RekorV2Root, Now);

        Assert.Equal(TlogCodes.MissingInclusionProof, outcome.Result.Code);
    }

    [Fact]
    public void Verify_IntegratedTimeBeforeTheLogKey_FailsLogKeyNotValid()
    {
        var bundle = Bundle("happy-path-v0.3");
        var entry = Entry(bundle) with { IntegratedTime = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds() };

        var outcome = TlogEntryVerifier.Verify(entry, bundle, null, Production, Now);

        Assert.Equal(VerificationCodes.LogKeyNotValidAtTime, outcome.Result.Code);
        Assert.Contains("https://rekor.sigstore.dev", outcome.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AlteredSet_FailsBadSignature()
    {
        var bundle = Bundle("happy-path-v0.3");
        var entry = Entry(bundle);
        entry = entry with { SignedEntryTimestamp = Flip(entry.SignedEntryTimestamp!.Value, 10) };

        var outcome = TlogEntryVerifier.Verify(entry, bundle, null, Production, Now);

        Assert.Equal(TlogCodes.SetBadSignature, outcome.Result.Code);
    }

    [Fact]
    public void Verify_IntegratedTimeAfterNow_FailsInTheFuture()
    {
        var bundle = Bundle("happy-path-v0.3");
        var integrated = DateTimeOffset.FromUnixTimeSeconds(Entry(bundle).IntegratedTime);

        var withinSkew = TlogEntryVerifier.Verify(Entry(bundle), bundle, null, Production, integrated - TimeSpan.FromMinutes(4));
        var beyondSkew = TlogEntryVerifier.Verify(Entry(bundle), bundle, null, Production, integrated - TimeSpan.FromMinutes(6));

        Assert.NotEqual(VerificationCodes.IntegratedTimeInFuture, withinSkew.Result.Code);
        Assert.Equal(VerificationCodes.IntegratedTimeInFuture, beyondSkew.Result.Code);
    }

    [Fact]
    public void Verify_CorruptedProofHash_FailsWithTheProofCode()
    {
        var bundle = Bundle("happy-path-v0.3");
        var entry = Entry(bundle);
        var proof = entry.InclusionProof!;
        entry = entry with { InclusionProof = proof with { Hashes = proof.Hashes.SetItem(0, Flip(proof.Hashes[0], 0)) } };

        var outcome = TlogEntryVerifier.Verify(entry, bundle, null, Production, Now);

        Assert.Equal(TlogCodes.RootMismatch, outcome.Result.Code);
    }

    [Fact]
    public void Verify_RekorV2LogUnderAnotherHost_FailsCheckpointOrigin()
    {
        var bundle = Bundle("rekor2-happy-path");
        var root = RootWith("sigstore-conformance/bundle-verify/rekor2-happy-path/trusted_root.json", log => log["baseUrl"] = "https://rekor.example.com");

        var outcome = TlogEntryVerifier.Verify(Entry(bundle), bundle, null, root, Now);

        Assert.Equal(TlogCodes.CheckpointMismatch, outcome.Result.Code);
        Assert.Contains("rekor.example.com", outcome.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UnreadableLogKey_FailsLogKeyUnreadable()
    {
        var bundle = Bundle("happy-path-v0.3");
        var root = RootWith("sigstore-conformance/trusted_root.production.json", log => log["publicKey"]!["rawBytes"] = Convert.ToBase64String("not a key"u8));

        var outcome = TlogEntryVerifier.Verify(Entry(bundle), bundle, null, root, Now);

        Assert.Equal(VerificationCodes.LogKeyUnreadable, outcome.Result.Code);
    }

    [Theory]
    [InlineData("hashedrekord", "0.0.2", true)]
    [InlineData("dsse", "0.0.2", true)]
    [InlineData("intoto", "0.0.2", false)]
    [InlineData("hashedrekord", "0.0.1", false)]
    public void IsRekorV2_KindVersion_OnlyRekorV2Kinds(string kind, string version, bool expected)
    {
        var entry = Entry(Bundle("happy-path-v0.3")) with { KindVersion = new KindVersion { Kind = kind, Version = version } };

        Assert.Equal(expected, TlogEntryVerifier.IsRekorV2(entry));
    }

    /// <summary>A trusted root whose every tlog is changed by <paramref name="change"/>.</summary>
    private static TrustedRoot RootWith(string path, Action<JsonNode> change)
    {
        var json = JsonNode.Parse(File.ReadAllBytes(TestData.Require(path)))!;
        foreach (var log in json["tlogs"]!.AsArray())
        {
            change(log!);
        }

        return TrustedRoot.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    private static byte[] Flip(ReadOnlyMemory<byte> bytes, int index)
    {
        var copy = bytes.ToArray();
        copy[index] ^= 0x01;
        return copy;
    }
}
