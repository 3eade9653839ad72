using Signet.Crypto;
using Signet.Crypto.KeyReferences;
using Signet.Crypto.Passphrases;
using Signet.Crypto.Pkcs11;
using Signet.Signing.Signatures;
using Signet.Signing.Tests.TestSupport;
using Signet.Signing.Verification;
using Signet.Testing;
using Signet.Testing.Hsm;

namespace Signet.Signing.Tests.Signatures;

[CollectionDefinition(Name)]
public sealed class SoftHsmTests : ICollectionFixture<SoftHsmFixture>
{
    public const string Name = "SoftHSM";
}

/// <summary>Signing with a key that never leaves SoftHSM (through a <c>pkcs11:</c> URI), verified with the public key the token exports.</summary>
[Collection(SoftHsmTests.Name)]
public sealed class SoftHsmSigningTests(SoftHsmFixture hsm)
{
    [Theory]
    [InlineData(SignatureFormat.Bundle)]
    [InlineData(SignatureFormat.Legacy)]
    public async Task SignAsync_Pkcs11Uri_VerifiesWithTheExportedPublicKey(SignatureFormat format)
    {
        using var dir = new TempDir();
        await SigningFixtures.BuildLayoutAsync(dir.Path, "v1", $"hsm-{format}");
        var resolver = new KeyReferenceResolver(new FixedPassphraseSource(string.Empty))
        {
            Pkcs11Signers = async (reference, cancellationToken) => await Pkcs11Signer.OpenAsync(reference.Raw, cancellationToken: cancellationToken),
        };
        await using var target = Targets.Layout(dir.Path, "v1");

        using (var signer = await resolver.LoadSignerAsync(KeyReference.Parse(hsm.Uri(SoftHsmFixture.EcP256.Label))))
        {
            await new ImageSigner(signer).SignAsync(target, new SignOptions { Format = format });
        }

        var exported = PublicKey.FromSubjectPublicKeyInfo(hsm.ReadPublicKeyDer(SoftHsmFixture.EcP256));
        var report = await ImageVerifier.VerifyAsync(target, SigningFixtures.Keys(exported));

        Assert.True(report.Passed, report.Message);
    }
}
