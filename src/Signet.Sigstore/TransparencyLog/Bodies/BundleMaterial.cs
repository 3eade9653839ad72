using Signet.Crypto.Dsse;
using Signet.Sigstore.Bundles;

namespace Signet.Sigstore.TransparencyLog.Bodies;

/// <summary>
/// What a log entry body must describe, taken from the bundle: the signature bytes, the signer (leaf certificate, or
/// the caller's key for a key-signed bundle) and the signed content (message digest or DSSE envelope).
/// </summary>
internal sealed record BundleMaterial
{
    public TlogResult? Problem { get; private init; }

    public ReadOnlyMemory<byte> Signature { get; private init; }

    /// <summary>Where the signature sits in the bundle, for messages.</summary>
    public string SignatureField { get; private init; } = "";

    public ReadOnlyMemory<byte>? Certificate { get; private init; }

    public ReadOnlyMemory<byte> PublicKey { get; private init; }

    public MessageSignature? MessageSignature { get; private init; }

    public DsseEnvelope? Envelope { get; private init; }

    public static BundleMaterial From(SigstoreBundle bundle, ReadOnlySpan<byte> publicKey)
    {
        var material = bundle.VerificationMaterial;
        ReadOnlyMemory<byte>? certificate = null;
        if (material is { Kind: VerificationMaterialKind.Certificate or VerificationMaterialKind.X509CertificateChain, Certificates.IsDefaultOrEmpty: false })
        {
            certificate = material.Certificates[0];
        }
        else if (material is not { Kind: VerificationMaterialKind.PublicKey })
        {
            return Fail(TlogCodes.InvalidInput, "the bundle has no signing certificate or public key to compare the log entry with");
        }
        else if (publicKey.IsEmpty)
        {
            return Fail(TlogCodes.BodyKeyRequired, "the bundle is signed with a public key (named only by a hint): pass that key to compare the log entry's signer with it");
        }

        if (bundle.MessageSignature is { } message)
        {
            return new BundleMaterial
            {
                Signature = message.Signature,
                SignatureField = "messageSignature.signature",
                Certificate = certificate,
                PublicKey = publicKey.ToArray(),
                MessageSignature = message,
            };
        }

        if (bundle.DsseEnvelope is { } envelope)
        {
            return envelope.Signatures.Length != 1
                ? Fail(TlogCodes.BodyMismatch, $"the bundle's DSSE envelope has {envelope.Signatures.Length} signatures; a Sigstore bundle's envelope has exactly one, as its log entry does")
                : new BundleMaterial
                {
                    Signature = envelope.Signatures[0].Signature,
                    SignatureField = "dsseEnvelope.signatures[0].sig",
                    Certificate = certificate,
                    PublicKey = publicKey.ToArray(),
                    Envelope = envelope,
                };
        }

        return Fail(TlogCodes.InvalidInput, "the bundle has neither a messageSignature nor a dsseEnvelope to compare the log entry with");
    }

    private static BundleMaterial Fail(string code, string reason) => new() { Problem = TlogResult.Fail(code, reason) };
}
