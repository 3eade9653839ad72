namespace Signet.Oci;

/// <summary>Pre-defined annotation keys (annotations.md).</summary>
public static class Annotations
{
    public const string RefName = "org.opencontainers.image.ref.name";
    public const string Created = "org.opencontainers.image.created";
    public const string Title = "org.opencontainers.image.title";

    /// <summary>containerd and docker save: the full image name of an index entry.</summary>
    public const string ContainerdImageName = "io.containerd.image.name";
}
