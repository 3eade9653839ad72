using System.Globalization;
using System.Text;
using Signet.Sigstore.Bundles;

namespace Signet.Signing.Cosign;

/// <summary>
/// cosign's <c>dev.sigstore.cosign/bundle</c> annotation (<c>pkg/cosign/bundle/rekor.go</c> RekorBundle): the SET and
/// the payload it signs, as Go's json.Marshal writes the struct: <c>{"SignedEntryTimestamp":"&lt;base64&gt;",
/// "Payload":{"body":"&lt;base64 body&gt;","integratedTime":N,"logIndex":N,"logID":"&lt;hex&gt;"}}</c>.
/// </summary>
public static class RekorBundle
{
    /// <summary>The annotation value for a log entry that carries a SET.</summary>
    public static string Write(TransparencyLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.SignedEntryTimestamp is not { } set)
        {
            throw new ArgumentException($"log entry {entry.LogIndex} has no signed entry timestamp; cosign's bundle annotation needs one", nameof(entry));
        }

        return new StringBuilder(entry.CanonicalizedBody.Length * 4 / 3 + 256)
            .Append("{\"SignedEntryTimestamp\":").Append(SimpleSigningPayload.GoString(Convert.ToBase64String(set.Span)))
            .Append(",\"Payload\":{\"body\":").Append(SimpleSigningPayload.GoString(Convert.ToBase64String(entry.CanonicalizedBody.Span)))
            .Append(",\"integratedTime\":").Append(entry.IntegratedTime.ToString(CultureInfo.InvariantCulture))
            .Append(",\"logIndex\":").Append(entry.LogIndex.ToString(CultureInfo.InvariantCulture))
            .Append(",\"logID\":").Append(SimpleSigningPayload.GoString(Convert.ToHexStringLower(entry.LogKeyId.Span)))
            .Append("}}")
            .ToString();
    }

    /// <summary>cosign's <c>dev.sigstore.cosign/rfc3161timestamp</c> value: <c>{"SignedRFC3161Timestamp":"&lt;base64 DER&gt;"}</c>.</summary>
    public static string WriteTimestamp(ReadOnlySpan<byte> signedTimestamp) =>
        "{\"SignedRFC3161Timestamp\":" + SimpleSigningPayload.GoString(Convert.ToBase64String(signedTimestamp)) + "}";
}
