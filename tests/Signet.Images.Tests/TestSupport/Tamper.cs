using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Signet.Oci;
using Signet.Oci.Json;
using Signet.Oci.Layout;

namespace Signet.Images.Tests.TestSupport;

/// <summary>Ways to damage or craft images on disk for integrity tests.</summary>
internal static class Tamper
{
    /// <summary>Inverts one byte of a file in place.</summary>
    public static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var b = file.ReadByte();
        Assert.True(b >= 0, $"offset {offset} is past the end of {path}");
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0xff));
    }

    public static string BlobFile(string layout, Digest digest) => Path.Combine(layout, OciLayout.BlobPath(digest));

    public static byte[] ReadBlob(string layout, Digest digest) => File.ReadAllBytes(BlobFile(layout, digest));

    /// <summary>The uncompressed content of a gzip blob.</summary>
    public static byte[] Gunzip(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>
    /// Writes a self-consistent image into <paramref name="layout"/> under <paramref name="tag"/>: the config and every
    /// layer given are stored as blobs (with digests computed from their bytes) and a new OCI manifest names them.
    /// </summary>
    public static async Task<ImageManifest> WriteImageAsync(string layout, string tag, byte[] config, IReadOnlyList<(string MediaType, byte[] Content)> layers)
    {
        await using var destination = new OciLayoutDestination(layout, tag, $"oci:{layout}:{tag}");
        var configDescriptor = Descriptor.For(MediaTypes.OciConfig, config);
        await destination.PutBlobAsync(configDescriptor, new MemoryStream(config));
        var descriptors = new List<Descriptor>();
        foreach (var (mediaType, content) in layers)
        {
            var descriptor = Descriptor.For(mediaType, content);
            await destination.PutBlobAsync(descriptor, new MemoryStream(content));
            descriptors.Add(descriptor);
        }

        var raw = ManifestWriter.Write(MediaTypes.OciManifest, configDescriptor, descriptors);
        var manifest = (ImageManifest)ManifestParser.Parse(raw, MediaTypes.OciManifest, "tampered image");
        await destination.CommitAsync(manifest);
        return manifest;
    }

    /// <summary>The config of <paramref name="manifest"/> with its diff_ids replaced.</summary>
    public static byte[] ConfigWithDiffIds(string layout, ImageManifest manifest, IEnumerable<string> diffIds)
    {
        var config = JsonNode.Parse(ReadBlob(layout, manifest.Config.Digest))!.AsObject();
        config["rootfs"]!["diff_ids"] = new JsonArray([.. diffIds.Select(d => JsonValue.Create(d))]);
        return JsonSerializer.SerializeToUtf8Bytes(config);
    }

    /// <summary>The (media type, bytes) of every layer of <paramref name="manifest"/>.</summary>
    public static List<(string MediaType, byte[] Content)> Layers(string layout, ImageManifest manifest) =>
        [.. manifest.Layers.Select(l => (l.MediaType, ReadBlob(layout, l.Digest)))];
}
