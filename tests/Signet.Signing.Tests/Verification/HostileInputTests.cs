using System.Collections.Immutable;
using System.Text;
using Signet.Crypto;
using Signet.Crypto.Dsse;
using Signet.Crypto.InToto;
using Signet.Crypto.KeyFiles;
using Signet.Crypto.KeyReferences;
using Signet.Crypto.Passphrases;
using Signet.Oci;
using Signet.Oci.Layout;
using Signet.Signing.Cosign;
using Signet.Signing.Signatures;
using Signet.Signing.Storage;
using Signet.Signing.Tests.TestSupport;
using Signet.Signing.Verification;
using Signet.Sigstore.Bundles;
using Signet.Testing;

namespace Signet.Signing.Tests.Verification;

/// <summary>Hostile and broken signatures, each refused with its named code (OCI layouts: every byte is under the test's control).</summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static VerifyOptions P256 => SigningFixtures.Keys(TestKeys.P256.PublicKey);

    [Fact]
    public async Task VerifyAsync_Unsigned_ReportsNoSignatures()
    {
        await using var target = await ImageAsync("a");

        var report = await ImageVerifier.VerifyAsync(target, P256);

        Assert.Equal(SignatureCodes.NoSignatures, report.Code);
        Assert.Empty(report.Checks);
    }

    [Fact]
    public async Task VerifyAsync_LegacyLayerOfAnotherImage_ReportsDigestMismatch()
    {
        await using var a = await ImageAsync("a");
        await using var b = await ImageAsync("b");
        await SignAsync(b, SignatureFormat.Legacy);
        var digestA = (await a.Source.GetRootManifestAsync()).Digest;
        var digestB = (await b.Source.GetRootManifestAsync()).Digest;
        var stolen = (ImageManifest)(await b.Store.TryGetTaggedAsync(CosignTags.Signature(digestB)))!;
        var layer = Assert.Single(stolen.Layers);
        await a.Store.PutBlobAsync(layer, await b.Store.ReadBlobAsync(layer, SimpleSigningPayload.MaxBytes));
        await a.Store.PutManifestAsync(stolen, CosignTags.Signature(digestA));

        var report = await ImageVerifier.VerifyAsync(a, P256);

        var check = Assert.Single(report.Checks);
        Assert.Equal(SignatureCodes.DigestMismatch, check.Code);
        Assert.Equal(digestB, check.SignedDigest);
        Assert.Equal(SignatureCodes.ThresholdNotMet, report.Code);
    }

    [Fact]
    public async Task VerifyAsync_BundleWhoseStatementNamesAnotherImage_ReportsDigestMismatch()
    {
        await using var a = await ImageAsync("a");
        var root = await a.Source.GetRootManifestAsync();
        var other = Digest.Compute("another image"u8);
        var statement = InTotoStatement.ForImageSignature(other);
        using var signer = TestKeys.P256.CreateSigner();
        var envelope = await DsseEnvelope.SignAsync(signer, DsseProtocol.InTotoPayloadType, statement.Raw, layout: DsseJsonLayout.SigstoreBundle);
        await AttachBundleAsync(a.Store, root, BundleWriter.CreateKeySignedDsse(envelope, "hint").Raw.ToArray());

        var report = await ImageVerifier.VerifyAsync(a, P256);

        Assert.Equal(SignatureCodes.DigestMismatch, Assert.Single(report.Checks).Code);
        Assert.False(report.Passed);
    }

    [Theory]
    [InlineData(SignatureFormat.Bundle)]
    [InlineData(SignatureFormat.Legacy)]
    public async Task VerifyAsync_SwappedPublicKey_ReportsNotVerified(SignatureFormat format)
    {
        await using var a = await ImageAsync("a");
        await SignAsync(a, format);

        var report = await ImageVerifier.VerifyAsync(a, SigningFixtures.Keys(TestKeys.OtherP256.PublicKey, TestKeys.Of(KeyAlgorithm.Rsa2048).PublicKey, TestKeys.Of(KeyAlgorithm.Ed25519).PublicKey));

        Assert.Equal(SignatureCodes.NotVerified, Assert.Single(report.Checks).Code);
        Assert.Equal(SignatureCodes.ThresholdNotMet, report.Code);
    }

    [Fact]
    public async Task LoadPublicKeyAsync_TruncatedPem_IsRefused()
    {
        var pem = TestKeys.P256.PublicKey.ToPem();
        var path = Path.Combine(_dir.Path, "truncated.pub");
        await File.WriteAllTextAsync(path, pem[..(pem.Length / 2)]);
        var resolver = new KeyReferenceResolver(new FixedPassphraseSource(string.Empty));

        await Assert.ThrowsAsync<KeyFileFormatException>(() => resolver.LoadPublicKeyAsync(KeyReference.Parse(path)));
    }

    [Fact]
    public async Task VerifyAsync_BundleDsseWithTwoSignatures_ReportsMultipleSignatures()
    {
        await using var a = await ImageAsync("a");
        var root = await a.Source.GetRootManifestAsync();
        using var first = TestKeys.P256.CreateSigner();
        using var second = TestKeys.OtherP256.CreateSigner();
        var envelope = await DsseEnvelope.SignAsync(first, DsseProtocol.InTotoPayloadType, InTotoStatement.ForImageSignature(root.Digest).Raw, layout: DsseJsonLayout.SigstoreBundle);
        envelope = await envelope.AddSignatureAsync(second, layout: DsseJsonLayout.SigstoreBundle);
        var single = BundleWriter.CreateKeySignedDsse(await DsseEnvelope.SignAsync(first, DsseProtocol.InTotoPayloadType, envelope.Payload, layout: DsseJsonLayout.SigstoreBundle), "hint");
        var twoSignatures = BundleWriter.Write(single with { DsseEnvelope = envelope });
        await AttachBundleAsync(a.Store, root, twoSignatures);

        var report = await ImageVerifier.VerifyAsync(a, P256);

        Assert.Equal(SignatureCodes.MultipleDsseSignatures, Assert.Single(report.Checks).Code);
        Assert.False(report.Passed);
    }

    [Fact]
    public async Task VerifyAsync_TenThousandSignatureLayers_IsRefusedAsOversize()
    {
        await using var a = await ImageAsync("a");
        var root = await a.Source.GetRootManifestAsync();
        var payload = SimpleSigningPayload.Create("x", root.Digest, null);
        using var signer = TestKeys.P256.CreateSigner();
        var layer = Descriptor.For(CosignMediaTypes.SimpleSigning, payload.Raw.Span) with
        {
            Annotations = Signature(await signer.SignAsync(payload.Raw)),
        };
        var layers = Enumerable.Repeat(layer, 10_000).ToList();
        await a.Store.PutBlobAsync(layer, payload.Raw);
        var config = SignatureManifests.LegacyConfig(layers);
        await a.Store.PutManifestAsync(SignatureManifests.Legacy(Descriptor.For(MediaTypes.OciConfig, config), layers), CosignTags.Signature(root.Digest));

        var report = await ImageVerifier.VerifyAsync(a, P256);

        Assert.Equal(SignatureCodes.Oversize, report.Code);
        Assert.Contains("10000 layers", Assert.Single(report.Checks).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_MoreThanOneHundredReferrers_IsRefusedAsOversize()
    {
        await using var a = await ImageAsync("a");
        var root = await a.Source.GetRootManifestAsync();
        for (var i = 0; i <= ImageVerifier.MaxReferrers; i++)
        {
            await AttachBundleAsync(a.Store, root, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
        }

        var report = await ImageVerifier.VerifyAsync(a, P256);

        Assert.Equal(SignatureCodes.Oversize, report.Code);
    }

    [Fact]
    public async Task VerifyAsync_OversizePayloadLayer_IsRefusedUnread()
    {
        await using var a = await ImageAsync("a");
        var root = await a.Source.GetRootManifestAsync();
        var layer = new Descriptor { MediaType = CosignMediaTypes.SimpleSigning, Digest = Digest.Compute("never stored"u8), Size = SimpleSigningPayload.MaxBytes + 1, Annotations = Signature([1, 2, 3]) };
        await PutLegacyAsync(a.Store, root.Digest, [layer]);

        var report = await ImageVerifier.VerifyAsync(a, P256);

        Assert.Equal(SignatureCodes.Oversize, Assert.Single(report.Checks).Code);
    }

    [Fact]
    public async Task VerifyAsync_SignedPayloadWithWrongType_ReportsWrongType()
    {
        await using var a = await ImageAsync("a");
        var root = await a.Source.GetRootManifestAsync();
        var payload = Encoding.UTF8.GetString(SimpleSigningPayload.Create("x", root.Digest, null).Raw.Span)
            .Replace(CosignMediaTypes.ImageSignatureType, "atomic container signature", StringComparison.Ordinal);
        await AddSignedLegacyLayerAsync(a.Store, root.Digest, Encoding.UTF8.GetBytes(payload));

        var report = await ImageVerifier.VerifyAsync(a, P256);

        Assert.Equal(SignatureCodes.WrongType, Assert.Single(report.Checks).Code);
    }

    [Fact]
    public async Task VerifyAsync_SignedGarbagePayload_ReportsMalformed()
    {
        await using var a = await ImageAsync("a");
        var root = await a.Source.GetRootManifestAsync();
        await AddSignedLegacyLayerAsync(a.Store, root.Digest, "{\"critical\":"u8.ToArray());

        var report = await ImageVerifier.VerifyAsync(a, P256);

        Assert.Equal(SignatureCodes.Malformed, Assert.Single(report.Checks).Code);
    }

    [Theory]
    [InlineData(SignatureFormat.Bundle)]
    [InlineData(SignatureFormat.Legacy)]
    public async Task VerifyAsync_AnnotationNotSigned_ReportsAnnotationMismatch(SignatureFormat format)
    {
        await using var a = await ImageAsync("a");
        using var signer = TestKeys.P256.CreateSigner();
        await new ImageSigner(signer).SignAsync(a, new SignOptions { Format = format, Annotations = Map("env", "dev") });

        var report = await ImageVerifier.VerifyAsync(a, P256 with { Annotations = Map("env", "prod") });
        var matching = await ImageVerifier.VerifyAsync(a, P256 with { Annotations = Map("env", "dev") });

        Assert.Equal(SignatureCodes.AnnotationMismatch, Assert.Single(report.Checks).Code);
        Assert.True(matching.Passed, matching.Message);
    }

    [Fact]
    public async Task VerifyAsync_TamperedPayloadBlob_ReportsUnreadable()
    {
        await using var a = await ImageAsync("a");
        var written = await SignAsync(a, SignatureFormat.Legacy);
        var blob = Path.Combine(_dir.Combine("a"), OciLayout.BlobPath(written.Layer));
        var bytes = await File.ReadAllBytesAsync(blob);
        bytes[^3] ^= 1;
        await File.WriteAllBytesAsync(blob, bytes);

        var report = await ImageVerifier.VerifyAsync(a, P256);

        Assert.Equal(SignatureCodes.Unreadable, Assert.Single(report.Checks).Code);
    }

    [Fact]
    public async Task VerifyAttestationsAsync_LegacyEnvelopeWithTwoSignatures_ReportsMultipleSignatures()
    {
        await using var a = await ImageAsync("a");
        var root = await a.Source.GetRootManifestAsync();
        using var first = TestKeys.P256.CreateSigner();
        using var second = TestKeys.OtherP256.CreateSigner();
        var statement = InTotoStatement.Create([InTotoSubject.For(root.Digest, "x")], "openvex", "{}"u8.ToArray(), InTotoStatement.V01Type);
        var envelope = await DsseEnvelope.SignAsync(first, DsseProtocol.InTotoPayloadType, statement.Raw);
        envelope = await envelope.AddSignatureAsync(second);
        var layer = Descriptor.For(CosignMediaTypes.DsseEnvelope, envelope.Raw.Span);
        await a.Store.PutBlobAsync(layer, envelope.Raw);
        await PutLegacyAsync(a.Store, root.Digest, [layer], CosignTags.Attestation(root.Digest));

        var report = await ImageVerifier.VerifyAttestationsAsync(a, P256);

        Assert.Equal(SignatureCodes.MultipleDsseSignatures, Assert.Single(report.Checks).Code);
    }

    private async Task<SignatureTarget> ImageAsync(string name)
    {
        await SigningFixtures.BuildLayoutAsync(_dir.Combine(name), "v1", name);
        return Targets.Layout(_dir.Combine(name), "v1");
    }

    private static async Task<SignedManifest> SignAsync(SignatureTarget target, SignatureFormat format)
    {
        using var signer = TestKeys.P256.CreateSigner();
        return Assert.Single(await new ImageSigner(signer).SignAsync(target, new SignOptions { Format = format }));
    }

    private static async Task AttachBundleAsync(ISignatureStore store, ManifestDocument subject, byte[] bundle)
    {
        var layer = Descriptor.For(CosignMediaTypes.BundleV03, bundle);
        await store.PutBlobAsync(layer, bundle);
        var manifest = SignatureManifests.Referrer(CosignMediaTypes.BundleV03, layer, subject.ToDescriptor(), new Dictionary<string, string>());
        await store.PutManifestAsync(manifest, tag: null);
    }

    private static async Task AddSignedLegacyLayerAsync(ISignatureStore store, Digest image, byte[] payload)
    {
        using var signer = TestKeys.P256.CreateSigner();
        var layer = Descriptor.For(CosignMediaTypes.SimpleSigning, payload) with { Annotations = Signature(await signer.SignAsync(payload)) };
        await store.PutBlobAsync(layer, payload);
        await PutLegacyAsync(store, image, [layer]);
    }

    private static async Task PutLegacyAsync(ISignatureStore store, Digest image, List<Descriptor> layers, string? tag = null)
    {
        var config = SignatureManifests.LegacyConfig(layers);
        await store.PutManifestAsync(SignatureManifests.Legacy(Descriptor.For(MediaTypes.OciConfig, config), layers), tag ?? CosignTags.Signature(image));
    }

    private static ImmutableSortedDictionary<string, string> Signature(byte[] signature) =>
        Map(CosignMediaTypes.SignatureAnnotation, Convert.ToBase64String(signature));

    private static ImmutableSortedDictionary<string, string> Map(string key, string value) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>(key, value)]);
}
