using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Formats.Asn1;

namespace Signet.Sigstore.Certificates.Wire;

/// <summary>
/// One SCT v1 of an embedded list (RFC 6962 §3.2, §3.3), exactly as the TLS encoding gives it. The signature is over
/// the <c>digitally-signed</c> struct that <see cref="SignedData"/> builds.
/// </summary>
internal sealed record SignedCertificateTimestamp(
    ReadOnlyMemory<byte> LogId,
    ulong Timestamp,
    ReadOnlyMemory<byte> Extensions,
    byte HashAlgorithm,
    byte SignatureAlgorithm,
    ReadOnlyMemory<byte> Signature)
{
    /// <summary>Most SCTs read from one certificate.</summary>
    public const int MaxCount = 64;

    private const int LogIdLength = 32;

    /// <summary>
    /// Reads the extension value: a DER OCTET STRING holding a TLS <c>SignedCertificateTimestampList</c>
    /// (<c>opaque SerializedSCT&lt;1..2^16-1&gt;</c> entries in a <c>&lt;1..2^16-1&gt;</c> list).
    /// </summary>
    public static bool TryReadList(ReadOnlyMemory<byte> extensionValue, out ImmutableArray<SignedCertificateTimestamp> scts, out string reason)
    {
        scts = [];
        ReadOnlyMemory<byte> list;
        try
        {
            list = AsnDecoder.ReadOctetString(extensionValue.Span, AsnEncodingRules.DER, out var consumed);
            if (consumed != extensionValue.Length)
            {
                reason = $"the extension has {extensionValue.Length - consumed} bytes after its OCTET STRING";
                return false;
            }
        }
        catch (AsnContentException e)
        {
            reason = $"the extension is not a DER OCTET STRING ({e.Message})";
            return false;
        }

        var reader = new TlsReader(list);
        if (!reader.TryReadVector(2, out var entries) || reader.Remaining != 0)
        {
            reason = "the list length does not match its data";
            return false;
        }

        if (entries.IsEmpty)
        {
            reason = "the list is empty (RFC 6962 requires at least one SCT)";
            return false;
        }

        var builder = ImmutableArray.CreateBuilder<SignedCertificateTimestamp>();
        var entryReader = new TlsReader(entries);
        while (entryReader.Remaining > 0)
        {
            if (builder.Count == MaxCount)
            {
                reason = $"the list holds more than {MaxCount} SCTs";
                return false;
            }

            if (!entryReader.TryReadVector(2, out var serialized))
            {
                reason = $"SCT {builder.Count}: its length runs past the list";
                return false;
            }

            if (!TryRead(serialized, out var sct, out var problem))
            {
                reason = $"SCT {builder.Count}: {problem}";
                return false;
            }

            builder.Add(sct);
        }

        scts = builder.ToImmutable();
        reason = "";
        return true;
    }

    /// <summary>
    /// The RFC 6962 §3.2 <c>digitally-signed</c> struct of a precertificate entry: version, signature_type
    /// certificate_timestamp, timestamp, entry_type precert_entry, issuer_key_hash, the TBSCertificate (3-byte length)
    /// and the SCT extensions (2-byte length).
    /// </summary>
    public byte[] SignedData(ReadOnlySpan<byte> issuerKeyHash, ReadOnlySpan<byte> tbsCertificate)
    {
        if (tbsCertificate.Length > 0xFFFFFF)
        {
            throw new ArgumentException("a TBSCertificate longer than 2^24-1 bytes cannot be in an SCT", nameof(tbsCertificate));
        }

        var data = new byte[1 + 1 + 8 + 2 + issuerKeyHash.Length + 3 + tbsCertificate.Length + 2 + Extensions.Length];
        var span = data.AsSpan();
        span[0] = 0; // version v1
        span[1] = 0; // signature_type certificate_timestamp
        BinaryPrimitives.WriteUInt64BigEndian(span[2..], Timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], 1); // entry_type precert_entry
        var at = 12;
        issuerKeyHash.CopyTo(span[at..]);
        at += issuerKeyHash.Length;
        span[at] = (byte)(tbsCertificate.Length >> 16);
        span[at + 1] = (byte)(tbsCertificate.Length >> 8);
        span[at + 2] = (byte)tbsCertificate.Length;
        at += 3;
        tbsCertificate.CopyTo(span[at..]);
        at += tbsCertificate.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)Extensions.Length);
        Extensions.Span.CopyTo(span[(at + 2)..]);
        return data;
    }

    private static bool TryRead(ReadOnlyMemory<byte> serialized, out SignedCertificateTimestamp sct, out string reason)
    {
        sct = null!;
        var reader = new TlsReader(serialized);
        if (!reader.TryReadByte(out var version))
        {
            reason = "it is empty";
            return false;
        }

        if (version != 0)
        {
            reason = $"version {version} is not v1 (0)";
            return false;
        }

        if (!reader.TryReadBytes(LogIdLength, out var logId)
            || !reader.TryReadUInt64(out var timestamp)
            || !reader.TryReadVector(2, out var extensions)
            || !reader.TryReadByte(out var hash)
            || !reader.TryReadByte(out var signatureAlgorithm)
            || !reader.TryReadVector(2, out var signature))
        {
            reason = "a field runs past the end of the SCT";
            return false;
        }

        if (reader.Remaining != 0)
        {
            reason = $"{reader.Remaining} bytes follow the signature";
            return false;
        }

        sct = new SignedCertificateTimestamp(logId, timestamp, extensions, hash, signatureAlgorithm, signature);
        reason = "";
        return true;
    }

    /// <summary>A bounds-checked reader of TLS presentation-language fields (RFC 5246 §4).</summary>
    private struct TlsReader(ReadOnlyMemory<byte> data)
    {
        private int _at;

        public readonly int Remaining => data.Length - _at;

        public bool TryReadByte(out byte value)
        {
            value = 0;
            if (Remaining < 1)
            {
                return false;
            }

            value = data.Span[_at++];
            return true;
        }

        public bool TryReadUInt64(out ulong value)
        {
            value = 0;
            if (Remaining < 8)
            {
                return false;
            }

            value = BinaryPrimitives.ReadUInt64BigEndian(data.Span[_at..]);
            _at += 8;
            return true;
        }

        public bool TryReadBytes(int count, out ReadOnlyMemory<byte> value)
        {
            value = default;
            if (Remaining < count)
            {
                return false;
            }

            value = data.Slice(_at, count);
            _at += count;
            return true;
        }

        /// <summary>A vector with a <paramref name="lengthBytes"/>-byte big-endian length prefix.</summary>
        public bool TryReadVector(int lengthBytes, out ReadOnlyMemory<byte> value)
        {
            value = default;
            if (Remaining < lengthBytes)
            {
                return false;
            }

            var length = 0;
            for (var i = 0; i < lengthBytes; i++)
            {
                length = (length << 8) | data.Span[_at + i];
            }

            _at += lengthBytes;
            return TryReadBytes(length, out value);
        }
    }
}
