namespace Signet.Crypto.Dsse;

/// <summary>One signature of a DSSE envelope (<c>envelope.md</c>): an unauthenticated key id hint and the signature bytes.</summary>
public sealed record DsseSignature
{
    /// <summary>The <c>keyid</c> hint; an unset field is the same as empty. Never a basis for a security decision.</summary>
    public required string KeyId { get; init; }

    /// <summary>The decoded signature bytes (ASN.1 DER for ECDSA).</summary>
    public required ReadOnlyMemory<byte> Signature { get; init; }
}
