namespace Signet.Oci.Content;

/// <summary>Helpers to read small blobs (manifests, configs) whole, bounded and verified.</summary>
public static class BlobReader
{
    /// <summary>
    /// Reads a blob of at most <paramref name="maxBytes"/> through a <see cref="VerifyingReadStream"/> and returns its bytes.
    /// The descriptor's size is checked against the bound before anything is read.
    /// </summary>
    public static async Task<byte[]> ReadVerifiedAsync(
        Stream content, Descriptor descriptor, int maxBytes, string objectName, string where, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Size > maxBytes)
        {
            throw new OciFormatException($"{objectName} {descriptor.Digest} from {where} is {descriptor.Size} bytes; at most {maxBytes} are accepted");
        }

        await using var verifying = new VerifyingReadStream(content, descriptor, objectName, where, leaveOpen: true);
        var buffer = new byte[descriptor.Size];
        await verifying.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);

        // One more read of a single byte: a longer stream fails here, an exact one completes the digest check.
        var probe = new byte[1];
        while (await verifying.ReadAsync(probe, cancellationToken).ConfigureAwait(false) != 0)
        {
        }

        return buffer;
    }

    /// <summary>Reads a whole stream of unknown length, refusing more than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]> ReadBoundedAsync(Stream content, int maxBytes, string objectName, CancellationToken cancellationToken = default) =>
        await TryReadBoundedAsync(content, maxBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new OciFormatException($"{objectName} is larger than {maxBytes} bytes; refusing to read more");

    /// <summary>
    /// Reads a whole stream of unknown length; null as soon as it passes <paramref name="maxBytes"/> (nothing more is
    /// read), for callers that report the refusal in their own terms.
    /// </summary>
    public static async Task<byte[]?> TryReadBoundedAsync(Stream content, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var memory = new MemoryStream();
        var buffer = new byte[81920];
        while (true)
        {
            var n = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return memory.ToArray();
            }

            if (memory.Length + n > maxBytes)
            {
                return null;
            }

            memory.Write(buffer, 0, n);
        }
    }
}
