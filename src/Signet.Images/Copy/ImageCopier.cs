using System.Collections.Concurrent;
using Signet.Oci;
using Signet.Oci.Content;
using Signet.Registry;

namespace Signet.Images.Copy;

/// <summary>
/// Copies an image between any two transports. Manifests are copied as their exact bytes (digests are kept);
/// blobs stream from source to destination, verified on both sides, several at a time.
/// </summary>
public sealed class ImageCopier
{
    private const int MaxDepth = 8;

    private readonly IImageSource _source;
    private readonly IImageDestination _destination;
    private readonly CopyOptions _options;
    private readonly ConcurrentDictionary<Digest, Task> _blobs = new();
    private readonly ConcurrentDictionary<Digest, byte> _manifests = new();
    private int _copied;
    private int _skipped;
    private long _bytes;

    private ImageCopier(IImageSource source, IImageDestination destination, CopyOptions options)
    {
        _source = source;
        _destination = destination;
        _options = options;
    }

    public static async Task<CopyResult> CopyAsync(IImageSource source, IImageDestination destination, CopyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        var copier = new ImageCopier(source, destination, options);
        var root = await source.GetRootManifestAsync(cancellationToken).ConfigureAwait(false);
        var written = await copier.CopyTreeAsync(root, isRoot: true, depth: 0, cancellationToken).ConfigureAwait(false);
        await destination.CommitAsync(written, cancellationToken).ConfigureAwait(false);
        return new CopyResult(written.Digest, copier._manifests.Count, copier._copied, copier._skipped, copier._bytes);
    }

    /// <summary>Copies what a manifest needs and returns the manifest to commit (a platform's manifest when an index is narrowed).</summary>
    private async Task<ManifestDocument> CopyTreeAsync(ManifestDocument document, bool isRoot, int depth, CancellationToken cancellationToken)
    {
        if (depth > MaxDepth)
        {
            throw new OciFormatException($"{_source.Name}: indexes nest deeper than {MaxDepth} levels at {document.Digest}; refusing");
        }

        if (document is ImageIndex index)
        {
            var keepIndex = _options.Platforms.All && _destination.Capabilities.Indexes;
            var children = keepIndex ? index.Manifests.Where(m => MediaTypes.IsManifest(m.MediaType)).ToList() : _options.Platforms.Select(index, _source.Name);
            if (!keepIndex && _options.Platforms.All)
            {
                throw new NotSupportedException($"{_destination.Name} cannot hold a multi-platform index; copy one platform with --platform OS/ARCH");
            }

            if (!keepIndex)
            {
                var child = await _source.GetManifestAsync(children[0], cancellationToken).ConfigureAwait(false);
                return await CopyTreeAsync(child, isRoot, depth + 1, cancellationToken).ConfigureAwait(false);
            }

            foreach (var descriptor in children)
            {
                var child = await _source.GetManifestAsync(descriptor, cancellationToken).ConfigureAwait(false);
                var written = await CopyTreeAsync(child, isRoot: false, depth + 1, cancellationToken).ConfigureAwait(false);
                await PutManifestOnceAsync(written, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (document is ImageManifest manifest)
        {
            await CopyBlobsAsync([manifest.Config, .. manifest.Layers], cancellationToken).ConfigureAwait(false);
        }

        if (isRoot)
        {
            _manifests.TryAdd(document.Digest, 0);
        }

        if (_options.WithReferrers)
        {
            await CopyReferrersAsync(document.Digest, depth, cancellationToken).ConfigureAwait(false);
        }

        return document;
    }

    private async Task CopyReferrersAsync(Digest subject, int depth, CancellationToken cancellationToken)
    {
        if (!_destination.Capabilities.Referrers)
        {
            throw new NotSupportedException($"{_destination.Name} cannot hold referrers; copy without --with-referrers or to oci:, oci-archive: or a registry");
        }

        var referrers = new List<Descriptor>();
        await foreach (var referrer in _source.GetReferrersAsync(subject, cancellationToken).ConfigureAwait(false))
        {
            referrers.Add(referrer);
        }

        foreach (var descriptor in referrers)
        {
            if (_manifests.ContainsKey(descriptor.Digest))
            {
                continue;
            }

            var referrer = await _source.GetManifestAsync(descriptor, cancellationToken).ConfigureAwait(false);
            if (referrer.Subject?.Digest != subject)
            {
                throw new OciFormatException($"{_source.Name}: referrer {descriptor.Digest} listed for {subject} names subject {referrer.Subject?.Digest.ToString() ?? "(none)"}; the referrers list is inconsistent");
            }

            var written = await CopyTreeAsync(referrer, isRoot: false, depth + 1, cancellationToken).ConfigureAwait(false);
            await PutManifestOnceAsync(written, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PutManifestOnceAsync(ManifestDocument manifest, CancellationToken cancellationToken)
    {
        if (_manifests.TryAdd(manifest.Digest, 0))
        {
            await _destination.PutManifestAsync(manifest, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CopyBlobsAsync(IReadOnlyList<Descriptor> blobs, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(blobs, parallel, async (blob, ct) =>
            await _blobs.GetOrAdd(blob.Digest, _ => CopyBlobAsync(blob, ct)).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private async Task CopyBlobAsync(Descriptor blob, CancellationToken cancellationToken)
    {
        _options.Progress?.AddWork(blob.Size);
        if (await _destination.HasBlobAsync(blob, cancellationToken).ConfigureAwait(false) ||
            (_destination is RegistryImageDestination registry && await registry.TryMountAsync(blob, cancellationToken).ConfigureAwait(false)))
        {
            Interlocked.Increment(ref _skipped);
            _options.Progress?.Advance(blob.Size);
            _options.Progress?.Complete();
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var content = await _source.OpenBlobAsync(blob, cancellationToken).ConfigureAwait(false);
                await using var tracked = _options.Progress is { } progress ? progress.Track(content) : null;
                await _destination.PutBlobAsync(blob, tracked ?? content, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (attempt < _options.BlobAttempts && IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }

        Interlocked.Increment(ref _copied);
        Interlocked.Add(ref _bytes, blob.Size);
        _options.Progress?.Complete();
    }

    private static bool IsTransient(Exception e) =>
        e is not DigestMismatchException and not BlobNotFoundException and not OciFormatException and not ManifestNotFoundException
        && (e is HttpRequestException or IOException);
}
