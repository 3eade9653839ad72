using System.Text.Json;
using Signet.Oci.Content;
using Signet.Oci.Json;
using Signet.Oci.Layout;

namespace Signet.Oci.Archives;

/// <summary>The two archive formats Signet writes.</summary>
public enum ArchiveFormat
{
    /// <summary>A tar of an OCI image layout (<c>oci-archive:</c>).</summary>
    Oci,

    /// <summary>
    /// A <c>docker save</c> archive in the OCI-style layout of Docker 25 and later (<c>docker-archive:</c>):
    /// <c>manifest.json</c> for docker load and skopeo, plus <c>oci-layout</c>, <c>index.json</c> and <c>blobs/</c>
    /// holding the original manifest and blobs unchanged, so digests survive a round trip.
    /// </summary>
    Docker,
}

/// <summary>
/// Writes one image into a new tar archive. Blobs stream straight into the tar (one at a time), nothing is buffered
/// whole; the archive is written beside its destination and renamed into place only by <see cref="CommitAsync"/>,
/// so a failed copy leaves no partial archive behind.
/// </summary>
public sealed class ArchiveDestination : IImageDestination
{
    private readonly string _path;
    private readonly string _temp;
    private readonly string? _tag;
    private readonly ArchiveFormat _format;
    private readonly FileStream _file;
    private readonly TarStreamWriter _tar;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly HashSet<Digest> _written = [];
    private readonly List<Descriptor> _referrers = [];
    private bool _committed;

    /// <param name="path">The archive file to create (replaced on commit if it exists).</param>
    /// <param name="tag">oci-archive: the ref.name; docker-archive: the image name for RepoTags (NAME:TAG).</param>
    /// <param name="format"></param>
    /// <param name="name"></param>
    public ArchiveDestination(string path, string? tag, ArchiveFormat format, string name)
    {
        ArgumentNullException.ThrowIfNull(path);
        _path = Path.GetFullPath(path);
        _tag = tag;
        _format = format;
        Name = name;
        if (Directory.Exists(_path))
        {
            throw new OciFormatException($"{name}: '{_path}' is a directory; an archive destination must be a file path");
        }

        var directory = Path.GetDirectoryName(_path)!;
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{name}: directory '{directory}' does not exist; create it first");
        }

        _temp = Path.Combine(directory, $".{Path.GetFileName(_path)}.{Guid.NewGuid():N}.partial");
        _file = new FileStream(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        _tar = new TarStreamWriter(_file, leaveOpen: true);
    }

    public string Name { get; }

    public DestinationCapabilities Capabilities => new(Indexes: _format == ArchiveFormat.Oci, Referrers: _format == ArchiveFormat.Oci);

    public Task<bool> HasBlobAsync(Descriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        lock (_written)
        {
            return Task.FromResult(_written.Contains(descriptor.Digest));
        }
    }

    public async Task PutBlobAsync(Descriptor descriptor, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(content);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_written.Contains(descriptor.Digest))
            {
                return;
            }

            await using var verifying = new VerifyingReadStream(content, descriptor, ObjectNames.For(descriptor), $"copy into {Name}", leaveOpen: true);
            await _tar.WriteFileAsync(OciLayout.BlobPath(descriptor.Digest), descriptor.Size, verifying, cancellationToken).ConfigureAwait(false);

            // The tar entry is complete; one more read makes the verifying stream check the digest.
            if (await verifying.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) != 0 || !verifying.Verified)
            {
                throw new DigestMismatchException($"{ObjectNames.For(descriptor)} {descriptor.Digest} copied into {Name} was not fully verified");
            }

            lock (_written)
            {
                _written.Add(descriptor.Digest);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task PutManifestAsync(ManifestDocument manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await WriteManifestBlobAsync(manifest, cancellationToken).ConfigureAwait(false);
        if (manifest.Subject is not null)
        {
            _referrers.Add(ReferrerDescriptor.For(manifest));
        }
    }

    public async Task CommitAsync(ManifestDocument root, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (_format == ArchiveFormat.Docker && root is not ImageManifest)
        {
            throw new OciFormatException($"{Name}: a docker-archive holds a single-platform image; choose one with --platform");
        }

        await WriteManifestBlobAsync(root, cancellationToken).ConfigureAwait(false);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var rootEntry = root.ToDescriptor();
            if (_tag is not null)
            {
                var parsed = TryParseDockerTag(_tag, out var reference);
                var refName = _format == ArchiveFormat.Docker && parsed ? reference.Tag ?? "latest" : _tag;
                rootEntry = rootEntry with { Annotations = rootEntry.Annotations.SetItem(Annotations.RefName, refName) };
                if (_format == ArchiveFormat.Docker)
                {
                    // As docker save writes it: the fully qualified name (docker.io/library/app:v1), not the familiar one.
                    rootEntry = rootEntry with { Annotations = rootEntry.Annotations.SetItem(Annotations.ContainerdImageName, parsed ? reference.ToString() : _tag) };
                }
            }

            await _tar.WriteFileAsync(OciLayout.LayoutFile, OciLayout.LayoutFileContent.AsMemory(), cancellationToken).ConfigureAwait(false);
            await _tar.WriteFileAsync(OciLayout.IndexFile, OciLayout.WriteIndex([rootEntry, .. _referrers]), cancellationToken).ConfigureAwait(false);
            if (_format == ArchiveFormat.Docker)
            {
                await _tar.WriteFileAsync(DockerArchiveManifest.FileName, DockerManifestJson((ImageManifest)root), cancellationToken).ConfigureAwait(false);
            }

            await _tar.FinishAsync(cancellationToken).ConfigureAwait(false);
            await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
            await _file.DisposeAsync().ConfigureAwait(false);
            File.Move(_temp, _path, overwrite: true);
            _committed = true;
        }
        finally
        {
            _lock.Release();
        }
    }

    private byte[] DockerManifestJson(ImageManifest root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Compact))
        {
            writer.WriteStartArray();
            writer.WriteStartObject();
            writer.WriteString("Config", OciLayout.BlobPath(root.Config.Digest));
            writer.WriteStartArray("RepoTags");
            if (_tag is not null)
            {
                writer.WriteStringValue(TryParseDockerTag(_tag, out var reference) ? reference.FamiliarString : _tag);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("Layers");
            foreach (var layer in root.Layers)
            {
                writer.WriteStringValue(OciLayout.BlobPath(layer.Digest));
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses a docker-archive image name; an untagged one gets <c>latest</c>, as docker save and skopeo write RepoTags.</summary>
    private static bool TryParseDockerTag(string tag, out Reference reference)
    {
        if (!Reference.TryParse(tag, out reference))
        {
            return false;
        }

        if (reference.Tag is null && reference.Digest is null)
        {
            reference = reference.WithTag("latest");
        }

        return true;
    }

    private async Task WriteManifestBlobAsync(ManifestDocument manifest, CancellationToken cancellationToken)
    {
        var descriptor = manifest.ToDescriptor();
        using var content = new MemoryStream(manifest.Raw.ToArray(), writable: false);
        await PutBlobAsync(descriptor, content, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _tar.DisposeAsync().ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
        if (!_committed)
        {
            File.Delete(_temp);
        }

        _lock.Dispose();
    }
}
