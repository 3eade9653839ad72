using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Signet.Crypto.InToto;
using Signet.Oci;
using Signet.Signing.Cosign;
using Signet.Signing.Keyless;
using Signet.Signing.Signatures;
using Signet.Signing.Storage;
using Signet.Signing.Tests.TestSupport;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.Services;
using Signet.Sigstore.TransparencyLog;
using Signet.Sigstore.TrustedRoots;
using Signet.Sigstore.Verification;
using Signet.Testing;
using Signet.Testing.Interop;
using Signet.Testing.Registry;
using PublicKey = Signet.Crypto.PublicKey;

namespace Signet.Signing.Tests.Keyless;

/// <summary>
/// Images signed and attested keyless against @sigstore/mock (Fulcio, Rekor) and OpenSSL's TSA, into a real
/// Distribution registry and an OCI layout, in both cosign formats. Bundle referrers are verified by sigstore-js
/// (@sigstore/verify 3.1.1, the mock's trusted root) and by Signet's BundleVerifier; legacy layers are checked against cosign's annotation formats,
/// the log's SET and the certificate's key.
/// </summary>
public sealed class KeylessImageTests(AnonymousRegistryFixture registry, SigstoreMockFixture sigstore)
    : IClassFixture<AnonymousRegistryFixture>, IClassFixture<SigstoreMockFixture>, IDisposable
{
    private const string Identity = "https://github.com/signet/images/.github/workflows/release.yml@refs/tags/v1";

    private readonly HttpClient _http = new();
    private readonly TempDir _directory = new("signet-keyless-image-");

    private Task<KeylessSigner> SignerAsync(bool timestamp) => KeylessSigner.CreateAsync(_http, new KeylessOptions
    {
        Token = IdentityToken.Parse(SigstoreMock.Token(Identity)),
        FulcioUrl = sigstore.Mock.Url,
        RekorUrls = [sigstore.Mock.Url],
        TimestampUrls = timestamp ? [new Uri(sigstore.Mock.Url, "/openssl-tsa")] : [],
    });

    private async Task<(ImageManifest Image, SignatureTarget Target, Signet.Registry.RegistryClient? Client)> ImageAsync(bool onRegistry, string name)
    {
        if (!onRegistry)
        {
            var directory = _directory.Combine(name);
            return (await SigningFixtures.BuildLayoutAsync(directory, "v1", name), Targets.Layout(directory, "v1"), null);
        }

        var client = SigningFixtures.Client();
        var reference = $"{registry.Registry.Host}/keyless/{name}:v1";
        return (await SigningFixtures.PushAsync(client, Reference.Parse(reference), name), Targets.Registry(client, reference), client);
    }

    /// <summary>The bundle of the one referrer of <paramref name="image"/>.</summary>
    private static async Task<byte[]> ReferrerBundleAsync(ISignatureStore store, Digest image)
    {
        var referrers = new List<Descriptor>();
        await foreach (var referrer in store.ListReferrersAsync(image))
        {
            referrers.Add(referrer);
        }

        var manifest = Assert.IsType<ImageManifest>(await store.GetManifestAsync(Assert.Single(referrers)));
        Assert.Equal(CosignMediaTypes.BundleV03, manifest.ArtifactType);
        return await store.ReadBlobAsync(Assert.Single(manifest.Layers), 1024 * 1024);
    }

    private async Task<string> WriteAsync(string name, byte[] content)
    {
        var path = _directory.Combine(name);
        await File.WriteAllBytesAsync(path, content);
        return path;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task SignKeyless_BundleFormat_VerifiesWithSigstoreJs(bool onRegistry, bool timestamp)
    {
        var (image, target, client) = await ImageAsync(onRegistry, $"bundle-{onRegistry}-{timestamp}".ToLowerInvariant());
        using (client)
        await using (target)
        {
            using var signer = await SignerAsync(timestamp);
            var written = Assert.Single(await new ImageSigner(signer).SignAsync(target, new SignOptions { Format = SignatureFormat.Bundle }));
            var raw = await ReferrerBundleAsync(target.Store, image.Digest);
            var bundlePath = await WriteAsync($"image-{onRegistry}-{timestamp}.sigstore.json", raw);

            var js = await NpmPeers.RunAsync(
                SigstoreMockFixture.Script("verify-keyless.mjs"), bundlePath, "-", sigstore.Mock.TrustedRoot, Identity, SigstoreMock.Issuer, timestamp ? "2" : "1");

            Assert.True(js.ExitCode == 0, js.ToString());
            var bundle = SigstoreBundle.Parse(raw);
            Assert.Equal(written.Layer, Digest.FromHash(Digest.Sha256, SHA256.HashData(raw)));
            Assert.Equal(new KindVersion { Kind = "dsse", Version = "0.0.1" }, Assert.Single(bundle.VerificationMaterial!.TlogEntries).KindVersion);
            Assert.Equal(timestamp ? 1 : 0, bundle.VerificationMaterial.Rfc3161Timestamps.Length);
            var statement = InTotoStatement.Parse(bundle.DsseEnvelope!.Payload);
            Assert.True(statement.HasSubject(image.Digest));
            var verified = new BundleVerifier(TrustedRoot.Parse(await File.ReadAllBytesAsync(sigstore.Mock.TrustedRoot))).Verify(
                bundle, artifact: null, VerificationPolicy.ForIdentity(new CertificateIdentityPolicy { SubjectAlternativeName = Identity, Issuer = SigstoreMock.Issuer }) with { TimestampThreshold = timestamp ? 2 : 1 });
            Assert.True(verified.IsValid, verified.ToString());
            Assert.Equal(PredicateTypes.CosignSign, statement.PredicateType);
        }
    }

    [Fact]
    public async Task AttestKeyless_BundleFormat_VerifiesWithSigstoreJs()
    {
        var (image, target, _) = await ImageAsync(onRegistry: false, "attest-bundle");
        await using (target)
        {
            using var signer = await SignerAsync(timestamp: false);
            await new ImageSigner(signer).AttestAsync(target, new AttestOptions { PredicateType = "openvex", Predicate = "{\"statements\":[]}"u8.ToArray() });
            var bundlePath = await WriteAsync("attest.sigstore.json", await ReferrerBundleAsync(target.Store, image.Digest));

            var js = await NpmPeers.RunAsync(SigstoreMockFixture.Script("verify-keyless.mjs"), bundlePath, "-", sigstore.Mock.TrustedRoot, Identity, SigstoreMock.Issuer);

            Assert.True(js.ExitCode == 0, js.ToString());
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task SignKeyless_LegacyFormat_WritesCosignKeylessAnnotations(bool onRegistry, bool timestamp)
    {
        var (image, target, client) = await ImageAsync(onRegistry, $"legacy-{onRegistry}-{timestamp}".ToLowerInvariant());
        using (client)
        await using (target)
        {
            using var signer = await SignerAsync(timestamp);
            await new ImageSigner(signer).SignAsync(target, new SignOptions { Format = SignatureFormat.Legacy });
            var manifest = Assert.IsType<ImageManifest>(await target.Store.TryGetTaggedAsync(CosignTags.Signature(image.Digest)));
            var layer = Assert.Single(manifest.Layers);
            var payload = await target.Store.ReadBlobAsync(layer, 1024 * 1024);
            var annotations = layer.Annotations;

            // The certificate certifies the key that made the signature, and the chain ends at the mock CA's root.
            using var certificate = X509Certificate2.CreateFromPem(annotations[CosignMediaTypes.CertificateAnnotation]);
            var key = PublicKey.FromSubjectPublicKeyInfo(certificate.PublicKey.ExportSubjectPublicKeyInfo());
            var signature = Convert.FromBase64String(annotations[CosignMediaTypes.SignatureAnnotation]);
            Assert.True(key.Verify(payload, signature));
            using var root = X509Certificate2.CreateFromPem(annotations[CosignMediaTypes.ChainAnnotation]);
            Assert.Equal(certificate.Issuer, root.Subject);

            // The bundle annotation is cosign's RekorBundle: its SET verifies with the mock log's key over the payload it carries,
            // and the logged hashedrekord names the payload's digest and the signature.
            var entry = RekorBundleEntry(annotations[CosignMediaTypes.RekorBundleAnnotation]);
            var logKey = PublicKey.FromSubjectPublicKeyInfo(Assert.Single(TrustedRoot.Parse(await File.ReadAllBytesAsync(sigstore.Mock.TrustedRoot)).Tlogs).PublicKeyBytes.Span);
            Assert.True(SignedEntryTimestamp.Verify(entry, logKey).IsValid);
            using var body = JsonDocument.Parse(entry.CanonicalizedBody);
            var spec = body.RootElement.GetProperty("spec");
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(payload)), spec.GetProperty("data").GetProperty("hash").GetProperty("value").GetString());
            Assert.Equal(annotations[CosignMediaTypes.SignatureAnnotation], spec.GetProperty("signature").GetProperty("content").GetString());
            Assert.Equal(timestamp, annotations.ContainsKey(CosignMediaTypes.TimestampAnnotation));
            if (timestamp)
            {
                using var stamp = JsonDocument.Parse(annotations[CosignMediaTypes.TimestampAnnotation]);
                var token = Convert.FromBase64String(stamp.RootElement.GetProperty("SignedRFC3161Timestamp").GetString()!);
                Assert.True(System.Security.Cryptography.Pkcs.Rfc3161TimestampToken.TryDecode(TokenOf(token), out var decoded, out _));
                Assert.True(decoded!.TokenInfo.GetMessageHash().Span.SequenceEqual(SHA256.HashData(signature)));
            }
        }
    }

    [Fact]
    public async Task AttestKeyless_LegacyFormat_LogsTheEnvelopeAsDsse()
    {
        var (image, target, _) = await ImageAsync(onRegistry: false, "attest-legacy");
        await using (target)
        {
            using var signer = await SignerAsync(timestamp: false);
            await new ImageSigner(signer).AttestAsync(target, new AttestOptions { Format = SignatureFormat.Legacy, PredicateType = "custom", Predicate = "{}"u8.ToArray() });
            var manifest = Assert.IsType<ImageManifest>(await target.Store.TryGetTaggedAsync(CosignTags.Attestation(image.Digest)));
            var annotations = Assert.Single(manifest.Layers).Annotations;

            var entry = RekorBundleEntry(annotations[CosignMediaTypes.RekorBundleAnnotation]);
            using var body = JsonDocument.Parse(entry.CanonicalizedBody);
            Assert.Equal("dsse", body.RootElement.GetProperty("kind").GetString());
            Assert.Equal(signer.CertificatePem, annotations[CosignMediaTypes.CertificateAnnotation]);
            Assert.Equal(string.Empty, annotations[CosignMediaTypes.SignatureAnnotation]);
        }
    }

    /// <summary>Reads cosign's RekorBundle annotation back into a log entry (field names as Go writes them).</summary>
    private static TransparencyLogEntry RekorBundleEntry(string json)
    {
        using var document = JsonDocument.Parse(json);
        var payload = document.RootElement.GetProperty("Payload");
        Assert.Equal(["body", "integratedTime", "logIndex", "logID"], payload.EnumerateObject().Select(p => p.Name));
        return new TransparencyLogEntry
        {
            LogIndex = payload.GetProperty("logIndex").GetInt64(),
            LogKeyId = Convert.FromHexString(payload.GetProperty("logID").GetString()!),
            IntegratedTime = payload.GetProperty("integratedTime").GetInt64(),
            SignedEntryTimestamp = Convert.FromBase64String(document.RootElement.GetProperty("SignedEntryTimestamp").GetString()!),
            CanonicalizedBody = Convert.FromBase64String(payload.GetProperty("body").GetString()!),
        };
    }

    /// <summary>The TimeStampToken inside a DER TimeStampResp (its second element).</summary>
    private static byte[] TokenOf(byte[] response)
    {
        var reader = new System.Formats.Asn1.AsnReader(response, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        reader.ReadEncodedValue();
        return reader.ReadEncodedValue().ToArray();
    }

    public void Dispose()
    {
        _http.Dispose();
        _directory.Dispose();
    }
}
