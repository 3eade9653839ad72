using System.Runtime.CompilerServices;
using Signet.Oci.Content;

namespace Signet.Oci.Layout;

/// <summary>Reads an image from an OCI image layout, in a directory (<c>oci:</c>) or a tar of one (<c>oci-archive:</c>).</summary>
public sealed class OciLayoutSource : IImageSource
{
    private readonly ILayoutFiles _files;
    private readonly string? _tag;
    private ImageIndex? _index;

    /// <param name="files">The layout's files.</param>
    /// <param name="tag">The <c>org.opencontainers.image.ref.name</c> to select, or a digest; null for the only image.</param>
    /// <param name="name">The transport-qualified name, for messages.</param>
    public OciLayoutSource(ILayoutFiles files, string? tag, string name)
    {
        _files = files ?? throw new ArgumentNullException(nameof(files));
        _tag = tag;
        Name = name;
    }

    public string Name { get; }

    public async Task<ImageIndex> GetLayoutIndexAsync(CancellationToken cancellationToken = default) =>
        _index ??= await OciLayout.ReadIndexAsync(_files, cancellationToken).ConfigureAwait(false);

    public async Task<ManifestDocument> GetRootManifestAsync(CancellationToken cancellationToken = default)
    {
        var index = await GetLayoutIndexAsync(cancellationToken).ConfigureAwait(false);
        var entry = OciLayout.SelectEntry(index, _tag, Name);
        if (!MediaTypes.IsManifest(entry.MediaType))
        {
            throw new OciFormatException(
                $"{Name}: the index.json entry {entry.Digest} has media type '{entry.MediaType}', which is not an image manifest or index; the layout is malformed or holds no image");
        }

        return await GetManifestAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ManifestDocument> GetManifestAsync(Descriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        await using var stream = await OpenBlobAsync(descriptor, cancellationToken).ConfigureAwait(false);
        var raw = await BlobReader.ReadVerifiedAsync(stream, descriptor, ManifestParser.MaxManifestBytes, "manifest", Name, cancellationToken).ConfigureAwait(false);
        return ManifestParser.Parse(raw, descriptor.MediaType, Name);
    }

    public Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        cancellationToken.ThrowIfCancellationRequested();
        var path = OciLayout.BlobPath(descriptor.Digest);
        var stream = _files.OpenFile(path) ?? throw new BlobNotFoundException(descriptor, Name);
        return Task.FromResult<Stream>(new VerifyingReadStream(stream, descriptor, ObjectNames.For(descriptor), $"{Name} ({path})"));
    }

    /// <summary>Referrers kept in a layout are the index.json entries whose manifest names the subject.</summary>
    public async IAsyncEnumerable<Descriptor> GetReferrersAsync(Digest subject, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var index = await GetLayoutIndexAsync(cancellationToken).ConfigureAwait(false);
        foreach (var entry in index.Manifests)
        {
            if (entry.Digest == subject || !_files.FileExists(OciLayout.BlobPath(entry.Digest)))
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

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
