using System.Text;
using Signet.Oci.Content;
using Signet.Testing;

namespace Signet.Oci.Tests.TestSupport;

/// <summary>A one-layer image (uncompressed layer) made of bytes, to exercise layouts and archives without other projects.</summary>
internal sealed record TinyImage(byte[] Config, byte[] Layer, ImageManifest Manifest)
{
    public static TinyImage Create(int seed)
    {
        var layer = TestBytes.Random(3000 + seed, seed);
        var config = Encoding.UTF8.GetBytes(
            $"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{Digest.Compute(layer)}\"]}}}}");
        var raw = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\"," +
            $"\"config\":{{\"mediaType\":\"{MediaTypes.OciConfig}\",\"digest\":\"{Digest.Compute(config)}\",\"size\":{config.Length}}}," +
            $"\"layers\":[{{\"mediaType\":\"{MediaTypes.OciLayer}\",\"digest\":\"{Digest.Compute(layer)}\",\"size\":{layer.Length}}}]}}");
        return new TinyImage(config, layer, (ImageManifest)ManifestParser.Parse(raw, MediaTypes.OciManifest, "tiny image"));
    }

    public async Task WriteAsync(IImageDestination destination)
    {
        await destination.PutBlobAsync(Manifest.Config, new MemoryStream(Config));
        await destination.PutBlobAsync(Manifest.Layers[0], new MemoryStream(Layer));
        await destination.CommitAsync(Manifest);
    }

    /// <summary>Reads every blob of the root through the source, so that every digest is checked.</summary>
    public static async Task<ImageManifest> ReadAllAsync(IImageSource source)
    {
        var root = (ImageManifest)await source.GetRootManifestAsync();
        foreach (var blob in root.Layers.Prepend(root.Config))
        {
            await using var stream = await source.OpenBlobAsync(blob);
            await TestBytes.ReadAllAsync(stream);
        }

        return root;
    }
}
