using System.Text.Json;
using Signet.Oci.Json;

namespace Signet.Oci;

/// <summary>Parses manifests, indexes and image configs from their exact bytes.</summary>
public static class ManifestParser
{
    /// <summary>Largest manifest or index accepted (the distribution spec's recommended 4 MiB).</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>Largest image config accepted.</summary>
    public const int MaxConfigBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Parses a manifest or an index. <paramref name="contentType"/> is the transport's media type (registry
    /// Content-Type or descriptor mediaType), used when the document has no <c>mediaType</c> field.
    /// </summary>
    public static ManifestDocument Parse(ReadOnlyMemory<byte> raw, string? contentType, string where)
    {
        ArgumentNullException.ThrowIfNull(where);
        if (raw.Length > MaxManifestBytes)
        {
            throw new OciFormatException($"manifest from {where} is {raw.Length} bytes; at most {MaxManifestBytes} are accepted");
        }

        var digest = Digest.Compute(raw.Span);
        var name = $"manifest {digest} from {where}";
        var fields = JsonFields.For(name);
        using var document = fields.Parse(raw);
        var root = fields.RequireObject(document.RootElement, "$");
        var declared = fields.OptionalString(root, "mediaType", string.Empty);
        if (declared is MediaTypes.DockerSchema1Manifest or MediaTypes.DockerSchema1SignedManifest ||
            contentType is MediaTypes.DockerSchema1Manifest or MediaTypes.DockerSchema1SignedManifest)
        {
            throw new OciFormatException($"{name} is a Docker schema 1 manifest, which is deprecated and unsupported; re-push the image with a current client");
        }

        // Compared as read: a cast to int first would turn 4294967298 into 2 and accept it.
        var version = fields.RequiredInt64(root, "schemaVersion", string.Empty);
        if (version == 1)
        {
            throw new OciFormatException($"{name} is a Docker schema 1 manifest (schemaVersion 1), which is deprecated and unsupported; re-push the image with a current client");
        }

        if (version != 2)
        {
            throw new OciFormatException($"{name} has schemaVersion {version}; only 2 is supported");
        }

        const int schemaVersion = 2;

        var contentIsManifest = MediaTypes.IsManifest(contentType);
        if (declared is not null && contentIsManifest && declared != contentType)
        {
            throw new OciFormatException($"{name} declares mediaType '{declared}' but was served as '{contentType}'; refusing an ambiguous document");
        }

        var mediaType = declared ?? (contentIsManifest ? contentType! : Infer(root));
        if (!MediaTypes.IsManifest(mediaType))
        {
            throw new OciFormatException($"{name} has unsupported media type '{mediaType}'; expected an OCI or Docker v2 manifest or index");
        }

        var subject = fields.OptionalDescriptor(root, "subject", string.Empty);
        var artifactType = fields.OptionalString(root, "artifactType", string.Empty);
        var annotations = fields.OptionalStringMap(root, "annotations", string.Empty);
        if (MediaTypes.IsIndex(mediaType))
        {
            if (StrictJson.TryGet(root, "layers", out _) || StrictJson.TryGet(root, "config", out _))
            {
                throw new OciFormatException($"{name} is an index but also has 'config' or 'layers'; refusing an ambiguous document");
            }

            return new ImageIndex
            {
                Raw = raw,
                Digest = digest,
                MediaType = mediaType,
                DeclaredMediaType = declared,
                SchemaVersion = schemaVersion,
                ArtifactType = artifactType,
                Subject = subject,
                Annotations = annotations,
                Manifests = fields.DescriptorArray(root, "manifests", string.Empty, required: true),
            };
        }

        if (StrictJson.TryGet(root, "manifests", out _))
        {
            throw new OciFormatException($"{name} is an image manifest but also has 'manifests'; refusing an ambiguous document");
        }

        return new ImageManifest
        {
            Raw = raw,
            Digest = digest,
            MediaType = mediaType,
            DeclaredMediaType = declared,
            SchemaVersion = schemaVersion,
            ArtifactType = artifactType,
            Subject = subject,
            Annotations = annotations,
            Config = fields.RequiredDescriptor(root, "config", string.Empty),
            Layers = fields.DescriptorArray(root, "layers", string.Empty, required: mediaType == MediaTypes.DockerManifest),
        };
    }

    /// <summary>Parses a manifest and checks that its bytes hash to <paramref name="expected"/>.</summary>
    public static ManifestDocument Parse(ReadOnlyMemory<byte> raw, Descriptor expected, string where)
    {
        ArgumentNullException.ThrowIfNull(expected);
        Verify(raw.Span, expected, "manifest", where);
        var document = Parse(raw, expected.MediaType, where);
        return document;
    }

    /// <summary>Checks size and digest of a fully read blob.</summary>
    public static void Verify(ReadOnlySpan<byte> content, Descriptor expected, string objectName, string where)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (content.Length != expected.Size)
        {
            throw new DigestMismatchException(objectName, expected.Digest, expected.Size, content.Length, where);
        }

        var actual = Digest.Compute(content, expected.Digest.Algorithm);
        if (actual != expected.Digest)
        {
            throw new DigestMismatchException(objectName, expected.Digest, actual, where);
        }
    }

    /// <summary>Parses an image config; the caller has verified the bytes against the manifest's config descriptor.</summary>
    public static ImageConfig ParseConfig(ReadOnlyMemory<byte> raw, string where)
    {
        ArgumentNullException.ThrowIfNull(where);
        if (raw.Length > MaxConfigBytes)
        {
            throw new OciFormatException($"image config from {where} is {raw.Length} bytes; at most {MaxConfigBytes} are accepted");
        }

        var digest = Digest.Compute(raw.Span);
        var name = $"image config {digest} from {where}";
        var fields = JsonFields.For(name);
        using var document = fields.Parse(raw);
        var root = fields.RequireObject(document.RootElement, "$");
        var diffIds = System.Collections.Immutable.ImmutableArray<Digest>.Empty;
        string? rootFsType = null;
        if (StrictJson.TryGet(root, "rootfs", out var rootfs))
        {
            fields.RequireObject(rootfs, "rootfs");
            rootFsType = fields.OptionalString(rootfs, "type", "rootfs");
            var ids = fields.OptionalStringArray(rootfs, "diff_ids", "rootfs");
            var builder = System.Collections.Immutable.ImmutableArray.CreateBuilder<Digest>(ids.Length);
            for (var i = 0; i < ids.Length; i++)
            {
                builder.Add(Digest.TryParse(ids[i], out var d, out var error)
                    ? d
                    : throw fields.Error($"rootfs.diff_ids[{i}]", $"is not a valid digest: {error}"));
            }

            diffIds = builder.MoveToImmutable();
        }

        var history = fields.OptionalArray(root, "history", string.Empty);
        var historyBuilder = System.Collections.Immutable.ImmutableArray.CreateBuilder<HistoryEntry>(history.Length);
        for (var i = 0; i < history.Length; i++)
        {
            var path = $"history[{i}]";
            var entry = fields.RequireObject(history[i], path);
            historyBuilder.Add(new HistoryEntry
            {
                Created = fields.OptionalTime(entry, "created", path),
                CreatedBy = fields.OptionalString(entry, "created_by", path),
                Author = fields.OptionalString(entry, "author", path),
                Comment = fields.OptionalString(entry, "comment", path),
                EmptyLayer = fields.OptionalBool(entry, "empty_layer", path),
            });
        }

        var config = new ImageConfig
        {
            Raw = raw,
            Digest = digest,
            Os = fields.OptionalString(root, "os", string.Empty),
            Architecture = fields.OptionalString(root, "architecture", string.Empty),
            Variant = fields.OptionalString(root, "variant", string.Empty),
            OsVersion = fields.OptionalString(root, "os.version", string.Empty),
            Created = fields.OptionalTime(root, "created", string.Empty),
            Author = fields.OptionalString(root, "author", string.Empty),
            RootFsType = rootFsType,
            DiffIds = diffIds,
            History = historyBuilder.MoveToImmutable(),
        };
        if (StrictJson.TryGet(root, "config", out var exec))
        {
            fields.RequireObject(exec, "config");
            config = config with
            {
                Env = fields.OptionalStringArray(exec, "Env", "config"),
                Entrypoint = fields.OptionalStringArray(exec, "Entrypoint", "config"),
                Cmd = fields.OptionalStringArray(exec, "Cmd", "config"),
                User = fields.OptionalString(exec, "User", "config"),
                WorkingDir = fields.OptionalString(exec, "WorkingDir", "config"),
                Labels = fields.OptionalStringMap(exec, "Labels", "config"),
            };
        }

        return config;
    }

    private static string Infer(JsonElement root) =>
        StrictJson.TryGet(root, "manifests", out _) ? MediaTypes.OciIndex
        : StrictJson.TryGet(root, "config", out _) ? MediaTypes.OciManifest
        : "(none)";
}
