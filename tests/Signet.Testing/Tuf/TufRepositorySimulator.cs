using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Signet.Testing.Tuf;

/// <summary>
/// An in-test TUF repository, after tuf-conformance's RepositorySimulator: the <c>signed</c> body of every role is a
/// mutable <see cref="JsonObject"/>; <see cref="Publish(string[])"/> signs the current body with the role's signers
/// (real ECDSA / Ed25519 keys) and stores the bytes that <see cref="TufTestServer"/> serves. Every request is logged.
/// </summary>
public sealed class TufRepositorySimulator : IDisposable
{
    public const string RootRole = "root";
    public const string TimestampRole = "timestamp";
    public const string SnapshotRole = "snapshot";
    public const string TargetsRole = "targets";

    private static readonly string[] TopLevel = [RootRole, TimestampRole, SnapshotRole, TargetsRole];
    private readonly Dictionary<string, List<Published>> _published = new(StringComparer.Ordinal);
    private readonly List<TufTestKey> _keys = [];
    private readonly Lock _lock = new();

    public TufRepositorySimulator()
    {
        var now = DateTimeOffset.UtcNow;
        SafeExpiry = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddDays(30);
        Bodies[RootRole] = new JsonObject
        {
            ["_type"] = "root",
            ["spec_version"] = "1.0.31",
            ["version"] = 1,
            ["expires"] = Time(SafeExpiry),
            ["consistent_snapshot"] = true,
            ["keys"] = new JsonObject(),
            ["roles"] = new JsonObject(),
        };
        foreach (var role in TopLevel)
        {
            Root["roles"]![role] = new JsonObject { ["keyids"] = new JsonArray(), ["threshold"] = 1 };
            AddKey(role);
        }

        Bodies[TargetsRole] = NewTargets(SafeExpiry);
        Bodies[SnapshotRole] = new JsonObject { ["_type"] = "snapshot", ["spec_version"] = "1.0.31", ["version"] = 1, ["expires"] = Time(SafeExpiry), ["meta"] = new JsonObject() };
        Bodies[TimestampRole] = new JsonObject { ["_type"] = "timestamp", ["spec_version"] = "1.0.31", ["version"] = 1, ["expires"] = Time(SafeExpiry), ["meta"] = new JsonObject() };
        Publish([RootRole, TargetsRole, SnapshotRole, TimestampRole], bumpVersion: false);
    }

    /// <summary>Thirty days from creation, whole seconds.</summary>
    public DateTimeOffset SafeExpiry { get; }

    /// <summary>The <c>signed</c> body of every role (top-level and delegated), as the next publish will sign it.</summary>
    public Dictionary<string, JsonObject> Bodies { get; } = new(StringComparer.Ordinal);

    /// <summary>The keys that sign each role at publish time (they need not be the keys the metadata trusts).</summary>
    public Dictionary<string, List<TufTestKey>> Signers { get; } = new(StringComparer.Ordinal);

    /// <summary>Target files served, by target path.</summary>
    public Dictionary<string, TufArtifact> Artifacts { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether snapshot and timestamp meta carry <c>length</c> and <c>hashes</c> of the files they describe.</summary>
    public bool ComputeMetafileHashesAndLength { get; set; }

    /// <summary>Each metadata request: the role name as it appeared in the URL (still percent-encoded) and the version prefix.</summary>
    public List<(string Role, long? Version)> MetadataRequests { get; } = [];

    /// <summary>Each target request: the target path and the hash prefix of its file name.</summary>
    public List<(string Path, string? Hash)> ArtifactRequests { get; } = [];

    public JsonObject Root => Bodies[RootRole];

    public JsonObject Timestamp => Bodies[TimestampRole];

    public JsonObject Snapshot => Bodies[SnapshotRole];

    public JsonObject Targets => Bodies[TargetsRole];

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject NewTargets(DateTimeOffset expires) =>
        new() { ["_type"] = "targets", ["spec_version"] = "1.0.31", ["version"] = 1, ["expires"] = Time(expires), ["targets"] = new JsonObject() };

    public long Version(string role) => long.Parse(Bodies[role]["version"]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    public void SetVersion(string role, long version) => Bodies[role]["version"] = version;

    public void SetExpires(string role, DateTimeOffset expires) => Bodies[role]["expires"] = Time(expires);

    /// <summary>Bumps the version of each role (in order) and publishes it; snapshot and timestamp meta are refreshed first.</summary>
    public void Publish(params string[] roles) => Publish(roles, bumpVersion: true);

    /// <summary>Publishes each role in order; <paramref name="urlVersion"/> serves it under another version's URL.</summary>
    public void Publish(IEnumerable<string> roles, bool bumpVersion, long? urlVersion = null)
    {
        foreach (var role in roles)
        {
            if (bumpVersion)
            {
                SetVersion(role, Version(role) + 1);
            }

            if (role == SnapshotRole)
            {
                var meta = new JsonObject();
                foreach (var targetsRole in Bodies.Keys.Where(r => r is not (RootRole or TimestampRole or SnapshotRole)).Order(StringComparer.Ordinal))
                {
                    meta[$"{targetsRole}.json"] = MetaFile(targetsRole);
                }

                Snapshot["meta"] = meta;
            }
            else if (role == TimestampRole)
            {
                Timestamp["meta"] = new JsonObject { ["snapshot.json"] = MetaFile(SnapshotRole) };
            }

            Store(role, Sign(role), urlVersion ?? Version(role));
        }
    }

    /// <summary>Signs the current body of <paramref name="role"/> as it is (no version bump, meta not recomputed) and serves it.</summary>
    public void PublishAsIs(string role, long? urlVersion = null) => Store(role, Sign(role), urlVersion ?? Version(role));

    /// <summary>Serves <paramref name="bytes"/> as the newest published <paramref name="role"/> under <paramref name="urlVersion"/>.</summary>
    public void Store(string role, byte[] bytes, long urlVersion)
    {
        lock (_lock)
        {
            if (!_published.TryGetValue(role, out var list))
            {
                _published[role] = list = [];
            }

            list.Add(new Published(urlVersion, bytes));
        }
    }

    /// <summary>Forgets every published version of <paramref name="role"/> (requests for it then get 404).</summary>
    public void Unpublish(string role)
    {
        lock (_lock)
        {
            _published.Remove(role);
        }
    }

    /// <summary>The bytes served for <paramref name="role"/> at <paramref name="version"/> (newest when null), or null (404).</summary>
    public byte[]? FetchMetadata(string role, long? version = null)
    {
        lock (_lock)
        {
            if (!_published.TryGetValue(role, out var list) || list.Count == 0)
            {
                return null;
            }

            return version is { } v ? list.LastOrDefault(p => p.UrlVersion == v)?.Bytes : list[^1].Bytes;
        }
    }

    /// <summary>Every published root, oldest first.</summary>
    public IReadOnlyList<byte[]> PublishedRoots()
    {
        lock (_lock)
        {
            return _published[RootRole].Select(p => p.Bytes).ToList();
        }
    }

    /// <summary>The signed document for <paramref name="role"/>'s current body (not stored).</summary>
    public byte[] Sign(string role)
    {
        var signed = Bodies[role].DeepClone();
        var canonical = TufCanonical.Encode(signed);
        var signatures = new JsonArray();
        foreach (var key in Signers.GetValueOrDefault(role) ?? [])
        {
            signatures.Add(new JsonObject { ["keyid"] = key.KeyId, ["sig"] = key.Sign(canonical) });
        }

        var document = new JsonObject { ["signatures"] = signatures, ["signed"] = signed };
        return Encoding.UTF8.GetBytes(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>
    /// A new ECDSA key (unless given), trusted for <paramref name="role"/> by <paramref name="delegator"/> and, unless
    /// <paramref name="sign"/> is false, signing it.
    /// </summary>
    public TufTestKey AddKey(string role, string delegator = RootRole, TufTestKey? key = null, bool sign = true)
    {
        key ??= NewKey();
        var (keys, roleObject) = KeysAndRole(delegator, role);
        keys[key.KeyId] = key.Json.DeepClone();
        var keyIds = roleObject["keyids"]!.AsArray();
        if (!keyIds.Any(id => id!.GetValue<string>() == key.KeyId))
        {
            keyIds.Add(key.KeyId);
        }

        if (sign)
        {
            AddSigner(role, key);
        }

        return key;
    }

    public void AddSigner(string role, TufTestKey key)
    {
        if (!Signers.TryGetValue(role, out var list))
        {
            Signers[role] = list = [];
        }

        if (!list.Contains(key))
        {
            list.Add(key);
        }
    }

    /// <summary>Replaces the keys of a top-level role with as many new ones as its threshold.</summary>
    public void RotateKeys(string role)
    {
        var roleObject = Root["roles"]![role]!.AsObject();
        roleObject["keyids"] = new JsonArray();
        Signers[role] = [];
        for (var i = 0; i < int.Parse(roleObject["threshold"]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture); i++)
        {
            AddKey(role);
        }
    }

    /// <summary>A new key owned by this simulator (disposed with it).</summary>
    public TufTestKey NewKey(bool ed25519 = false)
    {
        var key = ed25519 ? TufTestKey.Ed25519() : TufTestKey.Ecdsa();
        _keys.Add(key);
        return key;
    }

    /// <summary>
    /// Adds <paramref name="name"/> as the last delegation of <paramref name="delegator"/>, with one new key, and creates
    /// its targets body (version 1) unless it exists. Publish the delegator and the role afterwards.
    /// </summary>
    public void AddDelegation(string delegator, string name, IEnumerable<string>? paths = null, bool terminating = false, int threshold = 1, JsonObject? body = null)
    {
        var delegations = Delegations(delegator);
        delegations["roles"]!.AsArray().Add(new JsonObject
        {
            ["name"] = name,
            ["keyids"] = new JsonArray(),
            ["threshold"] = threshold,
            ["terminating"] = terminating,
            ["paths"] = new JsonArray((paths ?? ["*"]).Select(p => (JsonNode?)p).ToArray()),
        });
        AddKey(name, delegator);
        if (!Bodies.ContainsKey(name))
        {
            Bodies[name] = body ?? NewTargets(SafeExpiry);
        }
    }

    /// <summary>
    /// Gives <paramref name="delegator"/> succinct hash-bin delegations (TAP 15): <c>2^bitLength</c> bins named
    /// <c>&lt;namePrefix&gt;-&lt;hex&gt;</c>, one new key for all, each bin an empty targets body (version 1). Publish
    /// the bins and the delegator afterwards.
    /// </summary>
    public IReadOnlyList<string> AddSuccinctRoles(string delegator, int bitLength, string namePrefix)
    {
        var key = NewKey();
        Bodies[delegator]["delegations"] = new JsonObject
        {
            ["keys"] = new JsonObject { [key.KeyId] = key.Json.DeepClone() },
            ["succinct_roles"] = new JsonObject
            {
                ["keyids"] = new JsonArray(key.KeyId),
                ["threshold"] = 1,
                ["bit_length"] = bitLength,
                ["name_prefix"] = namePrefix,
            },
        };
        var width = (bitLength + 3) / 4;
        var bins = Enumerable.Range(0, 1 << bitLength).Select(bin => $"{namePrefix}-{bin.ToString($"x{width}", System.Globalization.CultureInfo.InvariantCulture)}").ToList();
        foreach (var bin in bins)
        {
            Bodies[bin] = NewTargets(SafeExpiry);
            AddSigner(bin, key);
        }

        return bins;
    }

    /// <summary>Lists <paramref name="data"/> as <paramref name="path"/> in <paramref name="role"/> and serves it.</summary>
    public void AddArtifact(string role, byte[] data, string path, params string[] hashAlgorithms)
    {
        var hashes = new JsonObject();
        foreach (var algorithm in hashAlgorithms.Length == 0 ? ["sha256"] : hashAlgorithms)
        {
            hashes[algorithm] = Hash(algorithm, data);
        }

        var targetFile = new JsonObject { ["length"] = data.Length, ["hashes"] = hashes };
        Bodies[role]["targets"]![path] = targetFile;
        Artifacts[path] = new TufArtifact(data, targetFile);
    }

    /// <summary>
    /// Handles a GET of <paramref name="rawPath"/> (as sent, percent-encoded); null is 404. Targets are under
    /// <c>/targets/</c>; metadata under <c>/metadata/</c> or at the top (as the Sigstore CDN serves it).
    /// </summary>
    public byte[]? Serve(string rawPath)
    {
        const string metadata = "/metadata/";
        const string targets = "/targets/";
        if (!rawPath.StartsWith(targets, StringComparison.Ordinal) && rawPath.EndsWith(".json", StringComparison.Ordinal))
        {
            var name = rawPath[(rawPath.StartsWith(metadata, StringComparison.Ordinal) ? metadata.Length : 1)..^".json".Length];
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            long? version = null;
            var consistent = Root["consistent_snapshot"]!.GetValue<bool>();
            if (dot > 0 && long.TryParse(name[..dot], out var v) && (name[(dot + 1)..] == RootRole || (consistent && name != TimestampRole)))
            {
                version = v;
                name = name[(dot + 1)..];
            }

            lock (_lock)
            {
                MetadataRequests.Add((name, version));
            }

            return FetchMetadata(Uri.UnescapeDataString(name), version);
        }

        if (rawPath.StartsWith(targets, StringComparison.Ordinal))
        {
            var segments = rawPath[targets.Length..].Split('/').Select(Uri.UnescapeDataString).ToArray();
            string? prefix = null;
            if (Root["consistent_snapshot"]!.GetValue<bool>() && segments[^1].IndexOf('.', StringComparison.Ordinal) is var dot and > 0)
            {
                prefix = segments[^1][..dot];
                segments[^1] = segments[^1][(dot + 1)..];
            }

            var path = string.Join('/', segments);
            lock (_lock)
            {
                ArtifactRequests.Add((path, prefix));
            }

            return Artifacts.TryGetValue(path, out var artifact)
                && (prefix is null || artifact.TargetFile["hashes"]!.AsObject().Any(h => h.Value!.GetValue<string>() == prefix))
                ? artifact.Data
                : null;
        }

        return null;
    }

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }

    private static string Hash(string algorithm, byte[] data) => Convert.ToHexStringLower(algorithm switch
    {
        "sha256" => SHA256.HashData(data),
        "sha512" => SHA512.HashData(data),
        _ => throw new ArgumentException($"unknown hash algorithm {algorithm}", nameof(algorithm)),
    });

    private JsonObject MetaFile(string role)
    {
        var meta = new JsonObject { ["version"] = Version(role) };
        if (ComputeMetafileHashesAndLength && FetchMetadata(role) is { } bytes)
        {
            meta["length"] = bytes.Length;
            meta["hashes"] = new JsonObject { ["sha256"] = Hash("sha256", bytes) };
        }

        return meta;
    }

    private JsonObject Delegations(string delegator)
    {
        var body = Bodies[delegator];
        if (body["delegations"] is not JsonObject delegations)
        {
            body["delegations"] = delegations = new JsonObject { ["keys"] = new JsonObject(), ["roles"] = new JsonArray() };
        }

        return delegations;
    }

    private (JsonObject Keys, JsonObject Role) KeysAndRole(string delegator, string role)
    {
        if (delegator == RootRole)
        {
            return (Root["keys"]!.AsObject(), Root["roles"]![role]!.AsObject());
        }

        var delegations = Delegations(delegator);
        var roleObject = delegations["roles"]!.AsArray().Select(r => r!.AsObject()).First(r => r["name"]!.GetValue<string>() == role);
        return (delegations["keys"]!.AsObject(), roleObject);
    }

    private sealed record Published(long UrlVersion, byte[] Bytes);
}

/// <summary>A target file the simulator serves: its bytes (tests may swap them) and its entry in targets metadata.</summary>
public sealed class TufArtifact(byte[] data, JsonObject targetFile)
{
    public byte[] Data { get; set; } = data;

    public JsonObject TargetFile { get; } = targetFile;
}
