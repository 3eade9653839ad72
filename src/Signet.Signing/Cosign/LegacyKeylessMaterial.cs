using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Signet.Crypto.Dsse;
using Signet.Oci.Json;
using Signet.Sigstore.Bundles;

namespace Signet.Signing.Cosign;

/// <summary>
/// The keyless evidence cosign puts on a legacy <c>.sig</c> or <c>.att</c> layer (cosign <c>pkg/oci/static</c>,
/// <c>pkg/cosign/bundle/rekor.go</c>): the signing certificate (<c>dev.sigstore.cosign/certificate</c>, PEM), the Rekor
/// entry with its signed entry timestamp (<c>dev.sigstore.cosign/bundle</c>, JSON
/// <c>{"SignedEntryTimestamp": b64, "Payload": {"body": b64, "integratedTime": n, "logIndex": n, "logID": hex}}</c>) and an
/// RFC 3161 timestamp (<c>dev.sigstore.cosign/rfc3161timestamp</c>, JSON <c>{"SignedRFC3161Timestamp": b64}</c>), read
/// with bounds and converted into a Sigstore bundle v0.1 (the SET becomes the inclusion promise) so one verifier checks
/// both cosign formats. The <c>dev.sigstore.cosign/chain</c> annotation is not read: intermediates and roots come only
/// from the trusted root, as for bundles.
/// </summary>
public sealed record LegacyKeylessMaterial
{
    /// <summary>Longest certificate annotation read (the PEM of a 64 KiB certificate, with room for its lines).</summary>
    public const int MaxCertificateChars = 96 * 1024;

    /// <summary>Longest Rekor bundle annotation read (an entry body is a few KiB; intoto and dsse bodies hold hashes, not payloads).</summary>
    public const int MaxRekorBundleChars = 256 * 1024;

    /// <summary>Longest timestamp annotation read (base64 of a 64 KiB TimeStampResp in its JSON shell).</summary>
    public const int MaxTimestampChars = 96 * 1024;

    private const string PemHeader = "-----BEGIN CERTIFICATE-----";
    private const string PemFooter = "-----END CERTIFICATE-----";

    /// <summary>The leaf certificate, DER.</summary>
    public required ReadOnlyMemory<byte> Certificate { get; init; }

    /// <summary>The Rekor entry with its SET as inclusion promise; null when the layer has no bundle annotation.</summary>
    public TransparencyLogEntry? TlogEntry { get; init; }

    /// <summary>The DER TimeStampResp of the timestamp annotation; null when there is none.</summary>
    public ReadOnlyMemory<byte>? SignedTimestamp { get; init; }

    /// <summary>
    /// Reads the keyless annotations of one layer. Null when the layer carries no certificate (it was signed with a key);
    /// throws <see cref="LegacyKeylessFormatException"/> naming the annotation when one is malformed or over its bound.
    /// </summary>
    public static LegacyKeylessMaterial? Read(IReadOnlyDictionary<string, string> annotations, string location)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        ArgumentNullException.ThrowIfNull(location);
        if (!annotations.TryGetValue(CosignMediaTypes.CertificateAnnotation, out var pem) || pem.Length == 0)
        {
            return null;
        }

        return new LegacyKeylessMaterial
        {
            Certificate = ReadCertificate(pem, location),
            TlogEntry = annotations.TryGetValue(CosignMediaTypes.RekorBundleAnnotation, out var rekor) && rekor.Length > 0 ? ReadRekorBundle(rekor, location) : null,
            SignedTimestamp = annotations.TryGetValue(CosignMediaTypes.TimestampAnnotation, out var timestamp) && timestamp.Length > 0 ? ReadTimestamp(timestamp, location) : (ReadOnlyMemory<byte>?)null,
        };
    }

    /// <summary>
    /// The bundle of a <c>.sig</c> layer: a message signature over the simple-signing payload, its SHA-256 digest, and
    /// the timestamp (cosign timestamps the raw signature bytes, as bundles do).
    /// </summary>
    public SigstoreBundle ToMessageSignatureBundle(ReadOnlyMemory<byte> signature, ReadOnlySpan<byte> payload, string location) =>
        ToBundle(
            BundleContentKind.MessageSignature,
            new MessageSignature
            {
                MessageDigest = new MessageDigest { Algorithm = BundleHashAlgorithm.Sha256, Digest = SHA256.HashData(payload) },
                Signature = signature,
            },
            envelope: null,
            includeTimestamp: true,
            location);

    /// <summary>
    /// The bundle of a <c>.att</c> layer: its DSSE envelope. The timestamp is left out: cosign timestamps a legacy
    /// attestation's envelope bytes rather than its signature, so the caller checks it over those bytes.
    /// </summary>
    public SigstoreBundle ToDsseBundle(DsseEnvelope envelope, string location)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return ToBundle(BundleContentKind.DsseEnvelope, message: null, envelope, includeTimestamp: false, location);
    }

    private SigstoreBundle ToBundle(BundleContentKind kind, MessageSignature? message, DsseEnvelope? envelope, bool includeTimestamp, string location)
    {
        var model = new SigstoreBundle
        {
            MediaType = BundleMediaTypes.V01,
            Version = new Version(0, 1),
            VerificationMaterial = new BundleVerificationMaterial
            {
                Kind = VerificationMaterialKind.X509CertificateChain,
                Certificates = [Certificate],
                TlogEntries = TlogEntry is { } entry ? [entry] : [],
                Rfc3161Timestamps = includeTimestamp && SignedTimestamp is { } timestamp ? [timestamp] : [],
            },
            ContentKind = kind,
            MessageSignature = message,
            DsseEnvelope = envelope,
            Raw = ReadOnlyMemory<byte>.Empty,
        };
        var read = SigstoreBundle.Read(BundleWriter.Write(model));
        return read is { IsValid: true, Bundle: { } bundle }
            ? bundle
            : throw new LegacyKeylessFormatException($"{location}: the keyless annotations do not make a well-formed Sigstore bundle: {string.Join("; ", read.Problems)}");
    }

    private static byte[] ReadCertificate(string pem, string location)
    {
        var what = Bounded(pem, MaxCertificateChars, CosignMediaTypes.CertificateAnnotation, location);

        var text = pem.AsSpan().Trim();
        if (!text.StartsWith(PemHeader, StringComparison.Ordinal) || !text.EndsWith(PemFooter, StringComparison.Ordinal) || text.Length < PemHeader.Length + PemFooter.Length)
        {
            throw new LegacyKeylessFormatException($"{what} is not one PEM certificate ({PemHeader} ... {PemFooter}); re-sign the image or remove the layer");
        }

        var body = text[PemHeader.Length..^PemFooter.Length];
        if (body.Contains("-----", StringComparison.Ordinal))
        {
            throw new LegacyKeylessFormatException($"{what} holds more than one PEM block; cosign writes the leaf alone there (intermediates go to {CosignMediaTypes.ChainAnnotation})");
        }

        var der = Base64(body.ToString(), what, allowWhitespace: true);
        return der.Length == 0 ? throw new LegacyKeylessFormatException($"{what} holds an empty certificate") : der;
    }

    private static TransparencyLogEntry ReadRekorBundle(string text, string location)
    {
        var what = Bounded(text, MaxRekorBundleChars, CosignMediaTypes.RekorBundleAnnotation, location);

        var json = Json(what);
        using var document = ParseObject(json, Encoding.UTF8.GetBytes(text), out var root);
        var set = Base64(json.RequiredString(root, "SignedEntryTimestamp", string.Empty), $"{what}: SignedEntryTimestamp", allowWhitespace: false);
        if (!StrictJson.TryGet(root, "Payload", out var payloadElement))
        {
            throw json.Error("Payload", "is required");
        }

        var payload = json.RequireObject(payloadElement, "Payload");
        var bodyText = json.RequiredString(payload, "body", "Payload");
        var body = Base64(bodyText, $"{what}: Payload.body", allowWhitespace: false);
        if (Convert.ToBase64String(body) != bodyText)
        {
            // The SET signs the body as the log wrote it; a re-encoding that differs could never verify.
            throw json.Error("Payload.body", "is not canonical padded standard base64 (as Rekor writes it)");
        }

        var integratedTime = json.RequiredInt64(payload, "integratedTime", "Payload");
        var logIndex = json.RequiredInt64(payload, "logIndex", "Payload");
        var logId = json.RequiredString(payload, "logID", "Payload");
        if (logId.Length != 64 || !logId.All(char.IsAsciiHexDigitLower))
        {
            throw json.Error("Payload.logID", $"is '{Shorten(logId)}'; a log ID is 64 lowercase hex digits (SHA-256 of the log's public key)");
        }

        if (integratedTime <= 0 || logIndex < 0)
        {
            throw json.Error("Payload", $"has integratedTime {integratedTime} and logIndex {logIndex}; both must be set and not negative");
        }

        return new TransparencyLogEntry
        {
            LogIndex = logIndex,
            LogKeyId = Convert.FromHexString(logId),
            KindVersion = ReadKindVersion(body, $"{what}: Payload.body"),
            IntegratedTime = integratedTime,
            SignedEntryTimestamp = set,
            CanonicalizedBody = body,
        };
    }

    /// <summary>The kind and apiVersion a Rekor entry body declares (a v0.1 bundle entry needs them).</summary>
    private static KindVersion ReadKindVersion(byte[] body, string what)
    {
        var json = Json(what);
        using var document = ParseObject(json, body, out var root);
        return new KindVersion { Kind = json.RequiredString(root, "kind", string.Empty), Version = json.RequiredString(root, "apiVersion", string.Empty) };
    }

    private static byte[] ReadTimestamp(string text, string location)
    {
        var what = Bounded(text, MaxTimestampChars, CosignMediaTypes.TimestampAnnotation, location);

        var json = Json(what);
        using var document = ParseObject(json, Encoding.UTF8.GetBytes(text), out var root);
        var timestamp = Base64(json.RequiredString(root, "SignedRFC3161Timestamp", string.Empty), $"{what}: SignedRFC3161Timestamp", allowWhitespace: false);
        return timestamp.Length == 0 ? throw json.Error("SignedRFC3161Timestamp", "is empty") : timestamp;
    }

    /// <summary>Refuses an annotation over its bound before reading it; returns how messages name it.</summary>
    private static string Bounded(string text, int max, string annotation, string location)
    {
        var what = $"{location}: annotation {annotation}";
        return text.Length > max ? throw new LegacyKeylessFormatException($"{what} is {text.Length} characters; at most {max} are read") : what;
    }

    private static JsonDocument ParseObject(StrictJson json, ReadOnlyMemory<byte> bytes, out JsonElement root)
    {
        var document = json.Parse(bytes);
        try
        {
            root = json.RequireObject(document.RootElement, string.Empty);
            return document;
        }
        catch (LegacyKeylessFormatException)
        {
            document.Dispose();
            throw;
        }
    }

    private static StrictJson Json(string what) => new(what, (message, inner) => new LegacyKeylessFormatException(message, inner));

    private static byte[] Base64(string text, string what, bool allowWhitespace)
    {
        if (!allowWhitespace && text.AsSpan().ContainsAny(" \t\r\n"))
        {
            throw new LegacyKeylessFormatException($"{what} is not base64: it contains whitespace");
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new LegacyKeylessFormatException($"{what} is not base64", e);
        }
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : $"{text[..80]}...";
}

/// <summary>A malformed or oversize keyless annotation on a legacy cosign layer.</summary>
public sealed class LegacyKeylessFormatException : FormatException
{
    public LegacyKeylessFormatException()
        : this("malformed keyless annotations on a legacy cosign layer")
    {
    }

    public LegacyKeylessFormatException(string message)
        : base(message)
    {
    }

    public LegacyKeylessFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
