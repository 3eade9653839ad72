using System.Collections.Immutable;

namespace Signet.Sigstore.Tuf;

/// <summary>A top-level role: the key ids allowed to sign it and how many must.</summary>
public sealed record TufRole(ImmutableArray<string> KeyIds, int Threshold);

/// <summary>One entry of <c>signatures</c>; <see cref="Signature"/> is empty for an unsigned keyholder.</summary>
public sealed record TufSignature(string KeyId, byte[] Signature);
