namespace Signet.Scanning.Catalogers.Rpm;

/// <summary>
/// An rpm database or one of its package headers is malformed: the message names the object (file, page, slot or
/// header tag), the check that failed and what to do; <see cref="Code"/> is one of the stable <see cref="RpmCodes"/>
/// (one per part that failed), documented in docs/error-codes.md.
/// </summary>
public sealed class RpmDatabaseFormatException : FormatException
{
    public RpmDatabaseFormatException()
        : this(RpmCodes.Header, "malformed rpm package header")
    {
    }

    public RpmDatabaseFormatException(string message)
        : this(RpmCodes.Header, message)
    {
    }

    public RpmDatabaseFormatException(string message, Exception innerException)
        : this(RpmCodes.Header, message, innerException)
    {
    }

    public RpmDatabaseFormatException(string code, string message)
        : base(message) => Code = code;

    public RpmDatabaseFormatException(string code, string message, Exception innerException)
        : base(message, innerException) => Code = code;

    /// <summary>The stable code of the failure (<see cref="RpmCodes"/>).</summary>
    public string Code { get; }
}

/// <summary>Stable codes of rpm database failures (docs/error-codes.md, "rpm cataloging codes").</summary>
public static class RpmCodes
{
    /// <summary>A package header blob is malformed; that package is skipped.</summary>
    public const string Header = "RPM1001";

    /// <summary>A Berkeley DB hash <c>Packages</c> file is malformed; the packages after the failure are missing.</summary>
    public const string BerkeleyDb = "RPM1002";

    /// <summary>An NDB <c>Packages.db</c> file is malformed; the packages after the failure are missing.</summary>
    public const string Ndb = "RPM1003";

    /// <summary>An <c>rpmdb.sqlite</c> file cannot be read by SQLite or has rows without a header blob.</summary>
    public const string Sqlite = "RPM1004";
}
