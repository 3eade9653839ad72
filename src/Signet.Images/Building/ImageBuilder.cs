using System.Collections.Immutable;
using System.IO.Compression;
using System.Text.Json;
using Signet.Oci;
using Signet.Oci.Archives;
using Signet.Oci.Compression;
using Signet.Oci.Content;
using Signet.Oci.Json;

namespace Signet.Images.Building;

/// <summary>A file to put in a layer; parent directories are added for it.</summary>
/// <param name="Path">Path inside the image, without a leading slash.</param>
/// <param name="Content">The file's bytes.</param>
/// <param name="Mode">Permission bits.</param>
public sealed record LayerFile(string Path, ReadOnlyMemory<byte> Content, int Mode = 0b110_100_100);

/// <summary>
/// Builds small, deterministic single-platform OCI images in process (same input, same digests): for the demo, for
/// tests that need a precise image, and as the base later issues build signatures on.
/// </summary>
public sealed class ImageBuilder
{
    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly List<(ImmutableArray<LayerFile> Files, LayerCompression Compression, string CreatedBy)> _layers = [];
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
    private ImmutableArray<string> _cmd = ["/bin/sh"];
    private Platform _platform = PlatformSelection.HostPlatform;

    public ImageBuilder AddLayer(IEnumerable<LayerFile> files, LayerCompression compression, string createdBy)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (compression == LayerCompression.Unknown)
        {
            throw new ArgumentException("choose None, Gzip or Zstd", nameof(compression));
        }

        _layers.Add(([.. files], compression, createdBy));
        return this;
    }

    public ImageBuilder WithLabel(string key, string value)
    {
        _labels[key] = value;
        return this;
    }

    /// <summary>The platform the config declares; the host's (<see cref="PlatformSelection.HostPlatform"/>) by default.</summary>
    public ImageBuilder WithPlatform(Platform platform)
    {
        _platform = platform ?? throw new ArgumentNullException(nameof(platform));
        return this;
    }

    public ImageBuilder WithCmd(params string[] cmd)
    {
        _cmd = [.. cmd];
        return this;
    }

    /// <summary>Writes config, layers and manifest to <paramref name="destination"/> and commits; returns the manifest.</summary>
    public async Task<ImageManifest> WriteAsync(IImageDestination destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var layers = ImmutableArray.CreateBuilder<Descriptor>();
        var diffIds = ImmutableArray.CreateBuilder<Digest>();
        foreach (var (files, compression, _) in _layers)
        {
            var tar = await TarAsync(files, cancellationToken).ConfigureAwait(false);
            diffIds.Add(Digest.Compute(tar));
            var blob = Compress(tar, compression);
            var mediaType = compression switch
            {
                LayerCompression.Gzip => MediaTypes.OciLayerGzip,
                LayerCompression.Zstd => MediaTypes.OciLayerZstd,
                _ => MediaTypes.OciLayer,
            };
            var descriptor = Descriptor.For(mediaType, blob);
            layers.Add(descriptor);
            using var content = new MemoryStream(blob, writable: false);
            await destination.PutBlobAsync(descriptor, content, cancellationToken).ConfigureAwait(false);
        }

        var config = BuildConfig(diffIds.ToImmutable());
        var configDescriptor = Descriptor.For(MediaTypes.OciConfig, config);
        using (var content = new MemoryStream(config, writable: false))
        {
            await destination.PutBlobAsync(configDescriptor, content, cancellationToken).ConfigureAwait(false);
        }

        var raw = ManifestWriter.Write(MediaTypes.OciManifest, configDescriptor, layers);
        var manifest = (ImageManifest)ManifestParser.Parse(raw, MediaTypes.OciManifest, "image builder");
        await destination.CommitAsync(manifest, cancellationToken).ConfigureAwait(false);
        return manifest;
    }

    private static async Task<byte[]> TarAsync(ImmutableArray<LayerFile> files, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using (var tar = new TarStreamWriter(buffer, leaveOpen: true))
        {
            var directories = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var parts = file.Path.Split('/');
                for (var i = 1; i < parts.Length; i++)
                {
                    directories.Add(string.Join('/', parts[..i]) + "/");
                }
            }

            foreach (var directory in directories)
            {
                await tar.WriteDirectoryAsync(directory, cancellationToken).ConfigureAwait(false);
            }

            foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                await tar.WriteFileAsync(file.Path, file.Content, cancellationToken).ConfigureAwait(false);
            }

            await tar.FinishAsync(cancellationToken).ConfigureAwait(false);
        }

        return buffer.ToArray();
    }

    private static byte[] Compress(byte[] tar, LayerCompression compression)
    {
        if (compression == LayerCompression.None)
        {
            return tar;
        }

        using var output = new MemoryStream();
        using (Stream compressor = compression == LayerCompression.Gzip
            ? new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)
            : new ZstdCompressionStream(output, level: 3, leaveOpen: true))
        {
            compressor.Write(tar);
        }

        return output.ToArray();
    }

    private byte[] BuildConfig(ImmutableArray<Digest> diffIds)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Compact))
        {
            writer.WriteStartObject();
            writer.WriteString("created", Epoch);
            writer.WriteString("architecture", _platform.Architecture);
            writer.WriteString("os", _platform.Os);
            if (_platform.Variant is not null)
            {
                writer.WriteString("variant", _platform.Variant);
            }

            writer.WriteStartObject("config");
            writer.WriteStartArray("Env");
            writer.WriteStringValue("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            writer.WriteEndArray();
            writer.WriteStartArray("Cmd");
            foreach (var part in _cmd)
            {
                writer.WriteStringValue(part);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("Labels");
            foreach (var (key, value) in _labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteStartObject("rootfs");
            writer.WriteString("type", "layers");
            writer.WriteStartArray("diff_ids");
            foreach (var diffId in diffIds)
            {
                writer.WriteStringValue(diffId.ToString());
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteStartArray("history");
            foreach (var layer in _layers)
            {
                writer.WriteStartObject();
                writer.WriteString("created", Epoch);
                writer.WriteString("created_by", layer.CreatedBy);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
