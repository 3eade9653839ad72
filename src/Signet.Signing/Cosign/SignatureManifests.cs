using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Signet.Oci;

namespace Signet.Signing.Cosign;

/// <summary>
/// The manifests cosign writes, byte for byte as go-containerregistry's json.Marshal produces them: descriptor fields
/// in ggcr's struct order (<c>mediaType</c>, <c>size</c>, <c>digest</c>, <c>annotations</c>, <c>artifactType</c>), map
/// keys sorted, strings escaped as Go does.
/// </summary>
internal static class SignatureManifests
{
    /// <summary>The 2-byte empty JSON object cosign uploads as the config of a bundle referrer.</summary>
    public static ReadOnlyMemory<byte> EmptyConfig { get; } = "{}"u8.ToArray();

    /// <summary>Most layers of a legacy <c>.sig</c>/<c>.att</c> manifest (cosign <c>pkg/oci/mutate</c> maxLayers).</summary>
    public const int MaxLayers = 1000;

    /// <summary>
    /// The config ggcr's <c>mutate.AppendLayers</c> gives an empty image with these layers: empty architecture and os,
    /// the zero time, one history entry per layer and the layers' digests as DiffIDs (signature layers are not compressed).
    /// </summary>
    public static byte[] LegacyConfig(IReadOnlyList<Descriptor> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var json = new StringBuilder("{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[");
        for (var i = 0; i < layers.Count; i++)
        {
            json.Append(i == 0 ? string.Empty : ",").Append("{\"created\":\"0001-01-01T00:00:00Z\"}");
        }

        json.Append("],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
        for (var i = 0; i < layers.Count; i++)
        {
            json.Append(i == 0 ? string.Empty : ",").Append(SimpleSigningPayload.GoString(layers[i].Digest.ToString()));
        }

        json.Append("]},\"config\":{}}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    /// <summary>A legacy signature or attestation manifest: OCI image manifest over <paramref name="config"/> and <paramref name="layers"/>.</summary>
    public static ImageManifest Legacy(Descriptor config, IReadOnlyList<Descriptor> layers)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(layers);
        var json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":").Append(SimpleSigningPayload.GoString(MediaTypes.OciManifest))
            .Append(",\"config\":");
        AppendDescriptor(json, config);
        json.Append(",\"layers\":[");
        for (var i = 0; i < layers.Count; i++)
        {
            json.Append(i == 0 ? string.Empty : ",");
            AppendDescriptor(json, layers[i]);
        }

        json.Append("]}");
        return Parse(json);
    }

    /// <summary>
    /// A bundle referrer as cosign v3 <c>WriteReferrer</c> writes it: <c>config</c> the empty descriptor (with cosign's
    /// <c>artifactType</c> on it), one layer per blob titled <c>&lt;alg&gt;-&lt;hex&gt;.sigstore.json</c>, the
    /// manifest annotations, the subject, and <c>artifactType</c> last.
    /// </summary>
    public static ImageManifest Referrer(string artifactType, Descriptor layer, Descriptor subject, IReadOnlyDictionary<string, string> annotations)
    {
        ArgumentNullException.ThrowIfNull(artifactType);
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(annotations);
        var config = Descriptor.For(MediaTypes.OciEmpty, EmptyConfig.Span) with { ArtifactType = artifactType };
        var titled = layer with
        {
            Annotations = layer.Annotations.SetItem(Annotations.Title, $"{layer.Digest.Algorithm}-{layer.Digest.Encoded}.sigstore.json"),
        };
        var json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":").Append(SimpleSigningPayload.GoString(MediaTypes.OciManifest))
            .Append(",\"config\":");
        AppendDescriptor(json, config);
        json.Append(",\"layers\":[");
        AppendDescriptor(json, titled);
        json.Append(']');
        if (annotations.Count > 0)
        {
            json.Append(",\"annotations\":");
            AppendMap(json, annotations);
        }

        json.Append(",\"subject\":");
        AppendDescriptor(json, new Descriptor { MediaType = subject.MediaType, Digest = subject.Digest, Size = subject.Size });
        json.Append(",\"artifactType\":").Append(SimpleSigningPayload.GoString(artifactType)).Append('}');
        return Parse(json);
    }

    /// <summary>The time in <c>org.opencontainers.image.created</c> as Go's <c>time.RFC3339</c> writes a UTC time.</summary>
    public static string Created(DateTimeOffset now) =>
        now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void AppendDescriptor(StringBuilder json, Descriptor descriptor)
    {
        json.Append("{\"mediaType\":").Append(SimpleSigningPayload.GoString(descriptor.MediaType))
            .Append(",\"size\":").Append(descriptor.Size.ToString(CultureInfo.InvariantCulture))
            .Append(",\"digest\":").Append(SimpleSigningPayload.GoString(descriptor.Digest.ToString()));
        if (descriptor.Annotations.Count > 0)
        {
            json.Append(",\"annotations\":");
            AppendMap(json, descriptor.Annotations);
        }

        if (descriptor.ArtifactType is not null)
        {
            json.Append(",\"artifactType\":").Append(SimpleSigningPayload.GoString(descriptor.ArtifactType));
        }

        json.Append('}');
    }

    private static void AppendMap(StringBuilder json, IEnumerable<KeyValuePair<string, string>> map)
    {
        json.Append('{');
        var first = true;
        foreach (var (key, value) in map.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            json.Append(first ? string.Empty : ",").Append(SimpleSigningPayload.GoString(key)).Append(':').Append(SimpleSigningPayload.GoString(value));
            first = false;
        }

        json.Append('}');
    }

    private static ImageManifest Parse(StringBuilder json) =>
        (ImageManifest)ManifestParser.Parse(Encoding.UTF8.GetBytes(json.ToString()), MediaTypes.OciManifest, "new signature manifest");

    /// <summary>Annotations as an immutable sorted map.</summary>
    public static ImmutableSortedDictionary<string, string> Sorted(IEnumerable<KeyValuePair<string, string>>? pairs) =>
        pairs is null ? ImmutableSortedDictionary<string, string>.Empty : ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, pairs);
}
