using Signet.Sigstore.TrustedRoots;

namespace Signet.Sigstore.Tuf;

/// <summary>
/// Where verifiers find the trusted root: an explicit file (<c>--trusted-root</c>), else the one <c>signet trust</c>
/// keeps up to date in the trust directory, else the Sigstore public-good trusted root shipped with Signet.
/// </summary>
public static class SigstoreTrust
{
    /// <summary>The trust directory: <c>$SIGNET_TRUST_DIR</c>, else <c>~/.signet/trust</c>.</summary>
    public static string DefaultDirectory => throw new NotImplementedException();

    /// <summary>Loads the trusted root to verify with; throws <see cref="TrustedRootException"/> naming the file on bad content.</summary>
    public static TrustedRoot LoadTrustedRoot(string? trustedRootFile, string? trustDirectory = null) => throw new NotImplementedException();
}
