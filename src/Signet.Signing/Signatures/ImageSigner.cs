using System.Collections.Immutable;
using System.Security.Cryptography;
using Signet.Crypto;
using Signet.Crypto.Dsse;
using Signet.Crypto.InToto;
using Signet.Oci;
using Signet.Signing.Cosign;
using Signet.Signing.Keyless;
using Signet.Signing.Storage;
using Signet.Sigstore.Bundles;

namespace Signet.Signing.Signatures;

/// <summary>
/// Signs and attests images as cosign does, in either storage format. The image's root manifest is resolved first and
/// its digest (never the tag) is signed; with <c>Recursive</c> every manifest of an index is signed as well.
/// </summary>
public sealed class ImageSigner
{
    /// <summary>Deepest index nesting followed by a recursive signature.</summary>
    public const int MaxIndexDepth = 8;

    private readonly ISigner _signer;
    private readonly KeylessSigner? _keyless;
    private readonly TimeProvider _time;

    /// <summary>Signs with a key: bundles carry its <c>publicKey.hint</c>, legacy layers only the signature.</summary>
    public ImageSigner(ISigner signer, TimeProvider? time = null)
    {
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Signs keyless: every signature is logged in Rekor (hashedrekord for legacy signatures, dsse for envelopes) and
    /// timestamped when authorities are configured. Bundles carry the Fulcio certificate, the log entries and the
    /// timestamps; legacy layers carry cosign's certificate, chain, bundle (SET) and rfc3161timestamp annotations.
    /// </summary>
    public ImageSigner(KeylessSigner signer, TimeProvider? time = null)
        : this((ISigner)signer, time)
    {
        _keyless = signer;
    }

    /// <summary>Signs the image (and, with <see cref="SignOptions.Recursive"/>, its manifests); returns what was written.</summary>
    public async Task<ImmutableArray<SignedManifest>> SignAsync(SignatureTarget target, SignOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var results = ImmutableArray.CreateBuilder<SignedManifest>();
        foreach (var subject in await SubjectsAsync(target, options.Recursive, cancellationToken).ConfigureAwait(false))
        {
            results.Add(options.Format == SignatureFormat.Bundle
                ? await WriteBundleAsync(target.Store, subject, InTotoStatement.ForImageSignature(subject.Digest, options.Annotations.IsEmpty ? null : options.Annotations), cancellationToken).ConfigureAwait(false)
                : await SignLegacyAsync(target.Store, subject, options.Annotations, cancellationToken).ConfigureAwait(false));
        }

        await target.CommitAsync(cancellationToken).ConfigureAwait(false);
        return results.ToImmutable();
    }

    /// <summary>Attests the image with a predicate: a bundle referrer, or a layer of the <c>.att</c> manifest.</summary>
    public async Task<ImmutableArray<SignedManifest>> AttestAsync(SignatureTarget target, AttestOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var predicateType = PredicateTypes.Resolve(options.PredicateType);
        var predicate = Trim(options.Predicate);
        var results = ImmutableArray.CreateBuilder<SignedManifest>();
        foreach (var subject in await SubjectsAsync(target, options.Recursive, cancellationToken).ConfigureAwait(false))
        {
            if (options.Format == SignatureFormat.Bundle)
            {
                var statement = InTotoStatement.Create([InTotoSubject.For(subject.Digest)], predicateType, predicate);
                results.Add(await WriteBundleAsync(target.Store, subject, statement, cancellationToken).ConfigureAwait(false));
            }
            else
            {
                results.Add(await AttestLegacyAsync(target.Store, subject, predicateType, predicate, cancellationToken).ConfigureAwait(false));
            }
        }

        await target.CommitAsync(cancellationToken).ConfigureAwait(false);
        return results.ToImmutable();
    }

    /// <summary>The predicate without the whitespace around it (a file's final newline would otherwise end up inside the statement).</summary>
    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> json)
    {
        var span = json.Span;
        var start = 0;
        var end = span.Length;
        while (start < end && span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        while (end > start && span[end - 1] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            end--;
        }

        return json[start..end];
    }

    private static async Task<List<Descriptor>> SubjectsAsync(SignatureTarget target, bool recursive, CancellationToken cancellationToken)
    {
        var root = await target.Source.GetRootManifestAsync(cancellationToken).ConfigureAwait(false);
        var subjects = new List<Descriptor> { root.ToDescriptor() with { ArtifactType = null } };
        if (recursive && root is ImageIndex index)
        {
            await AddChildrenAsync(target, index, subjects, 1, cancellationToken).ConfigureAwait(false);
        }

        return subjects;
    }

    private static async Task AddChildrenAsync(SignatureTarget target, ImageIndex index, List<Descriptor> subjects, int depth, CancellationToken cancellationToken)
    {
        if (depth > MaxIndexDepth)
        {
            throw new InvalidDataException($"{target.Name}: indexes are nested more than {MaxIndexDepth} deep; refusing to sign recursively");
        }

        foreach (var child in index.Manifests.Where(d => MediaTypes.IsManifest(d.MediaType)))
        {
            if (subjects.Any(s => s.Digest == child.Digest))
            {
                continue;
            }

            var manifest = await target.Source.GetManifestAsync(child, cancellationToken).ConfigureAwait(false);
            subjects.Add(manifest.ToDescriptor() with { ArtifactType = null });
            if (manifest is ImageIndex nested)
            {
                await AddChildrenAsync(target, nested, subjects, depth + 1, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<SignedManifest> WriteBundleAsync(ISignatureStore store, Descriptor subject, InTotoStatement statement, CancellationToken cancellationToken)
    {
        var bundle = _keyless is not null
            ? await _keyless.SignDsseBundleAsync(DsseProtocol.InTotoPayloadType, statement.Raw, cancellationToken).ConfigureAwait(false)
            : BundleWriter.CreateKeySignedDsse(
                await DsseEnvelope.SignAsync(_signer, DsseProtocol.InTotoPayloadType, statement.Raw, layout: DsseJsonLayout.SigstoreBundle, cancellationToken: cancellationToken).ConfigureAwait(false),
                BundleWriter.PublicKeyHint(_signer.PublicKey));
        var layer = Descriptor.For(CosignMediaTypes.BundleV03, bundle.Raw.Span);
        var config = Descriptor.For(MediaTypes.OciEmpty, SignatureManifests.EmptyConfig.Span);
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Annotations.Created] = SignatureManifests.Created(_time.GetUtcNow()),
            [CosignMediaTypes.BundleContentAnnotation] = "dsse-envelope",
            [CosignMediaTypes.BundlePredicateTypeAnnotation] = statement.PredicateType,
        };
        var manifest = SignatureManifests.Referrer(CosignMediaTypes.BundleV03, layer, subject, annotations);
        await store.PutBlobAsync(config, SignatureManifests.EmptyConfig, cancellationToken).ConfigureAwait(false);
        await store.PutBlobAsync(layer, bundle.Raw, cancellationToken).ConfigureAwait(false);
        await store.PutManifestAsync(manifest, tag: null, cancellationToken).ConfigureAwait(false);
        return new SignedManifest(subject.Digest, SignatureFormat.Bundle, manifest.Digest.ToString(), layer.Digest, Appended: true);
    }

    private async Task<SignedManifest> SignLegacyAsync(ISignatureStore store, Descriptor subject, ImmutableSortedDictionary<string, string> annotations, CancellationToken cancellationToken)
    {
        var payload = SimpleSigningPayload.Create(store.DockerReference, subject.Digest, annotations);
        var signature = await _signer.SignAsync(payload.Raw, cancellationToken).ConfigureAwait(false);
        var layerAnnotations = new Dictionary<string, string>(StringComparer.Ordinal) { [CosignMediaTypes.SignatureAnnotation] = Convert.ToBase64String(signature) };
        if (_keyless is not null)
        {
            var entry = _keyless.HashedRekord(SHA256.HashData(payload.Raw.Span), signature);
            AddKeylessAnnotations(layerAnnotations, await _keyless.WitnessAsync(entry, signature, cancellationToken).ConfigureAwait(false));
        }

        var layer = Descriptor.For(CosignMediaTypes.SimpleSigning, payload.Raw.Span) with
        {
            Annotations = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, layerAnnotations),
        };
        return await AppendLegacyAsync(store, subject.Digest, CosignTags.Signature(subject.Digest), layer, payload.Raw, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SignedManifest> AttestLegacyAsync(ISignatureStore store, Descriptor subject, string predicateType, ReadOnlyMemory<byte> predicate, CancellationToken cancellationToken)
    {
        var statement = InTotoStatement.Create([InTotoSubject.For(subject.Digest, store.DockerReference)], predicateType, predicate, InTotoStatement.V01Type);
        var envelope = await DsseEnvelope.SignAsync(_signer, DsseProtocol.InTotoPayloadType, statement.Raw, layout: DsseJsonLayout.Cosign, cancellationToken: cancellationToken).ConfigureAwait(false);
        var layerAnnotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CosignMediaTypes.SignatureAnnotation] = string.Empty,
            [CosignMediaTypes.PredicateTypeAnnotation] = predicateType,
        };
        if (_keyless is not null)
        {
            // cosign timestamps a legacy attestation's envelope bytes (there is no signature annotation to timestamp).
            AddKeylessAnnotations(layerAnnotations, await _keyless.WitnessAsync(_keyless.Dsse(envelope), envelope.Raw, cancellationToken).ConfigureAwait(false));
        }

        var layer = Descriptor.For(CosignMediaTypes.DsseEnvelope, envelope.Raw.Span) with
        {
            Annotations = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, layerAnnotations),
        };
        return await AppendLegacyAsync(store, subject.Digest, CosignTags.Attestation(subject.Digest), layer, envelope.Raw, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>cosign's keyless layer annotations: leaf certificate, chain, the first log entry's SET bundle and the first timestamp.</summary>
    private void AddKeylessAnnotations(Dictionary<string, string> annotations, KeylessEvidence evidence)
    {
        annotations[CosignMediaTypes.CertificateAnnotation] = _keyless!.CertificatePem;
        if (_keyless.ChainPem.Length > 0)
        {
            annotations[CosignMediaTypes.ChainAnnotation] = _keyless.ChainPem;
        }

        annotations[CosignMediaTypes.RekorBundleAnnotation] = RekorBundle.Write(evidence.TlogEntries[0]);
        if (!evidence.Timestamps.IsEmpty)
        {
            annotations[CosignMediaTypes.TimestampAnnotation] = RekorBundle.WriteTimestamp(evidence.Timestamps[0].Span);
        }
    }

    /// <summary>Appends a layer to the manifest under <paramref name="tag"/>, keeping every existing layer; an identical layer is not added twice.</summary>
    private static async Task<SignedManifest> AppendLegacyAsync(
        ISignatureStore store, Digest image, string tag, Descriptor layer, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var existing = await store.TryGetTaggedAsync(tag, cancellationToken).ConfigureAwait(false);
        var layers = new List<Descriptor>();
        if (existing is not null)
        {
            if (existing is not ImageManifest manifest)
            {
                throw new InvalidDataException($"{store.Name}:{tag} is an index, not a signature manifest; refusing to overwrite it");
            }

            if (manifest.Layers.Length >= SignatureManifests.MaxLayers)
            {
                throw new InvalidDataException($"{store.Name}:{tag} already has {manifest.Layers.Length} layers; cosign's limit is {SignatureManifests.MaxLayers}, so no signature can be added");
            }

            if (manifest.Layers.Any(l => l.Digest == layer.Digest && l.Annotations.SequenceEqual(layer.Annotations)))
            {
                return new SignedManifest(image, SignatureFormat.Legacy, tag, layer.Digest, Appended: false);
            }

            layers.AddRange(manifest.Layers);
        }

        layers.Add(layer);
        var configBytes = SignatureManifests.LegacyConfig(layers);
        var config = Descriptor.For(MediaTypes.OciConfig, configBytes);
        await store.PutBlobAsync(layer, content, cancellationToken).ConfigureAwait(false);
        await store.PutBlobAsync(config, configBytes, cancellationToken).ConfigureAwait(false);
        await store.PutManifestAsync(SignatureManifests.Legacy(config, layers), tag, cancellationToken).ConfigureAwait(false);
        return new SignedManifest(image, SignatureFormat.Legacy, tag, layer.Digest, Appended: true);
    }
}
