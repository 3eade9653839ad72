using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Signet.Crypto;
using Signet.Sigstore.Bundles;

namespace Signet.Sigstore.TransparencyLog;

/// <summary>
/// Rekor v1 signed entry timestamp (the bundle's <c>inclusionPromise</c>): an ECDSA signature by the log key over the
/// RFC 8785 canonical JSON of <c>{"body","integratedTime","logID","logIndex"}</c>.
/// </summary>
public static class SignedEntryTimestamp
{
    /// <summary>Largest integer RFC 8785 (ECMAScript number serialisation) writes exactly: 2^53 - 1.</summary>
    public const long MaxSafeInteger = (1L << 53) - 1;

    /// <summary>
    /// The RFC 8785 canonical form of the SET payload, keys in code-unit order: body, integratedTime, logID, logIndex.
    /// </summary>
    public static byte[] CanonicalPayload(ReadOnlySpan<byte> body, long integratedTime, long logIndex, ReadOnlySpan<byte> logId)
    {
        if (integratedTime is < 0 or > MaxSafeInteger)
        {
            throw new ArgumentOutOfRangeException(nameof(integratedTime), integratedTime, "integrated time is outside 0..2^53-1");
        }

        if (logIndex is < 0 or > MaxSafeInteger)
        {
            throw new ArgumentOutOfRangeException(nameof(logIndex), logIndex, "log index is outside 0..2^53-1");
        }

        var json = new StringBuilder(body.Length * 4 / 3 + 160);
        json.Append("{\"body\":");
        AppendString(json, Convert.ToBase64String(body));
        json.Append(",\"integratedTime\":").Append(integratedTime.ToString(CultureInfo.InvariantCulture));
        json.Append(",\"logID\":");
        AppendString(json, Convert.ToHexStringLower(logId));
        json.Append(",\"logIndex\":").Append(logIndex.ToString(CultureInfo.InvariantCulture));
        json.Append('}');
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    /// <summary>Verifies the SET of <paramref name="entry"/> with the log's ECDSA key. Never throws on bad input.</summary>
    public static TlogResult Verify(TransparencyLogEntry entry, PublicKey logKey)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(logKey);
        if (entry.SignedEntryTimestamp is not { } set)
        {
            return TlogResult.Fail(TlogCodes.MissingSet, $"log entry {entry.LogIndex} has no signed entry timestamp");
        }

        if (logKey.Algorithm is not (KeyAlgorithm.EcdsaP256 or KeyAlgorithm.EcdsaP384 or KeyAlgorithm.EcdsaP521))
        {
            return TlogResult.Fail(TlogCodes.SetUnsupportedKey, $"signed entry timestamps are verified with ECDSA log keys only, not {logKey.Algorithm}");
        }

        if (entry.IntegratedTime is < 0 or > MaxSafeInteger || entry.LogIndex is < 0 or > MaxSafeInteger)
        {
            return TlogResult.Fail(TlogCodes.InvalidInput, $"log entry {entry.LogIndex} has an integrated time or index outside 0..2^53-1");
        }

        var payload = CanonicalPayload(entry.CanonicalizedBody.Span, entry.IntegratedTime, entry.LogIndex, entry.LogKeyId.Span);
        bool valid;
        try
        {
            valid = logKey.Verify(payload, set.Span);
        }
        catch (CryptographicException)
        {
            valid = false;
        }

        return valid
            ? TlogResult.Success
            : TlogResult.Fail(TlogCodes.SetBadSignature, $"signed entry timestamp of log entry {entry.LogIndex} does not verify with the log key");
    }

    /// <summary>RFC 8785 section 3.2.2.2 string serialisation (also used for the DSSE envelope hash of Rekor dsse entries).</summary>
    internal static void AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }

        json.Append('"');
    }
}
