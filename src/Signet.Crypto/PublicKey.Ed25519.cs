using Signet.Crypto.OpenSsl;

namespace Signet.Crypto;

/// <summary>Ed25519 verification through the system OpenSSL (the base library has no Ed25519).</summary>
public sealed partial class PublicKey
{
    private partial bool VerifyOther(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        Algorithm == KeyAlgorithm.Ed25519 && OpenSslEd25519.VerifyWithSubjectPublicKeyInfo(SubjectPublicKeyInfo.Span, message, signature);
}
