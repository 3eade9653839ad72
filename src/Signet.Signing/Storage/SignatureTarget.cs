using Signet.Images.Transports;
using Signet.Oci;
using Signet.Oci.Archives;
using Signet.Oci.Content;
using Signet.Oci.Layout;
using Signet.Registry;

namespace Signet.Signing.Storage;

/// <summary>An image opened for signing or verification: where its manifests come from and where its signatures live.</summary>
public sealed class SignatureTarget : IAsyncDisposable
{
    /// <summary>The variable cosign reads for a repository that holds signatures instead of the image's own.</summary>
    public const string RepositoryVariable = "COSIGN_REPOSITORY";

    private SignatureTarget(string name, IImageSource source, ISignatureStore store)
    {
        Name = name;
        Source = source;
        Store = store;
    }

    /// <summary>The image name as given, for messages and reports.</summary>
    public string Name { get; }

    /// <summary>The image: its root manifest is resolved once per operation and the digest, not the tag, is signed.</summary>
    public IImageSource Source { get; }

    /// <summary>Where signatures are written and found.</summary>
    public ISignatureStore Store { get; }

    /// <summary>
    /// Opens <paramref name="image"/>. Registry images keep signatures in their repository, or in
    /// <paramref name="signatureRepository"/> (<c>--signature-repository</c> / <c>COSIGN_REPOSITORY</c>) on the same or
    /// another registry; <c>oci:</c> layouts keep them in the layout; <c>oci-archive:</c> and <c>docker-archive:</c> keep them in the
    /// archive's layout, written by <see cref="CommitAsync"/> (a legacy docker save archive is converted to the OCI-style
    /// layout then).
    /// </summary>
    public static async Task<SignatureTarget> OpenAsync(
        ImageName image, ImageTransports transports, string? signatureRepository, bool forWriting, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(transports);
        if (signatureRepository is not null && image.Transport != TransportKind.Registry)
        {
            throw new ArgumentException($"--signature-repository applies to registry images only; {image} keeps its signatures in the layout");
        }

        switch (image.Transport)
        {
            case TransportKind.Registry:
                {
                    var repository = image.Reference!.Value;
                    if (signatureRepository is not null)
                    {
                        if (!Reference.TryParse(signatureRepository, out var parsed, out var error) || parsed.Tag is not null || parsed.Digest is not null)
                        {
                            throw new FormatException($"signature repository '{signatureRepository}' is not a repository name{(error.Length > 0 ? $" ({error})" : string.Empty)}; give REGISTRY/REPOSITORY without a tag or digest");
                        }

                        repository = parsed;
                    }

                    var source = await transports.OpenSourceAsync(image, cancellationToken).ConfigureAwait(false);
                    return new SignatureTarget(image.Original, source, new RegistrySignatureStore(transports.Registry, repository));
                }

            case TransportKind.OciLayout:
                {
                    var source = await transports.OpenSourceAsync(image, cancellationToken).ConfigureAwait(false);
                    var store = forWriting
                        ? new LayoutSignatureStore(image.Path!, $"oci:{image.Path}")
                        : new LayoutSignatureStore(new DirectoryLayoutFiles(image.Path!), writer: null, $"oci:{image.Path}");
                    return new SignatureTarget(image.Original, source, store);
                }

            case TransportKind.OciArchive or TransportKind.DockerArchive:
                {
                    var kind = image.Transport == TransportKind.OciArchive ? "oci-archive" : "docker-archive";
                    var source = await transports.OpenSourceAsync(image, cancellationToken).ConfigureAwait(false);
                    try
                    {
                        ISignatureStore store;
                        if (forWriting)
                        {
                            var root = await source.GetRootManifestAsync(cancellationToken).ConfigureAwait(false);
                            store = await ArchiveSignatureStore.OpenAsync(image.Path!, root, $"{kind}:{image.Path}", cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            var files = new TarLayoutFiles(TarIndex.Open(image.Path!, image.Original), image.Original);
                            store = new LayoutSignatureStore(files, writer: null, $"{kind}:{image.Path}");
                        }

                        return new SignatureTarget(image.Original, source, store);
                    }
                    catch
                    {
                        await source.DisposeAsync().ConfigureAwait(false);
                        throw;
                    }
                }

            default:
                throw new NotSupportedException($"{image}: the {image.Transport} transport cannot hold signatures");
        }
    }

    /// <summary>
    /// Makes the signatures written through <see cref="Store"/> durable (an archive is rewritten here). An archive's
    /// <see cref="Source"/> reads the file as it was opened: open the target again to read the rewritten archive.
    /// </summary>
    public Task CommitAsync(CancellationToken cancellationToken = default) => Store.CommitAsync(cancellationToken);

    /// <summary>
    /// An image on a registry, named by a client and reference (for callers that hold a <see cref="RegistryClient"/>
    /// rather than transports).
    /// </summary>
    public static SignatureTarget ForRegistry(RegistryClient client, Reference image, Reference? signatureRepository = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new SignatureTarget(image.ToString(), new RegistryImageSource(client, image), new RegistrySignatureStore(client, signatureRepository ?? image));
    }

    /// <summary>An image in a layout directory, with its signatures in the same layout.</summary>
    public static SignatureTarget ForLayout(string directory, string? tag)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var name = tag is null ? $"oci:{directory}" : $"oci:{directory}:{tag}";
        return new SignatureTarget(name, new OciLayoutSource(new DirectoryLayoutFiles(directory), tag, name), new LayoutSignatureStore(directory, $"oci:{directory}"));
    }

    public async ValueTask DisposeAsync()
    {
        await Source.DisposeAsync().ConfigureAwait(false);
        (Store as IDisposable)?.Dispose();
    }
}
