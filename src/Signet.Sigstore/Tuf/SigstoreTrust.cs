using Signet.Sigstore.TrustedRoots;

namespace Signet.Sigstore.Tuf;

/// <summary>
/// Where verifiers find the trusted root: an explicit file (<c>--trusted-root</c>), else the one <c>signet trust</c>
/// keeps up to date in the trust directory, else the Sigstore public-good trusted root shipped with Signet.
/// </summary>
public static class SigstoreTrust
{
    /// <summary>The Sigstore public-good TUF repository.</summary>
    public const string PublicGoodMirror = "https://tuf-repo-cdn.sigstore.dev";

    /// <summary>The name of the trusted root, as a TUF target and as a file in the trust directory.</summary>
    public const string TrustedRootFileName = "trusted_root.json";

    /// <summary>The environment variable that moves the trust directory.</summary>
    public const string DirectoryVariable = "SIGNET_TRUST_DIR";

    /// <summary>The trust directory: <c>$SIGNET_TRUST_DIR</c>, else <c>~/.signet/trust</c>.</summary>
    public static string DefaultDirectory => Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } directory
        ? directory
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".signet", "trust");

    /// <summary>
    /// The Sigstore public-good TUF root shipped with Signet (from <c>@sigstore/tuf</c>'s <c>seeds.json</c>; see
    /// Tuf/Seeds/PROVENANCE.md): the trust anchor of <c>signet trust init</c> for the public-good mirror.
    /// </summary>
    public static ReadOnlyMemory<byte> EmbeddedRoot => Resource("root.json");

    /// <summary>The public-good <c>trusted_root.json</c> shipped with Signet, from the same <c>seeds.json</c>.</summary>
    public static ReadOnlyMemory<byte> EmbeddedTrustedRoot => Resource(TrustedRootFileName);

    /// <summary>Loads the trusted root to verify with; throws <see cref="TrustedRootException"/> naming the file on bad content.</summary>
    public static TrustedRoot LoadTrustedRoot(string? trustedRootFile, string? trustDirectory = null)
    {
        if (trustedRootFile is not null)
        {
            return Load(trustedRootFile, "the --trusted-root file");
        }

        var inDirectory = Path.Combine(trustDirectory ?? DefaultDirectory, TrustedRootFileName);
        return File.Exists(inDirectory)
            ? Load(inDirectory, "the trusted root 'signet trust update' keeps; run 'signet trust update' (or 'signet trust init' to start again)")
            : TrustedRoot.Parse(EmbeddedTrustedRoot);
    }

    /// <summary>Which trusted root <see cref="LoadTrustedRoot"/> uses for a trust directory: its file, or null for the embedded one.</summary>
    public static string? TrustedRootFileIn(string trustDirectory)
    {
        var path = Path.Combine(trustDirectory, TrustedRootFileName);
        return File.Exists(path) ? path : null;
    }

    private static TrustedRoot Load(string path, string what)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > TrustedRoot.MaxBytes)
            {
                throw new TrustedRootException($"{path}: {info.Length} bytes, more than the {TrustedRoot.MaxBytes} a trusted root may have ({what})");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TrustedRootException($"{path}: cannot be read ({e.Message}); {what}", e);
        }

        try
        {
            return TrustedRoot.Parse(bytes);
        }
        catch (TrustedRootException e)
        {
            throw new TrustedRootException($"{path}: {e.Message} ({what})", e);
        }
    }

    private static byte[] Resource(string name)
    {
        using var stream = typeof(SigstoreTrust).Assembly.GetManifestResourceStream($"Signet.Sigstore.Tuf.Seeds.{name}")
            ?? throw new InvalidOperationException($"the embedded {name} is missing from Signet.Sigstore");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
