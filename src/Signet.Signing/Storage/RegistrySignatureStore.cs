using System.Runtime.CompilerServices;
using Signet.Oci;
using Signet.Oci.Content;
using Signet.Registry;

namespace Signet.Signing.Storage;

/// <summary>Signatures in a registry repository; referrers through the API or the tag-schema fallback.</summary>
public sealed class RegistrySignatureStore(RegistryClient client, Reference repository) : ISignatureStore
{
    public string Name => $"docker://{repository.Name}";

    public string DockerReference => repository.Name;

    public async Task<ManifestDocument?> TryGetTaggedAsync(string tag, CancellationToken cancellationToken = default)
    {
        try
        {
            return await client.GetManifestAsync(repository, tag, cancellationToken).ConfigureAwait(false);
        }
        catch (ManifestNotFoundException)
        {
            return null;
        }
    }

    public Task<ManifestDocument> GetManifestAsync(Descriptor descriptor, CancellationToken cancellationToken = default) =>
        client.GetManifestAsync(repository, descriptor, cancellationToken);

    public async Task<byte[]> ReadBlobAsync(Descriptor descriptor, int maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Size > maxBytes)
        {
            throw new OciFormatException($"blob {descriptor.Digest} in {Name} is {descriptor.Size} bytes; at most {maxBytes} are accepted");
        }

        await using var stream = await client.GetBlobAsync(repository, descriptor, cancellationToken).ConfigureAwait(false);
        return await BlobReader.ReadVerifiedAsync(stream, descriptor, maxBytes, ObjectNames.For(descriptor), Name, cancellationToken).ConfigureAwait(false);
    }

    public async Task PutBlobAsync(Descriptor descriptor, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (await client.BlobExistsAsync(repository, descriptor, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        using var stream = new MemoryStream(content.ToArray(), writable: false);
        await client.PushBlobAsync(repository, descriptor, stream, cancellationToken).ConfigureAwait(false);
    }

    public async Task PutManifestAsync(ManifestDocument manifest, string? tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var processed = await client.PutManifestAsync(repository, tag ?? manifest.Digest.ToString(), manifest, cancellationToken).ConfigureAwait(false);
        if (manifest.Subject is { } subject && !processed)
        {
            await client.AddFallbackReferrerAsync(repository, subject.Digest, ReferrerDescriptor.For(manifest), cancellationToken).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<Descriptor> ListReferrersAsync(Digest subject, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var descriptor in client.ListReferrersAsync(repository, subject, artifactType: null, cancellationToken).ConfigureAwait(false))
        {
            yield return descriptor;
        }
    }
}
