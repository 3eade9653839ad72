namespace Signet.Sigstore.Tuf;

/// <summary>TUF 1.0 client workflow step 5.3 (update the root role), without the expiry check, which is the caller's.</summary>
public static class RootChain
{
    /// <summary>
    /// Checks that <paramref name="next"/> may replace <paramref name="trusted"/>: its version is exactly one more, and it
    /// carries a threshold of valid signatures from the trusted root role and from its own root role.
    /// </summary>
    /// <exception cref="TufException">The update is refused; the message says which check failed.</exception>
    public static void VerifyUpdate(RootMetadata trusted, RootMetadata next)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        ArgumentNullException.ThrowIfNull(next);
        if (next.Version != trusted.Version + 1)
        {
            throw new TufException(TufCodes.VersionMismatch, $"root version {next.Version} cannot follow trusted version {trusted.Version}: expected {trusted.Version + 1}", null);
        }

        var byTrusted = next.CountValidSignatures(trusted.RootRole, trusted.Keys);
        if (byTrusted < trusted.RootRole.Threshold)
        {
            throw new TufException(TufCodes.ThresholdNotMet, $"root v{next.Version} has {byTrusted} valid signatures from the root keys of trusted v{trusted.Version}, needs {trusted.RootRole.Threshold}", null);
        }

        var bySelf = next.CountValidSignatures(next.RootRole, next.Keys);
        if (bySelf < next.RootRole.Threshold)
        {
            throw new TufException(TufCodes.ThresholdNotMet, $"root v{next.Version} has {bySelf} valid signatures from its own root keys, needs {next.RootRole.Threshold}", null);
        }
    }

    /// <summary>Verifies each update in order and returns the last root.</summary>
    public static RootMetadata VerifyChain(RootMetadata anchor, IEnumerable<RootMetadata> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var trusted = anchor;
        foreach (var next in updates)
        {
            VerifyUpdate(trusted, next);
            trusted = next;
        }

        return trusted;
    }
}
