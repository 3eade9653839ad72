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
        TufEnvelope envelope,
        bool consistentSnapshot,
        ImmutableSortedDictionary<string, TufKey> keys,
        ImmutableSortedDictionary<string, TufRole> roles)
    {
        Version = envelope.Version;
        Expires = envelope.Expires;
        SpecVersion = envelope.SpecVersion;
        ConsistentSnapshot = consistentSnapshot;
        Keys = keys;
        Roles = roles;
        Signatures = envelope.Signatures;
        CanonicalSigned = envelope.CanonicalSigned;
        Raw = envelope.Raw;
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

    /// <summary>The file as it was read (persisted as is; never re-serialized).</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    public TufRole RootRole => Roles["root"];

    public static RootMetadata Parse(ReadOnlyMemory<byte> raw) => TufEnvelope.Parse(raw, "root", "root", MaxBytes, (json, signed, envelope) =>
    {
        var consistent = json.OptionalBool(signed, "consistent_snapshot", "signed");
        var keys = TufEnvelope.ParseKeys(json, StrictJson.TryGet(signed, "keys", out var k) ? k : throw json.Error("signed.keys", "is required"), "signed.keys");
        var roles = ImmutableSortedDictionary.CreateBuilder<string, TufRole>(StringComparer.Ordinal);
        var rolesElement = json.RequireObject(StrictJson.TryGet(signed, "roles", out var r) ? r : throw json.Error("signed.roles", "is required"), "signed.roles");
        foreach (var name in TopLevelRoles)
        {
            var path = $"signed.roles.{name}";
            var role = json.RequireObject(StrictJson.TryGet(rolesElement, name, out var re) ? re : throw json.Error(path, "is required"), path);
            var threshold = TufEnvelope.ParseThreshold(json, role, path);
            roles[name] = new TufRole(TufEnvelope.ParseRoleKeyIds(json, role, path, keys), threshold);
        }

        return new RootMetadata(envelope, consistent, keys, roles.ToImmutable());
    });

    /// <summary>
    /// How many distinct keys of <paramref name="role"/> (as <paramref name="keys"/> defines them) made a valid signature
    /// over this root's canonical <c>signed</c>. Empty signatures and key ids outside the role are ignored; a key id
    /// is counted once however often it appears.
    /// </summary>
    public int CountValidSignatures(TufRole role, IReadOnlyDictionary<string, TufKey> keys)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(keys);
        return TufEnvelope.CountValidSignatures(CanonicalSigned.Span, Signatures, role.KeyIds, keys);
    }

    /// <summary>Whether a threshold of <paramref name="roleName"/>'s keys signed <paramref name="canonicalSigned"/>; throws TUF1002 if not.</summary>
    internal void VerifyRole(string roleName, long version, ReadOnlySpan<byte> canonicalSigned, IEnumerable<TufSignature> signatures)
    {
        var role = Roles[roleName];
        var count = TufEnvelope.CountValidSignatures(canonicalSigned, signatures, role.KeyIds, Keys);
        if (count < role.Threshold)
        {
            throw new TufException(TufCodes.ThresholdNotMet, $"{roleName} v{version} has {count} valid signatures from the {roleName} keys of root v{Version}, needs {role.Threshold}", null);
        }
    }
}
