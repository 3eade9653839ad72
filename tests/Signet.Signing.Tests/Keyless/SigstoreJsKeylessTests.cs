using System.Text;
using Signet.Signing.Blobs;
using Signet.Signing.Keyless;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.Services;
using Signet.Sigstore.TrustedRoots;
using Signet.Sigstore.Verification;
using Signet.Testing.Interop;

namespace Signet.Signing.Tests.Keyless;

/// <summary>
/// The other direction: sigstore-js (@sigstore/sign 4.1.1, its FulcioSigner and RekorWitness) signs keyless at
/// @sigstore/mock, and Signet's BundleVerifier verifies the bundle offline with the mock's trusted root and the signer's
/// identity; Signet's own keyless bundles verify there too.
/// </summary>
public sealed class SigstoreJsKeylessTests(SigstoreMockFixture sigstore) : IClassFixture<SigstoreMockFixture>, IDisposable
{
    private const string Subject = "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("signet-sigstore-js-keyless-");

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private BundleVerifier Verifier() => new(TrustedRoot.Parse(File.ReadAllBytes(sigstore.Mock.TrustedRoot)));

    private static VerificationPolicy Identity(string subject) =>
        VerificationPolicy.ForIdentity(new CertificateIdentityPolicy { SubjectAlternativeName = subject, Issuer = SigstoreMock.Issuer });

    private async Task<SigstoreBundle> SignWithSigstoreJsAsync(string file, string mode)
    {
        var bundle = PathOf($"{mode}.sigstore.json");
        var result = await NpmPeers.RunAsync(SigstoreMockFixture.Script("sign-keyless.mjs"), file, bundle, sigstore.Mock.Url.ToString().TrimEnd('/'), SigstoreMock.Token(Subject), mode);
        Assert.True(result.ExitCode == 0, result.ToString());
        return SigstoreBundle.Parse(await File.ReadAllBytesAsync(bundle));
    }

    [Fact]
    public async Task SigstoreJsMessageBundle_VerifiesWithSignet_AndTamperingOrAnotherIdentityFails()
    {
        var artifact = PathOf("artifact.txt");
        await File.WriteAllTextAsync(artifact, "signed by sigstore-js\n");
        var bundle = await SignWithSigstoreJsAsync(artifact, "message");
        var bytes = await File.ReadAllBytesAsync(artifact);

        var verified = Verifier().Verify(bundle, Artifact.FromBytes(bytes), Identity(Subject));
        var tampered = Verifier().Verify(bundle, Artifact.FromBytes(Encoding.UTF8.GetBytes("tampered\n")), Identity(Subject));
        var someoneElse = Verifier().Verify(bundle, Artifact.FromBytes(bytes), Identity("https://github.com/someone/else"));

        Assert.True(verified.IsValid, verified.ToString());
        Assert.Equal(Subject, Assert.Single(verified.Certificate!.SubjectAlternativeNames).Value);
        Assert.NotEmpty(verified.Timestamps);
        Assert.False(tampered.IsValid);
        Assert.False(someoneElse.IsValid);
    }

    [Fact]
    public async Task SigstoreJsDsseBundle_VerifiesWithSignet()
    {
        var statement = PathOf("statement.json");
        await File.WriteAllTextAsync(statement, "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":\"" + new string('b', 64) + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{}}");
        var bundle = await SignWithSigstoreJsAsync(statement, "dsse");

        var verified = Verifier().Verify(bundle, artifact: null, Identity(Subject));

        Assert.True(verified.IsValid, verified.ToString());
        Assert.Equal("application/vnd.in-toto+json", verified.PayloadType);
        Assert.Equal(await File.ReadAllBytesAsync(statement), verified.Payload!.Value.ToArray());
    }

    [Fact]
    public async Task SignetKeylessBundle_VerifiesWithSignet()
    {
        var artifact = PathOf("signet.txt");
        await File.WriteAllTextAsync(artifact, "signed by signet\n");
        using var http = new HttpClient();
        using var signer = await KeylessSigner.CreateAsync(http, new KeylessOptions
        {
            Token = IdentityToken.Parse(SigstoreMock.Token(Subject)),
            FulcioUrl = sigstore.Mock.Url,
            RekorUrls = [sigstore.Mock.Url],
            TimestampUrls = [new Uri(sigstore.Mock.Url, "/openssl-tsa")],
        });
        BlobSignature signed;
        await using (var stream = File.OpenRead(artifact))
        {
            signed = await BlobSigner.SignKeylessAsync(signer, stream, artifact);
        }

        var verified = Verifier().Verify(signed.Bundle, Artifact.FromBytes(await File.ReadAllBytesAsync(artifact)), Identity(Subject) with { TimestampThreshold = 2 });

        Assert.True(verified.IsValid, verified.ToString());
        Assert.Equal(2, verified.Timestamps.Length);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
