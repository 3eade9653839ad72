namespace Signet.Scanning.Catalogers.Apk;

/// <summary>Stable codes of the apk cataloger (docs/error-codes.md, "apk cataloging codes").</summary>
public static class ApkCodes
{
    /// <summary>Entries with lines that are not <c>K:value</c> were skipped.</summary>
    public const string MalformedEntry = "APK1001";

    /// <summary>Entries without a package name (P:) or version (V:) were skipped.</summary>
    public const string MissingField = "APK1002";

    /// <summary>The database holds more entries than read; the rest was skipped.</summary>
    public const string TooManyEntries = "APK1003";
}
