namespace Signet.Scanning.Catalogers.Python;

/// <summary>The stable codes of the Python catalogers, documented in docs/error-codes.md.</summary>
public static class PythonCodes
{
    /// <summary>Core metadata (METADATA, PKG-INFO, an .egg-info file) without a Name or a Version: the package is skipped.</summary>
    public const string MissingNameOrVersion = "PY1001";

    /// <summary>A core metadata line is neither a header nor a continuation, or a Requires-Dist names no project; it was skipped.</summary>
    public const string MalformedHeader = "PY1002";

    /// <summary>A RECORD or installed-files.txt line cannot be read or points above the tree root; it was skipped.</summary>
    public const string MalformedRecord = "PY1003";

    /// <summary>A name or version cannot form a pypi package URL; the package is listed without one.</summary>
    public const string InvalidPurl = "PY1004";

    /// <summary>poetry.lock is not the TOML poetry writes, or a package entry lacks a name or version.</summary>
    public const string MalformedPoetryLock = "PY1005";

    /// <summary>A pinned (<c>==</c>) requirements line names no valid project or version; it was skipped.</summary>
    public const string MalformedRequirement = "PY1006";

    /// <summary>A zipped <c>.egg</c> is not a readable zip with an <c>EGG-INFO/PKG-INFO</c> within the bound: it is skipped.</summary>
    public const string MalformedEgg = "PY1007";
}
