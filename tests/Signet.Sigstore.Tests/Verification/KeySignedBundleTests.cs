using System.Security.Cryptography;
using System.Text;
using Signet.Crypto;
using Signet.Crypto.Dsse;
using Signet.Crypto.InToto;
using Signet.Crypto.Keys;
using Signet.Oci;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.TrustedRoots;
using Signet.Sigstore.Verification;
using Signet.Testing.Signers;
using TestData = Signet.Testing.TestData;

namespace Signet.Sigstore.Tests.Verification;

/// <summary>
/// Key-signed bundles made here (no transparency log, so verified with the log requirement switched off): the
/// signature, artifact and policy checks of <see cref="BundleVerifier"/>, each failure with its code.
/// </summary>
public sealed class KeySignedBundleTests : IDisposable
{
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("hello, signed world\n");

    private readonly EcdsaTestSigner _signer = new();

    private static TrustedRoot Production => TrustedRoot.Parse(File.ReadAllBytes(TestData.Require("sigstore-conformance/trusted_root.production.json")));

    private VerificationPolicy KeyPolicy => VerificationPolicy.ForKey(_signer.PublicKey) with { InsecureIgnoreTlog = true };

    public void Dispose() => _signer.Dispose();

    [Fact]
    public async Task Verify_MessageSignature_FileAndDigest_AreValid()
    {
        var bundle = await MessageBundleAsync(Content);
        var verifier = new BundleVerifier(Production);

        Assert.True(verifier.Verify(bundle, Artifact.FromBytes(Content), KeyPolicy).IsValid);
        Assert.True(verifier.Verify(bundle, Artifact.FromSha256(SHA256.HashData(Content)), KeyPolicy).IsValid);
    }

    [Fact]
    public async Task Verify_TlogRequiredWithoutEntries_FailsWithNoVerifiedTlogEntry()
    {
        var bundle = await MessageBundleAsync(Content);

        var result = new BundleVerifier(Production).Verify(bundle, Artifact.FromBytes(Content), VerificationPolicy.ForKey(_signer.PublicKey));

        Assert.Equal(VerificationCodes.NoVerifiedTlogEntry, result.Code);
    }

    [Fact]
    public async Task Verify_OtherArtifact_FailsWithArtifactMismatch()
    {
        var bundle = await MessageBundleAsync(Content);

        var result = new BundleVerifier(Production).Verify(bundle, Artifact.FromBytes("another file\n"u8.ToArray()), KeyPolicy);

        Assert.Equal(VerificationCodes.ArtifactMismatch, result.Code);
        Assert.Contains("messageDigest", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SignatureOverOtherBytes_FailsWithSignatureInvalid()
    {
        var signature = await _signer.SignAsync("something else"u8.ToArray());
        var bundle = Message(SHA256.HashData(Content), BundleHashAlgorithm.Sha256, signature, BundleWriter.PublicKeyHint(_signer.PublicKey));

        var result = new BundleVerifier(Production).Verify(bundle, Artifact.FromBytes(Content), KeyPolicy);

        Assert.Equal(VerificationCodes.SignatureInvalid, result.Code);
    }

    [Fact]
    public async Task Verify_MessageSignatureWithoutArtifact_FailsWithArtifactUnusable()
    {
        var bundle = await MessageBundleAsync(Content);

        var result = new BundleVerifier(Production).Verify(bundle, null, KeyPolicy);

        Assert.Equal(VerificationCodes.ArtifactUnusable, result.Code);
    }

    [Fact]
    public async Task Verify_Sha384MessageDigest_VerifiesFromBytesButNotFromASha256Digest()
    {
        var signature = await _signer.SignAsync(Content);
        var bundle = Message(SHA384.HashData(Content), BundleHashAlgorithm.Sha384, signature, BundleWriter.PublicKeyHint(_signer.PublicKey));
        var verifier = new BundleVerifier(Production);

        Assert.True(verifier.Verify(bundle, Artifact.FromBytes(Content), KeyPolicy).IsValid);
        Assert.Equal(VerificationCodes.ArtifactUnusable, verifier.Verify(bundle, Artifact.FromSha256(SHA256.HashData(Content)), KeyPolicy).Code);
    }

    [Fact]
    public async Task Verify_Ed25519WithOnlyADigest_FailsWithArtifactUnusable()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.Ed25519);
        using var signer = key.CreateSigner();
        var signature = await signer.SignAsync(Content);
        var bundle = Message(SHA256.HashData(Content), BundleHashAlgorithm.Sha256, signature, BundleWriter.PublicKeyHint(key.PublicKey));
        var policy = VerificationPolicy.ForKey(key.PublicKey) with { InsecureIgnoreTlog = true };
        var verifier = new BundleVerifier(Production);

        Assert.True(verifier.Verify(bundle, Artifact.FromBytes(Content), policy).IsValid);
        Assert.Equal(VerificationCodes.ArtifactUnusable, verifier.Verify(bundle, Artifact.FromSha256(SHA256.HashData(Content)), policy).Code);
    }

    [Fact]
    public async Task Verify_KeyBundleWithIdentityPolicy_FailsWithPolicyMismatch()
    {
        var bundle = await MessageBundleAsync(Content);
        var policy = VerificationPolicy.ForIdentity(new CertificateIdentityPolicy { SubjectAlternativeName = "someone@example.com", Issuer = "https://accounts.example.com" });

        var result = new BundleVerifier(Production).Verify(bundle, Artifact.FromBytes(Content), policy);

        Assert.Equal(VerificationCodes.PolicyMismatch, result.Code);
    }

    [Fact]
    public async Task Verify_HintOfAnotherKey_FailsWithKeyMismatch()
    {
        using var other = new EcdsaTestSigner();
        var bundle = await MessageBundleAsync(Content);

        var result = new BundleVerifier(Production).Verify(bundle, Artifact.FromBytes(Content), VerificationPolicy.ForKey(other.PublicKey) with { InsecureIgnoreTlog = true });

        Assert.Equal(VerificationCodes.KeyMismatch, result.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("my-release-key")]
    public async Task Verify_OtherKeyAndNoDigestHint_FailsWithSignatureInvalid(string hint)
    {
        using var other = new EcdsaTestSigner();
        var bundle = Message(SHA256.HashData(Content), BundleHashAlgorithm.Sha256, await _signer.SignAsync(Content), hint);

        var result = new BundleVerifier(Production).Verify(bundle, Artifact.FromBytes(Content), VerificationPolicy.ForKey(other.PublicKey) with { InsecureIgnoreTlog = true });

        Assert.Equal(VerificationCodes.SignatureInvalid, result.Code);
    }

    [Fact]
    public async Task Verify_InTotoEnvelope_MatchingSubject_IsValidAndReturnsThePayload()
    {
        var bundle = await DsseBundleAsync(Statement(Content), DsseProtocol.InTotoPayloadType);

        var result = new BundleVerifier(Production).Verify(bundle, Artifact.FromSha256(SHA256.HashData(Content)), KeyPolicy);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(DsseProtocol.InTotoPayloadType, result.PayloadType);
        Assert.Equal(Statement(Content), result.Payload!.Value.ToArray());
    }

    [Fact]
    public async Task Verify_InTotoEnvelope_OtherArtifact_FailsWithArtifactMismatch()
    {
        var bundle = await DsseBundleAsync(Statement(Content), DsseProtocol.InTotoPayloadType);

        var result = new BundleVerifier(Production).Verify(bundle, Artifact.FromBytes("not the subject"u8.ToArray()), KeyPolicy);

        Assert.Equal(VerificationCodes.ArtifactMismatch, result.Code);
    }

    [Fact]
    public async Task Verify_InTotoEnvelope_NoArtifact_LeavesSubjectsToTheCaller()
    {
        var bundle = await DsseBundleAsync(Statement(Content), DsseProtocol.InTotoPayloadType);

        Assert.True(new BundleVerifier(Production).Verify(bundle, null, KeyPolicy).IsValid);
    }

    [Fact]
    public async Task Verify_NonInTotoEnvelopeWithArtifact_FailsWithUnsupportedPayload()
    {
        var bundle = await DsseBundleAsync("plain text"u8.ToArray(), "text/plain");

        var result = new BundleVerifier(Production).Verify(bundle, Artifact.FromBytes(Content), KeyPolicy);

        Assert.Equal(VerificationCodes.UnsupportedPayload, result.Code);
    }

    [Fact]
    public async Task Verify_InTotoTypeWithUnreadableStatement_FailsWithUnsupportedPayload()
    {
        var bundle = await DsseBundleAsync("{\"not\":\"a statement\"}"u8.ToArray(), DsseProtocol.InTotoPayloadType);

        var result = new BundleVerifier(Production).Verify(bundle, Artifact.FromBytes(Content), KeyPolicy);

        Assert.Equal(VerificationCodes.UnsupportedPayload, result.Code);
    }

    [Fact]
    public async Task Verify_EnvelopeSignedByAnotherKey_FailsWithSignatureInvalid()
    {
        using var other = new EcdsaTestSigner();
        var envelope = await DsseEnvelope.SignAsync(other, DsseProtocol.InTotoPayloadType, Statement(Content));
        var bundle = BundleWriter.CreateKeySignedDsse(envelope, string.Empty);

        var result = new BundleVerifier(Production).Verify(bundle, Artifact.FromBytes(Content), KeyPolicy);

        Assert.Equal(VerificationCodes.SignatureInvalid, result.Code);
    }

    [Fact]
    public void Verify_StructurallyInvalidBundle_FailsWithItsBundleCode()
    {
        var raw = File.ReadAllBytes(TestData.Require("sigstore-conformance/bundle-verify/bundle-negative-log-index_fail/bundle.sigstore.json"));
        var bundle = SigstoreBundle.Read(raw).Bundle!;
        var policy = VerificationPolicy.ForIdentity(new CertificateIdentityPolicy { SubjectAlternativeName = "x", Issuer = "y" });

        var result = new BundleVerifier(Production).Verify(bundle, Artifact.FromBytes(Content), policy);

        Assert.Equal(BundleCodes.NegativeLogIndex, result.Code);
    }

    [Fact]
    public async Task Verify_PolicyWithNeitherOrBothSigners_Throws()
    {
        var bundle = await MessageBundleAsync(Content);
        var identity = new CertificateIdentityPolicy { SubjectAlternativeName = "x", Issuer = "y" };
        var verifier = new BundleVerifier(Production);

        Assert.Throws<ArgumentException>(() => verifier.Verify(bundle, null, new VerificationPolicy()));
        Assert.Throws<ArgumentException>(() => verifier.Verify(bundle, null, VerificationPolicy.ForKey(_signer.PublicKey) with { Identity = identity }));
        Assert.Throws<ArgumentException>(() => verifier.Verify(bundle, null, KeyPolicy with { TlogThreshold = -1 }));
    }

    private static byte[] Statement(byte[] subject) =>
        InTotoStatement.Create([InTotoSubject.For(Digest.FromHash(Digest.Sha256, SHA256.HashData(subject)), "artifact")], "custom", "{}"u8.ToArray()).Raw.ToArray();

    private static SigstoreBundle Message(byte[] digest, BundleHashAlgorithm algorithm, byte[] signature, string hint) =>
        BundleWriter.CreateKeySignedMessage(
            new MessageSignature { MessageDigest = new MessageDigest { Algorithm = algorithm, Digest = digest }, Signature = signature },
            hint);

    private async Task<SigstoreBundle> MessageBundleAsync(byte[] content) =>
        Message(SHA256.HashData(content), BundleHashAlgorithm.Sha256, await _signer.SignAsync(content), BundleWriter.PublicKeyHint(_signer.PublicKey));

    private async Task<SigstoreBundle> DsseBundleAsync(byte[] payload, string payloadType) =>
        BundleWriter.CreateKeySignedDsse(await DsseEnvelope.SignAsync(_signer, payloadType, payload), BundleWriter.PublicKeyHint(_signer.PublicKey));
}
