namespace Signet.Scanning.Sbom;

/// <summary>
/// The supplier text of a package (<c>Name &lt;email&gt;</c>, a vendor, an author) as SBOM fields want it: the name
/// alone (CycloneDX <c>supplier.name</c>) or an SPDX agent (<c>Person: Name (email)</c> / <c>Organization: Name</c>).
/// </summary>
internal static class SbomSupplier
{
    public const string NoAssertion = "NOASSERTION";

    private static readonly string[] OrganizationWords =
    [
        "team", "maintainers", "project", "foundation", "inc", "inc.", "ltd", "ltd.", "llc", "gmbh", "corporation", "corp",
        "corp.", "company", "organization", "organisation", "group", "developers", "community", "contributors", "authors",
    ];

    /// <summary>The text before an <c>&lt;email&gt;</c>, trimmed; the whole text when that is empty.</summary>
    public static string NameOf(string supplier)
    {
        var (name, _) = Split(supplier);
        return name;
    }

    /// <summary>
    /// <c>Person: NAME (EMAIL)</c> when the text carries an email and its name has no organisation word
    /// (team, maintainers, project, foundation, Inc...), else <c>Organization: NAME</c> (with the email when given).
    /// </summary>
    public static string SpdxAgent(string? supplier)
    {
        if (string.IsNullOrWhiteSpace(supplier))
        {
            return NoAssertion;
        }

        var (name, email) = Split(supplier);
        name = name.Replace('(', '[').Replace(')', ']');
        var words = name.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        var organization = email is null || words.Any(w => OrganizationWords.Contains(w, StringComparer.OrdinalIgnoreCase));
        var agent = organization ? "Organization" : "Person";
        return email is null ? $"{agent}: {name}" : $"{agent}: {name} ({email})";
    }

    private static (string Name, string? Email) Split(string supplier)
    {
        var trimmed = supplier.Trim();
        var open = trimmed.IndexOf('<', StringComparison.Ordinal);
        var close = open < 0 ? -1 : trimmed.IndexOf('>', open + 1);
        if (open < 0 || close < 0)
        {
            return (trimmed, null);
        }

        var name = trimmed[..open].Trim();
        var email = trimmed[(open + 1)..close].Trim();
        if (email.Length == 0 || email.Contains('(', StringComparison.Ordinal) || email.Contains(')', StringComparison.Ordinal))
        {
            return (trimmed, null);
        }

        return (name.Length == 0 ? email : name, email);
    }
}
