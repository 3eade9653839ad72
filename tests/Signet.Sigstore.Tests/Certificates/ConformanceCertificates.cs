using Signet.Sigstore.Bundles;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.TrustedRoots;
using TestData = Signet.Testing.TestData;

namespace Signet.Sigstore.Tests.Certificates;

/// <summary>Signing certificates and trusted roots of the sigstore-conformance shared data.</summary>
internal static class ConformanceCertificates
{
    /// <summary>The default identity and issuer of the conformance cases (data README).</summary>
    public const string DefaultIdentity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";

    public const string DefaultIssuer = "https://token.actions.githubusercontent.com";

    public static ReadOnlyMemory<byte> LeafDer(string caseName) =>
        SigstoreBundle.Parse(File.ReadAllBytes(TestData.Require($"sigstore-conformance/bundle-verify/{caseName}/bundle.sigstore.json")))
            .VerificationMaterial!.Certificates[0];

    public static FulcioCertificate Leaf(string caseName) => FulcioCertificate.Parse(LeafDer(caseName));

    /// <summary>The case's own trusted_root.json, or the production root when it has none (data README).</summary>
    public static TrustedRoot Root(string caseName)
    {
        var own = Path.Combine(TestData.Require($"sigstore-conformance/bundle-verify/{caseName}"), "trusted_root.json");
        return TrustedRoot.Parse(File.ReadAllBytes(File.Exists(own) ? own : TestData.Require("sigstore-conformance/trusted_root.production.json")));
    }
}
