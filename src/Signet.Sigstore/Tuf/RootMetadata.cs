using System.Collections.Immutable;
using Signet.Oci.Json;

namespace Signet.Sigstore.Tuf;

/// <summary>
/// TUF root metadata (<c>{"signatures": [...], "signed": {"_type": "root", ...}}</c>). <see cref="CanonicalSigned"/> is
/// the canonical JSON of <c>signed</c> computed from the parsed document: the bytes every signature covers.
/// </summary>
public sealed class RootMetadata
{
    /// <summary>Largest root file read.</summary>
    public const int MaxBytes = 512 * 1024;

    private static readonly string[] TopLevelRoles = ["root", "targets", "snapshot", "timestamp"];

    private RootMetadata(
        long version,
        DateTimeOffset expires,
        string specVersion,
        bool consistentSnapshot,
        ImmutableSortedDictionary<string, TufKey> keys,
        ImmutableSortedDictionary<string, TufRole> roles,
        ImmutableArray<TufSignature> signatures,
        byte[] canonicalSigned)
    {
        Version = version;
        Expires = expires;
        SpecVersion = specVersion;
        ConsistentSnapshot = consistentSnapshot;
        Keys = keys;
        Roles = roles;
        Signatures = signatures;
        CanonicalSigned = canonicalSigned;
    }

    public long Version { get; }

    public DateTimeOffset Expires { get; }

    public string SpecVersion { get; }

    public bool ConsistentSnapshot { get; }

    public ImmutableSortedDictionary<string, TufKey> Keys { get; }

    /// <summary>The four top-level roles, by name (<c>root</c>, <c>targets</c>, <c>snapshot</c>, <c>timestamp</c>).</summary>
    public ImmutableSortedDictionary<string, TufRole> Roles { get; }

    public ImmutableArray<TufSignature> Signatures { get; }

    public ReadOnlyMemory<byte> CanonicalSigned { get; }

    public TufRole RootRole => Roles["root"];

    public static RootMetadata Parse(ReadOnlyMemory<byte> raw)
    {
        if (raw.Length > MaxBytes)
        {
            throw new TufException($"TUF root is {raw.Length} bytes, more than the {MaxBytes} allowed");
        }

        var json = new StrictJson("TUF root", (message, inner) => new TufException(message, inner));
        using var document = json.Parse(raw);
        var top = json.RequireObject(document.RootElement, "");
        var signed = json.RequireObject(StrictJson.TryGet(top, "signed", out var s) ? s : throw json.Error("signed", "is required"), "signed");

        var type = json.RequiredString(signed, "_type", "signed");
        if (type != "root")
        {
            throw json.Error("signed._type", $"must be 'root', found '{type}'");
        }

        var version = json.RequiredInt64(signed, "version", "signed");
        if (version < 1)
        {
            throw json.Error("signed.version", $"must be at least 1, found {version}");
        }

        var expires = json.OptionalTime(signed, "expires", "signed") ?? throw json.Error("signed.expires", "is required");
        var specVersion = json.RequiredString(signed, "spec_version", "signed");
        var consistent = json.OptionalBool(signed, "consistent_snapshot", "signed");

        var keys = ImmutableSortedDictionary.CreateBuilder<string, TufKey>(StringComparer.Ordinal);
        var keysElement = json.RequireObject(StrictJson.TryGet(signed, "keys", out var k) ? k : throw json.Error("signed.keys", "is required"), "signed.keys");
        foreach (var property in keysElement.EnumerateObject())
        {
            if (keys.Count >= 1000)
            {
                throw json.Error("signed.keys", "has more than 1000 keys");
            }

            var keyId = json.PropertyName(property, "signed.keys");
            var path = $"signed.keys.{keyId}";
            var key = json.RequireObject(property.Value, path);
            var keyval = json.RequireObject(StrictJson.TryGet(key, "keyval", out var kv) ? kv : throw json.Error($"{path}.keyval", "is required"), $"{path}.keyval");
            keys[keyId] = new TufKey(
                keyId,
                json.RequiredString(key, "keytype", path),
                json.RequiredString(key, "scheme", path),
                json.RequiredString(keyval, "public", $"{path}.keyval"));
        }

        var roles = ImmutableSortedDictionary.CreateBuilder<string, TufRole>(StringComparer.Ordinal);
        var rolesElement = json.RequireObject(StrictJson.TryGet(signed, "roles", out var r) ? r : throw json.Error("signed.roles", "is required"), "signed.roles");
        foreach (var name in TopLevelRoles)
        {
            var path = $"signed.roles.{name}";
            var role = json.RequireObject(StrictJson.TryGet(rolesElement, name, out var re) ? re : throw json.Error(path, "is required"), path);
            var threshold = json.RequiredInt64(role, "threshold", path);
            if (threshold < 1 || threshold > 1000)
            {
                throw json.Error($"{path}.threshold", $"must be 1 to 1000, found {threshold}");
            }

            var keyIds = json.OptionalStringArray(role, "keyids", path);
            if (keyIds.Distinct(StringComparer.Ordinal).Count() != keyIds.Length)
            {
                throw json.Error($"{path}.keyids", "lists a key id twice");
            }

            foreach (var keyId in keyIds)
            {
                if (!keys.ContainsKey(keyId))
                {
                    throw json.Error($"{path}.keyids", $"names key {keyId}, which is not in signed.keys");
                }
            }

            roles[name] = new TufRole(keyIds, (int)threshold);
        }

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
                throw new TufException($"TUF root: field '{path}.sig' is not hex", e);
            }

            signatures.Add(new TufSignature(keyId, bytes));
        }

        return new RootMetadata(version, expires, specVersion, consistent, keys.ToImmutable(), roles.ToImmutable(), signatures.ToImmutable(), CanonicalJson.Encode(signed));
    }

    /// <summary>
    /// How many distinct keys of <paramref name="role"/> (as <paramref name="keys"/> defines them) made a valid signature
    /// over this root's canonical <c>signed</c>. Empty signatures and key ids outside the role are ignored; a key id
    /// is counted once however often it appears.
    /// </summary>
    public int CountValidSignatures(TufRole role, IReadOnlyDictionary<string, TufKey> keys)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(keys);
        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var signature in Signatures)
        {
            if (signature.Signature.Length == 0 || counted.Contains(signature.KeyId) || !role.KeyIds.Contains(signature.KeyId)
                || !keys.TryGetValue(signature.KeyId, out var key))
            {
                continue;
            }

            if (key.ToPublicKey().Verify(CanonicalSigned.Span, signature.Signature))
            {
                counted.Add(signature.KeyId);
            }
        }

        return counted.Count;
    }
}
