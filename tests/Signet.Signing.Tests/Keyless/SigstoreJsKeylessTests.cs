using System.Security.Cryptography;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.TransparencyLog;
using Signet.Sigstore.TrustedRoots;
using Signet.Testing.Interop;
using PublicKey = Signet.Crypto.PublicKey;

namespace Signet.Signing.Tests.Keyless;

/// <summary>
/// The other direction: sigstore-js (@sigstore/sign 4.1.1, its FulcioSigner and RekorWitness) signs keyless at
/// @sigstore/mock (interop/sign-keyless.mjs) and Signet's checks accept its bundles offline with the mock's trusted
/// root: the bundle's structure, the Fulcio chain and the embedded SCT at the log's integrated time, the certificate
/// identity, the log entry's SET and inclusion proof with its checkpoint, and the signature with the certified key.
/// </summary>
public sealed class SigstoreJsKeylessTests(SigstoreMockFixture sigstore) : IClassFixture<SigstoreMockFixture>, IDisposable
{
    private const string Subject = "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("signet-sigstore-js-keyless-");

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private async Task<SigstoreBundle> SignWithSigstoreJsAsync(string file, string mode)
    {
        var bundle = PathOf($"{mode}.sigstore.json");
        var result = await NpmPeers.RunAsync(SigstoreMockFixture.Script("sign-keyless.mjs"), file, bundle, sigstore.Mock.Url.ToString().TrimEnd('/'), SigstoreMock.Token(Subject), mode);
        Assert.True(result.ExitCode == 0, result.ToString());
        var read = SigstoreBundle.Read(await File.ReadAllBytesAsync(bundle));
        Assert.True(read.IsValid, string.Join("\n", read.Problems));
        return read.Bundle!;
    }

    /// <summary>Every check but the signature; returns the certified key.</summary>
    private PublicKey CheckTrust(SigstoreBundle bundle, string identity)
    {
        var root = TrustedRoot.Parse(File.ReadAllBytes(sigstore.Mock.TrustedRoot));
        var material = bundle.VerificationMaterial!;
        var entry = Assert.Single(material.TlogEntries);
        var log = root.FindTlog(entry.LogKeyId.Span, DateTimeOffset.FromUnixTimeSeconds(entry.IntegratedTime));
        Assert.NotNull(log);
        var logKey = PublicKey.FromSubjectPublicKeyInfo(log.PublicKeyBytes.Span);
        Assert.True(SignedEntryTimestamp.Verify(entry, logKey).IsValid);
        Assert.True(InclusionProofVerifier.Verify(entry, logKey).IsValid);

        var leaf = FulcioCertificate.Parse(material.Certificates[0]);
        var chain = FulcioChainVerifier.Verify(leaf, root, DateTimeOffset.FromUnixTimeSeconds(entry.IntegratedTime));
        Assert.True(chain.Result.IsValid, chain.Result.ToString());
        var sct = SctVerifier.Verify(leaf, chain.Chain[1], root);
        Assert.True(sct.IsValid, sct.ToString());
        var policy = new CertificateIdentityPolicy { SubjectAlternativeName = identity, Issuer = SigstoreMock.Issuer };
        var matched = policy.Match(leaf);
        Assert.True(matched.IsValid, matched.ToString());
        return leaf.PublicKey;
    }

    [Fact]
    public async Task SigstoreJsMessageBundle_PassesSignetsChecks_AndAnotherIdentityDoesNot()
    {
        var artifact = PathOf("artifact.txt");
        await File.WriteAllTextAsync(artifact, "signed by sigstore-js\n");

        var bundle = await SignWithSigstoreJsAsync(artifact, "message");
        var key = CheckTrust(bundle, Subject);
        var policy = new CertificateIdentityPolicy { SubjectAlternativeName = "https://github.com/someone/else", Issuer = SigstoreMock.Issuer };

        Assert.Equal(VerificationMaterialKind.X509CertificateChain, bundle.VerificationMaterial!.Kind);
        Assert.Equal("hashedrekord", bundle.VerificationMaterial.TlogEntries[0].KindVersion!.Kind);
        var digest = SHA256.HashData(await File.ReadAllBytesAsync(artifact));
        Assert.True(bundle.MessageSignature!.MessageDigest!.Digest.Span.SequenceEqual(digest));
        Assert.True(key.VerifyDigest(digest, HashAlgorithmName.SHA256, bundle.MessageSignature.Signature.Span));
        Assert.False(key.VerifyDigest(SHA256.HashData("tampered"u8), HashAlgorithmName.SHA256, bundle.MessageSignature.Signature.Span));
        Assert.False(policy.Match(FulcioCertificate.Parse(bundle.VerificationMaterial.Certificates[0])).IsValid);
    }

    [Fact]
    public async Task SigstoreJsDsseBundle_PassesSignetsChecks()
    {
        var statement = PathOf("statement.json");
        await File.WriteAllTextAsync(statement, "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":\"" + new string('b', 64) + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{}}");

        var bundle = await SignWithSigstoreJsAsync(statement, "dsse");
        var key = CheckTrust(bundle, Subject);

        Assert.Equal(BundleMediaTypes.V03, bundle.MediaType);
        Assert.Equal("dsse", bundle.VerificationMaterial!.TlogEntries[0].KindVersion!.Kind);
        var envelope = bundle.DsseEnvelope!;
        Assert.Equal(await File.ReadAllBytesAsync(statement), envelope.Payload.ToArray());
        Assert.True(envelope.Verify(key).IsVerified);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
