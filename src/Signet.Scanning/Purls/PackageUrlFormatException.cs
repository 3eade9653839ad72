namespace Signet.Scanning.Purls;

/// <summary>
/// A package URL that does not follow the purl specification; <see cref="Code"/> is one of the stable
/// <see cref="PackageUrlCodes"/> documented in docs/error-codes.md.
/// </summary>
public sealed class PackageUrlFormatException : FormatException
{
    public PackageUrlFormatException()
        : this(PackageUrlCodes.Syntax, "invalid package URL")
    {
    }

    public PackageUrlFormatException(string message)
        : this(PackageUrlCodes.Syntax, message)
    {
    }

    public PackageUrlFormatException(string message, Exception innerException)
        : base(message, innerException) => Code = PackageUrlCodes.Syntax;

    public PackageUrlFormatException(string code, string message)
        : base($"{code} {message}") => Code = code;

    public string Code { get; }
}

/// <summary>Stable codes of package URL failures (docs/error-codes.md, "Package URL codes").</summary>
public static class PackageUrlCodes
{
    /// <summary>The string is not a package URL: scheme, type, percent-encoding or qualifier syntax.</summary>
    public const string Syntax = "PURL1001";

    /// <summary>A component breaks a rule: no name, or a namespace the type requires or prohibits.</summary>
    public const string Component = "PURL1002";

    /// <summary>The package URL is longer than <see cref="PackageUrl.MaxLength"/>.</summary>
    public const string TooLong = "PURL1003";
}
