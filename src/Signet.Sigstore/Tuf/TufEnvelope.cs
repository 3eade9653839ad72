using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using Signet.Oci.Json;

namespace Signet.Sigstore.Tuf;

/// <summary>
/// The part every TUF metadata file shares: <c>{"signatures": [...], "signed": {"_type", "spec_version", "version",
/// "expires", ...}}</c>. <see cref="CanonicalSigned"/> is what the signatures cover; unknown fields stay in it.
/// </summary>
internal sealed record TufEnvelope(
    string Type,
    long Version,
    DateTimeOffset Expires,
    string SpecVersion,
    ImmutableArray<TufSignature> Signatures,
    byte[] CanonicalSigned,
    ReadOnlyMemory<byte> Raw)
{
    /// <summary>Parses the envelope and hands the <c>signed</c> object to <paramref name="body"/> while the document is open.</summary>
    public static T Parse<T>(ReadOnlyMemory<byte> raw, string role, string expectedType, int maxBytes, Func<StrictJson, JsonElement, TufEnvelope, T> body)
    {
        if (raw.Length > maxBytes)
        {
            throw new TufException(TufCodes.TooLarge, $"{role} metadata is {raw.Length} bytes, more than the {maxBytes} allowed", null);
        }

        var json = new StrictJson($"TUF {role} metadata", (message, inner) => new TufException(TufCodes.Malformed, message, inner));
        using var document = json.Parse(raw);
        var top = json.RequireObject(document.RootElement, "");
        var signed = json.RequireObject(StrictJson.TryGet(top, "signed", out var s) ? s : throw json.Error("signed", "is required"), "signed");
        var type = json.RequiredString(signed, "_type", "signed");
        if (type != expectedType)
        {
            throw json.Error("signed._type", $"must be '{expectedType}', found '{type}'");
        }

        var version = json.RequiredInt64(signed, "version", "signed");
        if (version < 1)
        {
            throw json.Error("signed.version", $"must be at least 1, found {version}");
        }

        var expires = json.OptionalTime(signed, "expires", "signed") ?? throw json.Error("signed.expires", "is required");
        var specVersion = json.RequiredString(signed, "spec_version", "signed");
        if (!specVersion.StartsWith("1.", StringComparison.Ordinal))
        {
            throw json.Error("signed.spec_version", $"must be a 1.x version, found '{specVersion}'");
        }

        var signatures = ParseSignatures(json, top);
        byte[] canonical;
        try
        {
            canonical = CanonicalJson.Encode(signed);
        }
        catch (TufException e)
        {
            throw new TufException(TufCodes.Malformed, $"TUF {role} metadata: {e.Message}", e);
        }

        return body(json, signed, new TufEnvelope(type, version, expires, specVersion, signatures, canonical, raw.ToArray()));
    }

    public static ImmutableArray<TufSignature> ParseSignatures(StrictJson json, JsonElement top)
    {
        var signatures = ImmutableArray.CreateBuilder<TufSignature>();
        foreach (var (entry, index) in json.RequiredArray(top, "signatures", "", 1000).Select((e, i) => (e, i)))
        {
            var path = $"signatures[{index}]";
            json.RequireObject(entry, path);
            var keyId = json.RequiredString(entry, "keyid", path);
            var sig = json.RequiredString(entry, "sig", path);
            byte[] bytes;
            try
            {
                bytes = Convert.FromHexString(sig);
            }
            catch (FormatException e)
            {
                throw new TufException(TufCodes.Malformed, $"TUF metadata: field '{path}.sig' is not hex", e);
            }

            signatures.Add(new TufSignature(keyId, bytes));
        }

        return signatures.ToImmutable();
    }

    /// <summary>Reads <c>keys</c> (key id to key) as root and delegations write it.</summary>
    public static ImmutableSortedDictionary<string, TufKey> ParseKeys(StrictJson json, JsonElement keysElement, string keysPath)
    {
        var keys = ImmutableSortedDictionary.CreateBuilder<string, TufKey>(StringComparer.Ordinal);
        json.RequireObject(keysElement, keysPath);
        foreach (var property in keysElement.EnumerateObject())
        {
            if (keys.Count >= 1000)
            {
                throw json.Error(keysPath, "has more than 1000 keys");
            }

            var keyId = json.PropertyName(property, keysPath);
            var path = $"{keysPath}.{keyId}";
            var key = json.RequireObject(property.Value, path);
            var keyval = json.RequireObject(StrictJson.TryGet(key, "keyval", out var kv) ? kv : throw json.Error($"{path}.keyval", "is required"), $"{path}.keyval");
            keys[keyId] = new TufKey(
                keyId,
                json.RequiredString(key, "keytype", path),
                json.RequiredString(key, "scheme", path),
                json.RequiredString(keyval, "public", $"{path}.keyval"));
        }

        return keys.ToImmutable();
    }

    /// <summary>Key ids of a role: distinct, each defined in <paramref name="keys"/>.</summary>
    public static ImmutableArray<string> ParseRoleKeyIds(StrictJson json, JsonElement role, string path, IReadOnlyDictionary<string, TufKey> keys)
    {
        var keyIds = json.OptionalStringArray(role, "keyids", path);
        if (keyIds.Distinct(StringComparer.Ordinal).Count() != keyIds.Length)
        {
            throw json.Error($"{path}.keyids", "lists a key id twice");
        }

        foreach (var keyId in keyIds)
        {
            if (!keys.ContainsKey(keyId))
            {
                throw json.Error($"{path}.keyids", $"names key {keyId}, which is not in the keys of the metadata");
            }
        }

        return keyIds;
    }

    /// <summary>A role threshold, 1 to 1000.</summary>
    public static int ParseThreshold(StrictJson json, JsonElement role, string path)
    {
        var threshold = json.RequiredInt64(role, "threshold", path);
        return threshold is >= 1 and <= 1000 ? (int)threshold : throw json.Error($"{path}.threshold", $"must be 1 to 1000, found {threshold}");
    }

    /// <summary>
    /// How many distinct keys of the role made a valid signature over <paramref name="canonicalSigned"/>. Empty signatures,
    /// key ids outside the role and keys this client cannot use (an unsupported type) are not counted; a key counts once,
    /// however many signatures or key ids carry it (the same public key under two key ids is one key).
    /// </summary>
    public static int CountValidSignatures(
        ReadOnlySpan<byte> canonicalSigned,
        IEnumerable<TufSignature> signatures,
        IReadOnlyCollection<string> roleKeyIds,
        IReadOnlyDictionary<string, TufKey> keys)
    {
        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var signature in signatures)
        {
            if (signature.Signature.Length == 0 || !roleKeyIds.Contains(signature.KeyId)
                || !keys.TryGetValue(signature.KeyId, out var key) || !key.TryGetPublicKey(out var publicKey))
            {
                continue;
            }

            var keyMaterial = Convert.ToHexString(publicKey.SubjectPublicKeyInfo.Span);
            if (counted.Contains(keyMaterial))
            {
                continue;
            }

            bool valid;
            try
            {
                valid = publicKey.Verify(canonicalSigned, signature.Signature);
            }
            catch (CryptographicException)
            {
                valid = false;
            }

            if (valid)
            {
                counted.Add(keyMaterial);
            }
        }

        return counted.Count;
    }
}
