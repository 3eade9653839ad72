using Signet.Oci.Archives;
using Signet.Oci.Content;
using Signet.Oci.Layout;
using Signet.Registry;

namespace Signet.Images.Transports;

/// <summary>
/// Opens sources and destinations for image names. One instance shares one registry client (connections, tokens)
/// across every image it opens; dispose it when done.
/// </summary>
public sealed class ImageTransports : IDisposable
{
    private readonly Lazy<RegistryClient> _registry;

    /// <param name="registryClientFactory">Creates the registry client on first use (with its auth pipeline).</param>
    public ImageTransports(Func<RegistryClient> registryClientFactory)
    {
        ArgumentNullException.ThrowIfNull(registryClientFactory);
        _registry = new Lazy<RegistryClient>(registryClientFactory, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public RegistryClient Registry => _registry.Value;

    public async Task<IImageSource> OpenSourceAsync(ImageName name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name.Transport)
        {
            case TransportKind.Registry:
                return new RegistryImageSource(Registry, name.Reference!.Value);
            case TransportKind.OciLayout:
                if (!Directory.Exists(name.Path))
                {
                    throw new DirectoryNotFoundException($"{name}: directory '{name.Path}' does not exist");
                }

                return new OciLayoutSource(new DirectoryLayoutFiles(name.Path!), name.Tag, name.Original);
            case TransportKind.OciArchive:
                RequireFile(name);
                var tar = TarIndex.Open(name.Path!, name.Original);
                return new OciLayoutSource(new TarLayoutFiles(tar, name.Original), name.Tag, name.Original);
            case TransportKind.DockerArchive:
                RequireFile(name);
                return await DockerArchiveSource.OpenAsync(name.Path!, name.Tag, name.Original, cancellationToken).ConfigureAwait(false);
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name.Transport, "unknown transport");
        }
    }

    public IImageDestination OpenDestination(ImageName name, ImageName? source = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Transport switch
        {
            TransportKind.Registry => new RegistryImageDestination(Registry, name.Reference!.Value)
            {
                MountFrom = source?.Transport == TransportKind.Registry && source.Reference!.Value.Registry == name.Reference!.Value.Registry
                    ? source.Reference.Value.Repository
                    : null,
            },
            TransportKind.OciLayout => new OciLayoutDestination(name.Path!, name.Tag, name.Original),
            TransportKind.OciArchive => new ArchiveDestination(name.Path!, name.Tag, ArchiveFormat.Oci, name.Original),
            TransportKind.DockerArchive => new ArchiveDestination(name.Path!, name.Tag, ArchiveFormat.Docker, name.Original),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name.Transport, "unknown transport"),
        };
    }

    private static void RequireFile(ImageName name)
    {
        if (!File.Exists(name.Path))
        {
            throw new FileNotFoundException($"{name}: file '{name.Path}' does not exist", name.Path);
        }
    }

    public void Dispose()
    {
        if (_registry.IsValueCreated)
        {
            _registry.Value.Dispose();
        }
    }
}
