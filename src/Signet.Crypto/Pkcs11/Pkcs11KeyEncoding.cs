using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Signet.Crypto.Pkcs11;

/// <summary>
/// DER encodings between PKCS#11 values and what Signet uses: SubjectPublicKeyInfo (RFC 5480 for EC, RFC 8017 for
/// RSA) from CKA_EC_PARAMS/CKA_EC_POINT or CKA_MODULUS/CKA_PUBLIC_EXPONENT, ECDSA r||s (CKM_ECDSA output) to the
/// ASN.1 Ecdsa-Sig-Value, and the PKCS#1 v1.5 DigestInfo CKM_RSA_PKCS signs.
/// </summary>
internal static class Pkcs11KeyEncoding
{
    public const string P256Oid = "1.2.840.10045.3.1.7";
    public const string P384Oid = "1.3.132.0.34";
    public const string P521Oid = "1.3.132.0.35";
    private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    /// <summary>The byte length of a field element (and of r and s) for an ECDSA algorithm.</summary>
    public static int FieldLength(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => 32,
        KeyAlgorithm.EcdsaP384 => 48,
        KeyAlgorithm.EcdsaP521 => 66,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "not an ECDSA algorithm"),
    };

    /// <summary>
    /// An EC SubjectPublicKeyInfo from CKA_EC_PARAMS (a DER namedCurve OID) and CKA_EC_POINT (a DER OCTET STRING
    /// holding the uncompressed point; some modules give the bare point, which is accepted too).
    /// </summary>
    public static byte[] EcSubjectPublicKeyInfo(byte[] ecParams, byte[] ecPoint)
    {
        string curve;
        try
        {
            var reader = new AsnReader(ecParams, AsnEncodingRules.DER);
            curve = reader.ReadObjectIdentifier();
            reader.ThrowIfNotEmpty();
        }
        catch (AsnContentException e)
        {
            throw new Pkcs11Exception("the key's CKA_EC_PARAMS is not a named curve OID (explicit curve parameters are not supported)", e);
        }

        var fieldLength = curve switch
        {
            P256Oid => 32,
            P384Oid => 48,
            P521Oid => 66,
            _ => throw new Pkcs11Exception($"the key's curve {curve} is not supported; use P-256, P-384 or P-521"),
        };

        var point = UncompressedPoint(ecPoint, fieldLength)
            ?? throw new Pkcs11Exception($"the key's CKA_EC_POINT ({ecPoint.Length} bytes) is not an uncompressed point on curve {curve}");

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(PublicKey.EcPublicKeyOid);
                writer.WriteObjectIdentifier(curve);
            }

            writer.WriteBitString(point);
        }

        return writer.Encode();
    }

    /// <summary>An RSA SubjectPublicKeyInfo from CKA_MODULUS and CKA_PUBLIC_EXPONENT (unsigned big-endian).</summary>
    public static byte[] RsaSubjectPublicKeyInfo(byte[] modulus, byte[] exponent)
    {
        var key = new AsnWriter(AsnEncodingRules.DER);
        using (key.PushSequence())
        {
            key.WriteIntegerUnsigned(TrimLeadingZeros(modulus));
            key.WriteIntegerUnsigned(TrimLeadingZeros(exponent));
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(PublicKey.RsaEncryptionOid);
                writer.WriteNull();
            }

            writer.WriteBitString(key.Encode());
        }

        return writer.Encode();
    }

    /// <summary>The DER Ecdsa-Sig-Value for a CKM_ECDSA signature r||s of two <paramref name="fieldLength"/>-byte halves.</summary>
    public static byte[] EcdsaSignatureToDer(ReadOnlySpan<byte> rs, int fieldLength)
    {
        if (rs.Length != 2 * fieldLength)
        {
            throw new Pkcs11Exception($"the token returned a {rs.Length}-byte ECDSA signature; expected r||s of {2 * fieldLength} bytes");
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(TrimLeadingZeros(rs[..fieldLength]));
            writer.WriteIntegerUnsigned(TrimLeadingZeros(rs[fieldLength..]));
        }

        return writer.Encode();
    }

    /// <summary>DigestInfo { sha256, digest } (RFC 8017 section 9.2), the input of CKM_RSA_PKCS signing.</summary>
    public static byte[] Sha256DigestInfo(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"a SHA-256 digest is {SHA256.HashSizeInBytes} bytes, got {digest.Length}", nameof(digest));
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Sha256Oid);
                writer.WriteNull();
            }

            writer.WriteOctetString(digest);
        }

        return writer.Encode();
    }

    private static byte[]? UncompressedPoint(byte[] value, int fieldLength)
    {
        var pointLength = 1 + (2 * fieldLength);
        if (value.Length == pointLength && value[0] == 0x04)
        {
            return value; // the bare point (the DER wrapping would be longer)
        }

        try
        {
            var reader = new AsnReader(value, AsnEncodingRules.BER);
            var inner = reader.ReadOctetString();
            reader.ThrowIfNotEmpty();
            return inner.Length == pointLength && inner[0] == 0x04 ? inner : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value.IsEmpty ? new byte[1] : value[start..];
    }
}
