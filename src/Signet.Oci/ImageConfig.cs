using System.Collections.Immutable;

namespace Signet.Oci;

/// <summary>An image configuration (OCI image spec config.md; Docker image JSON v1.2), keeping its exact bytes.</summary>
public sealed record ImageConfig
{
    public required ReadOnlyMemory<byte> Raw { get; init; }

    public required Digest Digest { get; init; }

    public string? Os { get; init; }

    public string? Architecture { get; init; }

    public string? Variant { get; init; }

    public string? OsVersion { get; init; }

    public DateTimeOffset? Created { get; init; }

    public string? Author { get; init; }

    /// <summary><c>rootfs.type</c>; "layers" for every valid image.</summary>
    public string? RootFsType { get; init; }

    /// <summary><c>rootfs.diff_ids</c>: the digest of each layer's uncompressed tar, in order.</summary>
    public required ImmutableArray<Digest> DiffIds { get; init; }

    public ImmutableArray<HistoryEntry> History { get; init; } = [];

    public ImmutableArray<string> Env { get; init; } = [];

    public ImmutableArray<string> Entrypoint { get; init; } = [];

    public ImmutableArray<string> Cmd { get; init; } = [];

    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public Platform? Platform => Os is null || Architecture is null
        ? null
        : new Platform { Os = Os, Architecture = Architecture, Variant = Variant, OsVersion = OsVersion };
}

/// <summary>One <c>history</c> entry of an image config.</summary>
public sealed record HistoryEntry
{
    public DateTimeOffset? Created { get; init; }

    public string? CreatedBy { get; init; }

    public string? Author { get; init; }

    public string? Comment { get; init; }

    public bool EmptyLayer { get; init; }
}
