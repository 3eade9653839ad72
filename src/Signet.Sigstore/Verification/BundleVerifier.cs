using System.Collections.Immutable;
using System.Security.Cryptography;
using Signet.Crypto;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.Timestamps;
using Signet.Sigstore.TrustedRoots;

namespace Signet.Sigstore.Verification;

/// <summary>
/// Verifies a Sigstore bundle offline in sigstore-go's order: limits, transparency log entries, timestamps, the
/// certificate chain and SCTs at each verified time, identity policy, then the signature over the artifact or PAE.
/// </summary>
public sealed class BundleVerifier
{
    public BundleVerifier(TrustedRoot root)
    {
        Root = root;
    }

    public TrustedRoot Root { get; }

    /// <summary>
    /// Verifies <paramref name="bundle"/>. With a null <paramref name="artifact"/> a DSSE bundle's statement subjects
    /// are left to the caller (image verification compares them with the image digest).
    /// </summary>
    /// <remarks><c>now</c> is the current time (integrated times may not lie beyond it); the clock when null.</remarks>
    public BundleVerification Verify(SigstoreBundle bundle, Artifact? artifact, VerificationPolicy policy, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        var clock = now ?? DateTimeOffset.UtcNow;

        var problems = bundle.Validate();
        if (!problems.IsEmpty)
        {
            return Fail(problems[0].Code, $"the bundle is not a valid Sigstore bundle: {problems[0].Message}");
        }

        var material = bundle.VerificationMaterial!;
        var keyed = material.Kind == VerificationMaterialKind.PublicKey;
        var policyCheck = CheckPolicyAgainstMaterial(material, policy);
        if (!policyCheck.IsValid)
        {
            return Fail(policyCheck);
        }

        // Transparency log entries.
        var entries = ImmutableArray<VerifiedTlogEntry>.Empty;
        if (!policy.InsecureIgnoreTlog)
        {
            var tlog = VerifyTlog(bundle, policy, clock, out entries);
            if (!tlog.IsValid)
            {
                return Fail(tlog);
            }
        }

        // Observer timestamps: RFC 3161 timestamps over the signature, and integrated times vouched for by a SET.
        var signature = SignatureChecks.SignatureBytes(bundle);
        var timestamps = ImmutableArray.CreateBuilder<VerifiedTimestamp>();
        foreach (var signed in material.Rfc3161Timestamps)
        {
            var result = TimestampVerifier.Verify(signed, signature.Span, Root);
            if (!result.Result.IsValid)
            {
                return Fail(result.Result);
            }

            timestamps.Add(result.Timestamp!);
        }

        var logValidity = CheckRekorV2LogValidity(entries, timestamps, clock);
        if (!logValidity.IsValid)
        {
            return Fail(logValidity);
        }

        // Each timestamp authority (by name) and each log (by key id) counts once towards the threshold, as in
        // sigstore-go: one authority stamping twice, at the same or another time, cannot meet a threshold of two alone.
        var observers = timestamps.Select(t => t.Authority).Distinct(StringComparer.Ordinal).Count();
        var loggedBy = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.IntegratedTime is { } time)
            {
                timestamps.Add(new VerifiedTimestamp(time, entry.Log.BaseUrl));
                loggedBy.Add(Convert.ToHexStringLower(entry.Log.LogKeyId.Span));
            }
        }

        observers += loggedBy.Count;

        // The signer: the key given out of band, or the certificate checked at every verified time.
        PublicKey signingKey;
        FulcioCertificate? certificate = null;
        if (keyed)
        {
            signingKey = policy.Key!;
        }
        else
        {
            var certificateCheck = VerifyCertificate(material, policy, timestamps, observers, clock, out certificate);
            if (!certificateCheck.IsValid)
            {
                return Fail(certificateCheck);
            }

            signingKey = certificate!.PublicKey;
        }

        var signatureCheck = bundle.ContentKind == BundleContentKind.MessageSignature
            ? SignatureChecks.VerifyMessage(bundle.MessageSignature!, signingKey, artifact)
            : SignatureChecks.VerifyEnvelope(bundle.DsseEnvelope!, signingKey, artifact);
        if (!signatureCheck.IsValid)
        {
            return Fail(signatureCheck);
        }

        if (certificate is not null)
        {
            var identity = policy.Identity!.Match(certificate);
            if (!identity.IsValid)
            {
                return Fail(identity);
            }
        }

        return new BundleVerification
        {
            Certificate = certificate,
            Timestamps = timestamps.ToImmutable(),
            PayloadType = bundle.DsseEnvelope?.PayloadType,
            Payload = bundle.DsseEnvelope?.Payload,
        };
    }

    private static CheckResult CheckPolicyAgainstMaterial(BundleVerificationMaterial material, VerificationPolicy policy)
    {
        if (material.Kind == VerificationMaterialKind.PublicKey)
        {
            if (policy.Key is not { } key)
            {
                return CheckResult.Fail(VerificationCodes.PolicyMismatch, "the bundle was signed with a key (it carries a public-key hint, no certificate), but a certificate identity was asked for; verify it with the signer's public key (--key)");
            }

            var expected = BundleWriter.PublicKeyHint(key);
            if (material.PublicKeyHint is { Length: > 0 } hint && IsSha256Hint(hint) && hint != expected)
            {
                return CheckResult.Fail(VerificationCodes.KeyMismatch, $"the bundle's public-key hint {hint} names another key than the one given ({expected}); it was signed with another key");
            }

            return CheckResult.Success;
        }

        return policy.Key is null
            ? CheckResult.Success
            : CheckResult.Fail(VerificationCodes.PolicyMismatch, "the bundle carries a signing certificate (keyless signing), but a public key was given; verify it with the expected certificate identity and OIDC issuer instead");
    }

    /// <summary>True for a hint in the form Signet and cosign write: base64 of a SHA-256 digest.</summary>
    private static bool IsSha256Hint(string hint)
    {
        Span<byte> decoded = stackalloc byte[48];
        return Convert.TryFromBase64String(hint, decoded, out var written) && written == SHA256.HashSizeInBytes;
    }

    private CheckResult VerifyTlog(SigstoreBundle bundle, VerificationPolicy policy, DateTimeOffset now, out ImmutableArray<VerifiedTlogEntry> verified)
    {
        var builder = ImmutableArray.CreateBuilder<VerifiedTlogEntry>();
        verified = [];
        foreach (var entry in bundle.VerificationMaterial!.TlogEntries)
        {
            var outcome = TlogEntryVerifier.Verify(entry, bundle, policy.Key, Root, now);
            if (!outcome.Result.IsValid)
            {
                return outcome.Result;
            }

            if (outcome.Verified is { } entryVerified)
            {
                builder.Add(entryVerified);
            }
        }

        verified = builder.ToImmutable();
        if (policy.TlogThreshold == 0)
        {
            return CheckResult.Success;
        }

        if (verified.IsEmpty)
        {
            var count = bundle.VerificationMaterial.TlogEntries.Length;
            return CheckResult.Fail(
                VerificationCodes.NoVerifiedTlogEntry,
                count == 0
                    ? "the bundle has no transparency log entry, so nothing shows the signature was published; re-create it with a Sigstore client that logs to Rekor"
                    : $"none of the bundle's {count} transparency log entries is from a log in the trusted root (log ids {string.Join(", ", bundle.VerificationMaterial.TlogEntries.Select(e => Convert.ToHexStringLower(e.LogKeyId.Span)))}); it was made with another Sigstore instance, or the trusted root is not the one it needs");
        }

        var logs = verified.Select(v => Convert.ToHexStringLower(v.Log.LogKeyId.Span)).Distinct(StringComparer.Ordinal).Count();
        return logs >= policy.TlogThreshold
            ? CheckResult.Success
            : CheckResult.Fail(VerificationCodes.TlogThresholdNotMet, $"entries of {logs} distinct transparency log(s) verified; the policy requires {policy.TlogThreshold}");
    }

    /// <summary>A Rekor v2 entry has no integrated time: its log key must have been valid at a verified RFC 3161 time.</summary>
    /// <summary>
    /// A Rekor v2 entry carries no integrated time: its log key must be valid at a verified timestamp, or at the
    /// current time when there is none (a key-signed bundle without a timestamp authority).
    /// </summary>
    private static CheckResult CheckRekorV2LogValidity(ImmutableArray<VerifiedTlogEntry> entries, ImmutableArray<VerifiedTimestamp>.Builder timestamps, DateTimeOffset now)
    {
        var times = timestamps.Count > 0 ? timestamps.Select(t => t.Time).ToArray() : [now];
        foreach (var entry in entries)
        {
            if (entry.IsRekorV2 && !times.Any(entry.Log.ValidFor.Contains))
            {
                return CheckResult.Fail(
                    VerificationCodes.LogKeyNotValidAtTime,
                    $"Rekor v2 entry {entry.Entry.LogIndex} of {entry.Log.BaseUrl}: {(timestamps.Count > 0 ? "no verified timestamp" : "the current time")} ({string.Join(", ", times.Select(t => t.ToString("O")))}) lies outside the log key's validity {entry.Log.ValidFor.Start:O}..{entry.Log.ValidFor.End:O}");
            }
        }

        return CheckResult.Success;
    }

    private CheckResult VerifyCertificate(
        BundleVerificationMaterial material,
        VerificationPolicy policy,
        ImmutableArray<VerifiedTimestamp>.Builder timestamps,
        int observers,
        DateTimeOffset now,
        out FulcioCertificate? certificate)
    {
        certificate = null;
        FulcioCertificate leaf;
        try
        {
            leaf = FulcioCertificate.Parse(material.Certificates[0]);
        }
        catch (CertificateFormatException e)
        {
            return CheckResult.Fail(VerificationCodes.CertificateUnreadable, $"the bundle's signing certificate cannot be read: {e.Message}");
        }

        var times = timestamps.Select(t => t.Time).ToList();
        if (observers < policy.TimestampThreshold || observers == 0)
        {
            if (!(policy.InsecureIgnoreTlog && observers == 0))
            {
                return CheckResult.Fail(
                    VerificationCodes.TimestampThresholdNotMet,
                    $"verified timestamps from {observers} distinct authority(ies) (logs with a SET integrated time, RFC 3161 timestamp authorities) show when the short-lived certificate was used; at least {Math.Max(1, policy.TimestampThreshold)} are required, and each authority counts once");
            }

            // Unsafe mode without any timestamp: the certificate is checked at the current time, as cosign does.
            times.Add(now);
        }

        ChainResult? chain = null;
        foreach (var time in times)
        {
            chain = FulcioChainVerifier.Verify(leaf, Root, time);
            if (!chain.Result.IsValid)
            {
                return chain.Result;
            }
        }

        var issuer = chain!.Chain.Length > 1 ? chain.Chain[1] : chain.Chain[0];
        var sct = SctVerifier.Verify(leaf, issuer, Root);
        if (!sct.IsValid)
        {
            return sct;
        }

        certificate = leaf;
        return CheckResult.Success;
    }

    private static BundleVerification Fail(CheckResult result) => Fail(result.Code!, result.Reason!);

    private static BundleVerification Fail(string code, string reason) => new() { Code = code, Reason = reason };
}
