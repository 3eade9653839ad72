using Signet.Crypto.Dsse;
using Signet.Crypto.InToto;
using Signet.Oci;
using Signet.Signing.Cosign;
using Signet.Signing.Storage;

namespace Signet.Signing.Verification;

/// <summary>Checks of one layer of a legacy <c>.sig</c> or <c>.att</c> manifest.</summary>
internal static class LegacyChecks
{
    /// <summary>A simple-signing layer: signature annotation over the stored payload bytes, then the payload's claims.</summary>
    public static async Task<SignatureCheck> SignatureAsync(ISignatureStore store, Descriptor layer, string location, CheckContext context, CancellationToken cancellationToken)
    {
        SignatureCheck Fail(string code, string message) => ImageVerifier.Failed(SignatureFormat.Legacy, location, layer.Digest, code, message);

        if (layer.Size > SimpleSigningPayload.MaxBytes)
        {
            return Fail(SignatureCodes.Oversize, $"the payload is {layer.Size} bytes; at most {SimpleSigningPayload.MaxBytes} are read");
        }

        if (!layer.Annotations.TryGetValue(CosignMediaTypes.SignatureAnnotation, out var encoded) || encoded.Length == 0)
        {
            return Fail(SignatureCodes.Malformed, $"the layer has no {CosignMediaTypes.SignatureAnnotation} annotation");
        }

        var signature = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(encoded, signature, out var length))
        {
            return Fail(SignatureCodes.Malformed, $"the {CosignMediaTypes.SignatureAnnotation} annotation is not base64");
        }

        byte[] payload;
        try
        {
            payload = await store.ReadBlobAsync(layer, SimpleSigningPayload.MaxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreFailure.IsUnreadable(e))
        {
            return Fail(SignatureCodes.Unreadable, $"the payload cannot be read intact: {e.Message}");
        }

        var key = context.FirstKey(k => k.Verify(payload, signature.AsSpan(0, length)));
        if (key is null)
        {
            return Fail(SignatureCodes.NotVerified, $"the signature does not verify with any of the {context.Options.Keys.Length} key(s) given");
        }

        SimpleSigningPayload parsed;
        try
        {
            parsed = SimpleSigningPayload.Parse(payload, location);
        }
        catch (FormatException e)
        {
            return Fail(SignatureCodes.Malformed, e.Message) with { KeyIndex = key };
        }

        var verified = new SignatureCheck
        {
            Format = SignatureFormat.Legacy,
            Location = location,
            Blob = layer.Digest,
            Verified = true,
            Message = $"verified with key {key}",
            KeyIndex = key,
            Payload = payload,
            SignedDigest = parsed.ManifestDigest,
        };
        if (parsed.Type != CosignMediaTypes.ImageSignatureType)
        {
            return verified with { Verified = false, Code = SignatureCodes.WrongType, Message = $"critical.type is '{parsed.Type}', not '{CosignMediaTypes.ImageSignatureType}'" };
        }

        if (parsed.ManifestDigest != context.Image)
        {
            return verified with
            {
                Verified = false,
                Code = SignatureCodes.DigestMismatch,
                Message = $"the signature verifies but signs {parsed.ManifestDigest}, not the image {context.Image}: it belongs to another image",
            };
        }

        foreach (var (name, value) in context.Options.Annotations)
        {
            if (!parsed.Optional.TryGetValue(name, out var actual) || actual != value)
            {
                return verified with { Verified = false, Code = SignatureCodes.AnnotationMismatch, Message = $"the payload has no annotation {name}={value}" };
            }
        }

        return verified;
    }

    /// <summary>A DSSE layer of an <c>.att</c> manifest: one signature over PAE, then the statement's subject.</summary>
    public static async Task<SignatureCheck> AttestationAsync(ISignatureStore store, Descriptor layer, string location, CheckContext context, CancellationToken cancellationToken)
    {
        SignatureCheck Fail(string code, string message) => ImageVerifier.Failed(SignatureFormat.Legacy, location, layer.Digest, code, message);

        if (layer.Size > ImageVerifier.MaxBundleBytes)
        {
            return Fail(SignatureCodes.Oversize, $"the envelope is {layer.Size} bytes; at most {ImageVerifier.MaxBundleBytes} are read");
        }

        byte[] raw;
        try
        {
            raw = await store.ReadBlobAsync(layer, ImageVerifier.MaxBundleBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreFailure.IsUnreadable(e))
        {
            return Fail(SignatureCodes.Unreadable, $"the envelope cannot be read intact: {e.Message}");
        }

        DsseEnvelope envelope;
        try
        {
            envelope = DsseEnvelope.Parse(raw);
        }
        catch (DsseFormatException e)
        {
            return Fail(SignatureCodes.Malformed, e.Message);
        }

        return DsseCheck.Check(envelope, SignatureFormat.Legacy, location, layer.Digest, context, signature: false);
    }
}

/// <summary>The checks shared by every DSSE envelope: one signature, in-toto payload, a key, a statement, its claims.</summary>
internal static class DsseCheck
{
    public static SignatureCheck Check(DsseEnvelope envelope, SignatureFormat format, string location, Digest blob, CheckContext context, bool signature)
    {
        SignatureCheck Fail(string code, string message) => ImageVerifier.Failed(format, location, blob, code, message);

        if (envelope.Signatures.Length != 1)
        {
            return Fail(SignatureCodes.MultipleDsseSignatures, $"the DSSE envelope has {envelope.Signatures.Length} signatures; exactly one is accepted");
        }

        if (envelope.PayloadType != DsseProtocol.InTotoPayloadType)
        {
            return Fail(SignatureCodes.WrongType, $"the DSSE payloadType is '{envelope.PayloadType}', not {DsseProtocol.InTotoPayloadType}");
        }

        var key = context.FirstKey(k => envelope.Verify(k).IsVerified);
        if (key is null)
        {
            return Fail(SignatureCodes.NotVerified, $"the DSSE signature does not verify with any of the {context.Options.Keys.Length} key(s) given");
        }

        InTotoStatement statement;
        try
        {
            statement = InTotoStatement.Parse(envelope.Payload);
        }
        catch (InTotoFormatException e)
        {
            return Fail(SignatureCodes.Malformed, e.Message) with { KeyIndex = key };
        }

        var verified = new SignatureCheck
        {
            Format = format,
            Location = location,
            Blob = blob,
            Verified = true,
            Message = $"verified with key {key}: {statement.PredicateType}",
            KeyIndex = key,
            Payload = envelope.Payload,
            Statement = statement,
            SignedDigest = StatementClaims.FirstDigest(statement),
        };
        if (StatementClaims.Check(statement, context, signature) is { } failure)
        {
            return verified with { Verified = false, Code = failure.Code, Message = failure.Message };
        }

        if (!signature)
        {
            context.Saw(statement);
        }

        return verified;
    }
}
