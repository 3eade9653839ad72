using System.Security.Cryptography;
using System.Text.Json;
using Signet.Oci.Json;
using Signet.Sigstore.Bundles;

namespace Signet.Sigstore.TransparencyLog.Bodies;

/// <summary>
/// Checks that a transparency log entry's body describes this bundle: the same signature bytes, the same certificate
/// or key (compared as DER), and the same signed content (message digest, DSSE payload or pre-authentication
/// encoding). Rekor v1 kinds hashedrekord 0.0.1, dsse 0.0.1 and intoto 0.0.2 and Rekor v2 kinds hashedrekord 0.0.2
/// (over a message signature, or over a DSSE envelope's PAE) and dsse 0.0.2 are understood; anything else is
/// <see cref="TlogCodes.UnsupportedKind"/>. The entry's inclusion and signatures are checked elsewhere; this check
/// binds what was logged to what is verified.
/// </summary>
public static class TlogBodyVerifier
{
    /// <summary>Largest body read: an intoto 0.0.2 body holds the DSSE payload base64-encoded twice.</summary>
    public const int MaxBodyBytes = 32 * 1024 * 1024;

    /// <summary>Checks an entry of a certificate-signed bundle.</summary>
    public static TlogResult Verify(TransparencyLogEntry entry, SigstoreBundle bundle) => Verify(entry, bundle, default);

    /// <summary>
    /// Checks an entry; <paramref name="publicKey"/> (SubjectPublicKeyInfo DER) is the verification key of a bundle
    /// signed with a public key, whose bundle names the key only by a hint. Never throws for untrusted input.
    /// </summary>
    public static TlogResult Verify(TransparencyLogEntry entry, SigstoreBundle bundle, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(bundle);
        var body = entry.CanonicalizedBody;
        if (body.IsEmpty || body.Length > MaxBodyBytes)
        {
            return TlogResult.Fail(TlogCodes.MalformedBody, $"log entry {entry.LogIndex}: canonicalizedBody is {body.Length} bytes; a body is between 1 and {MaxBodyBytes} bytes");
        }

        var material = BundleMaterial.From(bundle, publicKey);
        if (material.Problem is { } problem)
        {
            return problem;
        }

        try
        {
            var json = new StrictJson("Rekor entry body (canonicalizedBody)", static (message, inner) => new InvalidDataException(message, inner));
            using var document = json.Parse(body);
            var root = json.RequireObject(document.RootElement, "");
            var kind = json.RequiredString(root, "kind", "");
            var version = json.RequiredString(root, "apiVersion", "");
            if (entry.KindVersion is { } declared && (declared.Kind != kind || declared.Version != version))
            {
                return Mismatch(entry, "kind/apiVersion", $"say {kind} {version}, but the bundle's kindVersion says {declared.Kind} {declared.Version}");
            }

            var spec = json.RequireObject(StrictJson.TryGet(root, "spec", out var s) ? s : throw json.Error("spec", "is required"), "spec");
            var context = new BodyContext(entry, material, json);
            return (kind, version) switch
            {
                ("hashedrekord", "0.0.1") => RekorV1Body.HashedRekord(context, spec),
                ("dsse", "0.0.1") => RekorV1Body.Dsse(context, spec),
                ("intoto", "0.0.2") => RekorV1Body.Intoto(context, spec),
                ("hashedrekord", "0.0.2") => RekorV2Body.HashedRekord(context, spec),
                ("dsse", "0.0.2") => RekorV2Body.Dsse(context, spec),
                _ => TlogResult.Fail(TlogCodes.UnsupportedKind, $"log entry {entry.LogIndex} is of kind {kind} {version}; Signet checks hashedrekord 0.0.1/0.0.2, dsse 0.0.1/0.0.2 and intoto 0.0.2 entries"),
            };
        }
        catch (Exception e) when (e is InvalidDataException or BundleFormatException or FormatException or JsonException)
        {
            return TlogResult.Fail(TlogCodes.MalformedBody, $"log entry {entry.LogIndex} canonicalizedBody: {e.Message}; the entry is damaged or not from a Rekor log");
        }
    }

    internal static TlogResult Mismatch(TransparencyLogEntry entry, string field, string problem) =>
        TlogResult.Fail(TlogCodes.BodyMismatch, $"log entry {entry.LogIndex}: body field '{field}' {problem}; the log entry does not describe this bundle");

    /// <summary>The hash named by a Rekor v1 (<c>sha256</c>) or protobuf (<c>SHA2_256</c>) algorithm.</summary>
    internal static HashAlgorithmName? Hash(BundleHashAlgorithm algorithm) => algorithm switch
    {
        BundleHashAlgorithm.Sha256 => HashAlgorithmName.SHA256,
        BundleHashAlgorithm.Sha384 => HashAlgorithmName.SHA384,
        BundleHashAlgorithm.Sha512 => HashAlgorithmName.SHA512,
        _ => null,
    };
}

/// <summary>What one body check needs: the entry (for messages), the bundle's material and the JSON reader.</summary>
internal sealed record BodyContext(TransparencyLogEntry Entry, BundleMaterial Material, StrictJson Json)
{
    public TlogResult Mismatch(string field, string problem) => TlogBodyVerifier.Mismatch(Entry, field, problem);

    /// <summary>The body's signer (certificate or SubjectPublicKeyInfo DER) must be the bundle's.</summary>
    public TlogResult CompareVerifier(string field, bool isCertificate, ReadOnlySpan<byte> der)
    {
        if (Material.Certificate is { } certificate)
        {
            return isCertificate && der.SequenceEqual(certificate.Span)
                ? TlogResult.Success
                : Mismatch(field, isCertificate ? "is another certificate than the bundle's signing certificate" : "is a public key, but the bundle is signed with a certificate");
        }

        return !isCertificate && der.SequenceEqual(Material.PublicKey.Span)
            ? TlogResult.Success
            : Mismatch(field, isCertificate ? "is a certificate, but the bundle is signed with a public key" : "is another public key than the bundle's verification key");
    }

    public TlogResult CompareSignature(string field, ReadOnlySpan<byte> signature) =>
        signature.SequenceEqual(Material.Signature.Span)
            ? TlogResult.Success
            : Mismatch(field, $"is another signature than the bundle's {Material.SignatureField}");
}
