using System.Collections.Immutable;
using Signet.Oci.Content;

namespace Signet.Oci.Layout;

/// <summary>
/// Writes into an OCI image layout directory: blobs through a temporary file that is verified before it is renamed
/// under its digest, and index.json edits written whole and renamed into place.
/// </summary>
public sealed class OciLayoutWriter : IDisposable
{
    private readonly SemaphoreSlim _indexLock = new(1, 1);

    /// <summary>Opens (creating if needed) a layout directory; refuses a non-empty directory that is not a layout.</summary>
    public OciLayoutWriter(string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Root = Path.GetFullPath(directory);
        Name = name;
        if (File.Exists(Root))
        {
            throw new OciFormatException($"{name}: '{Root}' is a file; an OCI layout must be a directory");
        }

        Directory.CreateDirectory(Root);
        var layoutFile = Path.Combine(Root, OciLayout.LayoutFile);
        if (!File.Exists(layoutFile))
        {
            if (Directory.EnumerateFileSystemEntries(Root).Any(e => Path.GetFileName(e) is not (OciLayout.BlobsDirectory or OciLayout.IndexFile)))
            {
                throw new OciFormatException($"{name}: '{Root}' is not empty and has no '{OciLayout.LayoutFile}' file; refusing to write an image layout into it");
            }

            File.WriteAllBytes(layoutFile, [.. OciLayout.LayoutFileContent]);
        }
    }

    public string Root { get; }

    public string Name { get; }

    /// <summary>True when a blob of the descriptor's size is stored under its digest.</summary>
    public bool HasBlob(Descriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var info = new FileInfo(BlobFile(descriptor.Digest));
        return info.Exists && info.Length == descriptor.Size;
    }

    /// <summary>Stores a blob read to its end from <paramref name="content"/>, verified against the descriptor before it becomes visible.</summary>
    public async Task WriteBlobAsync(Descriptor descriptor, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(content);
        var final = BlobFile(descriptor.Digest);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        var temp = $"{final}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            await using (var verifying = new VerifyingReadStream(content, descriptor, ObjectNames.For(descriptor), $"write into {Name}", leaveOpen: true))
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

    /// <summary>Stores a manifest's exact bytes as a blob (unless present).</summary>
    public async Task WriteManifestBlobAsync(ManifestDocument manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var descriptor = manifest.ToDescriptor();
        if (!HasBlob(descriptor))
        {
            using var content = new MemoryStream(manifest.Raw.ToArray(), writable: false);
            await WriteBlobAsync(descriptor, content, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Rewrites index.json with the entries <paramref name="edit"/> returns for the current ones.</summary>
    public async Task UpdateIndexAsync(Func<ImmutableArray<Descriptor>, IEnumerable<Descriptor>> edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        await _indexLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var indexPath = Path.Combine(Root, OciLayout.IndexFile);
            var existing = File.Exists(indexPath)
                ? (await OciLayout.ReadIndexAsync(new DirectoryLayoutFiles(Root), cancellationToken).ConfigureAwait(false)).Manifests
                : [];
            var temp = $"{indexPath}.{Guid.NewGuid():N}.partial";
            await File.WriteAllBytesAsync(temp, OciLayout.WriteIndex(edit(existing)), cancellationToken).ConfigureAwait(false);
            File.Move(temp, indexPath, overwrite: true);
        }
        finally
        {
            _indexLock.Release();
        }
    }

    /// <summary>Puts a manifest in index.json under a tag (replacing that tag's entry), or untagged (once per digest).</summary>
    public Task SetIndexEntryAsync(Descriptor entry, string? tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return UpdateIndexAsync(
            existing =>
            {
                var kept = existing.Where(e => tag is not null
                    ? !(e.Annotations.TryGetValue(Annotations.RefName, out var name) && name == tag)
                    : e.Digest != entry.Digest || e.Annotations.ContainsKey(Annotations.RefName));
                var added = tag is null ? entry : entry with { Annotations = entry.Annotations.SetItem(Annotations.RefName, tag) };
                return [.. kept, added];
            },
            cancellationToken);
    }

    public void Dispose() => _indexLock.Dispose();

    private string BlobFile(Digest digest) => Path.Combine(Root, OciLayout.BlobsDirectory, digest.Algorithm, digest.Encoded);
}
