using System.Collections.Immutable;
using Signet.Crypto;
using Signet.Crypto.InToto;
using Signet.Oci;
using Signet.Signing.Cosign;
using Signet.Signing.Discovery;
using Signet.Signing.Signatures;
using Signet.Signing.Tests.TestSupport;
using Signet.Signing.Verification;
using Signet.Testing;
using Signet.Testing.Registry;

namespace Signet.Signing.Tests.Signatures;

/// <summary>
/// Sign and verify on a real Distribution registry (it has no referrers API, so bundle referrers go through the tag
/// schema fallback) and on OCI layouts, for every key algorithm and both formats.
/// </summary>
public sealed class RoundTripTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>
{
    private string Host => fixture.Registry.Host;

    public static TheoryData<KeyAlgorithm, SignatureFormat> Cases()
    {
        var data = new TheoryData<KeyAlgorithm, SignatureFormat>();
        foreach (var algorithm in SigningFixtures.Algorithms)
        {
            data.Add(algorithm, SignatureFormat.Bundle);
            data.Add(algorithm, SignatureFormat.Legacy);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SignAsync_OnRegistry_VerifiesWithThePublicKey(KeyAlgorithm algorithm, SignatureFormat format)
    {
        using var client = SigningFixtures.Client();
        var repository = $"{Host}/roundtrip/{algorithm.ToString().ToLowerInvariant()}-{format.ToString().ToLowerInvariant()}";
        var image = await SigningFixtures.PushAsync(client, Reference.Parse($"{repository}:v1"), $"{algorithm}-{format}");
        var key = TestKeys.Of(algorithm);
        await using var target = Targets.Registry(client, $"{repository}:v1");

        using var signer = key.CreateSigner();
        var written = await new ImageSigner(signer).SignAsync(target, new SignOptions { Format = format });
        var report = await ImageVerifier.VerifyAsync(target, SigningFixtures.Keys(key.PublicKey));

        Assert.True(report.Passed, report.Message);
        Assert.Equal(image.Digest, report.Digest);
        var check = Assert.Single(report.Checks);
        Assert.Equal(format, check.Format);
        Assert.Equal(image.Digest, check.SignedDigest);
        Assert.Equal(image.Digest, Assert.Single(written).Image);
        if (format == SignatureFormat.Bundle)
        {
            // The fallback tag was written: the registry has no referrers API.
            var fallback = await client.GetManifestAsync(Reference.Parse(repository), RegistryClient_ReferrersTag(image.Digest));
            var entry = Assert.Single(Assert.IsType<ImageIndex>(fallback).Manifests);
            Assert.Equal(CosignMediaTypes.BundleV03, entry.ArtifactType);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SignAsync_OnLayout_VerifiesWithThePublicKey(KeyAlgorithm algorithm, SignatureFormat format)
    {
        using var dir = new TempDir();
        var image = await SigningFixtures.BuildLayoutAsync(dir.Path, "v1", $"{algorithm}-{format}");
        var key = TestKeys.Of(algorithm);
        await using var target = Targets.Layout(dir.Path, "v1");

        using var signer = key.CreateSigner();
        await new ImageSigner(signer).SignAsync(target, new SignOptions { Format = format, Annotations = Annotations("env", "prod") });
        var report = await ImageVerifier.VerifyAsync(target, SigningFixtures.Keys(key.PublicKey) with { Annotations = Annotations("env", "prod") });

        Assert.True(report.Passed, report.Message);
        Assert.Equal(image.Digest, Assert.Single(report.Checks).SignedDigest);
    }

    [Theory]
    [InlineData(SignatureFormat.Bundle)]
    [InlineData(SignatureFormat.Legacy)]
    public async Task SignAsync_SecondSigner_KeepsTheFirstSignature(SignatureFormat format)
    {
        using var client = SigningFixtures.Client();
        var repository = $"{Host}/second/{format.ToString().ToLowerInvariant()}";
        await SigningFixtures.PushAsync(client, Reference.Parse($"{repository}:v1"), $"second-{format}");
        await using var target = Targets.Registry(client, $"{repository}:v1");

        using (var first = TestKeys.P256.CreateSigner())
        {
            await new ImageSigner(first).SignAsync(target, new SignOptions { Format = format });
        }

        using (var second = TestKeys.OtherP256.CreateSigner())
        {
            await new ImageSigner(second).SignAsync(target, new SignOptions { Format = format });
        }

        var byFirst = await ImageVerifier.VerifyAsync(target, SigningFixtures.Keys(TestKeys.P256.PublicKey));
        var bySecond = await ImageVerifier.VerifyAsync(target, SigningFixtures.Keys(TestKeys.OtherP256.PublicKey));

        Assert.True(byFirst.Passed, byFirst.Message);
        Assert.True(bySecond.Passed, bySecond.Message);
        Assert.Equal(2, byFirst.Checks.Length);
        Assert.Equal(SignatureCodes.NotVerified, Assert.Single(byFirst.Checks, c => !c.Verified).Code);
    }

    [Fact]
    public async Task VerifyAsync_ThresholdTwo_PassesWithTwoKeysAndFailsWithOne()
    {
        using var client = SigningFixtures.Client();
        var reference = $"{Host}/threshold/app:v1";
        await SigningFixtures.PushAsync(client, Reference.Parse(reference), "threshold");
        await using var target = Targets.Registry(client, reference);
        using (var first = TestKeys.P256.CreateSigner())
        {
            await new ImageSigner(first).SignAsync(target, new SignOptions());
        }

        var both = SigningFixtures.Keys(TestKeys.P256.PublicKey, TestKeys.OtherP256.PublicKey) with { Threshold = 2 };
        var oneSigner = await ImageVerifier.VerifyAsync(target, both);
        using (var second = TestKeys.OtherP256.CreateSigner())
        {
            await new ImageSigner(second).SignAsync(target, new SignOptions { Format = SignatureFormat.Legacy });
        }

        var twoSigners = await ImageVerifier.VerifyAsync(target, both);
        var sameKeyTwice = await ImageVerifier.VerifyAsync(target, SigningFixtures.Keys(TestKeys.P256.PublicKey, TestKeys.P256.PublicKey) with { Threshold = 2 });

        Assert.Equal(SignatureCodes.ThresholdNotMet, oneSigner.Code);
        Assert.True(twoSigners.Passed, twoSigners.Message);
        Assert.Equal([0, 1], twoSigners.VerifiedKeys.ToArray());
        Assert.Equal(SignatureCodes.ThresholdNotMet, sameKeyTwice.Code);
    }

    [Theory]
    [InlineData(SignatureFormat.Bundle)]
    [InlineData(SignatureFormat.Legacy)]
    public async Task SignAsync_SignatureRepository_StoresAndFindsSignaturesThere(SignatureFormat format)
    {
        using var client = SigningFixtures.Client();
        var reference = $"{Host}/images/app-{format.ToString().ToLowerInvariant()}:v1";
        var signatures = $"{Host}/signatures/app-{format.ToString().ToLowerInvariant()}";
        var image = await SigningFixtures.PushAsync(client, Reference.Parse(reference), $"elsewhere-{format}");
        await using var target = Targets.Registry(client, reference, signatures);
        await using var plain = Targets.Registry(client, reference);

        using var signer = TestKeys.P256.CreateSigner();
        await new ImageSigner(signer).SignAsync(target, new SignOptions { Format = format });

        Assert.True((await ImageVerifier.VerifyAsync(target, SigningFixtures.Keys(TestKeys.P256.PublicKey))).Passed);
        Assert.Equal(SignatureCodes.NoSignatures, (await ImageVerifier.VerifyAsync(plain, SigningFixtures.Keys(TestKeys.P256.PublicKey))).Code);
        if (format == SignatureFormat.Legacy)
        {
            Assert.NotNull(await target.Store.TryGetTaggedAsync(CosignTags.Signature(image.Digest)));
        }
    }

    [Theory]
    [InlineData(SignatureFormat.Bundle)]
    [InlineData(SignatureFormat.Legacy)]
    public async Task AttestAsync_OnRegistry_VerifiesAndFiltersByType(SignatureFormat format)
    {
        using var client = SigningFixtures.Client();
        var reference = $"{Host}/attest/app-{format.ToString().ToLowerInvariant()}:v1";
        var image = await SigningFixtures.PushAsync(client, Reference.Parse(reference), $"attest-{format}");
        await using var target = Targets.Registry(client, reference);
        using var signer = TestKeys.P256.CreateSigner();
        var predicate = """{"builder":{"id":"https://example.com/ci"}}"""u8.ToArray();

        await new ImageSigner(signer).AttestAsync(target, new AttestOptions { Format = format, PredicateType = "slsaprovenance1", Predicate = predicate });
        await new ImageSigner(signer).SignAsync(target, new SignOptions { Format = format });
        var all = await ImageVerifier.VerifyAttestationsAsync(target, SigningFixtures.Keys(TestKeys.P256.PublicKey));
        var slsa = await ImageVerifier.VerifyAttestationsAsync(target, SigningFixtures.Keys(TestKeys.P256.PublicKey) with { PredicateType = "slsaprovenance1" });
        var vex = await ImageVerifier.VerifyAttestationsAsync(target, SigningFixtures.Keys(TestKeys.P256.PublicKey) with { PredicateType = "openvex" });
        var signatures = await ImageVerifier.VerifyAsync(target, SigningFixtures.Keys(TestKeys.P256.PublicKey));

        Assert.True(all.Passed, all.Message);
        var statement = Assert.Single(slsa.Checks).Statement!;
        Assert.Equal(PredicateTypes.SlsaProvenance1, statement.PredicateType);
        Assert.Equal(format == SignatureFormat.Bundle ? InTotoStatement.V1Type : InTotoStatement.V01Type, statement.Type);
        Assert.True(statement.HasSubject(image.Digest));
        Assert.Equal(predicate, statement.Predicate!.Value.ToArray());
        Assert.Equal(SignatureCodes.NoMatchingAttestations, vex.Code);
        Assert.True(signatures.Passed, signatures.Message);
        Assert.Single(signatures.Checks);
    }

    [Fact]
    public async Task ListAsync_SignedAndAttestedInBothFormats_ListsEveryAttachment()
    {
        using var client = SigningFixtures.Client();
        var reference = $"{Host}/tree/app:v1";
        await SigningFixtures.PushAsync(client, Reference.Parse(reference), "tree");
        await using var target = Targets.Registry(client, reference);
        using var signer = TestKeys.P256.CreateSigner();
        foreach (var format in new[] { SignatureFormat.Bundle, SignatureFormat.Legacy })
        {
            await new ImageSigner(signer).SignAsync(target, new SignOptions { Format = format });
            await new ImageSigner(signer).AttestAsync(target, new AttestOptions { Format = format, PredicateType = "openvex", Predicate = "{}"u8.ToArray() });
        }

        var tree = await SignatureTree.ListAsync(target);

        Assert.Empty(tree.Truncations);
        Assert.Equal(4, tree.Attachments.Length);
        Assert.Equal(2, tree.Attachments.Count(a => a.Kind == AttachmentKind.Signature));
        Assert.All(tree.Attachments.Where(a => a.Kind == AttachmentKind.Attestation), a => Assert.Equal(PredicateTypes.OpenVex, a.PredicateType));
    }

    [Theory]
    [InlineData(SignatureFormat.Bundle)]
    [InlineData(SignatureFormat.Legacy)]
    public async Task SignAsync_RecursiveIndex_SignsTheIndexAndEveryManifest(SignatureFormat format)
    {
        using var dir = new TempDir();
        var first = await SigningFixtures.BuildLayoutAsync(dir.Path, "a", "first");
        var second = await SigningFixtures.BuildLayoutAsync(dir.Path, "b", "second");
        var raw = Oci.Layout.OciLayout.WriteIndex([first.ToDescriptor(), second.ToDescriptor()]);
        var index = ManifestParser.Parse(raw, MediaTypes.OciIndex, "test index");
        using (var writer = new Oci.Layout.OciLayoutWriter(dir.Path, "test"))
        {
            await writer.WriteManifestBlobAsync(index);
            await writer.SetIndexEntryAsync(index.ToDescriptor(), "multi");
        }

        await using var target = Targets.Layout(dir.Path, "multi");
        using var signer = TestKeys.P256.CreateSigner();
        var written = await new ImageSigner(signer).SignAsync(target, new SignOptions { Format = format, Recursive = true });

        Assert.Equal([index.Digest, first.Digest, second.Digest], written.Select(w => w.Image));
        foreach (var tag in new[] { "multi", "a", "b" })
        {
            await using var each = Targets.Layout(dir.Path, tag);
            var report = await ImageVerifier.VerifyAsync(each, SigningFixtures.Keys(TestKeys.P256.PublicKey));
            Assert.True(report.Passed, $"{tag}: {report.Message}");
        }
    }

    private static string RegistryClient_ReferrersTag(Digest digest) => Registry.RegistryClient.ReferrersTag(digest);

    private static ImmutableSortedDictionary<string, string> Annotations(string key, string value) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>(key, value)]);
}
