using System.Security.Cryptography;
using Signet.Crypto;

namespace Signet.Testing.Signers;

/// <summary>An in-memory ECDSA P-256 key wrapped as an <see cref="ISigner"/> (DER signatures, SHA-256), for tests.</summary>
public sealed class EcdsaTestSigner : ISigner
{
    private readonly ECDsa _key;

    public EcdsaTestSigner()
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        PublicKey = PublicKey.FromSubjectPublicKeyInfo(_key.ExportSubjectPublicKeyInfo());
    }

    public KeyAlgorithm Algorithm => KeyAlgorithm.EcdsaP256;

    public PublicKey PublicKey { get; }

    public Task<byte[]> SignAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        Task.FromResult(_key.SignData(message.Span, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    public void Dispose() => _key.Dispose();
}
