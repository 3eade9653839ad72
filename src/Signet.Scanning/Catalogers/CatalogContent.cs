namespace Signet.Scanning.Catalogers;

/// <summary>The stable codes of the cataloging engine itself, documented in docs/error-codes.md.</summary>
public static class CatalogCodes
{
    /// <summary>A wanted file is larger than its cataloger reads; it was skipped.</summary>
    public const string TooLarge = "CAT1001";

    /// <summary>A wanted file could not be read to its end (an I/O error, or the tree changed while scanned).</summary>
    public const string Unreadable = "CAT1002";

    /// <summary>A cataloger failed on a file or while finishing: a defect of Signet; its packages from that file are missing.</summary>
    public const string CatalogerFailed = "CAT1003";
}

/// <summary>Bounded ways for a session to take the content the engine hands it.</summary>
public static class CatalogContent
{
    /// <summary>Files up to this size are spooled in memory by <see cref="SpoolAsync"/>; larger ones go to a temporary file.</summary>
    public const long MaxInMemorySpool = 16L * 1024 * 1024;

    /// <summary>
    /// Reads the whole file when it is at most <paramref name="maxBytes"/> long; otherwise reports
    /// <see cref="CatalogCodes.TooLarge"/> and returns null without reading.
    /// </summary>
    public static async Task<byte[]?> ReadAllAsync(CatalogFile file, Stream content, long maxBytes, CatalogContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(context);
        if (file.Size > maxBytes)
        {
            context.Report(new CatalogIssue(
                CatalogCodes.TooLarge, file.Path,
                $"is {file.Size} bytes, more than the {maxBytes} bytes read for this kind of file; it was skipped. A real one is far smaller: check where it comes from."));
            return null;
        }

        var buffer = new byte[file.Size];
        await content.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }

    /// <summary>
    /// Copies the content into a seekable stream (memory up to <see cref="MaxInMemorySpool"/>, else a temporary file
    /// deleted on close) for formats read by offset (ELF, zip, SQLite). The caller disposes it.
    /// </summary>
    public static async Task<Stream> SpoolAsync(Stream content, long length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        Stream target = length <= MaxInMemorySpool
            ? new MemoryStream(checked((int)length))
            : new FileStream(
                Path.Combine(Path.GetTempPath(), $"signet-spool-{Guid.NewGuid():N}"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await content.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            target.Position = 0;
            return target;
        }
        catch
        {
            await target.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
