using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Signet.Oci.Json;

namespace Signet.Sigstore.Tuf;

/// <summary>TUF timestamp metadata: the version (and optionally length and hashes) of <c>snapshot.json</c>.</summary>
public sealed class TimestampMetadata
{
    /// <summary>Default largest timestamp file read.</summary>
    public const int MaxBytes = 16 * 1024;

    private TimestampMetadata(TufEnvelope envelope, TufMetaFile snapshotMeta)
    {
        Envelope = envelope;
        SnapshotMeta = snapshotMeta;
    }

    public long Version => Envelope.Version;

    public DateTimeOffset Expires => Envelope.Expires;

    public TufMetaFile SnapshotMeta { get; }

    /// <summary>The file as it was read: what the client persists and what snapshot/timestamp hashes cover.</summary>
    public ReadOnlyMemory<byte> Raw => Envelope.Raw;

    internal TufEnvelope Envelope { get; }

    public static TimestampMetadata Parse(ReadOnlyMemory<byte> raw, int maxBytes = MaxBytes) =>
        TufEnvelope.Parse(raw, "timestamp", "timestamp", maxBytes, (json, signed, envelope) =>
        {
            var meta = json.RequireObject(StrictJson.TryGet(signed, "meta", out var m) ? m : throw json.Error("signed.meta", "is required"), "signed.meta");
            var entries = meta.EnumerateObject().ToList();
            if (entries.Count != 1 || entries[0].Name != "snapshot.json")
            {
                throw json.Error("signed.meta", "must hold exactly one entry, 'snapshot.json'");
            }

            return new TimestampMetadata(envelope, TufMetaFile.Parse(json, entries[0].Value, "signed.meta.snapshot.json"));
        });
}

/// <summary>TUF snapshot metadata: the version (and optionally length and hashes) of every targets metadata file.</summary>
public sealed class SnapshotMetadata
{
    /// <summary>Default largest snapshot file read.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    private SnapshotMetadata(TufEnvelope envelope, ImmutableSortedDictionary<string, TufMetaFile> meta)
    {
        Envelope = envelope;
        Meta = meta;
    }

    public long Version => Envelope.Version;

    public DateTimeOffset Expires => Envelope.Expires;

    /// <summary>By file name (<c>targets.json</c>, <c>&lt;role&gt;.json</c>).</summary>
    public ImmutableSortedDictionary<string, TufMetaFile> Meta { get; }

    /// <summary>The file as it was read: what the client persists and what snapshot/timestamp hashes cover.</summary>
    public ReadOnlyMemory<byte> Raw => Envelope.Raw;

    internal TufEnvelope Envelope { get; }

    public static SnapshotMetadata Parse(ReadOnlyMemory<byte> raw, int maxBytes = MaxBytes) =>
        TufEnvelope.Parse(raw, "snapshot", "snapshot", maxBytes, (json, signed, envelope) =>
        {
            var meta = json.RequireObject(StrictJson.TryGet(signed, "meta", out var m) ? m : throw json.Error("signed.meta", "is required"), "signed.meta");
            var builder = ImmutableSortedDictionary.CreateBuilder<string, TufMetaFile>(StringComparer.Ordinal);
            foreach (var property in meta.EnumerateObject())
            {
                if (builder.Count >= StrictJson.DefaultMaxItems)
                {
                    throw json.Error("signed.meta", $"has more than {StrictJson.DefaultMaxItems} entries");
                }

                var name = json.PropertyName(property, "signed.meta");
                builder[name] = TufMetaFile.Parse(json, property.Value, $"signed.meta.{name}");
            }

            return new SnapshotMetadata(envelope, builder.ToImmutable());
        });
}

/// <summary>A delegation to a targets role: its keys, threshold, the paths it may sign for and whether it is terminating.</summary>
public sealed record TufDelegatedRole(
    string Name,
    ImmutableArray<string> KeyIds,
    int Threshold,
    bool Terminating,
    ImmutableArray<string>? Paths,
    ImmutableArray<string>? PathHashPrefixes)
{
    /// <summary>
    /// Whether <paramref name="targetPath"/> is delegated to this role: a <c>paths</c> pattern matches it (shell-style,
    /// segment by segment, so <c>*</c> never crosses <c>/</c>), or the hex SHA-256 of the path starts with one of the
    /// <c>path_hash_prefixes</c>.
    /// </summary>
    public bool IsDelegatedPath(string targetPath)
    {
        ArgumentNullException.ThrowIfNull(targetPath);
        if (Paths is { } paths)
        {
            return paths.Any(pattern => PathPattern.Matches(pattern, targetPath));
        }

        if (PathHashPrefixes is { } prefixes)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(targetPath)));
            return prefixes.Any(prefix => hash.StartsWith(prefix, StringComparison.Ordinal));
        }

        return false;
    }
}

/// <summary>
/// Succinct hash-bin delegation (TAP 15): <c>2^BitLength</c> roles named <c>&lt;NamePrefix&gt;-&lt;hex bin&gt;</c> share
/// the keys and threshold; a target belongs to the bin given by the first <c>BitLength</c> bits of the SHA-256 of its path.
/// </summary>
public sealed record TufSuccinctRoles(ImmutableArray<string> KeyIds, int Threshold, int BitLength, string NamePrefix)
{
    /// <summary>The bin role that may sign for <paramref name="targetPath"/>.</summary>
    public string RoleFor(string targetPath)
    {
        ArgumentNullException.ThrowIfNull(targetPath);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(targetPath));
        var bin = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hash) >> (32 - BitLength);
        return Name(bin);
    }

    /// <summary>Whether <paramref name="role"/> is one of the bins.</summary>
    public bool IsBin(string role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var prefix = NamePrefix + "-";
        return role.StartsWith(prefix, StringComparison.Ordinal)
            && uint.TryParse(role.AsSpan(prefix.Length), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var bin)
            && (BitLength == 32 || bin < 1u << BitLength)
            && Name(bin) == role;
    }

    private string Name(uint bin) => $"{NamePrefix}-{bin.ToString($"x{(BitLength + 3) / 4}", System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>The <c>delegations</c> of targets metadata: keys and either ordered roles or succinct hash bins.</summary>
public sealed record TufDelegations(ImmutableSortedDictionary<string, TufKey> Keys, ImmutableArray<TufDelegatedRole> Roles, TufSuccinctRoles? Succinct = null)
{
    /// <summary>The delegation to <paramref name="role"/> (a listed role or a hash bin), or null.</summary>
    public TufDelegatedRole? Find(string role) =>
        Roles.FirstOrDefault(r => r.Name == role)
        ?? (Succinct is { } bins && bins.IsBin(role) ? new TufDelegatedRole(role, bins.KeyIds, bins.Threshold, true, null, null) : null);
}

/// <summary>TUF targets metadata (top-level or delegated): target files and delegations.</summary>
public sealed class TargetsMetadata
{
    /// <summary>Default largest targets file read.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    private static readonly string[] TopLevelRoles = ["root", "targets", "snapshot", "timestamp"];

    private TargetsMetadata(TufEnvelope envelope, ImmutableSortedDictionary<string, TufTargetFile> targets, TufDelegations? delegations)
    {
        Envelope = envelope;
        Targets = targets;
        Delegations = delegations;
    }

    public long Version => Envelope.Version;

    public DateTimeOffset Expires => Envelope.Expires;

    public ImmutableSortedDictionary<string, TufTargetFile> Targets { get; }

    public TufDelegations? Delegations { get; }

    /// <summary>The file as it was read: what the client persists and what snapshot/timestamp hashes cover.</summary>
    public ReadOnlyMemory<byte> Raw => Envelope.Raw;

    internal TufEnvelope Envelope { get; }

    public static TargetsMetadata Parse(ReadOnlyMemory<byte> raw, string role = "targets", int maxBytes = MaxBytes) =>
        TufEnvelope.Parse(raw, role, "targets", maxBytes, (json, signed, envelope) =>
        {
            var targetsElement = json.RequireObject(StrictJson.TryGet(signed, "targets", out var t) ? t : throw json.Error("signed.targets", "is required"), "signed.targets");
            var targets = ImmutableSortedDictionary.CreateBuilder<string, TufTargetFile>(StringComparer.Ordinal);
            foreach (var property in targetsElement.EnumerateObject())
            {
                if (targets.Count >= StrictJson.DefaultMaxItems)
                {
                    throw json.Error("signed.targets", $"has more than {StrictJson.DefaultMaxItems} entries");
                }

                var name = json.PropertyName(property, "signed.targets");
                targets[name] = TufTargetFile.Parse(json, name, property.Value, $"signed.targets.{name}");
            }

            TufDelegations? delegations = null;
            if (StrictJson.TryGet(signed, "delegations", out var d))
            {
                delegations = ParseDelegations(json, json.RequireObject(d, "signed.delegations"));
            }

            return new TargetsMetadata(envelope, targets.ToImmutable(), delegations);
        });

    /// <summary>
    /// The delegated roles that may sign for <paramref name="targetPath"/>, in the order the metadata lists them; with
    /// succinct roles, the one bin of the path (terminating, as TAP 15 defines).
    /// </summary>
    public IEnumerable<TufDelegatedRole> RolesForTarget(string targetPath) => Delegations switch
    {
        null => [],
        { Succinct: { } bins } => [Delegations.Find(bins.RoleFor(targetPath))!],
        _ => Delegations.Roles.Where(role => role.IsDelegatedPath(targetPath)),
    };

    private static TufDelegations ParseDelegations(StrictJson json, System.Text.Json.JsonElement element)
    {
        var keys = TufEnvelope.ParseKeys(json, StrictJson.TryGet(element, "keys", out var k) ? k : throw json.Error("signed.delegations.keys", "is required"), "signed.delegations.keys");
        var hasRoles = StrictJson.TryGet(element, "roles", out _);
        if (StrictJson.TryGet(element, "succinct_roles", out var succinct) == hasRoles)
        {
            throw json.Error("signed.delegations", "must have exactly one of 'roles' and 'succinct_roles'");
        }

        if (!hasRoles)
        {
            const string path = "signed.delegations.succinct_roles";
            json.RequireObject(succinct, path);
            var bitLength = json.RequiredInt64(succinct, "bit_length", path);
            if (bitLength is < 1 or > 32)
            {
                throw json.Error($"{path}.bit_length", $"must be 1 to 32, found {bitLength}");
            }

            return new TufDelegations(keys, [], new TufSuccinctRoles(
                TufEnvelope.ParseRoleKeyIds(json, succinct, path, keys),
                TufEnvelope.ParseThreshold(json, succinct, path),
                (int)bitLength,
                json.RequiredString(succinct, "name_prefix", path)));
        }

        var roles = ImmutableArray.CreateBuilder<TufDelegatedRole>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (entry, index) in json.RequiredArray(element, "roles", "signed.delegations", 1000).Select((e, i) => (e, i)))
        {
            var path = $"signed.delegations.roles[{index}]";
            json.RequireObject(entry, path);
            var name = json.RequiredString(entry, "name", path);
            if (TopLevelRoles.Contains(name) || !names.Add(name))
            {
                throw json.Error($"{path}.name", $"'{name}' is a top-level role name or is delegated twice");
            }

            var hasPaths = StrictJson.TryGet(entry, "paths", out _);
            var hasPrefixes = StrictJson.TryGet(entry, "path_hash_prefixes", out _);
            if (hasPaths == hasPrefixes)
            {
                throw json.Error(path, "must have exactly one of 'paths' and 'path_hash_prefixes'");
            }

            roles.Add(new TufDelegatedRole(
                name,
                TufEnvelope.ParseRoleKeyIds(json, entry, path, keys),
                TufEnvelope.ParseThreshold(json, entry, path),
                json.OptionalBool(entry, "terminating", path),
                hasPaths ? json.OptionalStringArray(entry, "paths", path) : null,
                hasPrefixes ? json.OptionalStringArray(entry, "path_hash_prefixes", path) : null));
        }

        return new TufDelegations(keys, roles.ToImmutable());
    }
}
