using Signet.Crypto.Dsse;
using Signet.Crypto.InToto;
using Signet.Oci;
using Signet.Signing.Cosign;
using Signet.Signing.Storage;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Timestamps;
using Signet.Sigstore.Verification;

namespace Signet.Signing.Verification;

/// <summary>Checks of one layer of a legacy <c>.sig</c> or <c>.att</c> manifest.</summary>
internal static class LegacyChecks
{
    /// <summary>
    /// A simple-signing layer: the signature annotation over the stored payload bytes (with a key, or keyless through the
    /// layer's certificate, Rekor bundle and timestamp annotations), then the payload's claims.
    /// </summary>
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

        var buffer = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length))
        {
            return Fail(SignatureCodes.Malformed, $"the {CosignMediaTypes.SignatureAnnotation} annotation is not base64");
        }

        var signature = buffer.AsMemory(0, length);
        LegacyKeylessMaterial? material = null;
        if (context.Keyless is not null && !TryReadMaterial(layer, location, Fail, out material, out var refused))
        {
            return refused;
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

        SignatureCheck verified;
        if (context.Keyless is { } keyless)
        {
            SigstoreBundle bundle;
            try
            {
                bundle = material!.ToMessageSignatureBundle(signature, payload, location);
            }
            catch (LegacyKeylessFormatException e)
            {
                return Fail(SignatureCodes.Malformed, e.Message);
            }

            if (!KeylessCheck.TryVerify(bundle, Artifact.FromBytes(payload), keyless, Fail, out var evidence, out var failure))
            {
                return failure;
            }

            verified = Verified(SignatureFormat.Legacy, location, layer.Digest, payload, evidence);
        }
        else
        {
            var key = context.FirstKey(k => k.Verify(payload, signature.Span));
            if (key is null)
            {
                return Fail(SignatureCodes.NotVerified, $"the signature does not verify with any of the {context.Options.Keys.Length} key(s) given");
            }

            verified = Verified(SignatureFormat.Legacy, location, layer.Digest, payload, key.Value);
        }

        SimpleSigningPayload parsed;
        try
        {
            parsed = SimpleSigningPayload.Parse(payload, location);
        }
        catch (FormatException e)
        {
            return verified with { Verified = false, Code = SignatureCodes.Malformed, Message = e.Message, Payload = null };
        }

        verified = verified with { SignedDigest = parsed.ManifestDigest };
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

    /// <summary>
    /// A DSSE layer of an <c>.att</c> manifest: one signature over PAE (with a key, or keyless through the layer's
    /// annotations), then the statement's subject.
    /// </summary>
    public static async Task<SignatureCheck> AttestationAsync(ISignatureStore store, Descriptor layer, string location, CheckContext context, CancellationToken cancellationToken)
    {
        SignatureCheck Fail(string code, string message) => ImageVerifier.Failed(SignatureFormat.Legacy, location, layer.Digest, code, message);

        if (layer.Size > ImageVerifier.MaxBundleBytes)
        {
            return Fail(SignatureCodes.Oversize, $"the envelope is {layer.Size} bytes; at most {ImageVerifier.MaxBundleBytes} are read");
        }

        LegacyKeylessMaterial? material = null;
        if (context.Keyless is not null && !TryReadMaterial(layer, location, Fail, out material, out var refused))
        {
            return refused;
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

        if (context.Keyless is not { } keyless)
        {
            return DsseCheck.Check(envelope, SignatureFormat.Legacy, location, layer.Digest, context, signature: false);
        }

        if (DsseCheck.Shape(envelope, Fail) is { } malformed)
        {
            return malformed;
        }

        SigstoreBundle bundle;
        try
        {
            bundle = material!.ToDsseBundle(envelope, location);
        }
        catch (LegacyKeylessFormatException e)
        {
            return Fail(SignatureCodes.Malformed, e.Message);
        }

        if (!KeylessCheck.TryVerify(bundle, artifact: null, keyless, Fail, out var evidence, out var failure))
        {
            return failure;
        }

        if (material.SignedTimestamp is { } timestamp)
        {
            // cosign timestamps a legacy attestation's envelope bytes (it has no signature annotation), not its signature.
            var stamped = TimestampVerifier.Verify(timestamp, raw, keyless.Verifier.Root);
            if (!stamped.Result.IsValid || stamped.Timestamp is null)
            {
                var reason = $"the {CosignMediaTypes.TimestampAnnotation} timestamp over the envelope did not verify ({stamped.Result.Code}): {stamped.Result.Reason}";
                return Fail(SignatureCodes.KeylessNotVerified, reason) with { SigstoreCode = stamped.Result.Code };
            }

            evidence = evidence with { Times = evidence.Times.Add(stamped.Timestamp) };
        }

        return DsseCheck.Check(envelope, SignatureFormat.Legacy, location, layer.Digest, context, signature: false, evidence);
    }

    /// <summary>Reads a layer's keyless annotations for a keyless verification; a layer without a certificate was signed with a key.</summary>
    private static bool TryReadMaterial(
        Descriptor layer,
        string location,
        Func<string, string, SignatureCheck> fail,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LegacyKeylessMaterial? material,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out SignatureCheck? refused)
    {
        refused = null;
        try
        {
            material = LegacyKeylessMaterial.Read(layer.Annotations, location);
        }
        catch (LegacyKeylessFormatException e)
        {
            material = null;
            refused = fail(SignatureCodes.Malformed, e.Message);
            return false;
        }

        if (material is null)
        {
            refused = fail(SignatureCodes.MaterialMismatch, $"the layer has no {CosignMediaTypes.CertificateAnnotation} annotation: it was signed with a key, so verify it with --key");
            return false;
        }

        return true;
    }

    /// <summary>A signature verified with key <paramref name="key"/>, before its claims are checked.</summary>
    internal static SignatureCheck Verified(SignatureFormat format, string location, Digest blob, ReadOnlyMemory<byte> payload, int key) =>
        Verified(format, location, blob, payload, $"verified with key {key}") with { KeyIndex = key };

    /// <summary>A keyless signature whose Sigstore evidence verified, before its claims are checked.</summary>
    internal static SignatureCheck Verified(SignatureFormat format, string location, Digest blob, ReadOnlyMemory<byte> payload, KeylessProof evidence) =>
        Verified(format, location, blob, payload, $"verified keyless: signed by {evidence.Signer}") with { Signer = evidence.Signer, VerifiedTimes = evidence.Times };

    private static SignatureCheck Verified(SignatureFormat format, string location, Digest blob, ReadOnlyMemory<byte> payload, string message) => new()
    {
        Format = format,
        Location = location,
        Blob = blob,
        Verified = true,
        Message = message,
        Payload = payload,
    };
}

/// <summary>The checks shared by every DSSE envelope: one signature, in-toto payload, a key or keyless evidence, a statement, its claims.</summary>
internal static class DsseCheck
{
    /// <summary>
    /// Checks an envelope: with <paramref name="keyless"/> (its Sigstore evidence already verified) the envelope's
    /// signature was checked by the bundle verifier; otherwise it must verify with one of the keys.
    /// </summary>
    public static SignatureCheck Check(DsseEnvelope envelope, SignatureFormat format, string location, Digest blob, CheckContext context, bool signature, KeylessProof? keyless = null)
    {
        SignatureCheck Fail(string code, string message) => ImageVerifier.Failed(format, location, blob, code, message);

        if (Shape(envelope, Fail) is { } malformed)
        {
            return malformed;
        }

        SignatureCheck verified;
        if (keyless is not null)
        {
            verified = LegacyChecks.Verified(format, location, blob, envelope.Payload, keyless);
        }
        else
        {
            var key = context.FirstKey(k => envelope.Verify(k).IsVerified);
            if (key is null)
            {
                return Fail(SignatureCodes.NotVerified, $"the DSSE signature does not verify with any of the {context.Options.Keys.Length} key(s) given");
            }

            verified = LegacyChecks.Verified(format, location, blob, envelope.Payload, key.Value);
        }

        InTotoStatement statement;
        try
        {
            statement = InTotoStatement.Parse(envelope.Payload);
        }
        catch (InTotoFormatException e)
        {
            return verified with { Verified = false, Code = SignatureCodes.Malformed, Message = e.Message, Payload = null };
        }

        verified = verified with
        {
            Message = $"{verified.Message}: {statement.PredicateType}",
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

    /// <summary>Exactly one signature and an in-toto payload type; null when the envelope has that shape.</summary>
    public static SignatureCheck? Shape(DsseEnvelope envelope, Func<string, string, SignatureCheck> fail)
    {
        if (envelope.Signatures.Length != 1)
        {
            return fail(SignatureCodes.MultipleDsseSignatures, $"the DSSE envelope has {envelope.Signatures.Length} signatures; exactly one is accepted");
        }

        return envelope.PayloadType != DsseProtocol.InTotoPayloadType
            ? fail(SignatureCodes.WrongType, $"the DSSE payloadType is '{envelope.PayloadType}', not {DsseProtocol.InTotoPayloadType}")
            : null;
    }
}
