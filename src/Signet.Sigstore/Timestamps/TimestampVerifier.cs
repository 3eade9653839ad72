using Signet.Sigstore.TrustedRoots;

namespace Signet.Sigstore.Timestamps;

/// <summary>A timestamp that verified, and the authority that made it.</summary>
public sealed record VerifiedTimestamp(DateTimeOffset Time, string Authority);

/// <summary>A timestamp check's outcome and, on success, the verified time.</summary>
public sealed record TimestampResult(CheckResult Result, VerifiedTimestamp? Timestamp);

/// <summary>RFC 3161 signed timestamps over a signature, checked against the trusted root's timestamp authorities.</summary>
public static class TimestampVerifier
{
    /// <summary>Largest signed timestamp read.</summary>
    public const int MaxBytes = 64 * 1024;

    public static TimestampResult Verify(ReadOnlyMemory<byte> signedTimestamp, ReadOnlySpan<byte> signature, TrustedRoot root) => throw new NotImplementedException();
}
