using Signet.Sigstore.Bundles;
using Signet.Sigstore.TrustedRoots;

namespace Signet.Sigstore.Verification;

/// <summary>
/// Verifies a Sigstore bundle offline in sigstore-go's order: limits, transparency log entries, timestamps, the
/// certificate chain and SCTs at each verified time, identity policy, then the signature over the artifact or PAE.
/// </summary>
public sealed class BundleVerifier
{
    public BundleVerifier(TrustedRoot root)
    {
        Root = root;
    }

    public TrustedRoot Root { get; }

    /// <summary>
    /// Verifies <paramref name="bundle"/>. With a null <paramref name="artifact"/> a DSSE bundle's statement subjects
    /// are left to the caller (image verification compares them with the image digest).
    /// </summary>
    public BundleVerification Verify(SigstoreBundle bundle, Artifact? artifact, VerificationPolicy policy, DateTimeOffset? now = null) =>
        throw new NotImplementedException();
}
