namespace Signet.Sigstore.Tuf;

/// <summary>Where a <see cref="TufClient"/> keeps its metadata and targets, where it fetches them, and its limits.</summary>
public sealed record TufClientOptions
{
    /// <summary>The local metadata directory; it must hold the trusted <c>root.json</c>.</summary>
    public required string MetadataDirectory { get; init; }

    /// <summary>Base URL of the repository's metadata (<c>https://tuf-repo-cdn.sigstore.dev/</c>).</summary>
    public required Uri MetadataBaseUrl { get; init; }

    /// <summary>Where downloaded targets are cached (<c>&lt;metadata dir&gt;/targets</c> when unset).</summary>
    public string? TargetDirectory { get; init; }

    /// <summary>Base URL of the repository's targets (<c>&lt;metadata base&gt;/targets/</c> when unset).</summary>
    public Uri? TargetBaseUrl { get; init; }

    /// <summary>The clock that decides expiry ("now" is read once per refresh).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Most root versions fetched in one refresh (spec 5.3.3).</summary>
    public int MaxRootRotations { get; init; } = 32;

    /// <summary>Most delegated roles visited while searching for one target.</summary>
    public int MaxDelegations { get; init; } = 32;

    public int RootMaxLength { get; init; } = RootMetadata.MaxBytes;

    public int TimestampMaxLength { get; init; } = TimestampMetadata.MaxBytes;

    public int SnapshotMaxLength { get; init; } = SnapshotMetadata.MaxBytes;

    public int TargetsMaxLength { get; init; } = TargetsMetadata.MaxBytes;

    /// <summary>With consistent snapshots, fetch targets as <c>&lt;hash&gt;.&lt;name&gt;</c> (as every Sigstore mirror serves them).</summary>
    public bool PrefixTargetsWithHash { get; init; } = true;
}
