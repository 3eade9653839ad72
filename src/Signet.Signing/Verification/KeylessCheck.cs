using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.Timestamps;
using Signet.Sigstore.Verification;

namespace Signet.Signing.Verification;

/// <summary>What a verified keyless signature proves: who signed, and when the evidence shows the signature existed.</summary>
internal sealed record KeylessProof(SignerIdentity Signer, ImmutableArray<VerifiedTimestamp> Times);

/// <summary>
/// Keyless signatures of both formats go through one path: a Sigstore bundle (read from a referrer, or converted from a
/// legacy layer's annotations) verified by <see cref="BundleVerifier"/> against the trusted root and the identity policy.
/// </summary>
internal static class KeylessCheck
{
    /// <summary>The identity policy's codes: the evidence held, the signer is another (SIG1014 rather than SIG1013).</summary>
    private static readonly FrozenSet<string> IdentityCodes = FrozenSet.Create(StringComparer.Ordinal, CertificateCodes.SanMismatch, CertificateCodes.IssuerMismatch, CertificateCodes.ExtensionMismatch);

    /// <summary>
    /// Verifies <paramref name="bundle"/>; with a null <paramref name="artifact"/> the DSSE statement's subject is left to
    /// the caller's claim checks. On failure <paramref name="failure"/> carries SIG1013 and the Sigstore check's code.
    /// </summary>
    public static bool TryVerify(
        SigstoreBundle bundle,
        Artifact? artifact,
        KeylessSetup keyless,
        Func<string, string, SignatureCheck> fail,
        [NotNullWhen(true)] out KeylessProof? evidence,
        [NotNullWhen(false)] out SignatureCheck? failure)
    {
        evidence = null;
        var verdict = keyless.Verifier.Verify(bundle, artifact, keyless.Policy);
        if (verdict.Code is { } code)
        {
            failure = IdentityCodes.Contains(code)
                ? fail(SignatureCodes.IdentityMismatch, $"the keyless signature and its Sigstore evidence verify, but it was signed by someone else ({code}): {verdict.Reason}")
                : fail(SignatureCodes.KeylessNotVerified, $"the keyless signature did not verify ({code}): {verdict.Reason}");
            failure = failure with { SigstoreCode = code };
            return false;
        }

        if (verdict.Certificate is null)
        {
            // The bundle verifier proves a certificate for every keyless bundle; a verdict without one is not keyless evidence.
            failure = fail(SignatureCodes.KeylessNotVerified, "the Sigstore verification proved no signing certificate, so no identity can be matched");
            return false;
        }

        failure = null;
        evidence = new KeylessProof(SignerIdentity.Of(verdict.Certificate), verdict.Timestamps);
        return true;
    }
}

/// <summary>The verifier and policy of a keyless verification, made once per run.</summary>
internal sealed record KeylessSetup(BundleVerifier Verifier, VerificationPolicy Policy);
