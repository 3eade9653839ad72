using Signet.Oci.Content;

namespace Signet.Oci.Layout;

/// <summary>
/// Writes an image into an OCI image layout directory. Blobs are written to a temporary file beside their final
/// place, verified, then renamed, so a failed or tampered copy never leaves a blob under a digest it does not match.
/// index.json keeps its other entries; the root is stored under <c>org.opencontainers.image.ref.name</c> = tag, and
/// manifests with a subject (referrers) get their own untagged entry so they can be found again.
/// </summary>
public sealed class OciLayoutDestination : IImageDestination
{
    private readonly string _root;
    private readonly string? _tag;
    private readonly SemaphoreSlim _indexLock = new(1, 1);
    private readonly List<Descriptor> _referrers = [];

    public OciLayoutDestination(string directory, string? tag, string name)
    {
        ArgumentNullException.ThrowIfNull(directory);
        _root = Path.GetFullPath(directory);
        _tag = tag;
        Name = name;
        if (File.Exists(_root))
        {
            throw new OciFormatException($"{name}: '{_root}' is a file; an OCI layout destination must be a directory");
        }

        Directory.CreateDirectory(_root);
        var layoutFile = Path.Combine(_root, OciLayout.LayoutFile);
        if (!File.Exists(layoutFile))
        {
            if (Directory.EnumerateFileSystemEntries(_root).Any(e => Path.GetFileName(e) is not (OciLayout.BlobsDirectory or OciLayout.IndexFile)))
            {
                throw new OciFormatException($"{name}: '{_root}' is not empty and has no '{OciLayout.LayoutFile}' file; refusing to write an image layout into it");
            }

            File.WriteAllBytes(layoutFile, [.. OciLayout.LayoutFileContent]);
        }
    }

    public string Name { get; }

    public DestinationCapabilities Capabilities { get; } = new(Indexes: true, Referrers: true);

    public Task<bool> HasBlobAsync(Descriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var info = new FileInfo(BlobFile(descriptor.Digest));
        return Task.FromResult(info.Exists && info.Length == descriptor.Size);
    }

    public async Task PutBlobAsync(Descriptor descriptor, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(content);
        var final = BlobFile(descriptor.Digest);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        var temp = $"{final}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            await using (var verifying = new VerifyingReadStream(content, descriptor, ObjectNames.For(descriptor), $"copy into {Name}", leaveOpen: true))
            {
                await verifying.CopyToAsync(file, 1 << 20, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, final, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
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
        await WriteManifestBlobAsync(root, cancellationToken).ConfigureAwait(false);
        await _indexLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var indexPath = Path.Combine(_root, OciLayout.IndexFile);
            var existing = File.Exists(indexPath)
                ? (await OciLayout.ReadIndexAsync(new DirectoryLayoutFiles(_root), cancellationToken).ConfigureAwait(false)).Manifests
                : [];
            var entries = new List<Descriptor>();
            foreach (var entry in existing)
            {
                var sameTag = _tag is not null && entry.Annotations.TryGetValue(Annotations.RefName, out var name) && name == _tag;
                var sameUntagged = !entry.Annotations.ContainsKey(Annotations.RefName) && (entry.Digest == root.Digest || _referrers.Any(r => r.Digest == entry.Digest));
                if (!sameTag && !sameUntagged)
                {
                    entries.Add(entry);
                }
            }

            var rootEntry = root.ToDescriptor();
            if (_tag is not null)
            {
                rootEntry = rootEntry with { Annotations = rootEntry.Annotations.SetItem(Annotations.RefName, _tag) };
            }

            entries.Add(rootEntry);
            entries.AddRange(_referrers);
            var temp = $"{indexPath}.{Guid.NewGuid():N}.partial";
            await File.WriteAllBytesAsync(temp, OciLayout.WriteIndex(entries), cancellationToken).ConfigureAwait(false);
            File.Move(temp, indexPath, overwrite: true);
        }
        finally
        {
            _indexLock.Release();
        }
    }

    private async Task WriteManifestBlobAsync(ManifestDocument manifest, CancellationToken cancellationToken)
    {
        var descriptor = manifest.ToDescriptor();
        if (!await HasBlobAsync(descriptor, cancellationToken).ConfigureAwait(false))
        {
            using var content = new MemoryStream(manifest.Raw.ToArray(), writable: false);
            await PutBlobAsync(descriptor, content, cancellationToken).ConfigureAwait(false);
        }
    }

    private string BlobFile(Digest digest) => Path.Combine(_root, OciLayout.BlobsDirectory, digest.Algorithm, digest.Encoded);

    public ValueTask DisposeAsync()
    {
        _indexLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
