using System.Text;
using Signet.Sigstore.TransparencyLog;

namespace Signet.Sigstore.Tests.TransparencyLog;

public sealed class CheckpointTests
{
    [Theory]
    [InlineData("happy-path-v0.3")]
    [InlineData("happy-path-v0.2")]
    [InlineData("happy-path-intoto-in-dsse-v3")]
    public void VerifySignature_ConformanceCheckpoint_Succeeds(string caseName)
    {
        var entry = ConformanceLog.Entry(caseName);

        Assert.True(Checkpoint.TryParse(entry.InclusionProof!.Checkpoint, out var checkpoint, out var reason), reason);
        var result = checkpoint!.VerifySignature(ConformanceLog.LogKey(entry.LogKeyId));

        Assert.True(result.IsValid, result.ToString());
        Assert.StartsWith("rekor.sigstore.dev - ", checkpoint.Origin, StringComparison.Ordinal);
        Assert.Equal(entry.InclusionProof.TreeSize, checkpoint.TreeSize);
        Assert.Equal(entry.InclusionProof.RootHash.ToArray(), checkpoint.RootHash.ToArray());
    }

    [Fact]
    public void TryParse_ConformanceCheckpoint_ReadsSignatureLine()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");

        Assert.True(Checkpoint.TryParse(entry.InclusionProof!.Checkpoint, out var checkpoint, out _));

        var signature = Assert.Single(checkpoint!.Signatures);
        Assert.Equal("rekor.sigstore.dev", signature.Name);
        Assert.Equal(Checkpoint.KeyHint(ConformanceLog.LogKey(entry.LogKeyId), "rekor.sigstore.dev"), signature.KeyHint);
        Assert.Empty(checkpoint.Extensions);
    }

    [Fact]
    public void VerifySignature_FlippedSignature_FailsWithBadSignature()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");
        Assert.True(Checkpoint.TryParse(entry.InclusionProof!.Checkpoint, out var checkpoint, out _));
        var signature = checkpoint!.Signatures[0];
        var tampered = checkpoint with { Signatures = [signature with { Signature = ConformanceLog.Flip(signature.Signature, signature.Signature.Length - 1) }] };

        var result = tampered.VerifySignature(ConformanceLog.LogKey(entry.LogKeyId));

        Assert.Equal(TlogCodes.CheckpointBadSignature, result.Code);
    }

    [Fact]
    public void VerifySignature_EditedBody_FailsWithBadSignature()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");
        var note = entry.InclusionProof!.Checkpoint!;
        var edited = note.Replace("\n75408393\n", "\n75408394\n", StringComparison.Ordinal);
        Assert.NotEqual(note, edited);

        Assert.True(Checkpoint.TryParse(edited, out var checkpoint, out _));
        Assert.Equal(TlogCodes.CheckpointBadSignature, checkpoint!.VerifySignature(ConformanceLog.LogKey(entry.LogKeyId)).Code);
    }

    [Fact]
    public void VerifySignature_OtherLogKey_FailsWithNoMatchingSignature()
    {
        var entry = ConformanceLog.Entry("happy-path-v0.3");
        Assert.True(Checkpoint.TryParse(entry.InclusionProof!.Checkpoint, out var checkpoint, out _));
        var other = ConformanceLog.LogKey(Convert.FromBase64String("zxGZFVvd0FEmjR8WrFwMdcAJ9vtaY/QXf44Y1wUeP6A="));

        Assert.Equal(TlogCodes.CheckpointNoMatchingSignature, checkpoint!.VerifySignature(other).Code);
    }

    [Theory]
    [InlineData("checkpoint-bad-keyhint_fail", TlogCodes.CheckpointNoMatchingSignature)]
    [InlineData("invalid-checkpoint-signature_fail", TlogCodes.CheckpointBadSignature)]
    public void VerifySignature_ConformanceFailCase_FailsWithReason(string caseName, string code)
    {
        var entry = ConformanceLog.Entry(caseName);

        Assert.True(Checkpoint.TryParse(entry.InclusionProof!.Checkpoint, out var checkpoint, out var reason), reason);

        Assert.Equal(code, checkpoint!.VerifySignature(ConformanceLog.LogKey(entry.LogKeyId)).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("origin\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")]
    [InlineData("origin\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n")]
    [InlineData("origin\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 name AAAAAAA=")]
    [InlineData("origin\n01\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 name AAAAAAA=\n")]
    [InlineData("origin\n-1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 name AAAAAAA=\n")]
    [InlineData("origin\n99999999999999999999\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 name AAAAAAA=\n")]
    [InlineData("origin\n1\nAAAA\n\n\u2014 name AAAAAAA=\n")]
    [InlineData("origin\n1\n!!!!\n\n\u2014 name AAAAAAA=\n")]
    [InlineData("\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 name AAAAAAA=\n")]
    [InlineData("origin\n1\n\n\u2014 name AAAAAAA=\n")]
    [InlineData("origin\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n- name AAAAAAA=\n")]
    [InlineData("origin\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 name AAAA\n")]
    [InlineData("origin\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 name !!\n")]
    [InlineData("origin\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 nameAAAAAAA=\n")]
    [InlineData("origin\r\n1\r\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n\u2014 name AAAAAAA=\r\n")]
    public void TryParse_MalformedNote_ReturnsFalseWithReason(string note)
    {
        Assert.False(Checkpoint.TryParse(note, out var checkpoint, out var reason));
        Assert.Null(checkpoint);
        Assert.NotEmpty(reason);
    }

    [Fact]
    public void TryParse_ExtensionLinesAndTwoSignatures_ReadsThem()
    {
        const string note = "example.com/log\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\next one\next two\n\n\u2014 a AQIDBAU=\n\u2014 b AQIDBAYH\n";

        Assert.True(Checkpoint.TryParse(note, out var checkpoint, out var reason), reason);

        Assert.Equal(["ext one", "ext two"], checkpoint!.Extensions.ToArray());
        Assert.Equal(2, checkpoint.Signatures.Length);
        Assert.Equal(0x01020304u, checkpoint.Signatures[1].KeyHint);
        Assert.Equal("example.com/log\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\next one\next two\n", Encoding.UTF8.GetString(checkpoint.SignedBody.Span));
    }

    [Fact]
    public void TryParse_OversizedNote_ReturnsFalse()
    {
        var note = new string('a', Checkpoint.MaxNoteBytes + 1);

        Assert.False(Checkpoint.TryParse(note, out _, out var reason));
        Assert.Contains("larger", reason, StringComparison.Ordinal);
    }
}
