namespace Signet.Scanning.Catalogers.Java;

/// <summary>
/// Java archives (<c>*.jar</c>, <c>*.war</c>, <c>*.ear</c>, <c>*.par</c>, <c>*.sar</c>, <c>*.jpi</c>, <c>*.hpi</c>) and the
/// archives nested in them: one maven package per archive from its pom.properties or manifest, plus one per
/// pom.properties of another artifact shaded into it. Evidence paths of entries inside archives join the archive path
/// and the entry name with <c>!</c> (<c>app.war!WEB-INF/lib/x.jar!META-INF/MANIFEST.MF</c>).
/// </summary>
public sealed class JavaArchiveCataloger : ICataloger
{
    /// <summary>The largest archive read; larger ones are reported as <see cref="CatalogCodes.TooLarge"/>.</summary>
    public const long MaxArchiveBytes = 1024L * 1024 * 1024;

    public string Id => "java-archive";

    public bool Wants(CatalogFile file, CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(file);
        return JavaArchiveReader.IsArchiveName(file.Path);
    }

    public ICatalogSession Start(CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Session(this, context);
    }

    private sealed class Session(JavaArchiveCataloger cataloger, CatalogContext context) : ICatalogSession
    {
        private readonly List<Package> _packages = [];

        public async Task ReadAsync(CatalogFile file, Stream content, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(file);
            ArgumentNullException.ThrowIfNull(content);
            if (file.Size > MaxArchiveBytes)
            {
                context.Report(new CatalogIssue(
                    CatalogCodes.TooLarge, file.Path,
                    $"is {file.Size} bytes, more than the {MaxArchiveBytes} bytes read of a Java archive; it was skipped. Scan it on its own if it matters."));
                return;
            }

            var spool = await CatalogContent.SpoolAsync(content, file.Size, cancellationToken).ConfigureAwait(false);
            await using (spool.ConfigureAwait(false))
            {
                await new JavaArchiveReader(file, context, cataloger.Id, _packages).ReadAsync(spool, file.Path, 0, cancellationToken).ConfigureAwait(false);
            }
        }

        public IReadOnlyList<Package> Finish() =>
            [.. _packages
                .OrderBy(p => p.Evidence[0], StringComparer.Ordinal)
                .ThenBy(p => p.Name, StringComparer.Ordinal)
                .ThenBy(p => p.Version, StringComparer.Ordinal)
                .ThenBy(p => p.Purl?.ToString(), StringComparer.Ordinal)];
    }
}
