namespace Signet.Scanning.Catalogers.DotNet;

/// <summary>Stable codes of the .NET catalogers (docs/error-codes.md, ".NET codes").</summary>
public static class DotNetCodes
{
    /// <summary>A <c>*.deps.json</c> is not valid JSON of that format; the file was skipped.</summary>
    public const string DepsInvalid = "NET1001";

    /// <summary>A <c>libraries</c> key of a <c>*.deps.json</c> is not <c>Name/Version</c>; that library was skipped.</summary>
    public const string LibraryKeyInvalid = "NET1002";

    /// <summary>A <c>packages.lock.json</c> is not valid JSON of that format, or an entry lacks its resolved version.</summary>
    public const string LockfileInvalid = "NET1003";

    /// <summary>A <c>packages.lock.json</c> declares a format version that is not read.</summary>
    public const string LockfileVersionUnsupported = "NET1004";

    /// <summary>A file lists more libraries than the bound.</summary>
    public const string TooManyEntries = "NET1005";

    /// <summary>A name and version cannot form a package URL; the package is kept without one.</summary>
    public const string PurlInvalid = "NET1006";
}
