namespace Signet.Sigstore.Tuf;

/// <summary>
/// The metadata trusted during one refresh, and every check of the TUF 1.0 client workflow (section 5) that decides
/// whether new metadata may join it. Metadata is set before its expiry check, as python-tuf does, so that an expired
/// local file still protects against rollback while a fresh one is fetched.
/// </summary>
internal sealed class TufTrustedSet
{
    private readonly Dictionary<string, TargetsMetadata> _targets = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _now;

    /// <summary>Loads the trusted root; it must carry a threshold of its own root keys (client workflow 5.2).</summary>
    public TufTrustedSet(ReadOnlyMemory<byte> rootBytes, DateTimeOffset now)
    {
        _now = now;
        Root = ParseSelfSigned(rootBytes);
    }

    /// <summary>Parses a root that must carry a threshold of its own root keys (a trust anchor).</summary>
    public static RootMetadata ParseSelfSigned(ReadOnlyMemory<byte> rootBytes)
    {
        var root = RootMetadata.Parse(rootBytes);
        var count = root.CountValidSignatures(root.RootRole, root.Keys);
        return count >= root.RootRole.Threshold
            ? root
            : throw new TufException(TufCodes.ThresholdNotMet, $"trusted root v{root.Version} has {count} valid signatures from its own root keys, needs {root.RootRole.Threshold}", null);
    }

    public RootMetadata Root { get; private set; }

    public TimestampMetadata? Timestamp { get; private set; }

    public SnapshotMetadata? Snapshot { get; private set; }

    public IReadOnlyDictionary<string, TargetsMetadata> Targets => _targets;

    /// <summary>5.3.4-5.3.8: the next root is signed by a threshold of the trusted and of its own root keys and is version N+1.</summary>
    public void UpdateRoot(ReadOnlyMemory<byte> data)
    {
        if (Timestamp is not null)
        {
            throw new InvalidOperationException("root cannot be updated after timestamp");
        }

        var next = RootMetadata.Parse(data);
        RootChain.VerifyUpdate(Root, next);
        Root = next;
    }

    /// <summary>5.3.10: the final root must not be expired.</summary>
    public void CheckFinalRoot()
    {
        if (_now >= Root.Expires)
        {
            throw new TufException(TufCodes.Expired, $"root v{Root.Version} expired at {Root.Expires:O} (freeze attack protection)", null);
        }
    }

    /// <summary>
    /// 5.4: signed by the timestamp role; not older than the trusted timestamp, nor naming an older snapshot. Returns
    /// false (and keeps the trusted one) for the same version.
    /// </summary>
    public bool UpdateTimestamp(ReadOnlyMemory<byte> data, int maxBytes = TimestampMetadata.MaxBytes)
    {
        if (Snapshot is not null)
        {
            throw new InvalidOperationException("timestamp cannot be updated after snapshot");
        }

        CheckFinalRoot();
        var timestamp = TimestampMetadata.Parse(data, maxBytes);
        Root.VerifyRole("timestamp", timestamp.Version, timestamp.Envelope.CanonicalSigned, timestamp.Envelope.Signatures);
        if (Timestamp is { } trusted)
        {
            if (timestamp.Version < trusted.Version)
            {
                throw new TufException(TufCodes.Rollback, $"timestamp v{timestamp.Version} is older than trusted timestamp v{trusted.Version} (rollback)", null);
            }

            if (timestamp.Version == trusted.Version)
            {
                return false;
            }

            if (timestamp.SnapshotMeta.Version < trusted.SnapshotMeta.Version)
            {
                throw new TufException(TufCodes.Rollback, $"timestamp v{timestamp.Version} names snapshot v{timestamp.SnapshotMeta.Version}, older than v{trusted.SnapshotMeta.Version} named by trusted timestamp v{trusted.Version} (rollback)", null);
            }
        }

        Timestamp = timestamp;
        CheckFinalTimestamp();
        return true;
    }

    /// <summary>
    /// 5.5: length and hashes as timestamp says (unless read from the local cache), signed by the snapshot role, no
    /// targets role removed or rolled back against the trusted snapshot; then the final checks.
    /// </summary>
    public void UpdateSnapshot(ReadOnlyMemory<byte> data, bool fromLocalCache, int maxBytes = SnapshotMetadata.MaxBytes)
    {
        var timestamp = Timestamp ?? throw new InvalidOperationException("snapshot needs a trusted timestamp");
        if (_targets.Count > 0)
        {
            throw new InvalidOperationException("snapshot cannot be updated after targets");
        }

        CheckFinalTimestamp();
        if (!fromLocalCache)
        {
            timestamp.SnapshotMeta.Verify(data.Span, $"snapshot v{timestamp.SnapshotMeta.Version} (as timestamp v{timestamp.Version} describes it)");
        }

        var snapshot = SnapshotMetadata.Parse(data, maxBytes);
        Root.VerifyRole("snapshot", snapshot.Version, snapshot.Envelope.CanonicalSigned, snapshot.Envelope.Signatures);
        if (Snapshot is { } trusted)
        {
            foreach (var (name, meta) in trusted.Meta)
            {
                if (!snapshot.Meta.TryGetValue(name, out var next))
                {
                    throw new TufException(TufCodes.Rollback, $"snapshot v{snapshot.Version} no longer lists {name}, which trusted snapshot v{trusted.Version} lists at v{meta.Version}", null);
                }

                if (next.Version < meta.Version)
                {
                    throw new TufException(TufCodes.Rollback, $"snapshot v{snapshot.Version} lists {name} at v{next.Version}, older than v{meta.Version} in trusted snapshot v{trusted.Version} (rollback)", null);
                }
            }
        }

        Snapshot = snapshot;
        CheckFinalSnapshot();
    }

    /// <summary>
    /// 5.6 / 5.7: a targets role as the final snapshot lists it: length and hashes (unless read from the local cache),
    /// signed by a threshold of the delegator's keys for it, the version snapshot names, not expired.
    /// </summary>
    public TargetsMetadata UpdateTargets(ReadOnlyMemory<byte> data, string role, string delegator, bool fromLocalCache, int maxBytes = TargetsMetadata.MaxBytes)
    {
        var snapshot = Snapshot ?? throw new InvalidOperationException("targets need a trusted snapshot");
        CheckFinalSnapshot();
        var meta = MetaFor(role);
        if (!fromLocalCache)
        {
            meta.Verify(data.Span, $"{role} v{meta.Version} (as snapshot v{snapshot.Version} describes it)");
        }

        var targets = TargetsMetadata.Parse(data, role, maxBytes);
        if (delegator == "root")
        {
            Root.VerifyRole("targets", targets.Version, targets.Envelope.CanonicalSigned, targets.Envelope.Signatures);
        }
        else
        {
            var parent = _targets.TryGetValue(delegator, out var p) ? p : throw new TufException(TufCodes.MissingMetadata, $"{role}: its delegator {delegator} is not loaded", null);
            var delegation = parent.Delegations?.Find(role)
                ?? throw new TufException(TufCodes.MissingMetadata, $"{delegator} v{parent.Version} does not delegate to {role}", null);
            var count = TufEnvelope.CountValidSignatures(targets.Envelope.CanonicalSigned.AsSpan(), targets.Envelope.Signatures, delegation.KeyIds, parent.Delegations!.Keys);
            if (count < delegation.Threshold)
            {
                throw new TufException(TufCodes.ThresholdNotMet, $"{role} v{targets.Version} has {count} valid signatures from the keys {delegator} v{parent.Version} delegates to it, needs {delegation.Threshold}", null);
            }
        }

        if (targets.Version != meta.Version)
        {
            throw new TufException(TufCodes.VersionMismatch, $"{role} is v{targets.Version}, snapshot v{snapshot.Version} says v{meta.Version}", null);
        }

        if (_now >= targets.Expires)
        {
            throw new TufException(TufCodes.Expired, $"{role} v{targets.Version} expired at {targets.Expires:O} (freeze attack protection)", null);
        }

        _targets[role] = targets;
        return targets;
    }

    /// <summary>The snapshot entry of a targets role; TUF1010 when snapshot does not list it.</summary>
    public TufMetaFile MetaFor(string role)
    {
        var snapshot = Snapshot ?? throw new InvalidOperationException("targets need a trusted snapshot");
        return snapshot.Meta.TryGetValue($"{role}.json", out var meta)
            ? meta
            : throw new TufException(TufCodes.MissingMetadata, $"snapshot v{snapshot.Version} does not list {role}.json", null);
    }

    /// <summary>Whether a key <paramref name="before"/> gave <paramref name="role"/> is no longer one of its keys in the trusted root (a rotation, spec 5.3.11).</summary>
    public bool KeysRotated(RootMetadata before, string role)
    {
        var old = before.Roles[role];
        var now = Root.Roles[role];
        return old.KeyIds.Any(id => !now.KeyIds.Contains(id) || !before.Keys[id].PublicValue.Equals(Root.Keys[id].PublicValue, StringComparison.Ordinal));
    }

    private void CheckFinalTimestamp()
    {
        var timestamp = Timestamp!;
        if (_now >= timestamp.Expires)
        {
            throw new TufException(TufCodes.Expired, $"timestamp v{timestamp.Version} expired at {timestamp.Expires:O} (freeze attack protection)", null);
        }
    }

    private void CheckFinalSnapshot()
    {
        var snapshot = Snapshot!;
        if (_now >= snapshot.Expires)
        {
            throw new TufException(TufCodes.Expired, $"snapshot v{snapshot.Version} expired at {snapshot.Expires:O} (freeze attack protection)", null);
        }

        var expected = Timestamp!.SnapshotMeta.Version;
        if (snapshot.Version != expected)
        {
            throw new TufException(TufCodes.VersionMismatch, $"snapshot is v{snapshot.Version}, timestamp v{Timestamp.Version} says v{expected}", null);
        }
    }
}
