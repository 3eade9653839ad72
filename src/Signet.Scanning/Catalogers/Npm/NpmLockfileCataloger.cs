namespace Signet.Scanning.Catalogers.Npm;

/// <summary>
/// npm packages of a source tree from its lockfiles, for <see cref="ScanKind.SourceTree"/> only (an image's
/// packages are the installed ones, <see cref="NpmInstalledCataloger"/>): <c>package-lock.json</c> and
/// <c>npm-shrinkwrap.json</c> (<see cref="PackageLockParser"/>), <c>yarn.lock</c> v1 (<see cref="YarnLockParser"/>)
/// and <c>pnpm-lock.yaml</c> (<see cref="PnpmLockParser"/>). Lockfiles inside <c>node_modules</c> (npm's hidden
/// <c>node_modules/.package-lock.json</c>, lockfiles shipped in packages) describe installed trees, not the project,
/// and are not read.
/// </summary>
public sealed class NpmLockfileCataloger : ICataloger
{
    /// <summary>The largest lockfile read; big monorepo lockfiles are tens of MiB.</summary>
    public const long MaxBytes = 128L * 1024 * 1024;

    public string Id => "npm-lockfile";

    public bool Wants(CatalogFile file, CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(context);
        return context.Kind == ScanKind.SourceTree
            && file.Name is "package-lock.json" or "npm-shrinkwrap.json" or "yarn.lock" or "pnpm-lock.yaml"
            && !file.Path.StartsWith("node_modules/", StringComparison.Ordinal)
            && !file.Path.Contains("/node_modules/", StringComparison.Ordinal);
    }

    public ICatalogSession Start(CatalogContext context) =>
        new WholeFileSession(context, MaxBytes, (file, bytes, ctx) => Parse(file, bytes, ctx, Id));

    internal static IReadOnlyList<Package> Parse(CatalogFile file, byte[] bytes, CatalogContext context, string foundBy, int maxEntries = LockPackageSet.MaxEntries)
    {
        var packages = new LockPackageSet(file, context, foundBy, maxEntries);
        var complete = file.Name switch
        {
            "yarn.lock" => YarnLockParser.Read(bytes, packages),
            "pnpm-lock.yaml" => PnpmLockParser.Read(bytes, packages),
            _ => PackageLockParser.Read(bytes, packages),
        };
        return complete ? packages.Build() : [];
    }

    /// <summary>Reports a file that is not valid for its format (<see cref="NpmCodes.LockfileInvalid"/>); returns false.</summary>
    internal static bool Invalid(LockPackageSet packages, string problem, string fix)
    {
        packages.Context.Report(new CatalogIssue(NpmCodes.LockfileInvalid, packages.File.Path, $"{problem}; the file is skipped. {fix}"));
        return false;
    }

    /// <summary>Reports a format version that is not read (<see cref="NpmCodes.LockfileVersionUnsupported"/>); returns false.</summary>
    internal static bool Unsupported(LockPackageSet packages, string declared, string read)
    {
        packages.Context.Report(new CatalogIssue(
            NpmCodes.LockfileVersionUnsupported, packages.File.Path,
            $"declares {declared}; {read} are read. Its packages are not listed: scan the installed node_modules instead, or write the lockfile with a tool version whose format is read."));
        return false;
    }
}
