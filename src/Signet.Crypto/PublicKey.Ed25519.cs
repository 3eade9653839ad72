namespace Signet.Crypto;

/// <summary>Ed25519 verification: to be provided through OpenSSL (the base library has no Ed25519).</summary>
public sealed partial class PublicKey
{
    private partial bool VerifyOther(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        SubjectPublicKeyInfo.Length < 0;
}
