namespace Signet.Oci.Content;

/// <summary>What to call a blob in a message, from its media type.</summary>
public static class ObjectNames
{
    public static string For(Descriptor? descriptor) => descriptor?.MediaType switch
    {
        null => "blob",
        var m when MediaTypes.IsIndex(m) => "index",
        var m when MediaTypes.IsImageManifest(m) => "manifest",
        MediaTypes.OciConfig or MediaTypes.DockerConfig => "config",
        var m when m.Contains(".layer.", StringComparison.Ordinal) || m.Contains("rootfs", StringComparison.Ordinal) => "layer",
        _ => "blob",
    };
}
