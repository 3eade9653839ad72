namespace Signet.Scanning.Catalogers.Dpkg;

/// <summary>Stable codes of the dpkg cataloger (docs/error-codes.md, "dpkg cataloging codes").</summary>
public static class DpkgCodes
{
    /// <summary>Status entries whose lines are not deb822 fields were skipped.</summary>
    public const string MalformedEntry = "DPKG1001";

    /// <summary>Installed status entries without a valid Package or Version were skipped.</summary>
    public const string MissingField = "DPKG1002";

    /// <summary>A status file holds more entries than read; the rest was skipped.</summary>
    public const string TooManyEntries = "DPKG1003";

    /// <summary>A file list (info/NAME.list) has lines that are not absolute paths, or too many lines.</summary>
    public const string MalformedFileList = "DPKG1004";

    /// <summary>A machine-readable (DEP-5) copyright file has malformed paragraphs; their licenses are missing.</summary>
    public const string MalformedCopyright = "DPKG1005";
}
