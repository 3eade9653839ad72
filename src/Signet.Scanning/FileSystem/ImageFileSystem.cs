using Signet.Images;
using Signet.Oci;
using Signet.Oci.Compression;
using Signet.Oci.Content;

namespace Signet.Scanning.FileSystem;

/// <summary>An image resolved to one platform, with its merged filesystem.</summary>
public sealed record OpenedImage
{
    /// <summary>The digest of the image manifest (of the chosen platform).</summary>
    public required Digest ManifestDigest { get; init; }

    /// <summary>The image config, when the manifest has an OCI or Docker one.</summary>
    public required ImageConfig? Config { get; init; }

    public required LayeredFileSystem FileSystem { get; init; }
}

/// <summary>Builds the <see cref="LayeredFileSystem"/> of an image read from any transport.</summary>
public static class ImageFileSystem
{
    /// <summary>The merged filesystem of the image (see <see cref="OpenImageAsync"/>).</summary>
    public static async Task<LayeredFileSystem> OpenAsync(
        IImageSource source, PlatformSelection? platforms = null, LayeredFileSystemLimits? limits = null, CancellationToken cancellationToken = default) =>
        (await OpenImageAsync(source, platforms, limits, cancellationToken: cancellationToken).ConfigureAwait(false)).FileSystem;

    /// <summary>
    /// Resolves the image (choosing a platform of an index with <paramref name="platforms"/>, the host's by default),
    /// reads its config for DiffIDs and history, and indexes its layers. Each layer blob is verified against its digest
    /// while indexed (it is read to the end); later file reads re-open the blob through <paramref name="source"/>,
    /// which must stay open while the filesystem is used.
    /// </summary>
    /// <param name="source">The image.</param>
    /// <param name="platforms">Which manifest of an index.</param>
    /// <param name="limits">Bounds for the layers.</param>
    /// <param name="progress">Counts the layer bytes read while indexing, when given.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<OpenedImage> OpenImageAsync(
        IImageSource source, PlatformSelection? platforms = null, LayeredFileSystemLimits? limits = null, TransferProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        limits ??= LayeredFileSystemLimits.Default;
        var root = await source.GetRootManifestAsync(cancellationToken).ConfigureAwait(false);
        if (root is ImageIndex index)
        {
            var chosen = (platforms ?? PlatformSelection.Host).Select(index, source.Name)[0];
            root = await source.GetManifestAsync(chosen, cancellationToken).ConfigureAwait(false);
        }

        if (root is not ImageManifest manifest)
        {
            throw new LayerFormatException(LayerCodes.NotAnImage, $"{source.Name}: the chosen manifest {root.Digest} is not an image manifest, so it has no filesystem.");
        }

        ImageConfig? config = null;
        if (manifest.Config.MediaType is MediaTypes.OciConfig or MediaTypes.DockerConfig)
        {
            var stream = await source.OpenBlobAsync(manifest.Config, cancellationToken).ConfigureAwait(false);
            await using var owned = stream.ConfigureAwait(false);
            var raw = await BlobReader.ReadVerifiedAsync(
                stream, manifest.Config, ManifestParser.MaxConfigBytes, "config", source.Name, cancellationToken).ConfigureAwait(false);
            config = ManifestParser.ParseConfig(raw, source.Name);
        }

        var history = config?.History.Where(h => !h.EmptyLayer).ToList() ?? [];
        var layers = new List<LayerInfo>();
        for (var i = 0; i < manifest.Layers.Length; i++)
        {
            layers.Add(new LayerInfo
            {
                Index = i,
                Digest = manifest.Layers[i].Digest,
                DiffId = config is { } c && i < c.DiffIds.Length ? c.DiffIds[i] : null,
                CreatedBy = i < history.Count ? history[i].CreatedBy : null,
            });
        }

        foreach (var descriptor in manifest.Layers)
        {
            progress?.AddWork(descriptor.Size);
        }

        var indexing = true;
        async Task<Stream> OpenLayerAsync(LayerInfo layer, CancellationToken token)
        {
            var descriptor = manifest.Layers[layer.Index];
            var blob = await source.OpenBlobAsync(descriptor, token).ConfigureAwait(false);
            if (indexing && progress is not null)
            {
                blob = progress.Track(blob);
            }

            var compression = MediaTypes.CompressionOf(descriptor.MediaType);
            return LayerDecompression.Open(blob, compression, leaveOpen: false, $"layer {descriptor.Digest} of {source.Name}", limits.MaxLayerBytes);
        }

        var fileSystem = await LayeredFileSystem.BuildAsync(layers, OpenLayerAsync, limits, cancellationToken).ConfigureAwait(false);
        indexing = false;
        return new OpenedImage { ManifestDigest = manifest.Digest, Config = config, FileSystem = fileSystem };
    }
}
