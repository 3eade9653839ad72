using Signet.Signing.Blobs;
using Signet.Signing.Keyless;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Services;
using Signet.Testing.Interop;

namespace Signet.Signing.Tests.Keyless;

/// <summary>
/// Keyless sign-blob against sigstore-js's @sigstore/mock Fulcio and Rekor over loopback HTTP, and the bundle verified
/// by sigstore-js (@sigstore/verify 3.1.1) with the mock's trusted root.
/// </summary>
public sealed class KeylessBlobTests : IClassFixture<SigstoreMockFixture>, IDisposable
{
    private readonly SigstoreMockFixture _fixture;
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("signet-keyless-");
    private readonly HttpClient _http = new();

    public KeylessBlobTests(SigstoreMockFixture fixture)
    {
        _fixture = fixture;
    }

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private KeylessOptions Options(string subject) => new()
    {
        Token = IdentityToken.Parse(SigstoreMock.Token(subject)),
        FulcioUrl = _fixture.Mock.Url,
        RekorUrls = [_fixture.Mock.Url],
    };

    private async Task<(string Artifact, string Bundle, BlobSignature Signed)> SignAsync(string subject, string content)
    {
        var artifact = PathOf("artifact.txt");
        await File.WriteAllTextAsync(artifact, content);
        using var signer = await KeylessSigner.CreateAsync(_http, Options(subject));
        BlobSignature signed;
        await using (var stream = File.OpenRead(artifact))
        {
            signed = await BlobSigner.SignKeylessAsync(signer, stream, artifact);
        }

        var bundle = PathOf("artifact.sigstore.json");
        await File.WriteAllBytesAsync(bundle, signed.Bundle.Raw.ToArray());
        return (artifact, bundle, signed);
    }

    [Fact]
    public async Task SignKeyless_AtMock_VerifiesWithSigstoreJs()
    {
        var (artifact, bundle, signed) = await SignAsync("https://github.com/signet/ci.yml@refs/heads/main", "keyless blob\n");

        var result = await NpmPeers.RunAsync(SigstoreMockFixture.Script("verify-keyless.mjs"), bundle, artifact, _fixture.Mock.TrustedRoot, "https://github.com/signet/ci.yml@refs/heads/main", SigstoreMock.Issuer);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("https://github.com/signet/ci.yml@refs/heads/main", result.Json.GetProperty("identity").GetString());
        var material = signed.Bundle.VerificationMaterial!;
        Assert.Equal(BundleMediaTypes.V03, signed.Bundle.MediaType);
        Assert.Equal(VerificationMaterialKind.Certificate, material.Kind);
        var entry = Assert.Single(material.TlogEntries);
        Assert.Equal(new KindVersion { Kind = "hashedrekord", Version = "0.0.1" }, entry.KindVersion);
        Assert.NotNull(entry.SignedEntryTimestamp);
        Assert.NotNull(entry.InclusionProof?.Checkpoint);
        Assert.True(signed.Certificate?.Span.SequenceEqual(material.Certificates[0].Span));
    }

    [Fact]
    public async Task SignKeyless_TamperedArtifactOrOtherIdentity_FailsInSigstoreJs()
    {
        var (artifact, bundle, _) = await SignAsync("signer@example.test", "release v1\n");

        var otherIdentity = await NpmPeers.RunAsync(SigstoreMockFixture.Script("verify-keyless.mjs"), bundle, artifact, _fixture.Mock.TrustedRoot, "someone-else@example.test", SigstoreMock.Issuer);
        await File.WriteAllTextAsync(artifact, "release v2\n");
        var tampered = await NpmPeers.RunAsync(SigstoreMockFixture.Script("verify-keyless.mjs"), bundle, artifact, _fixture.Mock.TrustedRoot, "signer@example.test", SigstoreMock.Issuer);

        Assert.True(otherIdentity.ExitCode == 1, otherIdentity.ToString());
        Assert.Equal("UNTRUSTED_SIGNER_ERROR", otherIdentity.Json.GetProperty("code").GetString());
        Assert.True(tampered.ExitCode == 1, tampered.ToString());
        Assert.Equal("SIGNATURE_ERROR", tampered.Json.GetProperty("code").GetString());
    }

    public void Dispose()
    {
        _http.Dispose();
        _directory.Delete(recursive: true);
    }
}
