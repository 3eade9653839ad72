using System.Collections.Immutable;

namespace Signet.Crypto.Dsse;

/// <summary>Which signatures of an envelope a key verified, by index into <see cref="DsseEnvelope.Signatures"/>.</summary>
public sealed record DsseVerificationResult
{
    public required ImmutableArray<int> VerifiedIndexes { get; init; }

    /// <summary>How many signatures the envelope has.</summary>
    public required int SignatureCount { get; init; }

    /// <summary>True when at least one signature verified.</summary>
    public bool IsVerified => !VerifiedIndexes.IsDefaultOrEmpty;
}
