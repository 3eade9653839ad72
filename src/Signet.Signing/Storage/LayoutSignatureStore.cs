using System.Runtime.CompilerServices;
using Signet.Oci;
using Signet.Oci.Content;
using Signet.Oci.Layout;

namespace Signet.Signing.Storage;

/// <summary>
/// Signatures in an OCI image layout: tags are index.json entries with <c>org.opencontainers.image.ref.name</c>,
/// referrers are untagged index.json entries whose manifest has a subject. Every read is verified against its digest;
/// index.json is read afresh for every lookup, so a store sees what another writer added. Read-only over a tar
/// (an archive opened for verification).
/// </summary>
public sealed class LayoutSignatureStore : ISignatureStore, IDisposable
{
    /// <summary>Most index.json entries examined for referrers.</summary>
    public const int MaxIndexEntries = 10_000;

    private readonly ILayoutFiles _files;
    private readonly OciLayoutWriter? _writer;

    /// <summary>A writable store over a layout directory.</summary>
    public LayoutSignatureStore(string directory, string name)
        : this(new DirectoryLayoutFiles(directory), new OciLayoutWriter(directory, name), name)
    {
    }

    /// <summary>A store over any layout files; read-only when <paramref name="writer"/> is null.</summary>
    public LayoutSignatureStore(ILayoutFiles files, OciLayoutWriter? writer, string name)
    {
        _files = files ?? throw new ArgumentNullException(nameof(files));
        _writer = writer;
        Name = name;
    }

    public string Name { get; }

    public string DockerReference => Name;

    public async Task<ManifestDocument?> TryGetTaggedAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (!_files.FileExists(OciLayout.IndexFile))
        {
            return null;
        }

        var index = await OciLayout.ReadIndexAsync(_files, cancellationToken).ConfigureAwait(false);
        var entries = index.Manifests.Where(d => d.Annotations.TryGetValue(Annotations.RefName, out var name) && name == tag).ToList();
        return entries.Count switch
        {
            0 => null,
            1 => await GetManifestAsync(entries[0], cancellationToken).ConfigureAwait(false),
            _ => throw new OciFormatException($"{Name}: index.json has {entries.Count} entries tagged '{tag}'; the layout is ambiguous"),
        };
    }

    public async Task<ManifestDocument> GetManifestAsync(Descriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var raw = await ReadBlobAsync(descriptor, ManifestParser.MaxManifestBytes, cancellationToken).ConfigureAwait(false);
        return ManifestParser.Parse(raw, descriptor.MediaType, Name);
    }

    public async Task<byte[]> ReadBlobAsync(Descriptor descriptor, int maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var path = OciLayout.BlobPath(descriptor.Digest);
        await using var stream = _files.OpenFile(path) ?? throw new BlobNotFoundException(descriptor, Name);
        return await BlobReader.ReadVerifiedAsync(stream, descriptor, maxBytes, ObjectNames.For(descriptor), $"{Name} ({path})", cancellationToken).ConfigureAwait(false);
    }

    public async Task PutBlobAsync(Descriptor descriptor, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var writer = Writable();
        if (!writer.HasBlob(descriptor))
        {
            using var stream = new MemoryStream(content.ToArray(), writable: false);
            await writer.WriteBlobAsync(descriptor, stream, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task PutManifestAsync(ManifestDocument manifest, string? tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var writer = Writable();
        await writer.WriteManifestBlobAsync(manifest, cancellationToken).ConfigureAwait(false);
        var entry = tag is null ? ReferrerDescriptor.For(manifest) : manifest.ToDescriptor();
        await writer.SetIndexEntryAsync(entry, tag, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<Descriptor> ListReferrersAsync(Digest subject, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!_files.FileExists(OciLayout.IndexFile))
        {
            yield break;
        }

        var index = await OciLayout.ReadIndexAsync(_files, cancellationToken).ConfigureAwait(false);
        var examined = 0;
        foreach (var entry in index.Manifests)
        {
            if (entry.Annotations.ContainsKey(Annotations.RefName) || entry.Digest == subject || !MediaTypes.IsManifest(entry.MediaType))
            {
                continue;
            }

            if (++examined > MaxIndexEntries)
            {
                throw new OciFormatException($"{Name}: index.json has more than {MaxIndexEntries} untagged entries; refusing to examine them all");
            }

            if (!_files.FileExists(OciLayout.BlobPath(entry.Digest)))
            {
                continue;
            }

            var manifest = await GetManifestAsync(entry, cancellationToken).ConfigureAwait(false);
            if (manifest.Subject?.Digest == subject)
            {
                yield return ReferrerDescriptor.For(manifest);
            }
        }
    }

    public void Dispose() => _writer?.Dispose();

    private OciLayoutWriter Writable() =>
        _writer ?? throw new NotSupportedException($"{Name} was opened read-only (for verification); open it for writing to sign it");
}
