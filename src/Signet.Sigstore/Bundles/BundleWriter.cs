using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Signet.Crypto;
using Signet.Crypto.Dsse;
using Signet.Oci.Json;

namespace Signet.Sigstore.Bundles;

/// <summary>
/// Writes Sigstore bundles as compact proto3 JSON in the field order sigstore-go (protojson) and sigstore-js emit:
/// <c>mediaType</c>, <c>verificationMaterial</c> (key/chain/certificate, <c>tlogEntries</c>,
/// <c>timestampVerificationData</c>), then <c>messageSignature</c> or <c>dsseEnvelope</c>. Empty scalars and empty
/// repeated fields are omitted, int64 values are strings, bytes are standard padded base64.
/// </summary>
public static class BundleWriter
{
    /// <summary>
    /// The bundle <c>signet sign --key</c> produces without a transparency log: v0.3, <c>publicKey.hint</c>, the DSSE
    /// envelope, no tlog entries and no timestamps. The returned bundle's <see cref="SigstoreBundle.Raw"/> is the written JSON.
    /// </summary>
    public static SigstoreBundle CreateKeySignedDsse(DsseEnvelope envelope, string publicKeyHint)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(publicKeyHint);
        if (envelope.Signatures.Length != 1)
        {
            throw new ArgumentException($"a bundle's DSSE envelope must have exactly one signature; this one has {envelope.Signatures.Length}", nameof(envelope));
        }

        var bundle = KeySigned(publicKeyHint, BundleContentKind.DsseEnvelope) with { DsseEnvelope = envelope };
        return SigstoreBundle.Parse(Write(bundle));
    }

    /// <summary>
    /// The bundle <c>signet sign-blob --key</c> produces (as <c>cosign sign-blob --key K --bundle B</c> without a
    /// transparency log): v0.3, <c>publicKey.hint</c>, <c>messageSignature{messageDigest, signature}</c>, no tlog entries
    /// and no timestamps. The returned bundle's <see cref="SigstoreBundle.Raw"/> is the written JSON.
    /// </summary>
    public static SigstoreBundle CreateKeySignedMessage(MessageSignature message, string publicKeyHint)
    {
        RequireDigest(message);
        ArgumentNullException.ThrowIfNull(publicKeyHint);

        var bundle = KeySigned(publicKeyHint, BundleContentKind.MessageSignature) with { MessageSignature = message };
        return SigstoreBundle.Parse(Write(bundle));
    }

    /// <summary>
    /// A keyless DSSE bundle as <c>cosign sign</c>/<c>attest</c> and sigstore-js write it: v0.3, the Fulcio leaf as
    /// <c>certificate</c>, the transparency log entries (each with an inclusion proof) and the RFC 3161 timestamps.
    /// </summary>
    public static SigstoreBundle CreateCertificateSignedDsse(
        DsseEnvelope envelope, ReadOnlyMemory<byte> certificate, ImmutableArray<TransparencyLogEntry> tlogEntries, ImmutableArray<ReadOnlyMemory<byte>> timestamps)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Signatures.Length != 1)
        {
            throw new ArgumentException($"a bundle's DSSE envelope must have exactly one signature; this one has {envelope.Signatures.Length}", nameof(envelope));
        }

        var bundle = CertificateSigned(certificate, tlogEntries, timestamps, BundleContentKind.DsseEnvelope) with { DsseEnvelope = envelope };
        return SigstoreBundle.Parse(Write(bundle));
    }

    /// <summary>
    /// A keyless message-signature bundle as <c>cosign sign-blob</c> and sigstore-js write it: v0.3, the Fulcio leaf as
    /// <c>certificate</c>, the transparency log entries (each with an inclusion proof) and the RFC 3161 timestamps.
    /// </summary>
    public static SigstoreBundle CreateCertificateSignedMessage(
        MessageSignature message, ReadOnlyMemory<byte> certificate, ImmutableArray<TransparencyLogEntry> tlogEntries, ImmutableArray<ReadOnlyMemory<byte>> timestamps)
    {
        RequireDigest(message);
        var bundle = CertificateSigned(certificate, tlogEntries, timestamps, BundleContentKind.MessageSignature) with { MessageSignature = message };
        return SigstoreBundle.Parse(Write(bundle));
    }

    private static void RequireDigest(MessageSignature message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.MessageDigest is not { Algorithm: not BundleHashAlgorithm.Unspecified } digest || digest.Digest.IsEmpty || message.Signature.IsEmpty)
        {
            throw new ArgumentException("a message signature needs a message digest with its algorithm and a signature", nameof(message));
        }
    }

    private static SigstoreBundle CertificateSigned(
        ReadOnlyMemory<byte> certificate, ImmutableArray<TransparencyLogEntry> tlogEntries, ImmutableArray<ReadOnlyMemory<byte>> timestamps, BundleContentKind content)
    {
        if (certificate.IsEmpty)
        {
            throw new ArgumentException("a keyless bundle needs the signing certificate", nameof(certificate));
        }

        if (tlogEntries.IsDefault || tlogEntries.Any(e => e.InclusionProof is null || e.KindVersion is null))
        {
            throw new ArgumentException("a v0.3 bundle needs every transparency log entry with its inclusion proof and kind", nameof(tlogEntries));
        }

        return new SigstoreBundle
        {
            MediaType = BundleMediaTypes.V03,
            Version = new Version(0, 3),
            VerificationMaterial = new BundleVerificationMaterial
            {
                Kind = VerificationMaterialKind.Certificate,
                Certificates = [certificate],
                TlogEntries = tlogEntries,
                HasTimestampVerificationData = !timestamps.IsDefaultOrEmpty,
                Rfc3161Timestamps = timestamps.IsDefault ? [] : timestamps,
            },
            ContentKind = content,
            Raw = ReadOnlyMemory<byte>.Empty,
        };
    }

    /// <summary>A v0.3 bundle shell with a public-key hint and no tlog entries or timestamps; the caller sets the content.</summary>
    private static SigstoreBundle KeySigned(string publicKeyHint, BundleContentKind content) => new()
    {
        MediaType = BundleMediaTypes.V03,
        Version = new Version(0, 3),
        VerificationMaterial = new BundleVerificationMaterial
        {
            Kind = VerificationMaterialKind.PublicKey,
            PublicKeyHint = publicKeyHint,
            Certificates = [],
            TlogEntries = [],
            Rfc3161Timestamps = [],
        },
        ContentKind = content,
        Raw = ReadOnlyMemory<byte>.Empty,
    };

    /// <summary>The key hint sigstore-go writes for a key pair: standard base64 of SHA-256 over the DER SubjectPublicKeyInfo.</summary>
    public static string PublicKeyHint(PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToBase64String(SHA256.HashData(key.SubjectPublicKeyInfo.Span));
    }

    /// <summary>Writes a bundle's fields (its <see cref="SigstoreBundle.Raw"/> is not consulted).</summary>
    public static byte[] Write(SigstoreBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Compact))
        {
            writer.WriteStartObject();
            if (bundle.MediaType.Length > 0)
            {
                writer.WriteString("mediaType", bundle.MediaType);
            }

            if (bundle.VerificationMaterial is { } material)
            {
                WriteMaterial(writer, material);
            }

            if (bundle.ContentKind == BundleContentKind.MessageSignature && bundle.MessageSignature is { } message)
            {
                writer.WriteStartObject("messageSignature");
                if (message.MessageDigest is { } digest)
                {
                    writer.WriteStartObject("messageDigest");
                    if (digest.Algorithm != BundleHashAlgorithm.Unspecified)
                    {
                        writer.WriteString("algorithm", ProtoJson.HashAlgorithmNames[digest.Algorithm]);
                    }

                    WriteBytes(writer, "digest", digest.Digest);
                    writer.WriteEndObject();
                }

                WriteBytes(writer, "signature", message.Signature);
                writer.WriteEndObject();
            }
            else if (bundle.ContentKind == BundleContentKind.DsseEnvelope && bundle.DsseEnvelope is { } envelope)
            {
                writer.WritePropertyName("dsseEnvelope");
                envelope.WriteTo(writer, DsseJsonLayout.SigstoreBundle);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMaterial(Utf8JsonWriter writer, BundleVerificationMaterial material)
    {
        writer.WriteStartObject("verificationMaterial");
        switch (material.Kind)
        {
            case VerificationMaterialKind.PublicKey:
                writer.WriteStartObject("publicKey");
                if (!string.IsNullOrEmpty(material.PublicKeyHint))
                {
                    writer.WriteString("hint", material.PublicKeyHint);
                }

                writer.WriteEndObject();
                break;
            case VerificationMaterialKind.X509CertificateChain:
                writer.WriteStartObject("x509CertificateChain");
                if (!material.Certificates.IsDefaultOrEmpty)
                {
                    writer.WriteStartArray("certificates");
                    foreach (var certificate in material.Certificates)
                    {
                        writer.WriteStartObject();
                        WriteBytes(writer, "rawBytes", certificate);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
                break;
            case VerificationMaterialKind.Certificate:
                writer.WriteStartObject("certificate");
                WriteBytes(writer, "rawBytes", material.Certificates.IsDefaultOrEmpty ? ReadOnlyMemory<byte>.Empty : material.Certificates[0]);
                writer.WriteEndObject();
                break;
        }

        if (!material.TlogEntries.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("tlogEntries");
            foreach (var entry in material.TlogEntries)
            {
                WriteEntry(writer, entry);
            }

            writer.WriteEndArray();
        }

        if (material.HasTimestampVerificationData || !material.Rfc3161Timestamps.IsDefaultOrEmpty)
        {
            writer.WriteStartObject("timestampVerificationData");
            if (!material.Rfc3161Timestamps.IsDefaultOrEmpty)
            {
                writer.WriteStartArray("rfc3161Timestamps");
                foreach (var timestamp in material.Rfc3161Timestamps)
                {
                    writer.WriteStartObject();
                    WriteBytes(writer, "signedTimestamp", timestamp);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteEntry(Utf8JsonWriter writer, TransparencyLogEntry entry)
    {
        writer.WriteStartObject();
        WriteInt64(writer, "logIndex", entry.LogIndex);
        writer.WriteStartObject("logId");
        WriteBytes(writer, "keyId", entry.LogKeyId);
        writer.WriteEndObject();
        if (entry.KindVersion is { } kindVersion)
        {
            writer.WriteStartObject("kindVersion");
            WriteString(writer, "kind", kindVersion.Kind);
            WriteString(writer, "version", kindVersion.Version);
            writer.WriteEndObject();
        }

        WriteInt64(writer, "integratedTime", entry.IntegratedTime);
        if (entry.SignedEntryTimestamp is { } set)
        {
            writer.WriteStartObject("inclusionPromise");
            WriteBytes(writer, "signedEntryTimestamp", set);
            writer.WriteEndObject();
        }

        if (entry.InclusionProof is { } proof)
        {
            writer.WriteStartObject("inclusionProof");
            WriteInt64(writer, "logIndex", proof.LogIndex);
            WriteBytes(writer, "rootHash", proof.RootHash);
            WriteInt64(writer, "treeSize", proof.TreeSize);
            if (!proof.Hashes.IsDefaultOrEmpty)
            {
                writer.WriteStartArray("hashes");
                foreach (var hash in proof.Hashes)
                {
                    writer.WriteStringValue(Convert.ToBase64String(hash.Span));
                }

                writer.WriteEndArray();
            }

            if (proof.Checkpoint is { } checkpoint)
            {
                writer.WriteStartObject("checkpoint");
                WriteString(writer, "envelope", checkpoint);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        WriteBytes(writer, "canonicalizedBody", entry.CanonicalizedBody);
        writer.WriteEndObject();
    }

    private static void WriteBytes(Utf8JsonWriter writer, string name, ReadOnlyMemory<byte> value)
    {
        if (!value.IsEmpty)
        {
            writer.WriteString(name, Convert.ToBase64String(value.Span));
        }
    }

    private static void WriteString(Utf8JsonWriter writer, string name, string value)
    {
        if (value.Length > 0)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteInt64(Utf8JsonWriter writer, string name, long value)
    {
        if (value != 0)
        {
            writer.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
        }
    }
}
