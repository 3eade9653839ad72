using Signet.Oci;
using Signet.Signing.Storage;
using Signet.Sigstore.Bundles;

namespace Signet.Signing.Verification;

/// <summary>Checks of one Sigstore bundle layer of a referrer.</summary>
internal static class BundleChecks
{
    public static async Task<SignatureCheck?> CheckAsync(ISignatureStore store, Descriptor layer, string location, CheckContext context, CancellationToken cancellationToken)
    {
        SignatureCheck Fail(string code, string message) => ImageVerifier.Failed(SignatureFormat.Bundle, location, layer.Digest, code, message);

        if (layer.Size > ImageVerifier.MaxBundleBytes)
        {
            return Fail(SignatureCodes.Oversize, $"the bundle is {layer.Size} bytes; at most {ImageVerifier.MaxBundleBytes} are read");
        }

        byte[] raw;
        try
        {
            raw = await store.ReadBlobAsync(layer, ImageVerifier.MaxBundleBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreFailure.IsUnreadable(e))
        {
            return Fail(SignatureCodes.Unreadable, $"the bundle cannot be read intact: {e.Message}");
        }

        var read = SigstoreBundle.Read(raw, new BundleParseOptions { MaxBundleBytes = ImageVerifier.MaxBundleBytes });
        if (read.Bundle is not { } bundle)
        {
            return Fail(SignatureCodes.Malformed, $"not a readable Sigstore bundle: {read.Problems[0]}");
        }

        if (read.Problems.FirstOrDefault(p => p.Code == BundleCodes.DsseSignatureCount) is { } count)
        {
            return Fail(SignatureCodes.MultipleDsseSignatures, $"the bundle's DSSE envelope does not have exactly one signature ({count})");
        }

        if (!read.Problems.IsEmpty)
        {
            return Fail(SignatureCodes.Malformed, $"the bundle breaks the rules of its version: {string.Join("; ", read.Problems)}");
        }

        if (bundle.ContentKind != BundleContentKind.DsseEnvelope || bundle.DsseEnvelope is not { } envelope)
        {
            return Fail(SignatureCodes.WrongType, "the bundle holds a message signature; image signatures and attestations are DSSE envelopes over in-toto statements");
        }

        var signedWithKey = bundle.VerificationMaterial?.Kind == VerificationMaterialKind.PublicKey;
        if (context.Keyless is not { } keyless)
        {
            return signedWithKey
                ? DsseCheck.Check(envelope, SignatureFormat.Bundle, location, layer.Digest, context, signature: !context.Attestations)
                : Fail(SignatureCodes.MaterialMismatch, "the bundle is verified by a certificate (keyless): verify it with --certificate-identity and --certificate-oidc-issuer, not --key");
        }

        if (signedWithKey)
        {
            return Fail(SignatureCodes.MaterialMismatch, "the bundle was signed with a key (publicKey hint, no certificate): verify it with --key");
        }

        if (DsseCheck.Shape(envelope, Fail) is { } malformed)
        {
            return malformed;
        }

        // No artifact: the statement's subject is compared with the image digest by the claim checks below.
        if (!KeylessCheck.TryVerify(bundle, artifact: null, keyless, Fail, out var evidence, out var failure))
        {
            return failure;
        }

        return DsseCheck.Check(envelope, SignatureFormat.Bundle, location, layer.Digest, context, signature: !context.Attestations, evidence);
    }
}
