using Signet.Oci;
using Signet.Oci.Archives;
using Signet.Oci.Content;

namespace Signet.Signing.Storage;

/// <summary>
/// Signatures in an archive (<c>oci-archive:</c>, <c>docker-archive:</c>), kept as in a layout: legacy signatures
/// under their <c>.sig</c>/<c>.att</c> tag in index.json, bundles as untagged index.json referrer entries. Nothing is
/// written until <see cref="CommitAsync"/>, which rewrites the whole archive beside the original and renames it into
/// place; a legacy docker save archive is converted to the OCI-style layout then.
/// </summary>
public sealed class ArchiveSignatureStore : ISignatureStore, IDisposable
{
    private readonly ArchiveLayoutEditor _editor;
    private readonly LayoutSignatureStore _reader;

    private ArchiveSignatureStore(ArchiveLayoutEditor editor, string name)
    {
        _editor = editor;
        _reader = new LayoutSignatureStore(editor, writer: null, name);
        Name = name;
    }

    public string Name { get; }

    public string DockerReference => Name;

    /// <summary>Opens the archive at <paramref name="path"/>, holding the image whose manifest is <paramref name="root"/>.</summary>
    public static async Task<ArchiveSignatureStore> OpenAsync(string path, ManifestDocument root, string name, CancellationToken cancellationToken = default)
    {
        var editor = await ArchiveLayoutEditor.OpenAsync(path, root, name, cancellationToken).ConfigureAwait(false);
        return new ArchiveSignatureStore(editor, name);
    }

    public Task<ManifestDocument?> TryGetTaggedAsync(string tag, CancellationToken cancellationToken = default) =>
        _reader.TryGetTaggedAsync(tag, cancellationToken);

    public Task<ManifestDocument> GetManifestAsync(Descriptor descriptor, CancellationToken cancellationToken = default) =>
        _reader.GetManifestAsync(descriptor, cancellationToken);

    public Task<byte[]> ReadBlobAsync(Descriptor descriptor, int maxBytes, CancellationToken cancellationToken = default) =>
        _reader.ReadBlobAsync(descriptor, maxBytes, cancellationToken);

    public Task PutBlobAsync(Descriptor descriptor, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        _editor.AddBlobAsync(descriptor, content, cancellationToken);

    public async Task PutManifestAsync(ManifestDocument manifest, string? tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await _editor.AddBlobAsync(manifest.ToDescriptor(), manifest.Raw, cancellationToken).ConfigureAwait(false);
        var entry = tag is null ? ReferrerDescriptor.For(manifest) : manifest.ToDescriptor();
        await _editor.UpdateIndexAsync(
            existing =>
            {
                var kept = existing.Where(e => tag is not null
                    ? !(e.Annotations.TryGetValue(Annotations.RefName, out var name) && name == tag)
                    : e.Digest != entry.Digest || e.Annotations.ContainsKey(Annotations.RefName));
                var added = tag is null ? entry : entry with { Annotations = entry.Annotations.SetItem(Annotations.RefName, tag) };
                return [.. kept, added];
            },
            cancellationToken).ConfigureAwait(false);
    }

    public IAsyncEnumerable<Descriptor> ListReferrersAsync(Digest subject, CancellationToken cancellationToken = default) =>
        _reader.ListReferrersAsync(subject, cancellationToken);

    /// <summary>Rewrites the archive with what was added; the original is replaced only when the new one is complete.</summary>
    public Task CommitAsync(CancellationToken cancellationToken = default) => _editor.CommitAsync(cancellationToken);

    public void Dispose() => _reader.Dispose();
}
