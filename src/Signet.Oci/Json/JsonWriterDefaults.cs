using System.Text.Encodings.Web;
using System.Text.Json;

namespace Signet.Oci.Json;

/// <summary>
/// Writer settings for the JSON Signet creates (manifests, configs, index.json, manifest.json). The default encoder
/// escapes '+' as <c>\u002B</c>, so media types came out as <c>application/vnd.oci.image.manifest.v1\u002Bjson</c>:
/// valid JSON, but unlike every other tool's output and unreadable to anyone grepping a layout. These files are never
/// embedded in HTML, so the relaxed encoder (which still escapes control characters and quotes) is the right one.
/// </summary>
public static class JsonWriterDefaults
{
    public static JsonWriterOptions Compact { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonWriterOptions Indented { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };
}
