using System.Text.RegularExpressions;

namespace Signet.Oci;

/// <summary>
/// The image reference grammar of github.com/distribution/reference (regexp.go), transcribed production by production.
/// Go's RE2 and .NET's backtracking engine both pick the leftmost-first (Perl) submatches, so captures agree.
/// Every character class is spelled out in ASCII: .NET's <c>\w</c> and <c>\d</c> would also accept other scripts.
/// Inputs are length-checked by the caller before matching, which bounds the work of the backtracking engine.
/// </summary>
internal static partial class ReferenceGrammar
{
    // alphanumeric: lowercase letters and digits only.
    private const string Alphanumeric = "[a-z0-9]+";

    // One period, one or two underscores, or any number of dashes.
    private const string Separator = "(?:[._]|__|[-]+)";

    // A DNS label: letters (either case), digits and inner dashes.
    private const string DomainNameComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";

    private const string OptionalPort = "(?::[0-9]+)?";

    // Tags: a word character, then up to 127 word characters, periods or dashes.
    private const string TagPattern = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";

    // The grammar's digest shape; the algorithm and length are checked afterwards by Digest.
    private const string DigestPattern = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    // Bracketed IPv6 literal without a zone identifier.
    private const string Ipv6Address = @"\[(?:[a-fA-F0-9:]+)\]";

    private const string DomainName = DomainNameComponent + @"(?:\." + DomainNameComponent + ")*";

    private const string Host = "(?:" + DomainName + "|" + Ipv6Address + ")";

    private const string DomainAndPort = Host + OptionalPort;

    private const string PathComponent = Alphanumeric + "(?:" + Separator + Alphanumeric + ")*";

    private const string RemoteName = PathComponent + "(?:/" + PathComponent + ")*";

    private const string NamePattern = "(?:" + DomainAndPort + "/)?" + RemoteName;

    private const string ReferencePattern =
        @"\A(?<name>" + NamePattern + ")(?::(?<tag>" + TagPattern + "))?(?:@(?<digest>" + DigestPattern + @"))?\z";

    private const string AnchoredNamePattern = @"\A(?:(?<domain>" + DomainAndPort + ")/)?(?<path>" + RemoteName + @")\z";

    [GeneratedRegex(ReferencePattern, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex ReferenceRegex();

    [GeneratedRegex(AnchoredNamePattern, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex AnchoredNameRegex();

    [GeneratedRegex(@"\A" + DomainAndPort + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex AnchoredDomainRegex();

    [GeneratedRegex(@"\A" + TagPattern + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex AnchoredTagRegex();

    [GeneratedRegex(@"\A" + DigestPattern + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex AnchoredDigestRegex();

    [GeneratedRegex(@"\A[a-f0-9]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AnchoredIdentifierRegex();

    /// <summary>Splits <c>name[:tag][@digest]</c>; false when the text does not follow the reference grammar.</summary>
    public static bool TryMatchReference(string value, out string name, out string? tag, out string? digest)
    {
        var match = ReferenceRegex().Match(value);
        if (!match.Success)
        {
            name = string.Empty;
            tag = null;
            digest = null;
            return false;
        }

        name = match.Groups["name"].Value;
        tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null;
        digest = match.Groups["digest"].Success ? match.Groups["digest"].Value : null;
        return true;
    }

    /// <summary>Splits a name into its optional domain (empty when absent) and its path, as the grammar does.</summary>
    public static bool TrySplitName(string name, out string domain, out string path)
    {
        var match = AnchoredNameRegex().Match(name);
        if (!match.Success)
        {
            domain = string.Empty;
            path = string.Empty;
            return false;
        }

        domain = match.Groups["domain"].Success ? match.Groups["domain"].Value : string.Empty;
        path = match.Groups["path"].Value;
        return true;
    }

    /// <summary>True for a registry host with optional port, such as <c>example.com:5000</c> or <c>[::1]</c>.</summary>
    public static bool IsDomain(string value) => value.Length <= Reference.NameMaxLength && AnchoredDomainRegex().IsMatch(value);

    public static bool IsTag(string value) => AnchoredTagRegex().IsMatch(value);

    /// <summary>True when the text has the grammar's digest shape, whatever the algorithm.</summary>
    public static bool IsDigestShaped(string value) => AnchoredDigestRegex().IsMatch(value);

    /// <summary>True for 64 lowercase hex digits: an image ID without its algorithm.</summary>
    public static bool IsIdentifier(string value) => AnchoredIdentifierRegex().IsMatch(value);
}
