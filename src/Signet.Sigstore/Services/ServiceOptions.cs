namespace Signet.Sigstore.Services;

/// <summary>How long a Sigstore service may take and how much it may send back.</summary>
public sealed record ServiceOptions
{
    public static ServiceOptions Default { get; } = new();

    /// <summary>Time for one request, from sending to the last byte of the answer (default 30 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest answer read (default 1 MiB; a certificate chain or a log entry is a few KiB).</summary>
    public int MaxResponseBytes { get; init; } = 1024 * 1024;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the fix when a limit is not positive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxResponseBytes);
    }
}
