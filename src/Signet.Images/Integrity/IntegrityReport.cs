using System.Collections.Immutable;
using Signet.Oci;

namespace Signet.Images.Integrity;

/// <summary>The kind of object an integrity check looked at.</summary>
public enum ObjectKind
{
    Index,
    Manifest,
    Config,
    Layer,
    Blob,
}

/// <summary>One checked object: what it is, and either that it held or which check failed.</summary>
public sealed record ObjectCheck
{
    public required ObjectKind Kind { get; init; }

    public Digest? Digest { get; init; }

    public string? MediaType { get; init; }

    public long? Size { get; init; }

    /// <summary>The platform of the image the object belongs to, when known.</summary>
    public string? Platform { get; init; }

    /// <summary>A layer's position in its manifest (0 is the base layer).</summary>
    public int? Position { get; init; }

    /// <summary>The parent manifest's digest.</summary>
    public Digest? Parent { get; init; }

    /// <summary>The DiffID the config expects (layers).</summary>
    public Digest? DiffId { get; init; }

    /// <summary>The DiffID computed from the uncompressed content (layers).</summary>
    public Digest? ActualDiffId { get; init; }

    /// <summary>Uncompressed size (layers).</summary>
    public long? UncompressedSize { get; init; }

    /// <summary>Null when the object passed; else a stable code from <see cref="IntegrityCodes"/>.</summary>
    public string? Code { get; init; }

    /// <summary>What failed and what to do; null when passed.</summary>
    public string? Message { get; init; }

    public bool Passed => Code is null;
}

/// <summary>The result of proving an image's integrity.</summary>
public sealed record IntegrityReport
{
    public required string Image { get; init; }

    public Digest? RootDigest { get; init; }

    public required ImmutableArray<ObjectCheck> Objects { get; init; }

    /// <summary>Bytes read from the transport (compressed).</summary>
    public long BytesRead { get; init; }

    /// <summary>Bytes of uncompressed layer content hashed for DiffIDs.</summary>
    public long BytesUncompressed { get; init; }

    public TimeSpan Elapsed { get; init; }

    public bool Passed => !Objects.IsDefaultOrEmpty && Objects.All(o => o.Passed);

    public IEnumerable<ObjectCheck> Failures => Objects.Where(o => !o.Passed);
}
