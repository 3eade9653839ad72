namespace Signet.Scanning.Catalogers.Java;

/// <summary>The stable codes of the Java archive cataloger, documented in docs/error-codes.md.</summary>
public static class JavaCodes
{
    /// <summary>An archive is not a readable zip (no end-of-central-directory record, a corrupt central directory).</summary>
    public const string NotAZip = "JAVA1001";

    /// <summary>An archive's central directory declares more entries or bytes than are read.</summary>
    public const string TooManyEntries = "JAVA1002";

    /// <summary>An entry inflates to more bytes than its declared size, or its data is corrupt.</summary>
    public const string EntryCorrupt = "JAVA1003";

    /// <summary>A nested archive sits deeper than the nesting limit.</summary>
    public const string TooDeep = "JAVA1004";

    /// <summary>The bytes inflated from one archive (with its nested archives) would exceed the budget.</summary>
    public const string InflateBudget = "JAVA1005";

    /// <summary>A metadata entry (MANIFEST.MF, pom.properties, pom.xml) is larger than read.</summary>
    public const string MetadataTooLarge = "JAVA1006";

    /// <summary>A pom.xml is not well-formed XML, or declares a DTD.</summary>
    public const string PomXmlMalformed = "JAVA1007";

    /// <summary>A pom.properties lacks its artifactId or version.</summary>
    public const string PomPropertiesIncomplete = "JAVA1008";

    /// <summary>The coordinates do not form a valid maven package URL.</summary>
    public const string InvalidPurl = "JAVA1009";

    /// <summary>A MANIFEST.MF has lines that are neither attributes nor continuations.</summary>
    public const string ManifestMalformed = "JAVA1010";

    /// <summary>An archive has neither a manifest nor a pom.properties: no package is identified.</summary>
    public const string NoIdentity = "JAVA1011";
}
