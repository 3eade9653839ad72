using System.Collections.Immutable;
using Signet.Crypto.InToto;
using Signet.Oci;
using Signet.Signing.Cosign;
using Signet.Signing.Storage;
using Signet.Signing.Verification;

namespace Signet.Signing.Discovery;

/// <summary>What an artifact attached to an image is.</summary>
public enum AttachmentKind
{
    Signature,
    Attestation,
    Other,
}

/// <summary>One signature, attestation or other referrer attached to an image (nothing here is verified).</summary>
/// <param name="Kind">Signature, attestation or other.</param>
/// <param name="Format">Legacy tag layer or bundle referrer (other referrers count as bundle-era OCI 1.1 referrers).</param>
/// <param name="Location">The tag and layer, or the referrer manifest digest.</param>
/// <param name="Digest">The layer blob (legacy) or the referrer manifest (bundle, other).</param>
/// <param name="MediaType">The layer media type, or the referrer's artifact type.</param>
/// <param name="PredicateType">For attestations: the predicate type the annotations declare (unverified).</param>
public sealed record Attachment(AttachmentKind Kind, SignatureFormat Format, string Location, Digest Digest, string MediaType, string? PredicateType);

/// <summary>Everything attached to one image.</summary>
public sealed record SignatureTreeReport
{
    public required string Image { get; init; }

    public required Digest Digest { get; init; }

    public required ImmutableArray<Attachment> Attachments { get; init; }

    /// <summary>Limits that stopped the listing (over 1000 layers or 100 referrers), as messages; empty when complete.</summary>
    public required ImmutableArray<string> Truncations { get; init; }
}

/// <summary>
/// Lists an image's signatures (<c>.sig</c> layers, bundle referrers), attestations (<c>.att</c> layers, attestation
/// bundles) and other referrers, as <c>cosign tree</c> does. Referrer manifests are re-read; nothing is verified.
/// </summary>
public static class SignatureTree
{
    public static async Task<SignatureTreeReport> ListAsync(SignatureTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var root = await target.Source.GetRootManifestAsync(cancellationToken).ConfigureAwait(false);
        var digest = root.Digest;
        var attachments = ImmutableArray.CreateBuilder<Attachment>();
        var truncations = ImmutableArray.CreateBuilder<string>();
        foreach (var (tag, kind) in new[] { (CosignTags.Signature(digest), AttachmentKind.Signature), (CosignTags.Attestation(digest), AttachmentKind.Attestation) })
        {
            if (await target.Store.TryGetTaggedAsync(tag, cancellationToken).ConfigureAwait(false) is not ImageManifest manifest)
            {
                continue;
            }

            if (manifest.Layers.Length > SignatureManifests.MaxLayers)
            {
                truncations.Add($"{tag} has {manifest.Layers.Length} layers; at most {SignatureManifests.MaxLayers} are listed");
                continue;
            }

            for (var i = 0; i < manifest.Layers.Length; i++)
            {
                var layer = manifest.Layers[i];
                attachments.Add(new Attachment(kind, SignatureFormat.Legacy, $"{tag} layer {i}", layer.Digest, layer.MediaType, layer.Annotations.GetValueOrDefault(CosignMediaTypes.PredicateTypeAnnotation)));
            }
        }

        var count = 0;
        await foreach (var descriptor in target.Store.ListReferrersAsync(digest, cancellationToken).ConfigureAwait(false))
        {
            if (++count > ImageVerifier.MaxReferrers)
            {
                truncations.Add($"more than {ImageVerifier.MaxReferrers} referrers; the rest are not listed");
                break;
            }

            var manifest = await target.Store.GetManifestAsync(descriptor, cancellationToken).ConfigureAwait(false);
            if (manifest.Subject?.Digest != digest)
            {
                continue;
            }

            var artifactType = manifest.ArtifactType ?? (manifest as ImageManifest)?.Config.MediaType ?? manifest.MediaType;
            var isBundle = artifactType.StartsWith(ImageVerifier.BundleMediaTypePrefix, StringComparison.Ordinal)
                || (manifest as ImageManifest)?.Layers.Any(l => l.MediaType.StartsWith(ImageVerifier.BundleMediaTypePrefix, StringComparison.Ordinal)) == true;
            var predicateType = manifest.Annotations.GetValueOrDefault(CosignMediaTypes.BundlePredicateTypeAnnotation);
            var kind = !isBundle ? AttachmentKind.Other
                : predicateType is null or PredicateTypes.CosignSign ? AttachmentKind.Signature
                : AttachmentKind.Attestation;
            attachments.Add(new Attachment(kind, SignatureFormat.Bundle, $"referrer {manifest.Digest}", manifest.Digest, artifactType, kind == AttachmentKind.Attestation ? predicateType : null));
        }

        return new SignatureTreeReport { Image = target.Name, Digest = digest, Attachments = attachments.ToImmutable(), Truncations = truncations.ToImmutable() };
    }
}
