using System.Collections.Immutable;
using Signet.Crypto.InToto;
using Signet.Oci;
using Signet.Signing.Cosign;
using Signet.Signing.Storage;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.Verification;

namespace Signet.Signing.Verification;

/// <summary>
/// Verifies an image's signatures and attestations in both cosign formats with no trust in the store: the tag is
/// resolved to a digest first; the legacy <c>.sig</c>/<c>.att</c> manifest and every referrer manifest are re-read and
/// checked against their digests (a referrers list is a hint, never evidence); every signature is verified over the
/// stored bytes against every key, or keyless through <see cref="Sigstore.Verification.BundleVerifier"/> against the
/// trusted root and the identity (a legacy layer's annotations converted into a bundle first); then the claims (signed
/// digest, type, annotations) are checked. The result is data: each signature found with its outcome and a
/// <see cref="SignatureCodes"/> code.
/// </summary>
public static class ImageVerifier
{
    /// <summary>Most referrers examined for one image; more are refused (SIG1006), not silently truncated.</summary>
    public const int MaxReferrers = 100;

    /// <summary>Largest Sigstore bundle or DSSE envelope read.</summary>
    public const int MaxBundleBytes = 32 * 1024 * 1024;

    /// <summary>The media type prefix of every Sigstore bundle version (cosign picks layers by it).</summary>
    public const string BundleMediaTypePrefix = "application/vnd.dev.sigstore.bundle";

    /// <summary>Verifies the image's signatures (cosign <c>verify</c>).</summary>
    public static Task<VerificationReport> VerifyAsync(SignatureTarget target, VerifyOptions options, CancellationToken cancellationToken = default) =>
        RunAsync(target, options, attestations: false, cancellationToken);

    /// <summary>Verifies the image's attestations (cosign <c>verify-attestation</c>), filtered by <see cref="VerifyOptions.PredicateType"/>.</summary>
    public static Task<VerificationReport> VerifyAttestationsAsync(SignatureTarget target, VerifyOptions options, CancellationToken cancellationToken = default) =>
        RunAsync(target, options, attestations: true, cancellationToken);

    private static async Task<VerificationReport> RunAsync(SignatureTarget target, VerifyOptions options, bool attestations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Keyless && options.TrustedRoot is null)
        {
            throw new ArgumentException("a keyless verification needs the Sigstore trusted root (--trusted-root FILE or the one signet trust keeps)", nameof(options));
        }

        var root = await target.Source.GetRootManifestAsync(cancellationToken).ConfigureAwait(false);
        var context = new CheckContext(root.Digest, options, attestations);
        var checks = new List<SignatureCheck>();
        var refused = new List<SignatureCheck>();

        await CollectLegacyAsync(target.Store, context, checks, refused, cancellationToken).ConfigureAwait(false);
        await CollectBundlesAsync(target.Store, context, checks, refused, cancellationToken).ConfigureAwait(false);

        if (context.PredicateType is { } wanted)
        {
            // Only a verified statement's type is known; failed checks stay, verified ones of other types are left out.
            checks.RemoveAll(c => c.Verified && c.Statement?.PredicateType != wanted);
        }

        checks.AddRange(refused);
        var keys = options.Keys;
        var distinct = checks.Where(c => c.Verified && c.KeyIndex is not null)
            .Select(c => Canonical(keys, c.KeyIndex!.Value))
            .Distinct()
            .Order()
            .ToImmutableArray();
        var signers = checks.Where(c => c.Verified && c.Signer is not null).Select(c => c.Signer!).Distinct().ToImmutableArray();
        var verifiedCount = options.Keyless ? signers.Length : distinct.Length;
        var who = options.Keyless ? "signer identit(ies)" : "distinct key(s)";
        var what = attestations ? "attestation" : "signature";
        var (code, message) = (checks.Count, refused.Count, verifiedCount) switch
        {
            (_, > 0, _) => (SignatureCodes.Oversize, $"{refused[0].Message}; refusing to verify {target.Name}"),
            (0, _, _) when attestations && context.AnyAttestationOfOtherType =>
                (SignatureCodes.NoMatchingAttestations, $"{target.Name} ({root.Digest}) has verified attestations, but none of predicate type {context.PredicateType}"),
            (0, _, _) => (SignatureCodes.NoSignatures, $"no {what}s found for {target.Name} ({root.Digest}) in {target.Store.Name}"),
            (_, _, 0) when options.Keyless =>
                (SignatureCodes.ThresholdNotMet, $"no {what} of {target.Name} ({root.Digest}) verified for the identity {Describe(options.Identity!)}; {checks.Count} {what}s found, failures: {Summary(checks)}"),
            var (_, _, n) when n < options.Threshold =>
                (SignatureCodes.ThresholdNotMet, $"{n} of the required {options.Threshold} distinct keys verified a {what} of {target.Name} ({root.Digest}); {checks.Count} {what}s found, failures: {Summary(checks)}"),
            var (_, _, n) => ((string?)null, $"{n} {who} verified {checks.Count(c => c.Verified)} {what}(s) of {target.Name} ({root.Digest}); threshold {options.Threshold}"),
        };

        return new VerificationReport
        {
            Image = target.Name,
            Digest = root.Digest,
            Checks = [.. checks],
            Threshold = options.Threshold,
            VerifiedKeys = distinct,
            Signers = signers,
            Code = code,
            Message = message,
        };
    }

    private static string Describe(CertificateIdentityPolicy identity) =>
        $"{identity.SubjectAlternativeName ?? $"~/{identity.SubjectAlternativeNameRegex}/"} from {identity.Issuer ?? $"~/{identity.IssuerRegex}/"}";

    private static string Summary(List<SignatureCheck> checks)
    {
        var failed = checks.Where(c => !c.Verified).GroupBy(c => c.Code).Select(g => $"{g.Key} x{g.Count()}").ToList();
        return failed.Count == 0 ? "none" : string.Join(", ", failed);
    }

    /// <summary>The first index of a key with the same SubjectPublicKeyInfo: the same key given twice counts once.</summary>
    private static int Canonical(ImmutableArray<Crypto.PublicKey> keys, int index)
    {
        for (var i = 0; i < index; i++)
        {
            if (keys[i].SubjectPublicKeyInfo.Span.SequenceEqual(keys[index].SubjectPublicKeyInfo.Span))
            {
                return i;
            }
        }

        return index;
    }

    private static async Task CollectLegacyAsync(ISignatureStore store, CheckContext context, List<SignatureCheck> checks, List<SignatureCheck> refused, CancellationToken cancellationToken)
    {
        var tag = context.Attestations ? CosignTags.Attestation(context.Image) : CosignTags.Signature(context.Image);
        ManifestDocument? document;
        try
        {
            document = await store.TryGetTaggedAsync(tag, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreFailure.IsUnreadable(e))
        {
            checks.Add(Failed(SignatureFormat.Legacy, tag, null, SignatureCodes.Unreadable, $"{store.Name}:{tag} cannot be read intact: {e.Message}"));
            return;
        }

        if (document is null)
        {
            return;
        }

        if (document is not ImageManifest manifest)
        {
            checks.Add(Failed(SignatureFormat.Legacy, tag, null, SignatureCodes.Malformed, $"{store.Name}:{tag} is an index, not a signature manifest"));
            return;
        }

        if (manifest.Layers.Length > SignatureManifests.MaxLayers)
        {
            refused.Add(Failed(SignatureFormat.Legacy, tag, null, SignatureCodes.Oversize,
                $"{store.Name}:{tag} has {manifest.Layers.Length} layers; at most {SignatureManifests.MaxLayers} are examined"));
            return;
        }

        var wanted = context.Attestations ? CosignMediaTypes.DsseEnvelope : CosignMediaTypes.SimpleSigning;
        for (var i = 0; i < manifest.Layers.Length; i++)
        {
            var layer = manifest.Layers[i];
            if (layer.MediaType != wanted)
            {
                continue;
            }

            var location = $"{tag} layer {i}";
            checks.Add(context.Attestations
                ? await LegacyChecks.AttestationAsync(store, layer, location, context, cancellationToken).ConfigureAwait(false)
                : await LegacyChecks.SignatureAsync(store, layer, location, context, cancellationToken).ConfigureAwait(false));
        }
    }

    private static async Task CollectBundlesAsync(ISignatureStore store, CheckContext context, List<SignatureCheck> checks, List<SignatureCheck> refused, CancellationToken cancellationToken)
    {
        var listed = new List<Descriptor>();
        try
        {
            await foreach (var descriptor in store.ListReferrersAsync(context.Image, cancellationToken).ConfigureAwait(false))
            {
                if (listed.Count == MaxReferrers)
                {
                    refused.Add(Failed(SignatureFormat.Bundle, "referrers", null, SignatureCodes.Oversize,
                        $"{store.Name} lists more than {MaxReferrers} referrers of {context.Image}; at most {MaxReferrers} are examined"));
                    return;
                }

                listed.Add(descriptor);
            }
        }
        catch (Exception e) when (StoreFailure.IsUnreadable(e))
        {
            checks.Add(Failed(SignatureFormat.Bundle, "referrers", null, SignatureCodes.Unreadable, $"the referrers of {context.Image} in {store.Name} cannot be read: {e.Message}"));
            return;
        }

        foreach (var descriptor in listed.DistinctBy(d => d.Digest))
        {
            var location = $"referrer {descriptor.Digest}";
            if (!MediaTypes.IsImageManifest(descriptor.MediaType) && descriptor.MediaType != MediaTypes.OciManifest)
            {
                continue;
            }

            ImageManifest manifest;
            try
            {
                // Re-read: the list's artifactType and annotations are hints, and the fallback index is writable by anyone who can push.
                if (await store.GetManifestAsync(descriptor, cancellationToken).ConfigureAwait(false) is not ImageManifest read)
                {
                    continue;
                }

                manifest = read;
            }
            catch (Exception e) when (StoreFailure.IsUnreadable(e))
            {
                checks.Add(Failed(SignatureFormat.Bundle, location, null, SignatureCodes.Unreadable, $"referrer manifest {descriptor.Digest} cannot be read intact: {e.Message}"));
                continue;
            }

            var isBundle = manifest.ArtifactType?.StartsWith(BundleMediaTypePrefix, StringComparison.Ordinal) == true
                || manifest.Layers.Any(l => l.MediaType.StartsWith(BundleMediaTypePrefix, StringComparison.Ordinal));
            if (!isBundle || manifest.Subject?.Digest != context.Image)
            {
                continue;
            }

            // The predicate type annotation only routes (signature or attestation); the statement itself is checked after verification.
            var hint = manifest.Annotations.GetValueOrDefault(CosignMediaTypes.BundlePredicateTypeAnnotation);
            if (hint is not null && (hint == Crypto.InToto.PredicateTypes.CosignSign) == context.Attestations)
            {
                continue;
            }

            if (manifest.Layers.Length > SignatureManifests.MaxLayers)
            {
                checks.Add(Failed(SignatureFormat.Bundle, location, null, SignatureCodes.Oversize, $"referrer {manifest.Digest} has {manifest.Layers.Length} layers; at most {SignatureManifests.MaxLayers} are examined"));
                continue;
            }

            foreach (var layer in manifest.Layers.Where(l => l.MediaType.StartsWith(BundleMediaTypePrefix, StringComparison.Ordinal)))
            {
                var check = await BundleChecks.CheckAsync(store, layer, location, context, cancellationToken).ConfigureAwait(false);
                if (check is not null)
                {
                    checks.Add(check);
                }
            }
        }
    }

    internal static SignatureCheck Failed(SignatureFormat format, string location, Digest? blob, string code, string message) => new()
    {
        Format = format,
        Location = location,
        Blob = blob,
        Verified = false,
        Code = code,
        Message = message,
    };
}

/// <summary>What every check of one verification shares.</summary>
internal sealed class CheckContext
{
    public CheckContext(Digest image, VerifyOptions options, bool attestations)
    {
        Image = image;
        Options = options;
        Attestations = attestations;
        PredicateType = attestations && options.PredicateType is { } type ? PredicateTypes.Resolve(type) : null;
        if (options.Identity is { } identity && options.TrustedRoot is { } root)
        {
            Keyless = new KeylessSetup(new BundleVerifier(root), VerificationPolicy.ForIdentity(identity) with { InsecureIgnoreTlog = options.InsecureIgnoreTlog });
        }
    }

    /// <summary>The bundle verifier and policy of a keyless verification; null when verifying with keys.</summary>
    public KeylessSetup? Keyless { get; }

    public Digest Image { get; }

    public VerifyOptions Options { get; }

    public bool Attestations { get; }

    /// <summary>The resolved predicate type filter of an attestation verification.</summary>
    public string? PredicateType { get; }

    /// <summary>Set when a verified attestation of another predicate type was seen (for SIG1011).</summary>
    public bool AnyAttestationOfOtherType { get; set; }

    /// <summary>The index of the first key that verifies <paramref name="verify"/>, or null.</summary>
    public int? FirstKey(Func<Crypto.PublicKey, bool> verify)
    {
        for (var i = 0; i < Options.Keys.Length; i++)
        {
            try
            {
                if (verify(Options.Keys[i]))
                {
                    return i;
                }
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // A signature the key's algorithm cannot even decode is simply not made by that key.
            }
        }

        return null;
    }

    /// <summary>Notes a verified attestation's type for the SIG1011 verdict.</summary>
    public void Saw(InTotoStatement statement)
    {
        if (PredicateType is not null && statement.PredicateType != PredicateType)
        {
            AnyAttestationOfOtherType = true;
        }
    }
}

/// <summary>Which store failures mean "this signature object cannot be read intact" rather than "the store is unreachable".</summary>
internal static class StoreFailure
{
    public static bool IsUnreadable(Exception e) =>
        e is DigestMismatchException or OciFormatException or Oci.Content.BlobNotFoundException or InvalidDataException or Registry.ManifestNotFoundException;
}
