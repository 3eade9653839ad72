using Signet.Oci;

namespace Signet.Images.Transports;

/// <summary>The transports an image name can select, by prefix as skopeo does.</summary>
public enum TransportKind
{
    /// <summary><c>docker://REF</c> or a bare reference: an OCI distribution registry.</summary>
    Registry,

    /// <summary><c>oci:DIR[:TAG]</c>: an OCI image layout directory.</summary>
    OciLayout,

    /// <summary><c>oci-archive:FILE[:TAG]</c>: a tar of an OCI image layout.</summary>
    OciArchive,

    /// <summary><c>docker-archive:FILE[:REF]</c>: a <c>docker save</c> tar.</summary>
    DockerArchive,
}

/// <summary>A parsed, transport-qualified image name.</summary>
public sealed record ImageName
{
    public required TransportKind Transport { get; init; }

    /// <summary>The registry reference, for <see cref="TransportKind.Registry"/>.</summary>
    public Reference? Reference { get; init; }

    /// <summary>The directory or file, for layouts and archives.</summary>
    public string? Path { get; init; }

    /// <summary>The tag, ref name, image name or <c>@N</c> position within a layout or archive; null for the only image.</summary>
    public string? Tag { get; init; }

    /// <summary>The name as the user gave it.</summary>
    public required string Original { get; init; }

    public override string ToString() => Original;

    /// <summary>
    /// Parses <c>oci:DIR[:TAG]</c>, <c>oci-archive:FILE[:TAG]</c>, <c>docker-archive:FILE[:REF]</c>, <c>docker://REF</c>
    /// or a bare registry reference such as <c>alpine:3.20</c> or <c>localhost:5000/app@sha256:...</c>.
    /// </summary>
    public static ImageName Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            throw new FormatException("image name is empty; give a reference such as registry.example/app:tag or oci:DIR:TAG");
        }

        if (value.StartsWith("docker://", StringComparison.Ordinal))
        {
            return Registry(value, value["docker://".Length..]);
        }

        foreach (var (prefix, kind) in Prefixes)
        {
            if (!value.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = value[prefix.Length..];
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            var path = colon < 0 ? rest : rest[..colon];
            var tag = colon < 0 ? null : rest[(colon + 1)..];
            if (path.Length == 0)
            {
                throw new FormatException($"'{value}' names no path; use {prefix}PATH[:TAG]");
            }

            if (tag is { Length: 0 })
            {
                throw new FormatException($"'{value}' ends with ':' but names no tag; drop the ':' or add a tag");
            }

            if (kind == TransportKind.DockerArchive)
            {
                // FILE@N is accepted for FILE:@N, but only with digits after the '@': '@' is legal in file names.
                var at = path.LastIndexOf('@');
                if (tag is null && at > 0 && at < path.Length - 1 && path.AsSpan(at + 1).ContainsAnyExceptInRange('0', '9') is false)
                {
                    (path, tag) = (path[..at], path[at..]);
                }

                ValidateDockerArchiveReference(value, tag);
            }

            return new ImageName { Transport = kind, Path = path, Tag = tag, Original = value };
        }

        var known = value.IndexOf(':', StringComparison.Ordinal) is var c and > 0 ? value[..c] : null;
        if (known is "dir" or "docker-daemon" or "containers-storage" or "sif" or "ostree" or "tarball" or "atomic")
        {
            throw new FormatException($"transport '{known}:' is not supported; use oci:, oci-archive:, docker-archive: or docker://");
        }

        return Registry(value, value);
    }

    /// <summary>A docker-archive image is named by <c>@N</c> (its position) or by a tagged reference, never by a digest (as skopeo).</summary>
    private static void ValidateDockerArchiveReference(string value, string? tag)
    {
        if (tag is null)
        {
            return;
        }

        if (tag.StartsWith('@'))
        {
            if (tag.Length == 1 || tag.AsSpan(1).ContainsAnyExceptInRange('0', '9') || !int.TryParse(tag.AsSpan(1), out _))
            {
                throw new FormatException($"'{value}': '{tag}' is not an image position; use docker-archive:FILE:@N with N = 0, 1, ...");
            }

            return;
        }

        if (!Oci.Reference.TryParse(tag, out var reference, out var error))
        {
            throw new FormatException($"'{value}': '{tag}' is not a valid image reference: {error}; use docker-archive:FILE:NAME:TAG or docker-archive:FILE:@N");
        }

        if (reference.Digest is not null)
        {
            throw new FormatException($"'{value}': a docker-archive reference must not name a digest; use docker-archive:FILE:NAME:TAG or docker-archive:FILE:@N");
        }
    }

    private static readonly (string Prefix, TransportKind Kind)[] Prefixes =
    [
        ("oci-archive:", TransportKind.OciArchive),
        ("oci:", TransportKind.OciLayout),
        ("docker-archive:", TransportKind.DockerArchive),
    ];

    private static ImageName Registry(string original, string reference) =>
        Oci.Reference.TryParse(reference, out var parsed, out var error)
            ? new ImageName { Transport = TransportKind.Registry, Reference = parsed, Original = original }
            : throw new FormatException($"'{original}' is not a valid image reference: {error}");
}
