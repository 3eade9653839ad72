using System.Runtime.CompilerServices;
using Signet.Oci;
using Signet.Oci.Content;

namespace Signet.Registry;

/// <summary>Reads an image from a registry (<c>docker://</c> or a bare reference).</summary>
public sealed class RegistryImageSource : IImageSource
{
    private readonly RegistryClient _client;
    private readonly Reference _reference;
    private readonly bool _ownsClient;

    public RegistryImageSource(RegistryClient client, Reference reference, bool ownsClient = false)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _reference = reference;
        _ownsClient = ownsClient;
    }

    public string Name => $"docker://{_reference}";

    public Reference Reference => _reference;

    public RegistryClient Client => _client;

    /// <summary>Fetches the root by digest when the reference is pinned (and checks it), else by tag (and computes it).</summary>
    public Task<ManifestDocument> GetRootManifestAsync(CancellationToken cancellationToken = default) =>
        _client.GetManifestAsync(_reference, _reference.Digest?.ToString() ?? _reference.Tag ?? "latest", cancellationToken);

    public Task<ManifestDocument> GetManifestAsync(Descriptor descriptor, CancellationToken cancellationToken = default) =>
        _client.GetManifestAsync(_reference, descriptor, cancellationToken);

    public Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken = default) =>
        _client.GetBlobAsync(_reference, descriptor, cancellationToken);

    public async IAsyncEnumerable<Descriptor> GetReferrersAsync(Digest subject, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var descriptor in _client.ListReferrersAsync(_reference, subject, artifactType: null, cancellationToken).ConfigureAwait(false))
        {
            yield return descriptor;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
