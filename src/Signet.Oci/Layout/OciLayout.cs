using System.Collections.Immutable;
using System.Text.Json;
using Signet.Oci.Json;

namespace Signet.Oci.Layout;

/// <summary>The fixed names and rules of the OCI image layout (image-layout.md).</summary>
public static class OciLayout
{
    public const string LayoutFile = "oci-layout";
    public const string IndexFile = "index.json";
    public const string BlobsDirectory = "blobs";
    public const string LayoutVersion = "1.0.0";

    /// <summary>The layout-relative path of a blob: <c>blobs/&lt;alg&gt;/&lt;encoded&gt;</c>.</summary>
    public static string BlobPath(Digest digest) => $"{BlobsDirectory}/{digest.Algorithm}/{digest.Encoded}";

    /// <summary>Reads and validates <c>oci-layout</c> and <c>index.json</c>.</summary>
    public static async Task<ImageIndex> ReadIndexAsync(ILayoutFiles files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var where = $"image layout {files.Location}";
        await using (var layoutStream = files.OpenFile(LayoutFile)
            ?? throw new OciFormatException($"{where} has no '{LayoutFile}' file: it is not an OCI image layout"))
        {
            var bytes = await Content.BlobReader.ReadBoundedAsync(layoutStream, 64 * 1024, $"{where}/{LayoutFile}", cancellationToken).ConfigureAwait(false);
            var fields = JsonFields.For($"{where}/{LayoutFile}");
            using var document = fields.Parse(bytes);
            var version = fields.RequiredString(fields.RequireObject(document.RootElement, "$"), "imageLayoutVersion", string.Empty);
            if (!version.StartsWith("1.", StringComparison.Ordinal))
            {
                throw new OciFormatException($"{where}: imageLayoutVersion '{version}' is not supported; expected 1.x");
            }
        }

        await using var indexStream = files.OpenFile(IndexFile)
            ?? throw new OciFormatException($"{where} has no '{IndexFile}'; the layout is incomplete");
        var raw = await Content.BlobReader.ReadBoundedAsync(indexStream, ManifestParser.MaxManifestBytes, $"{where}/{IndexFile}", cancellationToken).ConfigureAwait(false);
        var parsed = ManifestParser.Parse(raw, MediaTypes.OciIndex, $"{where}/{IndexFile}");
        return parsed as ImageIndex
            ?? throw new OciFormatException($"{where}/{IndexFile} is not an image index");
    }

    /// <summary>
    /// Picks the index entry for <paramref name="tag"/> (matched against <c>org.opencontainers.image.ref.name</c>, or a
    /// digest), or the only entry when no tag is given.
    /// </summary>
    public static Descriptor SelectEntry(ImageIndex index, string? tag, string where)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (tag is not null && Digest.TryParse(tag, out var digest))
        {
            return index.Manifests.FirstOrDefault(d => d.Digest == digest)
                ?? throw new OciFormatException($"{where}: no manifest {digest} in index.json");
        }

        if (tag is null)
        {
            var candidates = index.Manifests.Where(d => d.ArtifactType is null && !IsAttachmentTag(d)).ToList();
            return candidates.Count switch
            {
                1 => candidates[0],
                0 => throw new OciFormatException($"{where}: index.json lists no manifests; the layout holds no image"),
                _ => throw new OciFormatException($"{where} holds {candidates.Count} images; name one as oci:DIR:TAG. Tags: {DescribeTags(index)}"),
            };
        }

        var matches = index.Manifests.Where(d => d.Annotations.TryGetValue(Annotations.RefName, out var name) && name == tag).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new OciFormatException($"{where} has no image tagged '{tag}'. Tags: {DescribeTags(index)}"),
            _ => throw new OciFormatException($"{where} has {matches.Count} index.json entries tagged '{tag}'; the layout is ambiguous"),
        };
    }

    /// <summary>
    /// True for an entry tagged by cosign's attachment convention (<c>sha256-&lt;hex&gt;.sig</c>, <c>.att</c>, <c>.sbom</c>):
    /// signatures kept beside an image are not another image to choose from.
    /// </summary>
    public static bool IsAttachmentTag(Descriptor entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!entry.Annotations.TryGetValue(Annotations.RefName, out var name))
        {
            return false;
        }

        var dash = name.IndexOf('-', StringComparison.Ordinal);
        var dot = name.LastIndexOf('.');
        return dash > 0 && dot > dash + 1
            && name.AsSpan(dot + 1) is "sig" or "att" or "sbom"
            && Digest.TryParse($"{name[..dash]}:{name[(dash + 1)..dot]}", out _);
    }

    private static string DescribeTags(ImageIndex index)
    {
        var tags = index.Manifests
            .Select(d => d.Annotations.GetValueOrDefault(Annotations.RefName))
            .Where(t => t is not null)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return tags.Count == 0 ? "(none)" : string.Join(", ", tags);
    }

    /// <summary>Serialises an index.json for a layout with the given entries.</summary>
    public static byte[] WriteIndex(IEnumerable<Descriptor> manifests)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Compact))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.OciIndex);
            writer.WritePropertyName("manifests");
            writer.WriteStartArray();
            foreach (var descriptor in manifests)
            {
                DescriptorJson.Write(writer, descriptor);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The content of the <c>oci-layout</c> file.</summary>
    public static ImmutableArray<byte> LayoutFileContent { get; } = [.. """{"imageLayoutVersion":"1.0.0"}"""u8];
}
