using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Signet.Oci.Compression;
using Signet.Oci.Content;
using Signet.Oci.Json;
using Signet.Oci.Layout;

namespace Signet.Oci.Archives;

/// <summary>
/// Reads an image from a <c>docker save</c> archive. When the archive is the OCI-style one (Docker 25 and later, and
/// Signet's own), the stored manifest is used as it is, so its digest survives a round trip. For the legacy layout a
/// Docker v2 schema 2 manifest is built from <c>manifest.json</c> and the config: each uncompressed layer's digest is
/// its DiffID from the config (whose digest pins it), so every byte is still checked when it is read.
/// </summary>
public sealed class DockerArchiveSource : IImageSource
{
    private readonly TarIndex _tar;
    private readonly ImmutableDictionary<Digest, string> _blobPaths;
    private readonly ManifestDocument _root;
    private readonly OciLayoutSource? _layout;

    private DockerArchiveSource(string name, TarIndex tar, ManifestDocument root, ImmutableDictionary<Digest, string> blobPaths, OciLayoutSource? layout)
    {
        Name = name;
        _tar = tar;
        _root = root;
        _blobPaths = blobPaths;
        _layout = layout;
    }

    public string Name { get; }

    /// <summary>Opens the archive and selects an image by <c>RepoTags</c> entry, by <c>@N</c> position, or the only one.</summary>
    public static async Task<DockerArchiveSource> OpenAsync(string path, string? reference, string name, CancellationToken cancellationToken = default)
    {
        var tar = TarIndex.Open(path, name);
        var entry = await SelectAsync(tar, reference, name, cancellationToken).ConfigureAwait(false);
        var configPath = Normalise(entry.Config, name);
        var configEntry = Resolve(tar, configPath, name, "config");
        if (configEntry.Length > ManifestParser.MaxConfigBytes)
        {
            throw new OciFormatException($"{name}: config '{configPath}' is {configEntry.Length} bytes; at most {ManifestParser.MaxConfigBytes} are accepted");
        }

        byte[] configBytes;
        await using (var configStream = tar.OpenEntry(configEntry))
        {
            configBytes = await BlobReader.ReadBoundedAsync(configStream, ManifestParser.MaxConfigBytes, $"{name}: {configPath}", cancellationToken).ConfigureAwait(false);
        }

        var configDigest = Digest.Compute(configBytes);
        if (tar.TryResolve(OciLayout.LayoutFile, out _) && tar.TryResolve(OciLayout.IndexFile, out _))
        {
            var layout = new OciLayoutSource(new TarLayoutFiles(tar, name), tag: null, name);
            var stored = await FindStoredManifestAsync(layout, configDigest, cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                return new DockerArchiveSource(name, tar, stored, ImmutableDictionary<Digest, string>.Empty, layout);
            }
        }

        var config = ManifestParser.ParseConfig(configBytes, $"{name}: {configPath}");
        if (config.DiffIds.Length != entry.Layers.Length)
        {
            throw new OciFormatException($"{name}: manifest.json lists {entry.Layers.Length} layers but the config has {config.DiffIds.Length} diff_ids; the archive is inconsistent");
        }

        var paths = ImmutableDictionary.CreateBuilder<Digest, string>();
        paths[configDigest] = configPath;
        var layers = ImmutableArray.CreateBuilder<Descriptor>(entry.Layers.Length);
        for (var i = 0; i < entry.Layers.Length; i++)
        {
            var layerPath = Normalise(entry.Layers[i], name);
            var layerEntry = Resolve(tar, layerPath, name, $"layer {i}");
            var compression = await DetectAsync(tar, layerEntry, cancellationToken).ConfigureAwait(false);
            Digest digest;
            string mediaType;
            if (compression == LayerCompression.None)
            {
                digest = config.DiffIds[i];
                mediaType = MediaTypes.DockerLayer;
            }
            else
            {
                await using var stream = tar.OpenEntry(layerEntry);
                using var hash = Digest.CreateHasher(Digest.Sha256);
                await HashAsync(stream, hash, cancellationToken).ConfigureAwait(false);
                digest = Digest.FromHash(Digest.Sha256, hash.GetHashAndReset());
                mediaType = compression == LayerCompression.Gzip ? MediaTypes.DockerLayerGzip : MediaTypes.DockerLayerZstd;
            }

            paths[digest] = layerPath;
            layers.Add(new Descriptor { MediaType = mediaType, Digest = digest, Size = layerEntry.Length });
        }

        var raw = ManifestWriter.Write(
            MediaTypes.DockerManifest,
            new Descriptor { MediaType = MediaTypes.DockerConfig, Digest = configDigest, Size = configBytes.Length },
            layers,
            indented: true);
        var manifest = ManifestParser.Parse(raw, MediaTypes.DockerManifest, name);
        return new DockerArchiveSource(name, tar, manifest, paths.ToImmutable(), layout: null);
    }

    public Task<ManifestDocument> GetRootManifestAsync(CancellationToken cancellationToken = default) => Task.FromResult(_root);

    public Task<ManifestDocument> GetManifestAsync(Descriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Digest == _root.Digest)
        {
            return Task.FromResult(_root);
        }

        return _layout is not null
            ? _layout.GetManifestAsync(descriptor, cancellationToken)
            : throw new BlobNotFoundException(descriptor, Name);
    }

    public Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (_layout is not null)
        {
            return _layout.OpenBlobAsync(descriptor, cancellationToken);
        }

        if (!_blobPaths.TryGetValue(descriptor.Digest, out var path) || !_tar.TryResolve(path, out var entry))
        {
            throw new BlobNotFoundException(descriptor, Name);
        }

        return Task.FromResult<Stream>(new VerifyingReadStream(_tar.OpenEntry(entry), descriptor, ObjectNames.For(descriptor), $"{Name} ({path})"));
    }

    public async IAsyncEnumerable<Descriptor> GetReferrersAsync(Digest subject, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_layout is null)
        {
            yield break;
        }

        await foreach (var referrer in _layout.GetReferrersAsync(subject, cancellationToken).ConfigureAwait(false))
        {
            yield return referrer;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static async Task<DockerArchiveManifest> SelectAsync(TarIndex tar, string? reference, string name, CancellationToken cancellationToken)
    {
        if (!tar.TryResolve(DockerArchiveManifest.FileName, out var manifestEntry))
        {
            throw new OciFormatException($"{name} has no {DockerArchiveManifest.FileName}: it is not a docker-archive (docker save) file");
        }

        byte[] raw;
        await using (var stream = tar.OpenEntry(manifestEntry))
        {
            raw = await BlobReader.ReadBoundedAsync(stream, ManifestParser.MaxManifestBytes, $"{name}/{DockerArchiveManifest.FileName}", cancellationToken).ConfigureAwait(false);
        }

        var entries = DockerArchiveManifest.Parse(raw, name);
        if (entries.IsEmpty)
        {
            throw new OciFormatException($"{name}: {DockerArchiveManifest.FileName} lists no images");
        }

        if (reference is null)
        {
            return entries.Length == 1
                ? entries[0]
                : throw new OciFormatException($"{name} holds {entries.Length} images; name one as docker-archive:FILE:NAME:TAG or docker-archive:FILE:@N. Tags: {string.Join(", ", entries.SelectMany(e => e.RepoTags))}");
        }

        if (reference.StartsWith('@'))
        {
            return int.TryParse(reference.AsSpan(1), out var position) && position >= 0 && position < entries.Length
                ? entries[position]
                : throw new OciFormatException($"{name}: '{reference}' is not an image position; use @0 to @{entries.Length - 1}");
        }

        var wanted = Reference.TryParse(reference, out var parsed) ? parsed.ToString() : reference;
        foreach (var entry in entries)
        {
            foreach (var tag in entry.RepoTags)
            {
                if (tag == reference || (Reference.TryParse(tag, out var candidate) && candidate.ToString() == wanted))
                {
                    return entry;
                }
            }
        }

        throw new OciFormatException($"{name} has no image tagged '{reference}'. Tags: {string.Join(", ", entries.SelectMany(e => e.RepoTags))}");
    }

    private static async Task<ManifestDocument?> FindStoredManifestAsync(OciLayoutSource layout, Digest configDigest, CancellationToken cancellationToken)
    {
        var index = await layout.GetLayoutIndexAsync(cancellationToken).ConfigureAwait(false);
        foreach (var entry in index.Manifests)
        {
            var document = await layout.GetManifestAsync(entry, cancellationToken).ConfigureAwait(false);
            if (document is ImageManifest manifest && manifest.Config.Digest == configDigest)
            {
                return manifest;
            }

            if (document is ImageIndex nested)
            {
                foreach (var child in nested.Manifests.Where(m => MediaTypes.IsImageManifest(m.MediaType)))
                {
                    if (await layout.GetManifestAsync(child, cancellationToken).ConfigureAwait(false) is ImageManifest m && m.Config.Digest == configDigest)
                    {
                        return m;
                    }
                }
            }
        }

        return null;
    }

    private static string Normalise(string path, string name)
    {
        if (path.Length == 0 || path.StartsWith('/') || path.Split('/').Any(p => p == ".."))
        {
            throw new OciFormatException($"{name}: manifest.json names '{path}', which leaves the archive; the archive is malformed or hostile");
        }

        return path.StartsWith("./", StringComparison.Ordinal) ? path[2..] : path;
    }

    private static TarIndexEntry Resolve(TarIndex tar, string path, string name, string what) =>
        tar.TryResolve(path, out var entry)
            ? entry
            : throw new OciFormatException($"{name}: {what} '{path}' named in manifest.json is not in the archive");

    private static async Task<LayerCompression> DetectAsync(TarIndex tar, TarIndexEntry entry, CancellationToken cancellationToken)
    {
        await using var stream = tar.OpenEntry(entry);
        var header = new byte[4];
        var filled = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return LayerDecompression.Detect(header.AsSpan(0, filled));
    }

    private static async Task HashAsync(Stream stream, System.Security.Cryptography.IncrementalHash hash, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, n);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
