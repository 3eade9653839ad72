using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Signet.Crypto.Dsse;
using Signet.Oci.Json;

namespace Signet.Sigstore.Bundles;

/// <summary>
/// A Sigstore bundle, v0.1 to v0.3, read from its proto3 JSON form (protobuf-specs <c>sigstore_bundle.proto</c>,
/// <c>sigstore_common.proto</c>, <c>sigstore_rekor.proto</c>). <see cref="Raw"/> holds the exact bytes; the DSSE
/// envelope keeps its own exact sub-document bytes. Reading never judges trust: <see cref="Validate"/> reports the
/// structural rules of the version (sigstore-go <c>pkg/bundle</c> validate) as problems with stable codes.
/// </summary>
public sealed record SigstoreBundle
{
    /// <summary>Most tlog entries and most RFC 3161 timestamps a valid bundle may carry (sigstore-go internal/limits).</summary>
    public const int MaxTlogEntries = 32;

    /// <inheritdoc cref="MaxTlogEntries"/>
    public const int MaxTimestamps = 32;

    /// <summary>The <c>mediaType</c> as written (empty when absent).</summary>
    public required string MediaType { get; init; }

    /// <summary>The version the media type names, supported or not; null when it is not a bundle media type.</summary>
    public Version? Version { get; init; }

    /// <summary>Null when the bundle has no <c>verificationMaterial</c> (a structural problem).</summary>
    public BundleVerificationMaterial? VerificationMaterial { get; init; }

    public required BundleContentKind ContentKind { get; init; }

    public MessageSignature? MessageSignature { get; init; }

    public DsseEnvelope? DsseEnvelope { get; init; }

    public required ReadOnlyMemory<byte> Raw { get; init; }

    /// <summary>
    /// Reads a bundle and checks its structure; never throws for bad input. When the JSON cannot be read at all the
    /// result has no bundle and one BND10xx problem.
    /// </summary>
    public static BundleReadResult Read(ReadOnlyMemory<byte> raw, BundleParseOptions? options = null)
    {
        SigstoreBundle bundle;
        try
        {
            bundle = Parse(raw, options);
        }
        catch (BundleFormatException e)
        {
            return new BundleReadResult { Problems = [new BundleProblem { Code = e.Code, Message = e.Message }] };
        }

        return new BundleReadResult { Bundle = bundle, Problems = bundle.Validate() };
    }

    /// <summary>
    /// Reads a bundle's JSON without judging its structure; throws <see cref="BundleFormatException"/> (with a BND10xx
    /// code) when it is not valid proto3 JSON for a bundle or is over a read limit.
    /// </summary>
    public static SigstoreBundle Parse(ReadOnlyMemory<byte> raw, BundleParseOptions? options = null)
    {
        options ??= BundleParseOptions.Default;
        if (raw.Length > options.MaxBundleBytes)
        {
            throw new BundleFormatException(BundleCodes.OverLimit, $"Sigstore bundle is {raw.Length} bytes; at most {options.MaxBundleBytes} are read");
        }

        using var document = ProtoJson.Parse(raw);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new BundleFormatException(BundleCodes.MalformedJson, $"Sigstore bundle must be a JSON object, found {StrictJson.Describe(root)}");
        }

        var mediaType = ProtoJson.String(root, "mediaType", string.Empty);
        BundleMediaTypes.TryGetVersion(mediaType, out var version);

        BundleVerificationMaterial? material = null;
        if (ProtoJson.TryGetObject(root, "verificationMaterial", string.Empty, out var materialElement))
        {
            material = ReadVerificationMaterial(materialElement, "verificationMaterial", options);
        }

        var hasMessage = ProtoJson.TryGetObject(root, "messageSignature", string.Empty, out var messageElement);
        var hasDsse = ProtoJson.TryGetObject(root, "dsseEnvelope", string.Empty, out var dsseElement);
        if (hasMessage && hasDsse)
        {
            throw new BundleFormatException(BundleCodes.AmbiguousField, "Sigstore bundle sets both 'messageSignature' and 'dsseEnvelope' (members of one oneof); refusing an ambiguous bundle");
        }

        MessageSignature? messageSignature = null;
        DsseEnvelope? envelope = null;
        if (hasMessage)
        {
            messageSignature = ReadMessageSignature(messageElement, "messageSignature");
        }

        if (hasDsse)
        {
            try
            {
                envelope = DsseEnvelope.Parse(StrictJson.RawBytes(dsseElement), new DsseParseOptions
                {
                    MaxPayloadBytes = options.MaxPayloadBytes,
                    MaxSignatures = options.MaxItems,
                    AllowOmittedEmptyFields = true,
                });
            }
            catch (DsseFormatException e)
            {
                throw new BundleFormatException(BundleCodes.InvalidDsseEnvelope, $"Sigstore bundle field 'dsseEnvelope' is not a valid DSSE envelope: {e.Message}", e);
            }
        }

        return new SigstoreBundle
        {
            MediaType = mediaType,
            Version = version,
            VerificationMaterial = material,
            ContentKind = hasMessage ? BundleContentKind.MessageSignature : hasDsse ? BundleContentKind.DsseEnvelope : BundleContentKind.None,
            MessageSignature = messageSignature,
            DsseEnvelope = envelope,
            Raw = raw,
        };
    }

    /// <summary>The structural problems of this bundle for its version; empty when it is well formed.</summary>
    public ImmutableArray<BundleProblem> Validate()
    {
        var problems = ImmutableArray.CreateBuilder<BundleProblem>();
        void Add(string code, string message) => problems.Add(new BundleProblem { Code = code, Message = message });

        if (Version is null)
        {
            Add(BundleCodes.UnknownMediaType, $"mediaType '{MediaType}' is not a Sigstore bundle media type; expected {BundleMediaTypes.V03} or {BundleMediaTypes.V01}/0.2/0.3");
        }
        else if (!BundleMediaTypes.IsSupported(Version))
        {
            Add(BundleCodes.UnsupportedVersion, $"bundle version {Version} (mediaType '{MediaType}') is not supported; Signet reads 0.1, 0.2 and 0.3 — upgrade Signet or re-create the bundle as v0.3");
        }

        var version = Version is not null && BundleMediaTypes.IsSupported(Version) ? Version : null;
        if (VerificationMaterial is not { } material)
        {
            Add(BundleCodes.MissingVerificationMaterial, "verificationMaterial is missing; a bundle must carry the signer's key hint or certificate");
        }
        else
        {
            ValidateMaterial(material, version, Add);
        }

        switch (ContentKind)
        {
            case BundleContentKind.None:
                Add(BundleCodes.MissingContent, "the bundle has neither messageSignature nor dsseEnvelope");
                break;
            case BundleContentKind.DsseEnvelope when DsseEnvelope!.Signatures.Length != 1:
                Add(BundleCodes.DsseSignatureCount, $"dsseEnvelope has {DsseEnvelope.Signatures.Length} signatures; a bundle's envelope must have exactly one");
                break;
            case BundleContentKind.MessageSignature:
                var message = MessageSignature!;
                if (message.Signature.IsEmpty)
                {
                    Add(BundleCodes.EmptySignature, "messageSignature.signature is empty");
                }

                if (message.MessageDigest is { } digest)
                {
                    var expected = digest.Algorithm switch
                    {
                        BundleHashAlgorithm.Sha256 or BundleHashAlgorithm.Sha3256 => 32,
                        BundleHashAlgorithm.Sha384 or BundleHashAlgorithm.Sha3384 => 48,
                        BundleHashAlgorithm.Sha512 => 64,
                        _ => 0,
                    };
                    if (expected == 0)
                    {
                        Add(BundleCodes.InvalidMessageDigest, "messageSignature.messageDigest.algorithm is unspecified");
                    }
                    else if (digest.Digest.Length != expected)
                    {
                        Add(BundleCodes.InvalidMessageDigest, $"messageSignature.messageDigest.digest is {digest.Digest.Length} bytes; {ProtoJson.HashAlgorithmNames[digest.Algorithm]} digests are {expected}");
                    }
                }

                break;
        }

        return problems.ToImmutable();
    }

    private static void ValidateMaterial(BundleVerificationMaterial material, Version? version, Action<string, string> add)
    {
        switch (material.Kind)
        {
            case VerificationMaterialKind.None:
                add(BundleCodes.MissingVerificationContent, "verificationMaterial has none of publicKey, x509CertificateChain and certificate");
                break;
            case VerificationMaterialKind.X509CertificateChain when version is not null && version >= new Version(0, 3):
                add(BundleCodes.CertificateChainNotAllowed, $"verificationMaterial.x509CertificateChain is not allowed in a v{version} bundle; v0.3 carries the leaf alone in 'certificate'");
                break;
            case VerificationMaterialKind.X509CertificateChain when material.Certificates.IsEmpty:
                add(BundleCodes.EmptyCertificateChain, "verificationMaterial.x509CertificateChain has no certificates; the leaf certificate must come first");
                break;
        }

        for (var i = 0; i < material.Certificates.Length; i++)
        {
            var where = material.Kind == VerificationMaterialKind.Certificate
                ? "verificationMaterial.certificate"
                : $"verificationMaterial.x509CertificateChain.certificates[{i}]";
            CheckCertificate(material.Certificates[i].Span, where, add);
        }

        if (material.TlogEntries.Length > MaxTlogEntries)
        {
            add(BundleCodes.TooManyTlogEntries, $"verificationMaterial.tlogEntries has {material.TlogEntries.Length} entries; at most {MaxTlogEntries} are allowed");
        }

        var seen = new HashSet<(string, long)>();
        for (var i = 0; i < material.TlogEntries.Length; i++)
        {
            var entry = material.TlogEntries[i];
            var where = $"verificationMaterial.tlogEntries[{i}]";
            if (entry.LogIndex < 0)
            {
                add(BundleCodes.NegativeLogIndex, $"{where}.logIndex is {entry.LogIndex}; log indexes are never negative");
            }

            if (entry.LogKeyId.IsEmpty)
            {
                add(BundleCodes.IncompleteTlogEntry, $"{where}.logId.keyId is missing");
            }

            if (entry.KindVersion is null)
            {
                add(BundleCodes.IncompleteTlogEntry, $"{where}.kindVersion is missing");
            }

            if (entry.CanonicalizedBody.IsEmpty)
            {
                add(BundleCodes.IncompleteTlogEntry, $"{where}.canonicalizedBody is missing");
            }

            if (!seen.Add((Convert.ToBase64String(entry.LogKeyId.Span), entry.LogIndex)))
            {
                add(BundleCodes.DuplicateTlogEntry, $"{where} repeats log {Convert.ToHexStringLower(entry.LogKeyId.Span)} index {entry.LogIndex}");
            }

            if (version == new Version(0, 1) && entry.SignedEntryTimestamp is null)
            {
                add(BundleCodes.MissingInclusionPromise, $"{where} has no inclusionPromise; v0.1 bundles require one on every entry");
            }

            if (version is not null && version >= new Version(0, 2) && entry.InclusionProof is null)
            {
                add(BundleCodes.MissingInclusionProof, $"{where} has no inclusionProof; v{version} bundles require one on every entry (no online lookup is made)");
            }

            if (entry.InclusionProof is { } proof
                && (proof.LogIndex < 0 || proof.TreeSize <= 0 || proof.LogIndex >= proof.TreeSize || proof.RootHash.IsEmpty))
            {
                add(BundleCodes.InvalidInclusionProof, $"{where}.inclusionProof has logIndex {proof.LogIndex}, treeSize {proof.TreeSize} and a {proof.RootHash.Length}-byte root hash; the index must lie inside a non-empty tree with a root hash");
            }
        }

        if (material.Rfc3161Timestamps.Length > MaxTimestamps)
        {
            add(BundleCodes.TooManyTimestamps, $"verificationMaterial.timestampVerificationData.rfc3161Timestamps has {material.Rfc3161Timestamps.Length} entries; at most {MaxTimestamps} are allowed");
        }

        for (var i = 0; i < material.Rfc3161Timestamps.Length; i++)
        {
            if (material.Rfc3161Timestamps[i].IsEmpty)
            {
                add(BundleCodes.EmptyTimestamp, $"verificationMaterial.timestampVerificationData.rfc3161Timestamps[{i}].signedTimestamp is empty");
            }
        }
    }

    private static void CheckCertificate(ReadOnlySpan<byte> der, string where, Action<string, string> add)
    {
        if (der.IsEmpty)
        {
            add(BundleCodes.InvalidCertificate, $"{where}.rawBytes is empty");
            return;
        }

        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
            {
                add(BundleCodes.RootCertificateInBundle, $"{where} is self-signed ('{certificate.Subject}'); a bundle must not carry a root — roots come only from the trusted root");
            }
        }
        catch (CryptographicException e)
        {
            add(BundleCodes.InvalidCertificate, $"{where}.rawBytes is not a DER X.509 certificate: {e.Message}");
        }
    }

    private static BundleVerificationMaterial ReadVerificationMaterial(JsonElement element, string path, BundleParseOptions options)
    {
        var hasKey = ProtoJson.TryGetObject(element, "publicKey", path, out var keyElement);
        var hasChain = ProtoJson.TryGetObject(element, "x509CertificateChain", path, out var chainElement);
        var hasCertificate = ProtoJson.TryGetObject(element, "certificate", path, out var certificateElement);
        if ((hasKey ? 1 : 0) + (hasChain ? 1 : 0) + (hasCertificate ? 1 : 0) > 1)
        {
            throw new BundleFormatException(BundleCodes.AmbiguousField, $"Sigstore bundle field '{path}' sets more than one of publicKey, x509CertificateChain and certificate; refusing an ambiguous bundle");
        }

        var kind = VerificationMaterialKind.None;
        string? hint = null;
        var certificates = ImmutableArray<ReadOnlyMemory<byte>>.Empty;
        if (hasKey)
        {
            kind = VerificationMaterialKind.PublicKey;
            hint = ProtoJson.String(keyElement, "hint", StrictJson.Join(path, "publicKey"));
        }
        else if (hasChain)
        {
            kind = VerificationMaterialKind.X509CertificateChain;
            var chainPath = StrictJson.Join(path, "x509CertificateChain");
            var items = ProtoJson.Array(chainElement, "certificates", chainPath, options.MaxItems);
            var builder = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>(items.Length);
            for (var i = 0; i < items.Length; i++)
            {
                var itemPath = $"{chainPath}.certificates[{i}]";
                builder.Add(ProtoJson.Bytes(ProtoJson.RequireObject(items[i], itemPath), "rawBytes", itemPath));
            }

            certificates = builder.MoveToImmutable();
        }
        else if (hasCertificate)
        {
            kind = VerificationMaterialKind.Certificate;
            certificates = [ProtoJson.Bytes(certificateElement, "rawBytes", StrictJson.Join(path, "certificate"))];
        }

        var entries = ProtoJson.Array(element, "tlogEntries", path, options.MaxItems);
        var tlogEntries = ImmutableArray.CreateBuilder<TransparencyLogEntry>(entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            tlogEntries.Add(ReadTlogEntry(entries[i], $"{StrictJson.Join(path, "tlogEntries")}[{i}]", options));
        }

        var timestamps = ImmutableArray<ReadOnlyMemory<byte>>.Empty;
        var hasTimestampData = ProtoJson.TryGetObject(element, "timestampVerificationData", path, out var timestampElement);
        if (hasTimestampData)
        {
            var timestampPath = StrictJson.Join(path, "timestampVerificationData");
            var items = ProtoJson.Array(timestampElement, "rfc3161Timestamps", timestampPath, options.MaxItems);
            var builder = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>(items.Length);
            for (var i = 0; i < items.Length; i++)
            {
                var itemPath = $"{timestampPath}.rfc3161Timestamps[{i}]";
                builder.Add(ProtoJson.Bytes(ProtoJson.RequireObject(items[i], itemPath), "signedTimestamp", itemPath));
            }

            timestamps = builder.MoveToImmutable();
        }

        return new BundleVerificationMaterial
        {
            Kind = kind,
            PublicKeyHint = hint,
            Certificates = certificates,
            TlogEntries = tlogEntries.MoveToImmutable(),
            HasTimestampVerificationData = hasTimestampData,
            Rfc3161Timestamps = timestamps,
        };
    }

    private static TransparencyLogEntry ReadTlogEntry(JsonElement element, string path, BundleParseOptions options)
    {
        ProtoJson.RequireObject(element, path);
        var logKeyId = ReadOnlyMemory<byte>.Empty;
        if (ProtoJson.TryGetObject(element, "logId", path, out var logId))
        {
            logKeyId = ProtoJson.Bytes(logId, "keyId", StrictJson.Join(path, "logId"));
        }

        KindVersion? kindVersion = null;
        if (ProtoJson.TryGetObject(element, "kindVersion", path, out var kindElement))
        {
            var kindPath = StrictJson.Join(path, "kindVersion");
            kindVersion = new KindVersion
            {
                Kind = ProtoJson.String(kindElement, "kind", kindPath),
                Version = ProtoJson.String(kindElement, "version", kindPath),
            };
        }

        ReadOnlyMemory<byte>? set = null;
        if (ProtoJson.TryGetObject(element, "inclusionPromise", path, out var promise))
        {
            set = ProtoJson.Bytes(promise, "signedEntryTimestamp", StrictJson.Join(path, "inclusionPromise"));
        }

        InclusionProof? proof = null;
        if (ProtoJson.TryGetObject(element, "inclusionProof", path, out var proofElement))
        {
            var proofPath = StrictJson.Join(path, "inclusionProof");
            var hashItems = ProtoJson.Array(proofElement, "hashes", proofPath, Math.Min(options.MaxItems, 64));
            var hashes = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>(hashItems.Length);
            for (var i = 0; i < hashItems.Length; i++)
            {
                hashes.Add(ProtoJson.BytesValue(hashItems[i], $"{proofPath}.hashes[{i}]"));
            }

            string? checkpoint = null;
            if (ProtoJson.TryGetObject(proofElement, "checkpoint", proofPath, out var checkpointElement))
            {
                checkpoint = ProtoJson.String(checkpointElement, "envelope", StrictJson.Join(proofPath, "checkpoint"));
            }

            proof = new InclusionProof
            {
                LogIndex = ProtoJson.Int64(proofElement, "logIndex", proofPath),
                RootHash = ProtoJson.Bytes(proofElement, "rootHash", proofPath),
                TreeSize = ProtoJson.Int64(proofElement, "treeSize", proofPath),
                Hashes = hashes.MoveToImmutable(),
                Checkpoint = checkpoint,
            };
        }

        return new TransparencyLogEntry
        {
            LogIndex = ProtoJson.Int64(element, "logIndex", path),
            LogKeyId = logKeyId,
            KindVersion = kindVersion,
            IntegratedTime = ProtoJson.Int64(element, "integratedTime", path),
            SignedEntryTimestamp = set,
            InclusionProof = proof,
            CanonicalizedBody = ProtoJson.Bytes(element, "canonicalizedBody", path),
        };
    }

    private static MessageSignature ReadMessageSignature(JsonElement element, string path)
    {
        MessageDigest? digest = null;
        if (ProtoJson.TryGetObject(element, "messageDigest", path, out var digestElement))
        {
            var digestPath = StrictJson.Join(path, "messageDigest");
            digest = new MessageDigest
            {
                Algorithm = ProtoJson.HashAlgorithm(digestElement, "algorithm", digestPath),
                Digest = ProtoJson.Bytes(digestElement, "digest", digestPath),
            };
        }

        return new MessageSignature { MessageDigest = digest, Signature = ProtoJson.Bytes(element, "signature", path) };
    }
}
