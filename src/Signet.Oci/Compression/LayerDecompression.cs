namespace Signet.Oci.Compression;

/// <summary>Opens decompressing read streams over layer blobs and detects their compression from magic bytes.</summary>
public static class LayerDecompression
{
    /// <summary>The bytes <see cref="Detect"/> needs to decide.</summary>
    public const int DetectLength = 4;

    /// <summary>
    /// Returns a read-only stream of the decompressed content of <paramref name="compressed"/>. Corrupt, truncated or
    /// trailing data raises an <see cref="InvalidDataException"/> naming <paramref name="objectName"/>; so does output
    /// beyond <paramref name="maxOutputLength"/> (a decompression-bomb bound) when one is given.
    /// </summary>
    /// <param name="compressed">The compressed blob, read forward once.</param>
    /// <param name="compression">How it is compressed: from <see cref="MediaTypes.CompressionOf"/> or <see cref="Detect"/>.</param>
    /// <param name="leaveOpen">Whether disposing the result leaves <paramref name="compressed"/> open.</param>
    /// <param name="objectName">What the blob is, for error messages (for example <c>layer sha256:…</c>).</param>
    /// <param name="maxOutputLength">The most decompressed bytes to allow; null for no bound.</param>
    public static Stream Open(Stream compressed, LayerCompression compression, bool leaveOpen, string objectName = "layer", long? maxOutputLength = null)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        ArgumentNullException.ThrowIfNull(objectName);
        if (maxOutputLength is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxOutputLength), maxOutputLength, "the output bound must not be negative");
        }

        Stream decompressed = compression switch
        {
            LayerCompression.None => new BoundedReadStream(compressed, objectName, leaveOpen, maxOutputLength),
            LayerCompression.Gzip => new GzipDecompressionStream(compressed, objectName, leaveOpen),
            LayerCompression.Zstd => new ZstdDecompressionStream(compressed, objectName, leaveOpen),
            _ => throw new OciFormatException(
                $"{objectName}: its compression is unknown, so it cannot be decompressed. " +
                "Use a layer media type ending in .tar, +gzip or +zstd, or detect the compression from the content with LayerDecompression.Detect."),
        };

        return compression == LayerCompression.None || maxOutputLength is null
            ? decompressed
            : new BoundedReadStream(decompressed, objectName, leaveOpen: false, maxOutputLength);
    }

    /// <inheritdoc cref="Open(Stream, LayerCompression, bool, string, long?)"/>
    public static Stream Open(Stream compressed, LayerCompression compression, bool leaveOpen) =>
        Open(compressed, compression, leaveOpen, "layer", maxOutputLength: null);

    /// <summary>
    /// The compression of a blob from its first bytes (at least <see cref="DetectLength"/> when available): gzip starts
    /// 1f 8b, a zstd frame 28 b5 2f fd; anything else is taken as uncompressed. For transports that do not say, such as
    /// the layer files of a docker-archive.
    /// </summary>
    public static LayerCompression Detect(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]))
        {
            return LayerCompression.Gzip;
        }

        return header.StartsWith((ReadOnlySpan<byte>)[0x28, 0xb5, 0x2f, 0xfd]) ? LayerCompression.Zstd : LayerCompression.None;
    }
}
