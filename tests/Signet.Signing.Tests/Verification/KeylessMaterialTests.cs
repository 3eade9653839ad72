using System.Collections.Immutable;
using Signet.Oci;
using Signet.Signing.Cosign;
using Signet.Signing.Signatures;
using Signet.Signing.Storage;
using Signet.Signing.Tests.TestSupport;
using Signet.Signing.Verification;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.TrustedRoots;
using Signet.Testing;

namespace Signet.Signing.Tests.Verification;

/// <summary>
/// Keyless verification of signatures that cannot be keyless evidence: key-signed ones (SIG1012, both formats, both
/// commands) and legacy layers whose keyless annotations are malformed (SIG1005, refused before any cryptography).
/// The trusted root is the Sigstore production root from the conformance data.
/// </summary>
public sealed class KeylessMaterialTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static VerifyOptions ByIdentity => new()
    {
        Identity = new CertificateIdentityPolicy { SubjectAlternativeName = "release@example.test", Issuer = "https://issuer.example.test" },
        TrustedRoot = TrustedRoot.Parse(File.ReadAllBytes(TestData.Require("sigstore-conformance/trusted_root.production.json"))),
    };

    [Theory]
    [InlineData(SignatureFormat.Bundle, false)]
    [InlineData(SignatureFormat.Legacy, false)]
    [InlineData(SignatureFormat.Bundle, true)]
    [InlineData(SignatureFormat.Legacy, true)]
    public async Task Verify_KeySignedByIdentity_ReportsMaterialMismatch(SignatureFormat format, bool attestation)
    {
        await using var target = await ImageAsync("a");
        using var signer = TestKeys.P256.CreateSigner();
        var signing = new ImageSigner(signer);
        _ = attestation
            ? await signing.AttestAsync(target, new AttestOptions { Format = format, PredicateType = "custom", Predicate = "{}"u8.ToArray() })
            : await signing.SignAsync(target, new SignOptions { Format = format });

        var report = attestation ? await ImageVerifier.VerifyAttestationsAsync(target, ByIdentity) : await ImageVerifier.VerifyAsync(target, ByIdentity);

        var check = Assert.Single(report.Checks);
        Assert.Equal(SignatureCodes.MaterialMismatch, check.Code);
        Assert.Contains("--key", check.Message, StringComparison.Ordinal);
        Assert.Equal(SignatureCodes.ThresholdNotMet, report.Code);
        Assert.Contains("release@example.test", report.Message, StringComparison.Ordinal);
        Assert.Empty(report.Signers);
    }

    [Theory]
    [InlineData(CosignMediaTypes.RekorBundleAnnotation, "{\"SignedEntryTimestamp\":\"AQ==\"}", "'Payload' is required")]
    [InlineData(CosignMediaTypes.TimestampAnnotation, "{\"SignedRFC3161Timestamp\":7}", "must be a string")]
    [InlineData(CosignMediaTypes.CertificateAnnotation, "not a certificate", "not one PEM certificate")]
    public async Task Verify_MalformedKeylessAnnotation_ReportsMalformedNamingIt(string annotation, string value, string problem)
    {
        await using var target = await ImageAsync("a");
        using var signer = TestKeys.P256.CreateSigner();
        var signed = Assert.Single(await new ImageSigner(signer).SignAsync(target, new SignOptions { Format = SignatureFormat.Legacy }));
        var tag = CosignTags.Signature(signed.Image);
        var manifest = (ImageManifest)(await target.Store.TryGetTaggedAsync(tag))!;
        var layer = Assert.Single(manifest.Layers);
        var annotations = layer.Annotations.SetItem(annotation, value);
        if (annotation != CosignMediaTypes.CertificateAnnotation)
        {
            annotations = annotations.SetItem(CosignMediaTypes.CertificateAnnotation, "-----BEGIN CERTIFICATE-----\nAQ==\n-----END CERTIFICATE-----");
        }

        await PutLegacyAsync(target.Store, tag, [layer with { Annotations = annotations }]);

        var report = await ImageVerifier.VerifyAsync(target, ByIdentity);

        var check = Assert.Single(report.Checks);
        Assert.Equal(SignatureCodes.Malformed, check.Code);
        Assert.Contains(annotation, check.Message, StringComparison.Ordinal);
        Assert.Contains(problem, check.Message, StringComparison.Ordinal);
        Assert.Contains(tag, check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_IdentityWithoutTrustedRoot_IsRefusedNamingTheOption()
    {
        await using var target = await ImageAsync("a");

        var e = await Assert.ThrowsAsync<ArgumentException>(() => ImageVerifier.VerifyAsync(target, ByIdentity with { TrustedRoot = null }));

        Assert.Contains("--trusted-root", e.Message, StringComparison.Ordinal);
    }

    private async Task<SignatureTarget> ImageAsync(string name)
    {
        await SigningFixtures.BuildLayoutAsync(_dir.Combine(name), "v1", name);
        return Targets.Layout(_dir.Combine(name), "v1");
    }

    private static async Task PutLegacyAsync(ISignatureStore store, string tag, ImmutableArray<Descriptor> layers)
    {
        var config = SignatureManifests.LegacyConfig(layers);
        await store.PutManifestAsync(SignatureManifests.Legacy(Descriptor.For(MediaTypes.OciConfig, config), layers), tag);
    }
}
