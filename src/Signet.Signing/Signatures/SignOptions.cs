using System.Collections.Immutable;
using Signet.Crypto.InToto;

namespace Signet.Signing.Signatures;

/// <summary>What <see cref="ImageSigner.SignAsync"/> writes.</summary>
public sealed record SignOptions
{
    public SignatureFormat Format { get; init; } = SignatureFormat.Bundle;

    /// <summary><c>-a key=value</c>: in the simple-signing <c>optional</c> object, or on the statement subject.</summary>
    public ImmutableSortedDictionary<string, string> Annotations { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Sign every manifest of an index too (and of nested indexes), not only the index.</summary>
    public bool Recursive { get; init; }
}

/// <summary>What <see cref="ImageSigner.AttestAsync"/> writes.</summary>
public sealed record AttestOptions
{
    public SignatureFormat Format { get; init; } = SignatureFormat.Bundle;

    /// <summary>A <c>--type</c> short name (<see cref="PredicateTypes.ShortNames"/>) or a predicate type URI.</summary>
    public required string PredicateType { get; init; }

    /// <summary>The predicate: a JSON object, embedded byte for byte.</summary>
    public required ReadOnlyMemory<byte> Predicate { get; init; }

    /// <summary>Attest every manifest of an index too.</summary>
    public bool Recursive { get; init; }
}

/// <summary>One signature or attestation written.</summary>
/// <param name="Image">The digest signed.</param>
/// <param name="Format">How it was stored.</param>
/// <param name="Location">The tag (legacy) or the referrer manifest digest (bundle).</param>
/// <param name="Layer">The payload or bundle blob.</param>
/// <param name="Appended">False when an identical signature layer was already there (nothing was written).</param>
public sealed record SignedManifest(Oci.Digest Image, SignatureFormat Format, string Location, Oci.Digest Layer, bool Appended);
