namespace Signet.Scanning.Catalogers.Npm;

/// <summary>Stable codes of the npm catalogers (docs/error-codes.md, "npm codes").</summary>
public static class NpmCodes
{
    /// <summary>An installed <c>package.json</c> is not a JSON object.</summary>
    public const string ManifestInvalid = "NPM1001";

    /// <summary>A lockfile (package-lock.json, yarn.lock, pnpm-lock.yaml) is not valid for its format; the file was skipped.</summary>
    public const string LockfileInvalid = "NPM1002";

    /// <summary>A lockfile declares a version of its format that is not read.</summary>
    public const string LockfileVersionUnsupported = "NPM1003";

    /// <summary>A lockfile lists more packages than the bound.</summary>
    public const string TooManyEntries = "NPM1004";

    /// <summary>A name and version cannot form a package URL; the package is kept without one.</summary>
    public const string PurlInvalid = "NPM1005";

    /// <summary>A lockfile entry has no usable name or version; the entry was skipped.</summary>
    public const string EntryInvalid = "NPM1006";
}
