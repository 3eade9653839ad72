namespace Signet.Oci.Content;

/// <summary>The descriptor that a referrers list carries for a manifest (distribution spec "Listing Referrers").</summary>
public static class ReferrerDescriptor
{
    /// <summary>Media type, digest and size of the manifest, its artifactType (else its config media type) and its annotations.</summary>
    public static Descriptor For(ManifestDocument manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var artifactType = manifest.ArtifactType ?? (manifest as ImageManifest)?.Config.MediaType;
        return manifest.ToDescriptor() with { ArtifactType = artifactType, Annotations = manifest.Annotations };
    }
}
