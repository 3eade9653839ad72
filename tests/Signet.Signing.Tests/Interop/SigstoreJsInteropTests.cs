using System.Text;
using System.Text.Json;
using Signet.Crypto;
using Signet.Crypto.KeyFiles;
using Signet.Crypto.Keys;
using Signet.Signing.Blobs;
using Signet.Testing.Interop;

namespace Signet.Signing.Tests.Interop;

/// <summary>
/// Blob bundles checked by an independent implementation, sigstore-js (@sigstore/verify 3.1.1, @sigstore/sign 4.1.1,
/// pinned by scripts/install-npm-peers.sh), through the node scripts in interop/: verify-bundle.mjs trusts only the
/// given public key (empty trusted root, thresholds 0), sign-bundle.mjs signs with sigstore-js's own bundle builder and
/// a key signer. What sigstore-js refuses is asserted too, so a change in it shows up here.
/// </summary>
public sealed class SigstoreJsInteropTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("signet-sigstore-js-");

    private static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "interop", name);

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    /// <summary>Signs <paramref name="content"/> as signet sign-blob does and writes artifact, bundle and public key files.</summary>
    private async Task<(string Artifact, string Bundle, string PublicKey)> SignWithSignetAsync(KeyAlgorithm algorithm, byte[] content)
    {
        using var key = PrivateKey.Generate(algorithm);
        using var signer = key.CreateSigner();
        var artifact = PathOf($"artifact-{algorithm}.bin");
        await File.WriteAllBytesAsync(artifact, content);
        BlobSignature signed;
        await using (var stream = File.OpenRead(artifact))
        {
            signed = await BlobSigner.SignAsync(signer, stream, artifact);
        }

        var bundle = PathOf($"artifact-{algorithm}.sigstore.json");
        await File.WriteAllBytesAsync(bundle, signed.Bundle.Raw.ToArray());
        var publicKey = PathOf($"key-{algorithm}.pub");
        await File.WriteAllTextAsync(publicKey, PublicKeyPem.Write(key.PublicKey));
        return (artifact, bundle, publicKey);
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.EcdsaP384)]
    [InlineData(KeyAlgorithm.EcdsaP521)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    [InlineData(KeyAlgorithm.Rsa4096)]
    public async Task SignetBundle_EcdsaAndRsa_VerifiesWithSigstoreJs(KeyAlgorithm algorithm)
    {
        var (artifact, bundle, publicKey) = await SignWithSignetAsync(algorithm, Encoding.UTF8.GetBytes($"interop {algorithm}\n"));

        var result = await NpmPeers.RunAsync(Script("verify-bundle.mjs"), bundle, artifact, publicKey);

        Assert.True(result.ExitCode == 0 && result.Json.GetProperty("verified").GetBoolean(), result.ToString());
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.EcdsaP384)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    public async Task SignetBundle_TamperedArtifact_FailsInSigstoreJsAndSignet(KeyAlgorithm algorithm)
    {
        var (artifact, bundle, publicKey) = await SignWithSignetAsync(algorithm, Encoding.UTF8.GetBytes("release v1\n"));
        await File.WriteAllTextAsync(artifact, "release v2\n");

        var js = await NpmPeers.RunAsync(Script("verify-bundle.mjs"), bundle, artifact, publicKey);
        var signet = await VerifyWithSignetAsync(publicKey, bundle, artifact);

        Assert.True(js.ExitCode == 1, js.ToString());
        Assert.Equal("SIGNATURE_ERROR", js.Json.GetProperty("code").GetString());
        Assert.Equal([BlobCodes.DigestMismatch, BlobCodes.SignatureMismatch], signet.Problems.Select(p => p.Code));
    }

    [Fact]
    public async Task SignetBundle_Ed25519_IsRefusedBySigstoreJs()
    {
        // @sigstore/verify 3.1.1 verifies a messageSignature with crypto.verify(<messageDigest hash name>, ...), and
        // Node refuses a digest name for Ed25519 keys ("invalid digest"), so no keyed Ed25519 blob bundle verifies there
        // (from Signet or anyone: SHA2_256 is the only sensible messageDigest for pure Ed25519). Signet verifies it.
        var (artifact, bundle, publicKey) = await SignWithSignetAsync(KeyAlgorithm.Ed25519, Encoding.UTF8.GetBytes("ed25519\n"));

        var js = await NpmPeers.RunAsync(Script("verify-bundle.mjs"), bundle, artifact, publicKey);
        var signet = await VerifyWithSignetAsync(publicKey, bundle, artifact);

        Assert.True(js.ExitCode == 1, js.ToString());
        Assert.Equal("SIGNATURE_ERROR", js.Json.GetProperty("code").GetString());
        Assert.True(signet.Passed, string.Join("\n", signet.Problems));
    }

    [Fact]
    public async Task SigstoreJsKeyedBundle_VerifiesWithSignet()
    {
        // sigstore-js signs with its own MessageSignatureBundleBuilder and a key signer, no witnesses: a v0.2 bundle
        // with publicKey.hint and an empty timestampVerificationData.
        var artifact = PathOf("js-artifact.txt");
        await File.WriteAllTextAsync(artifact, "signed by sigstore-js\n");
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var privatePem = PathOf("js.pem");
        await File.WriteAllTextAsync(privatePem, new string(System.Security.Cryptography.PemEncoding.Write("PRIVATE KEY", key.ExportPkcs8())) + "\n");
        var publicKey = PathOf("js.pub");
        await File.WriteAllTextAsync(publicKey, PublicKeyPem.Write(key.PublicKey));
        var bundle = PathOf("js.sigstore.json");

        var signed = await NpmPeers.RunAsync(Script("sign-bundle.mjs"), artifact, privatePem, bundle);
        Assert.True(signed.ExitCode == 0, signed.ToString());

        var result = await VerifyWithSignetAsync(publicKey, bundle, artifact);
        Assert.True(result.Passed, string.Join("\n", result.Problems));
        Assert.Equal("application/vnd.dev.sigstore.bundle+json;version=0.2", JsonDocument.Parse(await File.ReadAllBytesAsync(bundle)).RootElement.GetProperty("mediaType").GetString());
        Assert.Equal(BundleHint(key.PublicKey), result.BundleKeyHint);

        await File.AppendAllTextAsync(artifact, "tampered");
        var tampered = await VerifyWithSignetAsync(publicKey, bundle, artifact);
        Assert.Equal([BlobCodes.DigestMismatch, BlobCodes.SignatureMismatch], tampered.Problems.Select(p => p.Code));
    }

    [Fact]
    public async Task SigstoreJsVerifier_WrongKey_Fails()
    {
        var (artifact, bundle, _) = await SignWithSignetAsync(KeyAlgorithm.EcdsaP256, Encoding.UTF8.GetBytes("wrong key\n"));
        using var other = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var otherKey = PathOf("other.pub");
        await File.WriteAllTextAsync(otherKey, PublicKeyPem.Write(other.PublicKey));

        var js = await NpmPeers.RunAsync(Script("verify-bundle.mjs"), bundle, artifact, otherKey);

        Assert.True(js.ExitCode == 1, js.ToString());
    }

    private static string BundleHint(PublicKey key) => Sigstore.Bundles.BundleWriter.PublicKeyHint(key);

    private static async Task<BlobVerificationResult> VerifyWithSignetAsync(string publicKeyPath, string bundlePath, string artifactPath)
    {
        var key = PublicKeyPem.Parse(await File.ReadAllTextAsync(publicKeyPath), publicKeyPath);
        await using var stream = File.OpenRead(artifactPath);
        return await BlobVerifier.VerifyAsync(key, await File.ReadAllBytesAsync(bundlePath), stream, artifactPath);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
