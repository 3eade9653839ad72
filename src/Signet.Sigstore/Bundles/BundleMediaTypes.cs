using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Signet.Sigstore.Bundles;

/// <summary>
/// Sigstore bundle media types (protobuf-specs <c>sigstore_bundle.proto</c>): the legacy form
/// <c>application/vnd.dev.sigstore.bundle+json;version=X.Y</c> and, from v0.3, <c>application/vnd.dev.sigstore.bundle.vX.Y+json</c>.
/// </summary>
public static class BundleMediaTypes
{
    public const string V01 = "application/vnd.dev.sigstore.bundle+json;version=0.1";
    public const string V02 = "application/vnd.dev.sigstore.bundle+json;version=0.2";
    public const string V03Legacy = "application/vnd.dev.sigstore.bundle+json;version=0.3";

    /// <summary>What Signet writes, and what cosign v3 uses as the referrer artifactType.</summary>
    public const string V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

    private const string LegacyPrefix = "application/vnd.dev.sigstore.bundle+json;version=";
    private const string Prefix = "application/vnd.dev.sigstore.bundle.v";
    private const string Suffix = "+json";

    /// <summary>
    /// Reads the version a Sigstore bundle media type names, supported or not (so "version=99.9" yields 99.9 and the
    /// caller can say it is unsupported). False when the text is not a Sigstore bundle media type at all.
    /// </summary>
    public static bool TryGetVersion([NotNullWhen(true)] string? mediaType, [NotNullWhen(true)] out Version? version)
    {
        version = null;
        if (mediaType is null)
        {
            return false;
        }

        string text;
        if (mediaType.StartsWith(LegacyPrefix, StringComparison.Ordinal))
        {
            text = mediaType[LegacyPrefix.Length..];
        }
        else if (mediaType.StartsWith(Prefix, StringComparison.Ordinal) && mediaType.EndsWith(Suffix, StringComparison.Ordinal)
                 && mediaType.Length > Prefix.Length + Suffix.Length)
        {
            text = mediaType[Prefix.Length..^Suffix.Length];
        }
        else
        {
            return false;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == text.Length - 1 || text.Length > 16)
        {
            return false;
        }

        if (!IsDigits(text.AsSpan(0, dot)) || !IsDigits(text.AsSpan(dot + 1))
            || !int.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        version = new Version(major, minor);
        return true;
    }

    /// <summary>True for the versions Signet reads: 0.1, 0.2 and 0.3.</summary>
    public static bool IsSupported(Version version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return version.Major == 0 && version.Minor is >= 1 and <= 3;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return text.Length > 0;
    }
}
