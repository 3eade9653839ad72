using System.Collections.Immutable;

namespace Signet.Oci;

/// <summary>The platform of an index entry or an image config (image-index.md "platform").</summary>
public sealed record Platform
{
    public required string Os { get; init; }

    public required string Architecture { get; init; }

    public string? Variant { get; init; }

    public string? OsVersion { get; init; }

    public ImmutableArray<string> OsFeatures { get; init; } = [];

    /// <summary>Parses <c>os/arch[/variant]</c>, as given on the command line.</summary>
    public static Platform Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new FormatException($"platform '{value}' is not of the form OS/ARCH[/VARIANT], for example linux/amd64 or linux/arm64/v8");
        }

        return new Platform { Os = parts[0], Architecture = parts[1], Variant = parts.Length == 3 ? parts[2] : null };
    }

    /// <summary>True when this platform satisfies <paramref name="wanted"/> (a variant is compared only when wanted names one).</summary>
    public bool Satisfies(Platform wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        return string.Equals(Os, wanted.Os, StringComparison.Ordinal)
            && string.Equals(Architecture, wanted.Architecture, StringComparison.Ordinal)
            && (wanted.Variant is null || string.Equals(Variant, wanted.Variant, StringComparison.Ordinal));
    }

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
