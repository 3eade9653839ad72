using System.Text;
using Signet.Sigstore.TransparencyLog;

namespace Signet.Sigstore.Tests.TransparencyLog;

public sealed class SignedEntryTimestampTests
{
    [Theory]
    [InlineData("happy-path-v0.1")]
    [InlineData("happy-path-v0.2")]
    [InlineData("happy-path-v0.3")]
    [InlineData("happy-path-intoto-in-dsse-v3")]
    public void Verify_ConformanceEntry_Succeeds(string caseName)
    {
        var entry = ConformanceLog.Entry(caseName);

        var result = SignedEntryTimestamp.Verify(entry, ConformanceLog.LogKey(entry.LogKeyId));

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Verify_FlippedSet_FailsWithBadSignature()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");
        var tampered = entry with { SignedEntryTimestamp = ConformanceLog.Flip(entry.SignedEntryTimestamp!.Value, entry.SignedEntryTimestamp.Value.Length - 1) };

        Assert.Equal(TlogCodes.SetBadSignature, SignedEntryTimestamp.Verify(tampered, ConformanceLog.LogKey(entry.LogKeyId)).Code);
    }

    [Fact]
    public void Verify_GarbageSet_FailsWithBadSignature()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");
        var tampered = entry with { SignedEntryTimestamp = new byte[] { 0x30, 0x03, 0x02, 0x01 } };

        Assert.Equal(TlogCodes.SetBadSignature, SignedEntryTimestamp.Verify(tampered, ConformanceLog.LogKey(entry.LogKeyId)).Code);
    }

    [Fact]
    public void Verify_FlippedBody_FailsWithBadSignature()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");
        var tampered = entry with { CanonicalizedBody = ConformanceLog.Flip(entry.CanonicalizedBody, 10) };

        Assert.Equal(TlogCodes.SetBadSignature, SignedEntryTimestamp.Verify(tampered, ConformanceLog.LogKey(entry.LogKeyId)).Code);
    }

    [Fact]
    public void Verify_ChangedIntegratedTime_FailsWithBadSignature()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");

        Assert.Equal(TlogCodes.SetBadSignature, SignedEntryTimestamp.Verify(entry with { IntegratedTime = entry.IntegratedTime + 1 }, ConformanceLog.LogKey(entry.LogKeyId)).Code);
        Assert.Equal(TlogCodes.SetBadSignature, SignedEntryTimestamp.Verify(entry with { LogIndex = entry.LogIndex + 1 }, ConformanceLog.LogKey(entry.LogKeyId)).Code);
    }

    [Fact]
    public void Verify_ConformanceInvalidSet_FailsWithBadSignature()
    {
        var entry = ConformanceLog.Entry("set-invalid-signature_fail");

        Assert.Equal(TlogCodes.SetBadSignature, SignedEntryTimestamp.Verify(entry, ConformanceLog.LogKey(entry.LogKeyId)).Code);
    }

    [Fact]
    public void Verify_NoSet_FailsWithMissingSet()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3") with { SignedEntryTimestamp = null };

        Assert.Equal(TlogCodes.MissingSet, SignedEntryTimestamp.Verify(entry, ConformanceLog.LogKey(entry.LogKeyId)).Code);
    }

    [Fact]
    public void Verify_Ed25519LogKey_FailsWithUnsupportedKey()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");
        var ed25519 = ConformanceLog.LogKey(Convert.FromBase64String("zxGZFVvd0FEmjR8WrFwMdcAJ9vtaY/QXf44Y1wUeP6A="));

        Assert.Equal(TlogCodes.SetUnsupportedKey, SignedEntryTimestamp.Verify(entry, ed25519).Code);
    }

    [Fact]
    public void Verify_NegativeIndex_FailsWithInvalidInput()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3") with { LogIndex = -1 };

        Assert.Equal(TlogCodes.InvalidInput, SignedEntryTimestamp.Verify(entry, ConformanceLog.LogKey(entry.LogKeyId)).Code);
    }

    [Fact]
    public void CanonicalPayload_SmallEntry_IsSortedCompactJson()
    {
        var payload = SignedEntryTimestamp.CanonicalPayload("{}"u8, 1624396085, 5179, [0xAB, 0x01]);

        Assert.Equal("{\"body\":\"e30=\",\"integratedTime\":1624396085,\"logID\":\"ab01\",\"logIndex\":5179}", Encoding.UTF8.GetString(payload));
    }

    [Fact]
    public void CanonicalPayload_IntegerBeyond2Pow53_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedEntryTimestamp.CanonicalPayload([], 1L << 53, 0, []));
    }
}
