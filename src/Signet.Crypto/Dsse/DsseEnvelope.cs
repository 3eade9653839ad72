using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using Signet.Oci.Json;

namespace Signet.Crypto.Dsse;

/// <summary>
/// A DSSE JSON envelope (secure-systems-lab/dsse <c>envelope.md</c> v1.0): <c>payloadType</c>, base64 <c>payload</c>
/// and <c>signatures[{keyid, sig}]</c>. <see cref="Raw"/> holds the exact bytes read or written; verification works on
/// the decoded payload and type through <see cref="DsseProtocol.PreAuthenticationEncoding"/>, never on re-serialized JSON.
/// </summary>
/// <remarks>
/// Base64: the standard and the URL-safe alphabet are both accepted (protocol.md: verifiers MUST accept either),
/// padded or unpadded, but not mixed; CR and LF are skipped as Go's decoder skips them, any other whitespace is refused. Signet writes standard padded base64.
/// The DSSE 1.1 alternative <c>payloadUtf8</c> and keys that differ from a known field only by case (Go's
/// encoding/json matches those) are refused, so no two readers can see different payloads in one envelope.
/// </remarks>
public sealed record DsseEnvelope
{
    private static readonly string[] EnvelopeFields = ["payload", "payloadType", "signatures"];
    private static readonly string[] SignatureFields = ["keyid", "sig"];

    public required string PayloadType { get; init; }

    /// <summary>The decoded payload (SERIALIZED_BODY).</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    public required ImmutableArray<DsseSignature> Signatures { get; init; }

    /// <summary>The envelope's exact JSON bytes.</summary>
    public required ReadOnlyMemory<byte> Raw { get; init; }

    /// <summary>The bytes every signature of this envelope covers.</summary>
    public byte[] PreAuthenticationEncoding() => DsseProtocol.PreAuthenticationEncoding(PayloadType, Payload.Span);

    /// <summary>Parses an envelope with the default limits; throws <see cref="DsseFormatException"/> for anything malformed.</summary>
    public static DsseEnvelope Parse(ReadOnlyMemory<byte> raw) => Parse(raw, DsseParseOptions.Default);

    /// <summary>Parses an envelope; throws <see cref="DsseFormatException"/> for anything malformed or over a limit.</summary>
    public static DsseEnvelope Parse(ReadOnlyMemory<byte> raw, DsseParseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (raw.Length > options.MaxEnvelopeBytes)
        {
            throw new DsseFormatException($"DSSE envelope is {raw.Length} bytes; at most {options.MaxEnvelopeBytes} are accepted for a {options.MaxPayloadBytes}-byte payload cap");
        }

        var json = new StrictJson("DSSE envelope", static (message, inner) => new DsseFormatException(message, inner));
        using var document = json.Parse(raw);
        var root = json.RequireObject(document.RootElement, "$");
        RefuseLookalikeKeys(json, root, EnvelopeFields, string.Empty);
        if (root.TryGetProperty("payloadUtf8", out _))
        {
            throw json.Error("payloadUtf8", "is a payload encoding Signet does not accept; DSSE v1.0 envelopes carry the payload as base64 in 'payload'");
        }

        var lenient = options.AllowOmittedEmptyFields;
        var payloadType = lenient ? json.OptionalString(root, "payloadType", string.Empty) ?? string.Empty : json.RequiredString(root, "payloadType", string.Empty);
        var payloadText = lenient ? json.OptionalString(root, "payload", string.Empty) ?? string.Empty : json.RequiredString(root, "payload", string.Empty);
        if (payloadText.Length / 4L * 3 > options.MaxPayloadBytes + 3L)
        {
            throw json.Error("payload", $"decodes to more than {options.MaxPayloadBytes} bytes, the payload cap");
        }

        var payload = json.Base64(payloadText, "payload");
        if (payload.Length > options.MaxPayloadBytes)
        {
            throw json.Error("payload", $"decodes to {payload.Length} bytes; at most {options.MaxPayloadBytes} are accepted");
        }

        var items = lenient && !StrictJson.TryGet(root, "signatures", out _)
            ? []
            : json.RequiredArray(root, "signatures", string.Empty, options.MaxSignatures);
        var signatures = ImmutableArray.CreateBuilder<DsseSignature>(items.Length);
        var index = 0;
        foreach (var item in items)
        {
            var path = $"signatures[{index++}]";
            json.RequireObject(item, path);
            RefuseLookalikeKeys(json, item, SignatureFields, path);
            signatures.Add(new DsseSignature
            {
                KeyId = json.OptionalString(item, "keyid", path) ?? string.Empty,
                Signature = json.Base64(
                    lenient ? json.OptionalString(item, "sig", path) ?? string.Empty : json.RequiredString(item, "sig", path),
                    $"{path}.sig"),
            });
        }

        return new DsseEnvelope
        {
            PayloadType = payloadType,
            Payload = payload,
            Signatures = signatures.MoveToImmutable(),
            Raw = raw,
        };
    }

    /// <summary>Builds an envelope and writes its JSON in <paramref name="layout"/>.</summary>
    public static DsseEnvelope Create(string payloadType, ReadOnlyMemory<byte> payload, IEnumerable<DsseSignature> signatures, DsseJsonLayout layout = DsseJsonLayout.Cosign)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        ArgumentNullException.ThrowIfNull(signatures);
        var list = signatures.ToImmutableArray();
        return new DsseEnvelope
        {
            PayloadType = payloadType,
            Payload = payload,
            Signatures = list,
            Raw = Write(payloadType, payload.Span, list, layout),
        };
    }

    /// <summary>Signs PAE(<paramref name="payloadType"/>, <paramref name="payload"/>) and returns a one-signature envelope.</summary>
    public static async Task<DsseEnvelope> SignAsync(
        ISigner signer,
        string payloadType,
        ReadOnlyMemory<byte> payload,
        string keyId = "",
        DsseJsonLayout layout = DsseJsonLayout.Cosign,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(payloadType);
        ArgumentNullException.ThrowIfNull(keyId);
        var signature = await signer.SignAsync(DsseProtocol.PreAuthenticationEncoding(payloadType, payload.Span), cancellationToken).ConfigureAwait(false);
        return Create(payloadType, payload, [new DsseSignature { KeyId = keyId, Signature = signature }], layout);
    }

    /// <summary>Adds one more signature over the same payload; the new envelope's JSON is written in <paramref name="layout"/>.</summary>
    public async Task<DsseEnvelope> AddSignatureAsync(
        ISigner signer,
        string keyId = "",
        DsseJsonLayout layout = DsseJsonLayout.Cosign,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(keyId);
        var signature = await signer.SignAsync(PreAuthenticationEncoding(), cancellationToken).ConfigureAwait(false);
        return Create(PayloadType, Payload, Signatures.Add(new DsseSignature { KeyId = keyId, Signature = signature }), layout);
    }

    /// <summary>
    /// Checks every signature against <paramref name="key"/> and reports which verified. Never throws for a bad
    /// signature; <c>keyid</c> hints are ignored (they are unauthenticated).
    /// </summary>
    public DsseVerificationResult Verify(PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var pae = PreAuthenticationEncoding();
        var verified = ImmutableArray.CreateBuilder<int>();
        for (var i = 0; i < Signatures.Length; i++)
        {
            if (VerifyOne(key, pae, Signatures[i].Signature.Span))
            {
                verified.Add(i);
            }
        }

        return new DsseVerificationResult { VerifiedIndexes = verified.ToImmutable(), SignatureCount = Signatures.Length };
    }

    private static bool VerifyOne(PublicKey key, byte[] pae, ReadOnlySpan<byte> signature)
    {
        try
        {
            return key.Verify(pae, signature);
        }
        catch (CryptographicException)
        {
            // A signature the key's algorithm cannot even decode is simply not a valid signature.
            return false;
        }
    }

    /// <summary>This envelope's fields written in <paramref name="layout"/> (new bytes; <see cref="Raw"/> is unchanged).</summary>
    public byte[] ToJson(DsseJsonLayout layout) => Write(PayloadType, Payload.Span, Signatures, layout);

    /// <summary>Writes the envelope object into a JSON document under construction (the Sigstore bundle writer uses this).</summary>
    public void WriteTo(Utf8JsonWriter writer, DsseJsonLayout layout)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteObject(writer, PayloadType, Payload.Span, Signatures, layout);
    }

    private static byte[] Write(string payloadType, ReadOnlySpan<byte> payload, ImmutableArray<DsseSignature> signatures, DsseJsonLayout layout)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(payload.Length * 4 / 3 + 256);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Compact))
        {
            WriteObject(writer, payloadType, payload, signatures, layout);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteObject(Utf8JsonWriter writer, string payloadType, ReadOnlySpan<byte> payload, ImmutableArray<DsseSignature> signatures, DsseJsonLayout layout)
    {
        writer.WriteStartObject();
        if (layout == DsseJsonLayout.Cosign)
        {
            writer.WriteString("payloadType", payloadType);
            writer.WriteString("payload", Convert.ToBase64String(payload));
        }
        else
        {
            writer.WriteString("payload", Convert.ToBase64String(payload));
            writer.WriteString("payloadType", payloadType);
        }

        writer.WriteStartArray("signatures");
        foreach (var signature in signatures.IsDefault ? [] : signatures)
        {
            writer.WriteStartObject();
            if (layout == DsseJsonLayout.Cosign)
            {
                writer.WriteString("keyid", signature.KeyId);
                writer.WriteString("sig", Convert.ToBase64String(signature.Signature.Span));
            }
            else
            {
                writer.WriteString("sig", Convert.ToBase64String(signature.Signature.Span));
                if (signature.KeyId.Length > 0)
                {
                    writer.WriteString("keyid", signature.KeyId);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void RefuseLookalikeKeys(StrictJson json, JsonElement obj, string[] known, string path)
    {
        foreach (var property in obj.EnumerateObject())
        {
            var name = json.PropertyName(property, path);
            foreach (var field in known)
            {
                if (!string.Equals(name, field, StringComparison.Ordinal) && string.Equals(name, field, StringComparison.OrdinalIgnoreCase))
                {
                    throw json.Error(StrictJson.Join(path, name), $"differs from the DSSE field '{field}' only by case; refusing an ambiguous envelope");
                }
            }
        }
    }
}
