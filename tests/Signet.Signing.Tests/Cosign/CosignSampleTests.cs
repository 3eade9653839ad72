using Signet.Crypto.KeyFiles;
using Signet.Oci;
using Signet.Oci.Layout;
using Signet.Signing.Cosign;
using Signet.Signing.Tests.TestSupport;
using Signet.Signing.Verification;
using Signet.Testing;

namespace Signet.Signing.Tests.Cosign;

/// <summary>
/// A real cosign legacy signature (../shared/peers/samples/cosign-legacy, made by cosign for connaisseur's tests):
/// Signet verifies it with alice.pub and reproduces its payload and signature-manifest config byte for byte.
/// </summary>
public sealed class CosignSampleTests
{
    private const string ImageDigest = "sha256:071bf7a986f1ca9cb2a1f0bc8392822a7777f90d58f2d2c6f271913e08de7c81";
    private const string PayloadFile = "cosign-legacy/payload-sha256-d8ee807d96efe7441b132967ad94eaffbc0172a763e69f2cd8df8f583f0ba0d4.json";

    [Fact]
    public void Create_CosignSampleImage_ReproducesThePayloadBytes()
    {
        var expected = File.ReadAllBytes(TestData.RequirePeerSample(PayloadFile));

        var payload = SimpleSigningPayload.Create("index.docker.io/securesystemsengineering/testimage", Digest.Parse(ImageDigest), annotations: null);

        Assert.Equal(expected, payload.Raw.ToArray());
    }

    [Fact]
    public void LegacyConfig_CosignSampleLayer_ReproducesTheConfigDigest()
    {
        var manifest = File.ReadAllBytes(TestData.RequirePeerSample($"cosign-legacy/sha256-{ImageDigest[7..]}.sig.json"));
        var parsed = (ImageManifest)ManifestParser.Parse(manifest, MediaTypes.OciManifest, "sample");

        var config = SignatureManifests.LegacyConfig(parsed.Layers);

        Assert.Equal(parsed.Config.Digest, Digest.Compute(config));
        Assert.Equal(parsed.Config.Size, config.Length);
    }

    [Fact]
    public async Task VerifyAsync_CosignSampleInLayout_VerifiesWithAlicePub()
    {
        using var dir = new TempDir();
        await WriteSampleLayoutAsync(dir.Path);
        var alice = PublicKeyPem.Parse(await File.ReadAllTextAsync(TestData.RequirePeerSample("cosign-legacy/alice.pub")), "alice.pub");
        await using var target = Targets.Layout(dir.Path, "testimage");

        var report = await ImageVerifier.VerifyAsync(target, SigningFixtures.Keys(alice));

        Assert.True(report.Passed, report.Message);
        var check = Assert.Single(report.Checks);
        Assert.Equal(SignatureFormat.Legacy, check.Format);
        Assert.Equal(File.ReadAllBytes(TestData.RequirePeerSample(PayloadFile)), check.Payload!.Value.ToArray());
        Assert.Equal(Digest.Parse(ImageDigest), check.SignedDigest);
    }

    [Fact]
    public async Task VerifyAsync_CosignSampleWithAnotherKey_FailsWithNotVerified()
    {
        using var dir = new TempDir();
        await WriteSampleLayoutAsync(dir.Path);
        await using var target = Targets.Layout(dir.Path, "testimage");

        var report = await ImageVerifier.VerifyAsync(target, SigningFixtures.Keys(TestKeys.P256.PublicKey));

        Assert.Equal(SignatureCodes.ThresholdNotMet, report.Code);
        Assert.Equal(SignatureCodes.NotVerified, Assert.Single(report.Checks).Code);
    }

    /// <summary>The sample as a layout: the image manifest tagged, the payload blob, and the .sig manifest (its config blob is not in the sample and is never read).</summary>
    internal static async Task WriteSampleLayoutAsync(string directory)
    {
        using var writer = new OciLayoutWriter(directory, "sample");
        var image = await File.ReadAllBytesAsync(TestData.RequirePeerSample("cosign-legacy/image-manifest.json"));
        var signatureManifest = await File.ReadAllBytesAsync(TestData.RequirePeerSample($"cosign-legacy/sha256-{ImageDigest[7..]}.sig.json"));
        var payload = await File.ReadAllBytesAsync(TestData.RequirePeerSample(PayloadFile));
        foreach (var (mediaType, bytes) in new[] { (MediaTypes.DockerManifest, image), (MediaTypes.OciManifest, signatureManifest), (CosignMediaTypes.SimpleSigning, payload) })
        {
            using var stream = new MemoryStream(bytes);
            await writer.WriteBlobAsync(Descriptor.For(mediaType, bytes), stream);
        }

        await writer.SetIndexEntryAsync(Descriptor.For(MediaTypes.DockerManifest, image), "testimage");
        await writer.SetIndexEntryAsync(Descriptor.For(MediaTypes.OciManifest, signatureManifest), $"sha256-{ImageDigest[7..]}.sig");
        Assert.Equal(ImageDigest, Digest.Compute(image).ToString());
    }
}
