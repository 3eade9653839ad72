using System.Collections.Immutable;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.Timestamps;

namespace Signet.Sigstore.Verification;

/// <summary>
/// The verdict on one bundle: valid, or the first failed check with its stable code and reason. On success it
/// carries what was proven: the signing certificate (keyless), the verified times and, for DSSE, the payload.
/// </summary>
public sealed record BundleVerification
{
    public bool IsValid => Code is null;

    /// <summary>The stable code of the failed check (docs/error-codes.md); null when valid.</summary>
    public string? Code { get; init; }

    public string? Reason { get; init; }

    public FulcioCertificate? Certificate { get; init; }

    public ImmutableArray<VerifiedTimestamp> Timestamps { get; init; } = [];

    /// <summary>The DSSE payload type and payload, when the bundle holds an envelope.</summary>
    public string? PayloadType { get; init; }

    public ReadOnlyMemory<byte>? Payload { get; init; }

    public override string ToString() => IsValid ? "valid" : $"{Code}: {Reason}";
}
