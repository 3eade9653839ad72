using System.Collections.Immutable;
using Signet.Oci;
using Signet.Oci.Json;
using Signet.Testing;

namespace Signet.Registry.Tests.Client;

/// <summary>A blob with its descriptor.</summary>
internal sealed record TestBlob(Descriptor Descriptor, byte[] Content)
{
    public MemoryStream Open() => new(Content, writable: false);
}

/// <summary>Small, deterministic blobs and manifests for registry tests.</summary>
internal static class TestContent
{
    public const string EmptyConfigType = MediaTypes.OciEmpty;

    /// <summary>The OCI empty descriptor's content, <c>{}</c>.</summary>
    public static TestBlob EmptyConfig { get; } = Blob(MediaTypes.OciEmpty, "{}"u8.ToArray());

    public static TestBlob Blob(string mediaType, byte[] content) => new(Descriptor.For(mediaType, content), content);

    /// <summary><paramref name="size"/> pseudo-random bytes from <paramref name="seed"/>.</summary>
    public static TestBlob Layer(int size, int seed) => Blob(MediaTypes.OciLayer, TestBytes.Random(size, seed));

    /// <summary>An OCI image manifest over a config and layers, optionally an artifact with a subject and annotations.</summary>
    public static ManifestDocument Manifest(
        TestBlob config,
        IEnumerable<TestBlob> layers,
        string? artifactType = null,
        Descriptor? subject = null,
        ImmutableSortedDictionary<string, string>? annotations = null)
    {
        var raw = ManifestWriter.Write(
            MediaTypes.OciManifest,
            config.Descriptor,
            layers.Select(l => l.Descriptor),
            artifactType,
            subject is null ? null : subject with { ArtifactType = null, Annotations = ImmutableSortedDictionary<string, string>.Empty },
            annotations);
        return ManifestParser.Parse(raw, MediaTypes.OciManifest, "test");
    }

    public static Reference Repo(string host, string repository) => Reference.Parse($"{host}/{repository}");
}
