using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Signet.Oci.Json;
using Signet.Sigstore.Bundles;

namespace Signet.Sigstore.TransparencyLog.Bodies;

/// <summary>
/// Rekor v1 entry bodies (rekor pkg/types: hashedrekord 0.0.1, dsse 0.0.1, intoto 0.0.2). Keys and certificates are
/// base64 of PEM text, digests lowercase hex; intoto 0.0.2 stores the envelope's signature and payload base64-encoded
/// twice.
/// </summary>
internal static class RekorV1Body
{
    public static TlogResult HashedRekord(BodyContext context, JsonElement spec)
    {
        if (context.Material.MessageSignature is not { } message)
        {
            return context.Mismatch("kind", "is hashedrekord 0.0.1, a signature over a digest, but the bundle holds a DSSE envelope");
        }

        var json = context.Json;
        var signature = Object(json, spec, "signature", "spec");
        var key = Object(json, signature, "publicKey", "spec.signature");
        var (algorithm, value) = HexHash(json, Object(json, Object(json, spec, "data", "spec"), "hash", "spec.data"), "spec.data.hash");
        return First(
            () => context.CompareSignature("spec.signature.content", json.Base64(json.RequiredString(signature, "content", "spec.signature"), "spec.signature.content")),
            () => CompareVerifier(context, "spec.signature.publicKey.content", json.RequiredString(key, "content", "spec.signature.publicKey")),
            () => message.MessageDigest is not { } digest
                ? context.Mismatch("spec.data.hash", "cannot be checked: the bundle has no messageSignature.messageDigest")
                : algorithm != digest.Algorithm
                    ? context.Mismatch("spec.data.hash.algorithm", $"is not the bundle's messageDigest algorithm {ProtoJson.HashAlgorithmNames[digest.Algorithm]}")
                    : value.AsSpan().SequenceEqual(digest.Digest.Span) ? TlogResult.Success : context.Mismatch("spec.data.hash.value", "is not the bundle's messageSignature.messageDigest: the entry is for another artifact"));
    }

    public static TlogResult Dsse(BodyContext context, JsonElement spec)
    {
        if (context.Material.Envelope is not { } envelope)
        {
            return context.Mismatch("kind", "is dsse 0.0.1, an envelope, but the bundle holds a message signature");
        }

        var json = context.Json;
        if (OneSignature(context, spec, "spec", out var entry) is { IsValid: false } count)
        {
            return count;
        }

        return First(
            () => context.CompareSignature("spec.signatures[0].signature", json.Base64(json.RequiredString(entry, "signature", "spec.signatures[0]"), "spec.signatures[0].signature")),
            () => CompareVerifier(context, "spec.signatures[0].verifier", json.RequiredString(entry, "verifier", "spec.signatures[0]")),
            () => ComparePayloadHash(context, spec, "spec", envelope.Payload.Span),
            () => StrictJson.TryGet(spec, "envelopeHash", out _) ? CompareEnvelopeHash(context, spec) : TlogResult.Success);
    }

    public static TlogResult Intoto(BodyContext context, JsonElement spec)
    {
        if (context.Material.Envelope is not { } envelope)
        {
            return context.Mismatch("kind", "is intoto 0.0.2, an envelope, but the bundle holds a message signature");
        }

        var json = context.Json;
        var content = Object(json, spec, "content", "spec");
        var logged = Object(json, content, "envelope", "spec.content");
        if (OneSignature(context, logged, "spec.content.envelope", out var entry) is { IsValid: false } count)
        {
            return count;
        }

        const string path = "spec.content.envelope.signatures[0]";
        return First(
            () => Base64Text.TryDecode(Encoding.ASCII.GetString(json.Base64(json.RequiredString(entry, "sig", path), $"{path}.sig")), out var signature)
                ? context.CompareSignature($"{path}.sig", signature)
                : context.Mismatch($"{path}.sig", "is not the bundle's signature base64-encoded twice, as intoto 0.0.2 stores it"),
            () => CompareVerifier(context, $"{path}.publicKey", json.RequiredString(entry, "publicKey", path)),
            () => json.RequiredString(logged, "payloadType", "spec.content.envelope") == envelope.PayloadType
                ? TlogResult.Success
                : context.Mismatch("spec.content.envelope.payloadType", $"is not the bundle's payloadType '{envelope.PayloadType}'"),
            () => json.OptionalString(logged, "payload", "spec.content.envelope") is not { } payload
                || Base64Twice(json, payload, "spec.content.envelope.payload").AsSpan().SequenceEqual(envelope.Payload.Span)
                ? TlogResult.Success
                : context.Mismatch("spec.content.envelope.payload", "is not the bundle's DSSE payload"),
            () => ComparePayloadHash(context, content, "spec.content", envelope.Payload.Span));
    }

    /// <summary>The first failure of the checks, run in order; success when all pass.</summary>
    internal static TlogResult First(params Func<TlogResult>[] checks)
    {
        foreach (var check in checks)
        {
            var result = check();
            if (!result.IsValid)
            {
                return result;
            }
        }

        return TlogResult.Success;
    }

    internal static JsonElement Object(StrictJson json, JsonElement owner, string name, string path)
    {
        var field = StrictJson.Join(path, name);
        return json.RequireObject(StrictJson.TryGet(owner, name, out var value) ? value : throw json.Error(field, "is required"), field);
    }

    /// <summary>The one member of an envelope entry's <c>signatures</c>; a mismatch when there is not exactly one.</summary>
    private static TlogResult OneSignature(BodyContext context, JsonElement owner, string path, out JsonElement signature)
    {
        var signatures = context.Json.RequiredArray(owner, "signatures", path, 16);
        signature = signatures.Length == 1 ? context.Json.RequireObject(signatures[0], $"{path}.signatures[0]") : default;
        return signatures.Length == 1
            ? TlogResult.Success
            : context.Mismatch($"{path}.signatures", $"has {signatures.Length} signatures; the bundle's envelope has one");
    }

    private static TlogResult ComparePayloadHash(BodyContext context, JsonElement owner, string path, ReadOnlySpan<byte> payload)
    {
        var field = StrictJson.Join(path, "payloadHash");
        var (algorithm, value) = HexHash(context.Json, Object(context.Json, owner, "payloadHash", path), field);
        return TlogBodyVerifier.Hash(algorithm) is { } hash && value.AsSpan().SequenceEqual(CryptographicOperations.HashData(hash, payload))
            ? TlogResult.Success
            : context.Mismatch(field, "is not the hash of the bundle's DSSE payload: the entry is for another statement");
    }

    /// <summary>
    /// Rekor stores the SHA-256 of the envelope in RFC 8785 form: <c>{"payload","payloadType","signatures":[{"keyid"?,"sig"}]}</c>.
    /// An empty key id may have been sent as <c>""</c> or left out, so both forms are accepted.
    /// </summary>
    private static TlogResult CompareEnvelopeHash(BodyContext context, JsonElement spec)
    {
        var envelope = context.Material.Envelope!;
        var (algorithm, value) = HexHash(context.Json, Object(context.Json, spec, "envelopeHash", "spec"), "spec.envelopeHash");
        if (TlogBodyVerifier.Hash(algorithm) is not { } hash)
        {
            return context.Mismatch("spec.envelopeHash.algorithm", "is not sha256, sha384 or sha512");
        }

        foreach (var withEmptyKeyId in (bool[])[false, true])
        {
            if (value.AsSpan().SequenceEqual(CryptographicOperations.HashData(hash, CanonicalEnvelope(envelope, withEmptyKeyId))))
            {
                return TlogResult.Success;
            }
        }

        return context.Mismatch("spec.envelopeHash", "is not the hash of the bundle's DSSE envelope: the payload type, payload or signature differs from what was logged");
    }

    private static byte[] CanonicalEnvelope(Crypto.Dsse.DsseEnvelope envelope, bool withEmptyKeyId)
    {
        var text = new StringBuilder("{\"payload\":");
        SignedEntryTimestamp.AppendString(text, Convert.ToBase64String(envelope.Payload.Span));
        text.Append(",\"payloadType\":");
        SignedEntryTimestamp.AppendString(text, envelope.PayloadType);
        text.Append(",\"signatures\":[");
        for (var i = 0; i < envelope.Signatures.Length; i++)
        {
            var signature = envelope.Signatures[i];
            text.Append(i == 0 ? "{" : ",{");
            if (signature.KeyId.Length > 0 || withEmptyKeyId)
            {
                text.Append("\"keyid\":");
                SignedEntryTimestamp.AppendString(text, signature.KeyId);
                text.Append(',');
            }

            text.Append("\"sig\":");
            SignedEntryTimestamp.AppendString(text, Convert.ToBase64String(signature.Signature.Span));
            text.Append('}');
        }

        return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
    }

    /// <summary>A field holding base64 of PEM text: a CERTIFICATE or a PUBLIC KEY, compared with the bundle's as DER.</summary>
    private static TlogResult CompareVerifier(BodyContext context, string path, string base64Pem)
    {
        var text = Encoding.ASCII.GetString(context.Json.Base64(base64Pem, path));
        if (!PemEncoding.TryFind(text, out var fields) || text[fields.Label] is not ("CERTIFICATE" or "PUBLIC KEY"))
        {
            throw context.Json.Error(path, "is not a PEM certificate or public key");
        }

        return context.CompareVerifier(path, text[fields.Label] == "CERTIFICATE", Convert.FromBase64String(text[fields.Base64Data]));
    }

    private static (BundleHashAlgorithm Algorithm, byte[] Value) HexHash(StrictJson json, JsonElement hash, string path)
    {
        var algorithm = json.RequiredString(hash, "algorithm", path) switch
        {
            "sha256" => BundleHashAlgorithm.Sha256,
            "sha384" => BundleHashAlgorithm.Sha384,
            "sha512" => BundleHashAlgorithm.Sha512,
            _ => BundleHashAlgorithm.Unspecified,
        };
        return (algorithm, Convert.FromHexString(json.RequiredString(hash, "value", path)));
    }

    private static byte[] Base64Twice(StrictJson json, string text, string path) =>
        json.Base64(Encoding.ASCII.GetString(json.Base64(text, path)), path);
}
