using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Signet.Crypto.KeyFiles;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.Tests.Conformance;
using Signet.Sigstore.TrustedRoots;
using Signet.Sigstore.Verification;
using Signet.Testing;

namespace Signet.Sigstore.Tests.Verification;

/// <summary>Mutated conformance bundles (shared data) get a verdict, never an exception.</summary>
public sealed class BundleVerifierFuzzTests
{
    private static readonly string[] Seeds =
    [
        "happy-path-v0.1", "happy-path-v0.3", "happy-path-intoto-in-dsse-v3", "rekor2-happy-path", "rekor2-dsse-happy-path", "managed-key-happy-path",
    ];

    [Fact]
    public void Verify_MutatedConformanceBundle_NeverThrows()
    {
        var cases = Seeds.Select(ConformanceCase.Load).ToArray();
        var roots = cases.ToDictionary(c => c.Name, c => TrustedRoot.Parse(File.ReadAllBytes(c.TrustedRootPath)));
        var base64 = Gen.Elements(Encoding.ASCII.GetBytes("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\"-1"));
        var gen = from index in Gen.Choose(0, cases.Length - 1)
                  from bytes in Mutation.Of([File.ReadAllBytes(cases[index].BundlePath)], 1, 3, base64)
                  select (index, bytes);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var conformanceCase = cases[input.index];
            if (SigstoreBundle.Read(input.bytes).Bundle is not { } bundle)
            {
                return true;
            }

            var policy = conformanceCase.KeyPath is null
                ? VerificationPolicy.ForIdentity(new CertificateIdentityPolicy { SubjectAlternativeName = conformanceCase.Identity, Issuer = conformanceCase.Issuer })
                : VerificationPolicy.ForKey(PublicKeyPem.Parse(File.ReadAllText(conformanceCase.KeyPath), conformanceCase.KeyPath));
            var result = new BundleVerifier(roots[conformanceCase.Name]).Verify(bundle, conformanceCase.Artifact(ArtifactInput.File), policy);
            return result.IsValid || (result.Code is { Length: > 0 } && result.Reason is { Length: > 0 });
        }));
    }

    /// <summary>
    /// One field of a conformance bundle's model changed at a time (a flipped byte in a signature or payload,
    /// certificate, body, SET or proof hash; another integrated time, log id, index under a SET, or kind): a verdict, and
    /// never a pass. (An entry's index is covered only by a SET; a proof has its own, which for Rekor v1 is the shard's.)
    /// </summary>
    [Fact]
    public void Verify_OneFieldChanged_FailsWithACode()
    {
        var cases = Seeds.Select(ConformanceCase.Load).ToArray();
        var roots = cases.ToDictionary(c => c.Name, c => TrustedRoot.Parse(File.ReadAllBytes(c.TrustedRootPath)));
        var gen = from index in Gen.Choose(0, cases.Length - 1)
                  from field in Gen.Choose(0, 8)
                  from position in Gen.Choose(0, int.MaxValue - 1)
                  from number in ArbMap.Default.GeneratorFor<long>()
                  select (index, field, position, number);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var conformanceCase = cases[input.index];
            var bundle = SigstoreBundle.Parse(File.ReadAllBytes(conformanceCase.BundlePath));
            var changed = Change(bundle, input.field, input.position, input.number);
            if (changed is null)
            {
                return true;
            }

            var result = new BundleVerifier(roots[conformanceCase.Name]).Verify(changed, conformanceCase.Artifact(ArtifactInput.File), Policy(conformanceCase));
            return !result.IsValid && result.Code is { Length: > 0 } && result.Reason is { Length: > 0 };
        }));
    }

    private static VerificationPolicy Policy(ConformanceCase conformanceCase) => conformanceCase.KeyPath is null
        ? VerificationPolicy.ForIdentity(new CertificateIdentityPolicy { SubjectAlternativeName = conformanceCase.Identity, Issuer = conformanceCase.Issuer })
        : VerificationPolicy.ForKey(PublicKeyPem.Parse(File.ReadAllText(conformanceCase.KeyPath), conformanceCase.KeyPath));

    /// <summary>The bundle with one field changed; null when the bundle has no such field.</summary>
    private static SigstoreBundle? Change(SigstoreBundle bundle, int field, int position, long number)
    {
        var material = bundle.VerificationMaterial!;
        var entry = material.TlogEntries[0];
        switch (field)
        {
            case 0 when bundle.MessageSignature is { } message:
                return bundle with { MessageSignature = message with { Signature = Flip(message.Signature, position) } };
            case 0:
                var envelope = bundle.DsseEnvelope!;
                return bundle with { DsseEnvelope = envelope with { Payload = Flip(envelope.Payload, position) } };
            case 1 when !material.Certificates.IsEmpty:
                return bundle with { VerificationMaterial = material with { Certificates = [Flip(material.Certificates[0], position)] } };
            case 2:
                return WithEntry(bundle, entry with { CanonicalizedBody = Flip(entry.CanonicalizedBody, position) });
            case 3 when entry.SignedEntryTimestamp is { } set:
                return WithEntry(bundle, entry with { SignedEntryTimestamp = Flip(set, position) });
            case 4 when entry.InclusionProof is { Hashes.IsEmpty: false } proof:
                return WithEntry(bundle, entry with { InclusionProof = proof with { Hashes = proof.Hashes.SetItem(position % proof.Hashes.Length, Flip(proof.Hashes[position % proof.Hashes.Length], position)) } });
            case 5 when entry.SignedEntryTimestamp is null:
                return WithEntry(bundle, entry with { KindVersion = new KindVersion { Kind = "hashedrekord", Version = "0.0.1" } });
            case 6 when entry.SignedEntryTimestamp is not null && number != entry.IntegratedTime:
                return WithEntry(bundle, entry with { IntegratedTime = number });
            case 7 when entry.SignedEntryTimestamp is not null && number != entry.LogIndex:
                return WithEntry(bundle, entry with { LogIndex = number });
            case 8:
                return WithEntry(bundle, entry with { LogKeyId = Flip(entry.LogKeyId, position) });
            default:
                return null;
        }
    }

    private static SigstoreBundle WithEntry(SigstoreBundle bundle, TransparencyLogEntry entry) =>
        bundle with { VerificationMaterial = bundle.VerificationMaterial! with { TlogEntries = [entry] } };

    private static byte[] Flip(ReadOnlyMemory<byte> bytes, int position)
    {
        var copy = bytes.ToArray();
        copy[position % copy.Length] ^= (byte)(1 << (position % 8));
        return copy;
    }
}
