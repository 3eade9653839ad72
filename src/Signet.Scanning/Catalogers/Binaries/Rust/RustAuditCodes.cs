namespace Signet.Scanning.Catalogers.Binaries.Rust;

/// <summary>The stable codes of cargo-auditable cataloging, documented in docs/error-codes.md.</summary>
public static class RustAuditCodes
{
    /// <summary>The <c>.dep-v0</c> section is not a valid zlib stream.</summary>
    public const string NotZlib = "RUST1001";

    /// <summary>The <c>.dep-v0</c> section decompresses to more than the bound.</summary>
    public const string TooLarge = "RUST1002";

    /// <summary>The decompressed dependency list is not the JSON cargo-auditable writes.</summary>
    public const string InvalidJson = "RUST1003";

    /// <summary>A package of the list has no name or version, or a dependency index outside the list; it was skipped.</summary>
    public const string InvalidPackage = "RUST1004";
}
