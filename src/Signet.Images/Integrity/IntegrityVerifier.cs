using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using Signet.Oci;
using Signet.Oci.Compression;
using Signet.Oci.Content;
using Signet.Registry;

namespace Signet.Images.Integrity;

/// <summary>Per-call settings of an integrity check.</summary>
public sealed record IntegrityOptions
{
    public PlatformSelection Platforms { get; init; } = PlatformSelection.Host;

    /// <summary>Layers checked at once; defaults to the number of cores.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    public TransferProgress? Progress { get; init; }

    /// <summary>Decompress each layer and check its DiffID (default). False checks blob digests and sizes only.</summary>
    public bool CheckDiffIds { get; init; } = true;
}

/// <summary>
/// Walks index -> manifests -> config -> layers from any transport, verifies every digest and size as the bytes
/// stream, decompresses each layer and checks it against the config's DiffID, layers in parallel. Failures are
/// collected as data (a report), not thrown, so one run names every broken object.
/// </summary>
public sealed class IntegrityVerifier
{
    private const int MaxDepth = 8;
    private const int BufferSize = 1 << 20;

    private readonly IImageSource _source;
    private readonly IntegrityOptions _options;
    private readonly ConcurrentQueue<ObjectCheck> _checks = new();
    private long _bytesRead;
    private long _bytesUncompressed;

    private IntegrityVerifier(IImageSource source, IntegrityOptions options)
    {
        _source = source;
        _options = options;
    }

    public static async Task<IntegrityReport> VerifyAsync(IImageSource source, IntegrityOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var verifier = new IntegrityVerifier(source, options);
        var clock = Stopwatch.StartNew();
        ManifestDocument? root = null;
        try
        {
            root = await source.GetRootManifestAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Classify(e) is { } code)
        {
            verifier._checks.Enqueue(new ObjectCheck { Kind = ObjectKind.Manifest, Code = code, Message = e.Message });
        }

        if (root is not null)
        {
            await verifier.VisitAsync(root, parent: null, platform: null, depth: 0, cancellationToken).ConfigureAwait(false);
        }

        return new IntegrityReport
        {
            Image = source.Name,
            RootDigest = root?.Digest,
            Objects = [.. verifier._checks],
            BytesRead = verifier._bytesRead,
            BytesUncompressed = verifier._bytesUncompressed,
            Elapsed = clock.Elapsed,
        };
    }

    private async Task VisitAsync(ManifestDocument document, Digest? parent, string? platform, int depth, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _bytesRead, document.Raw.Length);
        if (document is ImageIndex index)
        {
            _checks.Enqueue(Passed(ObjectKind.Index, document.ToDescriptor(), parent, platform));
            if (depth >= MaxDepth)
            {
                _checks.Enqueue(Failed(ObjectKind.Index, document.ToDescriptor(), parent, platform, IntegrityCodes.Malformed, $"indexes nest deeper than {MaxDepth} levels"));
                return;
            }

            IReadOnlyList<Descriptor> children;
            try
            {
                children = _options.Platforms.Select(index, _source.Name);
            }
            catch (PlatformNotFoundException e)
            {
                _checks.Enqueue(Failed(ObjectKind.Index, document.ToDescriptor(), parent, platform, IntegrityCodes.PlatformNotFound, e.Message));
                return;
            }

            foreach (var child in children)
            {
                ManifestDocument childDocument;
                try
                {
                    childDocument = await _source.GetManifestAsync(child, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (Classify(e) is { } code)
                {
                    _checks.Enqueue(Failed(ObjectKind.Manifest, child, document.Digest, child.Platform?.ToString(), code, e.Message));
                    continue;
                }

                await VisitAsync(childDocument, document.Digest, child.Platform?.ToString(), depth + 1, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var manifest = (ImageManifest)document;
        _checks.Enqueue(Passed(ObjectKind.Manifest, document.ToDescriptor(), parent, platform));
        var config = await ReadConfigAsync(manifest, platform, cancellationToken).ConfigureAwait(false);
        platform ??= config?.Platform?.ToString();
        var diffIds = config?.DiffIds;
        if (diffIds is { } ids && ids.Length != manifest.Layers.Length && IsImageConfig(manifest.Config.MediaType))
        {
            _checks.Enqueue(Failed(ObjectKind.Config, manifest.Config, manifest.Digest, platform, IntegrityCodes.LayerCountMismatch,
                $"config {manifest.Config.Digest} lists {ids.Length} diff_ids but manifest {manifest.Digest} has {manifest.Layers.Length} layers; the image is inconsistent"));
            diffIds = null;
        }

        foreach (var layer in manifest.Layers)
        {
            _options.Progress?.AddWork(layer.Size);
        }

        // Layers are checked in parallel but reported in manifest order, so a report is the same from run to run.
        var layerChecks = new ObjectCheck[manifest.Layers.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, manifest.Layers.Length), parallel, async (i, ct) =>
        {
            var check = await CheckLayerAsync(manifest.Layers[i], diffIds?[i], manifest.Digest, platform, ct).ConfigureAwait(false);
            layerChecks[i] = check with { Position = i };
            _options.Progress?.Complete();
        }).ConfigureAwait(false);
        foreach (var check in layerChecks)
        {
            _checks.Enqueue(check);
        }
    }

    private async Task<ImageConfig?> ReadConfigAsync(ImageManifest manifest, string? platform, CancellationToken cancellationToken)
    {
        var descriptor = manifest.Config;
        try
        {
            await using var stream = await _source.OpenBlobAsync(descriptor, cancellationToken).ConfigureAwait(false);
            var raw = await BlobReader.ReadVerifiedAsync(stream, descriptor, ManifestParser.MaxConfigBytes, "config", _source.Name, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _bytesRead, raw.Length);
            var config = IsImageConfig(descriptor.MediaType) ? ManifestParser.ParseConfig(raw, _source.Name) : null;
            _checks.Enqueue(Passed(ObjectKind.Config, descriptor, manifest.Digest, platform ?? config?.Platform?.ToString()));
            return config;
        }
        catch (Exception e) when (Classify(e) is { } code)
        {
            _checks.Enqueue(Failed(ObjectKind.Config, descriptor, manifest.Digest, platform, code, e.Message));
            return null;
        }
    }

    private async Task<ObjectCheck> CheckLayerAsync(Descriptor layer, Digest? diffId, Digest parent, string? platform, CancellationToken cancellationToken)
    {
        var compression = MediaTypes.CompressionOf(layer.MediaType);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var blob = await _source.OpenBlobAsync(layer, cancellationToken).ConfigureAwait(false);
            var tracked = _options.Progress?.Track(blob) ?? blob;
            if (compression is LayerCompression.None or LayerCompression.Unknown || diffId is null || !_options.CheckDiffIds)
            {
                await DrainAsync(tracked, buffer, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _bytesRead, layer.Size);
                if (diffId is { } expected && compression == LayerCompression.None && expected != layer.Digest)
                {
                    return Failed(ObjectKind.Layer, layer, parent, platform, IntegrityCodes.DiffIdMismatch,
                        $"uncompressed layer {layer.Digest} is listed with DiffID {expected} in the config; an uncompressed layer's DiffID must equal its digest") with
                    { DiffId = expected, ActualDiffId = layer.Digest };
                }

                if (compression == LayerCompression.Unknown && diffId is not null && _options.CheckDiffIds)
                {
                    return Failed(ObjectKind.Layer, layer, parent, platform, IntegrityCodes.UnsupportedMediaType,
                        $"layer {layer.Digest} has media type '{layer.MediaType}', whose compression Signet does not know; its digest holds but its DiffID was not checked");
                }

                if (compression == LayerCompression.None)
                {
                    // An uncompressed layer is its own uncompressed content: the digest just checked is its DiffID.
                    Interlocked.Add(ref _bytesUncompressed, layer.Size);
                    return Passed(ObjectKind.Layer, layer, parent, platform) with { DiffId = diffId, ActualDiffId = layer.Digest, UncompressedSize = layer.Size };
                }

                return Passed(ObjectKind.Layer, layer, parent, platform) with { DiffId = diffId };
            }

            using var hash = Digest.CreateHasher(diffId.Value.Algorithm);
            long uncompressed = 0;
            try
            {
                await using var decompressed = LayerDecompression.Open(tracked, compression, leaveOpen: true, $"layer {layer.Digest} from {_source.Name}");
                int n;
                while ((n = await decompressed.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    uncompressed += n;
                }
            }
            catch (Exception e) when (Classify(e) == IntegrityCodes.Decompression)
            {
                // A corrupt stream is most often an altered blob: read the rest so that the digest check names the cause.
                await DrainAsync(tracked, buffer, cancellationToken).ConfigureAwait(false);
                throw;
            }

            // The decompressor may stop before the end of the blob; reading the rest completes the blob's digest check.
            await DrainAsync(tracked, buffer, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _bytesRead, layer.Size);
            Interlocked.Add(ref _bytesUncompressed, uncompressed);
            var actual = Digest.FromHash(diffId.Value.Algorithm, hash.GetHashAndReset());
            if (actual != diffId)
            {
                return Failed(ObjectKind.Layer, layer, parent, platform, IntegrityCodes.DiffIdMismatch,
                    $"layer {layer.Digest} decompresses to content with DiffID {actual}, but the config expects {diffId}; the layer or the config was altered") with
                { DiffId = diffId, ActualDiffId = actual, UncompressedSize = uncompressed };
            }

            return Passed(ObjectKind.Layer, layer, parent, platform) with { DiffId = diffId, ActualDiffId = actual, UncompressedSize = uncompressed };
        }
        catch (Exception e) when (Classify(e) is { } code)
        {
            return Failed(ObjectKind.Layer, layer, parent, platform, code, e.Message) with { DiffId = diffId };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task DrainAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        while (await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    private static bool IsImageConfig(string mediaType) => mediaType is MediaTypes.OciConfig or MediaTypes.DockerConfig;

    /// <summary>Maps an exception to a stable code; null lets it propagate (cancellation, programming errors).</summary>
    private static string? Classify(Exception e) => e switch
    {
        OperationCanceledException => null,
        DigestMismatchException { ActualSize: not null } => IntegrityCodes.SizeMismatch,
        DigestMismatchException => IntegrityCodes.DigestMismatch,
        BlobNotFoundException or ManifestNotFoundException or FileNotFoundException or DirectoryNotFoundException => IntegrityCodes.Missing,
        InvalidDataException => IntegrityCodes.Decompression,
        OciFormatException or FormatException => IntegrityCodes.Malformed,
        HttpRequestException or IOException or UnauthorizedAccessException => IntegrityCodes.Transport,
        _ => null,
    };

    private static ObjectCheck Passed(ObjectKind kind, Descriptor descriptor, Digest? parent, string? platform) => new()
    {
        Kind = kind,
        Digest = descriptor.Digest,
        MediaType = descriptor.MediaType,
        Size = descriptor.Size,
        Parent = parent,
        Platform = platform,
    };

    private static ObjectCheck Failed(ObjectKind kind, Descriptor descriptor, Digest? parent, string? platform, string code, string message) =>
        Passed(kind, descriptor, parent, platform) with { Code = code, Message = message };
}
