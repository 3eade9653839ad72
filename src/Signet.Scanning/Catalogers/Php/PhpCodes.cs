namespace Signet.Scanning.Catalogers.Php;

/// <summary>The stable codes of the PHP catalogers, documented in docs/error-codes.md.</summary>
public static class PhpCodes
{
    /// <summary>installed.json or composer.lock is not JSON (or nests deeper than the bound).</summary>
    public const string NotJson = "PHP1001";

    /// <summary>The JSON is not shaped as Composer writes it (an array, or an object with a packages array).</summary>
    public const string UnexpectedShape = "PHP1002";

    /// <summary>A package entry lacks a string name or version: it is skipped.</summary>
    public const string MissingNameOrVersion = "PHP1003";

    /// <summary>A name or version cannot form a composer package URL (the name is not vendor/package); listed without one.</summary>
    public const string InvalidPurl = "PHP1004";
}
