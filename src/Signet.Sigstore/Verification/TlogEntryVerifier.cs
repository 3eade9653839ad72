using System.Security.Cryptography;
using Signet.Crypto;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.TransparencyLog;
using Signet.Sigstore.TransparencyLog.Bodies;
using Signet.Sigstore.TrustedRoots;

namespace Signet.Sigstore.Verification;

/// <summary>
/// A transparency log entry that verified against a log of the trusted root; its integrated time is set only when a
/// verified SET vouches for it (never for Rekor v2).
/// </summary>
internal sealed record VerifiedTlogEntry(TransparencyLogEntry Entry, TransparencyLogInstance Log, DateTimeOffset? IntegratedTime, bool IsRekorV2);

/// <summary>
/// One transparency log entry of a bundle, checked in sigstore-go's order: its log found by key id (an entry of a log
/// the trusted root does not know is skipped), the SET when present (and then the log key valid at the integrated
/// time, which must not lie in the future), the inclusion proof and signed checkpoint when present (required for
/// Rekor v2, whose checkpoint origin is the log's host), and the body against the bundle.
/// </summary>
internal static class TlogEntryVerifier
{
    /// <summary>How far in the future an integrated time may lie (clock skew between the log and this machine).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>The outcome: a failure, a verified entry, or (success with no entry) an entry of an unknown log, skipped.</summary>
    public readonly record struct Outcome(CheckResult Result, VerifiedTlogEntry? Verified);

    /// <summary>Rekor v2 writes <c>hashedrekord</c> and <c>dsse</c> entries of version 0.0.2 (Rekor v1's <c>intoto</c> 0.0.2 is not one).</summary>
    public static bool IsRekorV2(TransparencyLogEntry entry) =>
        entry.KindVersion is { Version: "0.0.2", Kind: "hashedrekord" or "dsse" };

    /// <remarks><c>signingKey</c> is the key given for a key-signed bundle (its body must name that key); null for a certificate.</remarks>
    public static Outcome Verify(TransparencyLogEntry entry, SigstoreBundle bundle, PublicKey? signingKey, TrustedRoot root, DateTimeOffset now)
    {
        var logs = root.TlogsByKeyId(entry.LogKeyId.Span).ToList();
        if (logs.Count == 0)
        {
            return new Outcome(CheckResult.Success, null);
        }

        var where = $"transparency log entry {entry.LogIndex} (log {Convert.ToHexStringLower(entry.LogKeyId.Span)})";
        if (entry.SignedEntryTimestamp is null && entry.InclusionProof is null)
        {
            return Fail(VerificationCodes.TlogEntryUnproven, $"{where} has neither an inclusion promise (SET) nor an inclusion proof, so nothing shows it is in the log; re-create the bundle with a current Sigstore client");
        }

        var isV2 = IsRekorV2(entry);
        var log = logs[0];
        DateTimeOffset? integratedTime = null;
        if (isV2)
        {
            if (entry.InclusionProof is null)
            {
                return Fail(TlogCodes.MissingInclusionProof, $"{where} is a Rekor v2 entry without an inclusion proof; Rekor v2 entries are proven only by their proof and signed checkpoint");
            }
        }
        else if (entry.SignedEntryTimestamp is not null)
        {
            if (entry.IntegratedTime < 0 || entry.IntegratedTime > MaxUnixSeconds)
            {
                return Fail(TlogCodes.InvalidInput, $"{where} has an integrated time of {entry.IntegratedTime} seconds, not a time between 1970 and 9999");
            }

            var time = DateTimeOffset.FromUnixTimeSeconds(entry.IntegratedTime);
            if (logs.FirstOrDefault(l => l.ValidFor.Contains(time)) is not { } valid)
            {
                return Fail(VerificationCodes.LogKeyNotValidAtTime, $"{where} was integrated at {time:O}, outside the validity of every trusted-root key of that log ({Describe(logs)}); the log key was not trusted then");
            }

            log = valid;
            var setKey = LogKey(log, out var keyProblem);
            if (setKey is null)
            {
                return new Outcome(keyProblem, null);
            }

            var set = SignedEntryTimestamp.Verify(entry, setKey);
            if (!set.IsValid)
            {
                return Fail(set.Code!, $"{where}: {set.Reason}");
            }

            if (time > now + MaxClockSkew)
            {
                return Fail(VerificationCodes.IntegratedTimeInFuture, $"{where} claims integration at {time:O}, later than now ({now:O}); the log or this machine's clock is wrong, and the entry is not trusted");
            }

            integratedTime = time;
        }

        if (entry.InclusionProof is not null)
        {
            var key = LogKey(log, out var keyProblem);
            if (key is null)
            {
                return new Outcome(keyProblem, null);
            }

            var proof = InclusionProofVerifier.Verify(entry, key, isV2 ? Origin(log) : null);
            if (!proof.IsValid)
            {
                return Fail(proof.Code!, $"{where}: {proof.Reason}");
            }
        }

        var body = signingKey is null
            ? TlogBodyVerifier.Verify(entry, bundle)
            : TlogBodyVerifier.Verify(entry, bundle, signingKey.SubjectPublicKeyInfo.Span);
        if (!body.IsValid)
        {
            return Fail(body.Code!, body.Reason!);
        }

        return new Outcome(CheckResult.Success, new VerifiedTlogEntry(entry, log, integratedTime, isV2));
    }

    /// <summary>A Rekor v2 checkpoint's origin: the host of the log's base URL.</summary>
    public static string Origin(TransparencyLogInstance log) =>
        Uri.TryCreate(log.BaseUrl, UriKind.Absolute, out var url) ? url.Host : log.BaseUrl;

    private static PublicKey? LogKey(TransparencyLogInstance log, out CheckResult problem)
    {
        try
        {
            problem = CheckResult.Success;
            return PublicKey.FromSubjectPublicKeyInfo(log.PublicKeyBytes.Span);
        }
        catch (CryptographicException e)
        {
            problem = CheckResult.Fail(VerificationCodes.LogKeyUnreadable, $"the trusted root's key of log {log.BaseUrl} cannot be read ({e.Message}); fix or replace the trusted root");
            return null;
        }
    }

    private static string Describe(List<TransparencyLogInstance> logs) =>
        string.Join(", ", logs.Select(l => $"{l.BaseUrl} {l.ValidFor.Start:O}..{(l.ValidFor.End is { } end ? end.ToString("O") : "")}"));

    private static Outcome Fail(string code, string reason) => new(CheckResult.Fail(code, reason), null);
}
