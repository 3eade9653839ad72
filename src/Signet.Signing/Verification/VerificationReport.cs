using System.Collections.Immutable;
using Signet.Crypto;
using Signet.Crypto.InToto;
using Signet.Oci;

namespace Signet.Signing.Verification;

/// <summary>Keys and claims a verification requires.</summary>
public sealed record VerifyOptions
{
    /// <summary>The keys any of which may have made a signature; at least one.</summary>
    public required ImmutableArray<PublicKey> Keys { get; init; }

    /// <summary>How many distinct keys must have made a valid signature (default 1).</summary>
    public int Threshold { get; init; } = 1;

    /// <summary><c>-a key=value</c>: each must appear in the simple-signing <c>optional</c> object or on the statement subject.</summary>
    public ImmutableSortedDictionary<string, string> Annotations { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>For attestations: only statements of this predicate type (short name or URI); null for all.</summary>
    public string? PredicateType { get; init; }

    /// <summary>Checks the options once, with messages that name the fix.</summary>
    public void Validate()
    {
        if (Keys.IsDefaultOrEmpty)
        {
            throw new ArgumentException("verification needs at least one key: give --key");
        }

        if (Threshold < 1 || Threshold > Keys.Length)
        {
            throw new ArgumentException($"--threshold {Threshold} must be between 1 and the number of keys given ({Keys.Length})");
        }

        if (PredicateType is not null && !PredicateTypes.TryResolve(PredicateType, out _))
        {
            throw new ArgumentException($"--type '{PredicateType}' is neither a short name ({string.Join(", ", PredicateTypes.ShortNames.Keys)}) nor a URI");
        }
    }
}

/// <summary>One signature or attestation found, and what became of it.</summary>
public sealed record SignatureCheck
{
    public required SignatureFormat Format { get; init; }

    /// <summary>Where it was found: <c>sha256-….sig layer 2</c> or <c>referrer sha256:…</c>.</summary>
    public required string Location { get; init; }

    /// <summary>The payload, envelope or bundle blob (null when the check failed before a blob was named).</summary>
    public Digest? Blob { get; init; }

    /// <summary>True when a given key verified it and every claim held.</summary>
    public required bool Verified { get; init; }

    /// <summary>The failure code (<see cref="SignatureCodes"/>) or null when verified.</summary>
    public string? Code { get; init; }

    /// <summary>What failed and what to do, or a short description when verified.</summary>
    public required string Message { get; init; }

    /// <summary>The index into <see cref="VerifyOptions.Keys"/> of the key that verified the signature.</summary>
    public int? KeyIndex { get; init; }

    /// <summary>The signed payload's exact bytes: the simple-signing JSON or the in-toto statement (when the signature verified).</summary>
    public ReadOnlyMemory<byte>? Payload { get; init; }

    /// <summary>The in-toto statement, for bundles and attestations whose signature verified.</summary>
    public InTotoStatement? Statement { get; init; }

    /// <summary>The digest the signature names (payload critical.image or a statement subject), when it could be read.</summary>
    public Digest? SignedDigest { get; init; }
}

/// <summary>The verdict on an image's signatures (or attestations): every one found, each with its outcome.</summary>
public sealed record VerificationReport
{
    public required string Image { get; init; }

    /// <summary>The digest that was verified (the tag was resolved to it first).</summary>
    public required Digest Digest { get; init; }

    public required ImmutableArray<SignatureCheck> Checks { get; init; }

    public required int Threshold { get; init; }

    /// <summary>The indexes into <see cref="VerifyOptions.Keys"/> of the distinct keys with at least one verified signature.</summary>
    public required ImmutableArray<int> VerifiedKeys { get; init; }

    /// <summary>Null when passed; otherwise SIG1001 (nothing found), SIG1006 (refused over a limit), SIG1008 (threshold not met) or SIG1011.</summary>
    public string? Code { get; init; }

    public required string Message { get; init; }

    public bool Passed => Code is null;

    public IEnumerable<SignatureCheck> Verified => Checks.Where(c => c.Verified);
}
