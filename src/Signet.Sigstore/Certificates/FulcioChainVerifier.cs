using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using Signet.Sigstore.TrustedRoots;

namespace Signet.Sigstore.Certificates;

/// <summary>A chain check's outcome and, on success, the chain from the leaf to the trusted root certificate.</summary>
public sealed record ChainResult(CheckResult Result, ImmutableArray<X509Certificate2> Chain);

/// <summary>
/// Path validation of a signing certificate using only the trusted root's certificate authorities (certificates the
/// bundle carries are never trusted), at one observed time (hybrid model), with the codeSigning EKU and the
/// authority's validity window.
/// </summary>
public static class FulcioChainVerifier
{
    public static ChainResult Verify(FulcioCertificate leaf, TrustedRoot root, DateTimeOffset time) => throw new NotImplementedException();
}
