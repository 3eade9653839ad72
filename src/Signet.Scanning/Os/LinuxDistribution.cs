namespace Signet.Scanning.Os;

/// <summary>
/// The distribution of a root filesystem, named as os-release(5) names it (<c>ID</c>, <c>VERSION_ID</c>...), with the
/// file or package it was read from.
/// </summary>
public sealed record LinuxDistribution
{
    /// <summary>Lowercase distribution id: <c>debian</c>, <c>ubuntu</c>, <c>alpine</c>, <c>rhel</c>, <c>rocky</c>...</summary>
    public required string Id { get; init; }

    /// <summary>The version as os-release's <c>VERSION_ID</c> gives it (<c>12</c>, <c>3.10.4</c>, <c>9.3</c>); null for rolling releases.</summary>
    public string? VersionId { get; init; }

    /// <summary>A human-readable name (<c>PRETTY_NAME</c>), when known.</summary>
    public string? PrettyName { get; init; }

    /// <summary>The release code name (<c>bookworm</c>, <c>jammy</c>, <c>Plow</c>), when known.</summary>
    public string? Codename { get; init; }

    /// <summary>The evidence: a file path (<c>etc/os-release</c>) or <c>package:TYPE/NAME</c> for a package database.</summary>
    public required string Source { get; init; }

    /// <summary>The value of the purl <c>distro</c> qualifier: <c>ID-VERSION_ID</c> (<c>debian-12</c>), or the id alone.</summary>
    public string DistroQualifier => VersionId is null ? Id : $"{Id}-{VersionId}";
}

/// <summary>
/// A package a cataloger found that identifies the distribution when no release file does (distroless images): its
/// purl type (<c>deb</c>, <c>apk</c>, <c>rpm</c>), name and version.
/// </summary>
public sealed record OsPackageEvidence(string Type, string Name, string Version);
