using System.Globalization;
using System.Text;

namespace Signet.Crypto.Dsse;

/// <summary>
/// DSSE v1 (secure-systems-lab/dsse <c>protocol.md</c>): what is signed is the pre-authentication encoding
/// <c>"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</c>, with lengths as ASCII decimal byte counts.
/// </summary>
public static class DsseProtocol
{
    /// <summary>The payload type of an in-toto statement.</summary>
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    /// <summary>The OCI layer media type cosign gives a DSSE envelope in a legacy <c>.att</c> manifest.</summary>
    public const string EnvelopeMediaType = "application/vnd.dsse.envelope.v1+json";

    private static ReadOnlySpan<byte> Prefix => "DSSEv1 "u8;

    /// <summary>PAE(UTF8(payloadType), payload): the exact bytes a DSSE signature covers.</summary>
    public static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        var typeLength = Encoding.UTF8.GetByteCount(payloadType);
        var typeLengthText = typeLength.ToString(CultureInfo.InvariantCulture);
        var bodyLengthText = payload.Length.ToString(CultureInfo.InvariantCulture);
        var result = new byte[Prefix.Length + typeLengthText.Length + 1 + typeLength + 1 + bodyLengthText.Length + 1 + payload.Length];
        var span = result.AsSpan();
        Prefix.CopyTo(span);
        var at = Prefix.Length;
        at += Encoding.ASCII.GetBytes(typeLengthText, span[at..]);
        span[at++] = (byte)' ';
        at += Encoding.UTF8.GetBytes(payloadType, span[at..]);
        span[at++] = (byte)' ';
        at += Encoding.ASCII.GetBytes(bodyLengthText, span[at..]);
        span[at++] = (byte)' ';
        payload.CopyTo(span[at..]);
        return result;
    }
}
