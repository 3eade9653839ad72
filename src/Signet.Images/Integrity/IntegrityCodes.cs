namespace Signet.Images.Integrity;

/// <summary>
/// Stable codes of integrity failures. They appear in reports, JSON output and docs/error-codes.md; never reuse or renumber.
/// </summary>
public static class IntegrityCodes
{
    /// <summary>Content does not hash to the digest its descriptor names.</summary>
    public const string DigestMismatch = "INT1001";

    /// <summary>Content is shorter or longer than its descriptor's size.</summary>
    public const string SizeMismatch = "INT1002";

    /// <summary>A layer's uncompressed content does not hash to its DiffID in the config.</summary>
    public const string DiffIdMismatch = "INT1003";

    /// <summary>A manifest, config or layer named by the image is missing from the transport.</summary>
    public const string Missing = "INT1004";

    /// <summary>A manifest, index or config is malformed or unsupported.</summary>
    public const string Malformed = "INT1005";

    /// <summary>The config lists a different number of DiffIDs than the manifest has layers.</summary>
    public const string LayerCountMismatch = "INT1006";

    /// <summary>A compressed layer could not be decompressed (corrupt, truncated, or over a limit).</summary>
    public const string Decompression = "INT1007";

    /// <summary>A layer uses a media type or compression Signet cannot check.</summary>
    public const string UnsupportedMediaType = "INT1008";

    /// <summary>The transport failed (registry unreachable, authentication refused, file unreadable).</summary>
    public const string Transport = "INT1009";

    /// <summary>An index has no manifest for the requested platform.</summary>
    public const string PlatformNotFound = "INT1010";
}
