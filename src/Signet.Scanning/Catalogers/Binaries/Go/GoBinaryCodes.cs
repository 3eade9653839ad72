namespace Signet.Scanning.Catalogers.Binaries.Go;

/// <summary>The stable codes of Go binary cataloging, documented in docs/error-codes.md.</summary>
public static class GoBinaryCodes
{
    /// <summary>The build information blob was found but cannot be decoded.</summary>
    public const string BuildInfoMalformed = "GO1001";

    /// <summary>Lines of the module information do not have the expected shape; they were skipped.</summary>
    public const string ModInfoMalformed = "GO1002";

    /// <summary>A module path cannot form a valid package URL; the package is kept without one.</summary>
    public const string InvalidPurl = "GO1003";
}
