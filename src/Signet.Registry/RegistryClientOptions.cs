using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Registry;

/// <summary>Long-lived settings of a registry client. Validated once, by <see cref="Validate"/>.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>Hosts (with port if any) that may be reached over plain HTTP or with unverified TLS. Loopback hosts always may.</summary>
    public ImmutableHashSet<string> InsecureRegistries { get; init; } = ImmutableHashSet<string>.Empty;

    /// <summary>Extra certificate authorities trusted besides the system's (<c>--ca-cert</c>).</summary>
    public X509Certificate2Collection? ExtraCaCertificates { get; init; }

    /// <summary>Time allowed for one request that is not a blob transfer (ping, manifest, tag page).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Time allowed to open a connection.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a request is sent in all when the registry answers 429 or 5xx or the connection fails.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>First back-off delay; doubles after each attempt, with jitter, capped at 10 s (a Retry-After header wins).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Blob uploads larger than this are sent in chunks of this size (PATCH); 0 sends every blob in one PUT.</summary>
    public long ChunkSize { get; init; }

    /// <summary>Most blob transfers in flight at once per client.</summary>
    public int MaxConcurrentTransfers { get; init; } = 4;

    public string UserAgent { get; init; } = "signet/0.1";

    public RegistryClientOptions Validate()
    {
        if (MaxAttempts is < 1 or > 10)
        {
            throw new ArgumentException($"MaxAttempts must be between 1 and 10, got {MaxAttempts}");
        }

        if (ChunkSize is < 0 or (> 0 and < 1024))
        {
            throw new ArgumentException($"ChunkSize must be 0 (monolithic) or at least 1024 bytes, got {ChunkSize}");
        }

        if (MaxConcurrentTransfers is < 1 or > 64)
        {
            throw new ArgumentException($"MaxConcurrentTransfers must be between 1 and 64, got {MaxConcurrentTransfers}");
        }

        return RequestTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero
            ? throw new ArgumentException("timeouts must be positive")
            : this;
    }
}
