using System.Security.Cryptography;
using System.Text.Json;
using Signet.Oci.Json;
using Signet.Sigstore.Bundles;

namespace Signet.Sigstore.TransparencyLog.Bodies;

/// <summary>
/// Rekor v2 (rekor-tiles) entry bodies: the protobuf JSON of <c>HashedRekordLogEntryV002</c> and
/// <c>DSSELogEntryV002</c> under <c>spec.hashedRekordV002</c> / <c>spec.dsseV002</c>; bytes are base64, the signer is a
/// <c>Verifier</c> with DER <c>x509Certificate.rawBytes</c> or <c>publicKey.rawBytes</c> and <c>keyDetails</c>. A DSSE
/// bundle may be logged as hashedrekord 0.0.2 whose digest is the hash of the envelope's pre-authentication encoding.
/// </summary>
internal static class RekorV2Body
{
    public static TlogResult HashedRekord(BodyContext context, JsonElement spec)
    {
        const string path = "spec.hashedRekordV002";
        var entry = Member(context, spec, "hashedRekordV002", "spec");
        var signature = Member(context, entry, "signature", path);
        var data = Member(context, entry, "data", path);
        var algorithm = ProtoJson.HashAlgorithm(data, "algorithm", $"{path}.data");
        var digest = ProtoJson.Bytes(data, "digest", $"{path}.data");
        return RekorV1Body.First(
            () => context.CompareSignature($"{path}.signature.content", ProtoJson.Bytes(signature, "content", $"{path}.signature").Span),
            () => CompareVerifier(context, Member(context, signature, "verifier", $"{path}.signature"), $"{path}.signature.verifier"),
            () => CompareData(context, algorithm, digest.Span, $"{path}.data"));
    }

    public static TlogResult Dsse(BodyContext context, JsonElement spec)
    {
        const string path = "spec.dsseV002";
        if (context.Material.Envelope is not { } envelope)
        {
            return context.Mismatch("kind", "is dsse 0.0.2, an envelope, but the bundle holds a message signature");
        }

        var entry = Member(context, spec, "dsseV002", "spec");
        var signatures = ProtoJson.Array(entry, "signatures", path, 16);
        if (signatures.Length != 1)
        {
            return context.Mismatch($"{path}.signatures", $"has {signatures.Length} signatures; the bundle's envelope has one");
        }

        var signature = ProtoJson.RequireObject(signatures[0], $"{path}.signatures[0]");
        var payloadHash = Member(context, entry, "payloadHash", path);
        return RekorV1Body.First(
            () => context.CompareSignature($"{path}.signatures[0].content", ProtoJson.Bytes(signature, "content", $"{path}.signatures[0]").Span),
            () => CompareVerifier(context, Member(context, signature, "verifier", $"{path}.signatures[0]"), $"{path}.signatures[0].verifier"),
            () => Matches(ProtoJson.HashAlgorithm(payloadHash, "algorithm", $"{path}.payloadHash"), ProtoJson.Bytes(payloadHash, "digest", $"{path}.payloadHash").Span, envelope.Payload.Span)
                ? TlogResult.Success
                : context.Mismatch($"{path}.payloadHash", "is not the hash of the bundle's DSSE payload: the entry is for another statement"));
    }

    /// <summary>
    /// The logged digest: the bundle's message digest for a message signature, or the hash of the envelope's
    /// pre-authentication encoding for a DSSE bundle (the envelope's signature is over that encoding).
    /// </summary>
    private static TlogResult CompareData(BodyContext context, BundleHashAlgorithm algorithm, ReadOnlySpan<byte> digest, string path)
    {
        if (context.Material.Envelope is { } envelope)
        {
            return Matches(algorithm, digest, envelope.PreAuthenticationEncoding())
                ? TlogResult.Success
                : context.Mismatch($"{path}.digest", "is not the hash of the bundle's DSSE pre-authentication encoding (payload type and payload): the entry is for another envelope");
        }

        if (context.Material.MessageSignature!.MessageDigest is not { } messageDigest)
        {
            return context.Mismatch($"{path}.digest", "cannot be checked: the bundle has no messageSignature.messageDigest");
        }

        return algorithm != messageDigest.Algorithm
            ? context.Mismatch($"{path}.algorithm", $"is not the bundle's messageDigest algorithm {ProtoJson.HashAlgorithmNames[messageDigest.Algorithm]}")
            : digest.SequenceEqual(messageDigest.Digest.Span)
                ? TlogResult.Success
                : context.Mismatch($"{path}.digest", "is not the bundle's messageSignature.messageDigest: the entry is for another artifact");
    }

    private static bool Matches(BundleHashAlgorithm algorithm, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> data) =>
        TlogBodyVerifier.Hash(algorithm) is { } hash && digest.SequenceEqual(CryptographicOperations.HashData(hash, data));

    /// <summary>A <c>Verifier</c>: exactly one of <c>publicKey</c> and <c>x509Certificate</c>, and <c>keyDetails</c>.</summary>
    private static TlogResult CompareVerifier(BodyContext context, JsonElement verifier, string path)
    {
        var hasKey = ProtoJson.TryGetObject(verifier, "publicKey", path, out var key);
        var hasCertificate = ProtoJson.TryGetObject(verifier, "x509Certificate", path, out var certificate);
        if (hasKey == hasCertificate)
        {
            throw context.Json.Error(path, "must hold exactly one of publicKey and x509Certificate");
        }

        if (!ProtoJson.TryGet(verifier, "keyDetails", path, out _))
        {
            throw context.Json.Error(StrictJson.Join(path, "keyDetails"), "is required");
        }

        return hasCertificate
            ? context.CompareVerifier($"{path}.x509Certificate.rawBytes", true, ProtoJson.Bytes(certificate, "rawBytes", $"{path}.x509Certificate").Span)
            : context.CompareVerifier($"{path}.publicKey.rawBytes", false, ProtoJson.Bytes(key, "rawBytes", $"{path}.publicKey").Span);
    }

    private static JsonElement Member(BodyContext context, JsonElement owner, string name, string path) =>
        ProtoJson.TryGetObject(owner, name, path, out var value) ? value : throw context.Json.Error(StrictJson.Join(path, name), "is required");
}
