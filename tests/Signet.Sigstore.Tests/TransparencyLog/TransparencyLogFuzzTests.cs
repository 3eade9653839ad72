using FsCheck;
using FsCheck.Fluent;
using Signet.Sigstore.TransparencyLog;

namespace Signet.Sigstore.Tests.TransparencyLog;

/// <summary>Malformed checkpoints and proofs are refused with a reason, never an exception.</summary>
public sealed class TransparencyLogFuzzTests
{
    [Fact]
    public void TryParse_MutatedConformanceCheckpoint_NeverThrows()
    {
        var note = ConformanceLog.Entry("happy-path-v0.3").InclusionProof!.Checkpoint!;
        var gen = from position in Gen.Choose(0, note.Length - 1)
                  from length in Gen.Choose(0, 4)
                  from insert in Gen.Elements("", "\n", " ", "\u2014 ", "=", "0", "\n\n", "A", "\r")
                  select note[..position] + insert + note[Math.Min(note.Length, position + length)..];

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(gen.ToArbitrary(), (string mutated) =>
        {
            var parsed = Checkpoint.TryParse(mutated, out var checkpoint, out var reason);
            return parsed ? checkpoint is not null : checkpoint is null && reason.Length > 0;
        }));
    }

    [Fact]
    public void VerifyInclusion_RandomInputs_NeverThrows()
    {
        var gen = from index in ArbMap.Default.GeneratorFor<long>()
                  from size in ArbMap.Default.GeneratorFor<long>()
                  from count in Gen.Choose(0, 70)
                  from width in Gen.Elements(31, 32, 33)
                  select (index, size, count, width);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var hashes = Enumerable.Range(0, input.count).Select(_ => (ReadOnlyMemory<byte>)new byte[input.width]).ToArray();
            return !MerkleProof.VerifyInclusion(new byte[32], input.index, input.size, hashes, new byte[32]).IsValid || input.count == 0;
        }));
    }
}
