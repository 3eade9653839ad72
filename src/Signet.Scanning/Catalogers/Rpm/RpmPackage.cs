using System.Collections.Immutable;

namespace Signet.Scanning.Catalogers.Rpm;

/// <summary>
/// One installed package read from an rpm database header (rpm's tag set, see rpm's <c>include/rpm/rpmtag.h</c> and
/// "Package header format" in rpm's docs/manual/format.md).
/// </summary>
public sealed record RpmPackage
{
    /// <summary>RPMTAG_NAME (1000).</summary>
    public required string Name { get; init; }

    /// <summary>RPMTAG_EPOCH (1003); null when the header has none.</summary>
    public required int? Epoch { get; init; }

    /// <summary>RPMTAG_VERSION (1001).</summary>
    public required string Version { get; init; }

    /// <summary>RPMTAG_RELEASE (1002).</summary>
    public required string Release { get; init; }

    /// <summary>RPMTAG_ARCH (1022); null for headers without one (gpg-pubkey pseudo packages).</summary>
    public required string? Arch { get; init; }

    /// <summary>RPMTAG_SOURCERPM (1044): the file name of the source package.</summary>
    public required string? SourceRpm { get; init; }

    /// <summary>RPMTAG_LICENSE (1014).</summary>
    public required string? License { get; init; }

    /// <summary>RPMTAG_VENDOR (1011).</summary>
    public required string? Vendor { get; init; }

    /// <summary>RPMTAG_LONGSIZE (5009) or RPMTAG_SIZE (1009): installed size in bytes.</summary>
    public required long? Size { get; init; }

    /// <summary>Installed paths: DIRNAMES[DIRINDEXES[i]] + BASENAMES[i] (or OLDFILENAMES), in header order.</summary>
    public required ImmutableArray<string> Files { get; init; }
}
