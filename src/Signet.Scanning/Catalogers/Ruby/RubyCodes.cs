namespace Signet.Scanning.Catalogers.Ruby;

/// <summary>The stable codes of the Ruby catalogers, documented in docs/error-codes.md.</summary>
public static class RubyCodes
{
    /// <summary>A file under specifications/ has no <c>Gem::Specification.new do |s|</c> block: not a gemspec RubyGems wrote.</summary>
    public const string NotAGemspec = "GEM1001";

    /// <summary>A gemspec sets no literal name or version: the gem is skipped.</summary>
    public const string MissingNameOrVersion = "GEM1002";

    /// <summary>A gemspec value is not a string literal or array of them that ends on its line; that value was skipped.</summary>
    public const string MalformedValue = "GEM1003";

    /// <summary>A name or version cannot form a gem package URL; the gem is listed without one.</summary>
    public const string InvalidPurl = "GEM1004";

    /// <summary>A Gemfile.lock spec line is not <c>name (version)</c>; it was skipped.</summary>
    public const string MalformedGemfileLock = "GEM1005";
}
