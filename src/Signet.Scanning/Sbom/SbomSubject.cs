using System.Collections.Immutable;
using Signet.Oci;
using Signet.Scanning.Catalogers;
using Signet.Scanning.FileSystem;
using Signet.Scanning.Os;

namespace Signet.Scanning.Sbom;

/// <summary>
/// What an SBOM describes: the scanned image (or directory) with the facts the scan learned about it. The packages are
/// passed next to it (<see cref="CycloneDxWriter.Write"/>, <see cref="SpdxWriter.Write"/>).
/// </summary>
public sealed record SbomSubject
{
    /// <summary>The image reference or archive as the user gave it (<c>debian:12</c>), or the directory path.</summary>
    public required string Name { get; init; }

    /// <summary>What was scanned: an image, a root filesystem directory or a source tree.</summary>
    public required ScanKind Kind { get; init; }

    /// <summary>The digest of the image manifest (the image version); null for a directory.</summary>
    public Digest? ManifestDigest { get; init; }

    /// <summary>The digest of the image config (the image id); null for a directory.</summary>
    public Digest? ConfigDigest { get; init; }

    /// <summary>The platform of the image (<c>linux/amd64</c>); null for a directory or when unknown.</summary>
    public Platform? Platform { get; init; }

    /// <summary>The layers of the image, base first; empty for a directory.</summary>
    public ImmutableArray<LayerInfo> Layers { get; init; } = [];

    /// <summary>The distribution the scan detected; null when none was found (scratch image, source tree).</summary>
    public LinuxDistribution? Distribution { get; init; }
}

/// <summary>How an SBOM is written. The same subject, packages and options always give the same bytes.</summary>
public sealed record SbomOptions
{
    /// <summary>
    /// The creation time written into the document (CycloneDX <c>metadata.timestamp</c>, SPDX <c>creationInfo.created</c>),
    /// to the second, in UTC. The caller decides it: <c>--timestamp</c>, <c>SOURCE_DATE_EPOCH</c> or the clock.
    /// </summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The version of the tool written as the document's creator.</summary>
    public required string ToolVersion { get; init; }

    /// <summary>The name of the tool written as the document's creator.</summary>
    public string ToolName { get; init; } = "signet";

    /// <summary>Indent the JSON (two spaces, <c>\n</c> line ends); compact when false.</summary>
    public bool Indented { get; init; } = true;
}
