using System.Collections.Immutable;
using System.Text.Json;
using Signet.Oci.Content;
using Signet.Oci.Json;
using Signet.Oci.Layout;

namespace Signet.Oci.Archives;

/// <summary>
/// Adds blobs and index.json entries to the image layout inside an archive (<c>oci-archive:</c>, or a
/// <c>docker-archive:</c> in the OCI-style layout of Docker 25 and later). Additions are held in memory and readable at
/// once through <see cref="ILayoutFiles"/>; <see cref="CommitAsync"/> writes the whole archive anew beside the original,
/// streaming: every existing entry is copied byte for byte except index.json, which is rewritten, and the new blobs are
/// appended. The new file replaces the original by an atomic rename only after it is complete, so a failure anywhere
/// leaves the original untouched. A legacy <c>docker save</c> archive (no <c>oci-layout</c>) is converted on commit
/// into the OCI-style layout ArchiveDestination writes, keeping the image's manifest (and so its digest).
/// </summary>
public sealed class ArchiveLayoutEditor : ILayoutFiles
{
    private const int BlockSize = 512;
    private const string RepositoriesFile = "repositories";

    private readonly string _path;
    private readonly List<(string Path, byte[] Content)> _added = [];
    private readonly Dictionary<string, byte[]> _addedByPath = new(StringComparer.Ordinal);
    private TarIndex _tar;
    private LegacyImage? _legacy;
    private byte[]? _index;
    private long _length;
    private DateTime _modified;

    private ArchiveLayoutEditor(string path, string name, TarIndex tar, LegacyImage? legacy)
    {
        _path = path;
        Location = name;
        _tar = tar;
        _legacy = legacy;
        Remember();
    }

    /// <summary>The archive's name, for messages.</summary>
    public string Location { get; }

    /// <summary>True when there are additions not yet written by <see cref="CommitAsync"/>.</summary>
    public bool HasChanges => _added.Count > 0 || _index is not null;

    /// <summary>
    /// Opens an archive for editing. <paramref name="root"/> is the image's manifest as its source read it; a legacy
    /// docker-archive (no <c>oci-layout</c>) needs it, since its manifest is synthesized and stored only on commit.
    /// </summary>
    public static async Task<ArchiveLayoutEditor> OpenAsync(string path, ManifestDocument root, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(root);
        var full = Path.GetFullPath(path);
        var tar = TarIndex.Open(full, name);
        if (tar.Compression != LayerCompression.None)
        {
            throw new NotSupportedException(
                $"{name} is {tar.Compression}-compressed; signatures can be added only to an uncompressed tar. Decompress it first (for example gunzip), then sign it");
        }

        if (tar.TryResolve(OciLayout.LayoutFile, out _) && tar.TryResolve(OciLayout.IndexFile, out _))
        {
            return new ArchiveLayoutEditor(full, name, tar, legacy: null);
        }

        if (root is not ImageManifest manifest)
        {
            throw new OciFormatException($"{name} has no {OciLayout.LayoutFile} and its image is not a single manifest; it is neither an oci-archive nor a docker-archive");
        }

        var legacy = await LegacyImage.FindAsync(tar, manifest, name, cancellationToken).ConfigureAwait(false);
        var editor = new ArchiveLayoutEditor(full, name, tar, legacy);

        // The synthesized manifest becomes a blob of the converted layout, so the image keeps its digest.
        await editor.AddBlobAsync(manifest.ToDescriptor(), manifest.Raw, cancellationToken).ConfigureAwait(false);
        return editor;
    }

    public bool FileExists(string relativePath) => FileLength(relativePath) is not null;

    public long? FileLength(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (Overlay(relativePath) is { } content)
        {
            return content.Length;
        }

        return Resolve(relativePath) is { } entry ? entry.Length : null;
    }

    public Stream? OpenFile(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (Overlay(relativePath) is { } content)
        {
            return new MemoryStream(content, writable: false);
        }

        return Resolve(relativePath) is { } entry ? _tar.OpenEntry(entry) : null;
    }

    /// <summary>Adds a blob (kept until commit), verified against its descriptor; a blob already present is left as it is.</summary>
    public async Task AddBlobAsync(Descriptor descriptor, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var path = OciLayout.BlobPath(descriptor.Digest);
        if (FileLength(path) == descriptor.Size)
        {
            return;
        }

        using var stream = new MemoryStream(content.ToArray(), writable: false);
        var verified = await BlobReader.ReadVerifiedAsync(stream, descriptor, checked((int)descriptor.Size), ObjectNames.For(descriptor), $"write into {Location}", cancellationToken).ConfigureAwait(false);
        _added.Add((path, verified));
        _addedByPath[path] = verified;
    }

    /// <summary>Replaces index.json (until commit) with the entries <paramref name="edit"/> returns for the current ones.</summary>
    public async Task UpdateIndexAsync(Func<ImmutableArray<Descriptor>, IEnumerable<Descriptor>> edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var current = await OciLayout.ReadIndexAsync(this, cancellationToken).ConfigureAwait(false);
        _index = OciLayout.WriteIndex(edit(current.Manifests));
    }

    /// <summary>
    /// Writes the archive with the additions to a temporary file beside it and renames that over the original. Refuses
    /// when the archive changed since it was opened. Afterwards the editor reads the new archive.
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        if (!HasChanges)
        {
            return;
        }

        var info = new FileInfo(_path);
        if (!info.Exists || info.Length != _length || info.LastWriteTimeUtc != _modified)
        {
            throw new IOException($"{Location} changed since it was opened for signing; nothing was written. Sign it again");
        }

        var temp = Path.Combine(Path.GetDirectoryName(_path)!, $".{Path.GetFileName(_path)}.{Guid.NewGuid():N}.partial");
        try
        {
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await using (var tar = new TarStreamWriter(output, leaveOpen: true))
                {
                    if (_legacy is null)
                    {
                        await CopyExceptIndexAsync(output, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await ConvertLegacyAsync(tar, _legacy, cancellationToken).ConfigureAwait(false);
                    }

                    foreach (var (path, content) in _added)
                    {
                        await tar.WriteFileAsync(path, content, cancellationToken).ConfigureAwait(false);
                    }

                    if (_legacy is not null)
                    {
                        await tar.WriteFileAsync(OciLayout.LayoutFile, OciLayout.LayoutFileContent.AsMemory(), cancellationToken).ConfigureAwait(false);
                    }

                    await tar.WriteFileAsync(OciLayout.IndexFile, Overlay(OciLayout.IndexFile)!, cancellationToken).ConfigureAwait(false);
                    if (_legacy is not null)
                    {
                        await tar.WriteFileAsync(DockerArchiveManifest.FileName, _legacy.ConvertedManifestJson(), cancellationToken).ConfigureAwait(false);
                    }

                    await tar.FinishAsync(cancellationToken).ConfigureAwait(false);
                }

                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, File.GetUnixFileMode(_path));
            }

            File.Move(temp, _path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        _tar = TarIndex.Open(_path, Location);
        _legacy = null;
        _added.Clear();
        _addedByPath.Clear();
        _index = null;
        Remember();
    }

    private void Remember()
    {
        var info = new FileInfo(_path);
        _length = info.Length;
        _modified = info.LastWriteTimeUtc;
    }

    private byte[]? Overlay(string relativePath)
    {
        if (relativePath == OciLayout.IndexFile)
        {
            return _index ?? _legacy?.InitialIndex;
        }

        if (_legacy is not null && relativePath == OciLayout.LayoutFile)
        {
            return [.. OciLayout.LayoutFileContent];
        }

        return _addedByPath.GetValueOrDefault(relativePath);
    }

    private TarIndexEntry? Resolve(string relativePath)
    {
        if (_legacy is not null && _legacy.Aliases.TryGetValue(relativePath, out var legacyPath))
        {
            relativePath = legacyPath;
        }

        return _tar.TryResolve(relativePath, out var entry) && entry.Type is TarIndexEntryType.File ? entry : null;
    }

    /// <summary>Copies the archive's bytes up to its end-of-archive marker, leaving out the index.json entry (with its extended headers).</summary>
    private async Task CopyExceptIndexAsync(Stream output, CancellationToken cancellationToken)
    {
        if (!_tar.TryGetEntry(OciLayout.IndexFile, out var index) || index.Type != TarIndexEntryType.File)
        {
            throw new OciFormatException($"{Location}: {OciLayout.IndexFile} is not a regular file; the archive cannot be edited");
        }

        var end = _tar.Entries.Max(e => e.DataOffset + Padded(e.Type is TarIndexEntryType.File or TarIndexEntryType.Other ? e.Length : 0));
        await using var input = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await CopyRangeAsync(input, output, 0, index.HeaderOffset, cancellationToken).ConfigureAwait(false);
        var indexEnd = index.DataOffset + Padded(index.Length);
        await CopyRangeAsync(input, output, indexEnd, end - indexEnd, cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyRangeAsync(FileStream input, Stream output, long offset, long length, CancellationToken cancellationToken)
    {
        if (length <= 0)
        {
            return;
        }

        input.Position = offset;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            var remaining = length;
            while (remaining > 0)
            {
                var n = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(remaining, buffer.Length)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new OciFormatException($"{Location} ended {remaining} bytes early while it was copied; nothing was written");
                }

                await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                remaining -= n;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes the legacy image's config and layers as blobs (each verified as it streams), and the repositories file.</summary>
    private async Task ConvertLegacyAsync(TarStreamWriter tar, LegacyImage legacy, CancellationToken cancellationToken)
    {
        var written = new HashSet<Digest>();
        foreach (var descriptor in (IEnumerable<Descriptor>)[legacy.Manifest.Config, .. legacy.Manifest.Layers])
        {
            if (!written.Add(descriptor.Digest))
            {
                continue;
            }

            var entry = Resolve(OciLayout.BlobPath(descriptor.Digest))
                ?? throw new BlobNotFoundException(descriptor, Location);
            await using var content = new VerifyingReadStream(_tar.OpenEntry(entry), descriptor, ObjectNames.For(descriptor), $"{Location} ({entry.Name})");
            await tar.WriteFileAsync(OciLayout.BlobPath(descriptor.Digest), descriptor.Size, content, cancellationToken).ConfigureAwait(false);
            if (await content.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) != 0 || !content.Verified)
            {
                throw new DigestMismatchException($"{ObjectNames.For(descriptor)} {descriptor.Digest} in {Location} was not fully verified");
            }
        }

        if (_tar.TryResolve(RepositoriesFile, out var repositories) && repositories.Type == TarIndexEntryType.File)
        {
            await using var content = _tar.OpenEntry(repositories);
            await tar.WriteFileAsync(RepositoriesFile, repositories.Length, content, cancellationToken).ConfigureAwait(false);
        }
    }

    private static long Padded(long length) => (length + BlockSize - 1) / BlockSize * BlockSize;

    /// <summary>The one image of a legacy docker save archive: where its blobs are and what the converted archive holds.</summary>
    private sealed class LegacyImage
    {
        private LegacyImage(ImageManifest manifest, DockerArchiveManifest entry, ImmutableDictionary<string, string> aliases)
        {
            Manifest = manifest;
            Entry = entry;
            Aliases = aliases;
            var rootEntry = manifest.ToDescriptor();
            if (!entry.RepoTags.IsEmpty && Reference.TryParse(entry.RepoTags[0], out var reference))
            {
                if (reference.Tag is null && reference.Digest is null)
                {
                    reference = reference.WithTag("latest");
                }

                rootEntry = rootEntry with
                {
                    Annotations = rootEntry.Annotations
                        .SetItem(Annotations.RefName, reference.Tag ?? "latest")
                        .SetItem(Annotations.ContainerdImageName, reference.ToString()),
                };
            }

            InitialIndex = OciLayout.WriteIndex([rootEntry]);
        }

        public ImageManifest Manifest { get; }

        public DockerArchiveManifest Entry { get; }

        /// <summary>Blob paths of the layout to be written, mapped to the archive's legacy paths.</summary>
        public ImmutableDictionary<string, string> Aliases { get; }

        public byte[] InitialIndex { get; }

        public static async Task<LegacyImage> FindAsync(TarIndex tar, ImageManifest manifest, string name, CancellationToken cancellationToken)
        {
            if (!tar.TryResolve(DockerArchiveManifest.FileName, out var manifestEntry))
            {
                throw new OciFormatException($"{name} has neither {OciLayout.LayoutFile} nor {DockerArchiveManifest.FileName}; it is not an image archive");
            }

            byte[] raw;
            await using (var stream = tar.OpenEntry(manifestEntry))
            {
                raw = await BlobReader.ReadBoundedAsync(stream, ManifestParser.MaxManifestBytes, $"{name}/{DockerArchiveManifest.FileName}", cancellationToken).ConfigureAwait(false);
            }

            var entries = DockerArchiveManifest.Parse(raw, name);
            if (entries.Length != 1)
            {
                throw new NotSupportedException(
                    $"{name} is a legacy docker save archive with {entries.Length} images; signing converts it to the OCI-style layout, which Signet does for one image only. Copy the image out first (signet copy {name}:NAME:TAG docker-archive:FILE:NAME:TAG)");
            }

            var entry = entries[0];
            if (entry.Layers.Length != manifest.Layers.Length)
            {
                throw new OciFormatException($"{name}: {DockerArchiveManifest.FileName} lists {entry.Layers.Length} layers but the image has {manifest.Layers.Length}; the archive changed while it was read");
            }

            var aliases = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            aliases[OciLayout.BlobPath(manifest.Config.Digest)] = entry.Config;
            for (var i = 0; i < entry.Layers.Length; i++)
            {
                aliases[OciLayout.BlobPath(manifest.Layers[i].Digest)] = entry.Layers[i];
            }

            return new LegacyImage(manifest, entry, aliases.ToImmutable());
        }

        /// <summary>manifest.json of the converted archive: the same RepoTags, with config and layers under blobs/.</summary>
        public byte[] ConvertedManifestJson()
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Compact))
            {
                writer.WriteStartArray();
                writer.WriteStartObject();
                writer.WriteString("Config", OciLayout.BlobPath(Manifest.Config.Digest));
                writer.WriteStartArray("RepoTags");
                foreach (var tag in Entry.RepoTags)
                {
                    writer.WriteStringValue(tag);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("Layers");
                foreach (var layer in Manifest.Layers)
                {
                    writer.WriteStringValue(OciLayout.BlobPath(layer.Digest));
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndArray();
            }

            return buffer.ToArray();
        }
    }
}
