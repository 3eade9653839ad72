namespace Signet.Scanning.Catalogers.Java;

/// <summary>
/// Java archives (<c>*.jar</c>, <c>*.war</c>, <c>*.ear</c>, <c>*.par</c>, <c>*.sar</c>, <c>*.jpi</c>, <c>*.hpi</c>) and the
/// archives nested in them, in every scan kind: maven packages from <c>META-INF/maven/**/pom.properties</c> and
/// <c>META-INF/MANIFEST.MF</c>, identified as Syft identifies them.
/// </summary>
/// <remarks>
/// <para>Identity. The archive's own package is the pom.properties whose artifactId is the file name's name part
/// (<c>commons-lang3</c> of <c>commons-lang3-3.12.0.jar</c>), or the only one when its artifactId starts with that name,
/// or (beyond Syft) the only one when the file name has no version and the manifest declares none or the same one.
/// Without such a pom the name and version come from the file name, the version else from the manifest's
/// Implementation-Version, Specification-Version, Plugin-Version or Bundle-Version, and the groupId from manifest fields
/// that start with a top-level domain (Bundle-SymbolicName, Implementation-Vendor-Id... as Syft's list); without one the
/// purl repeats the name as namespace, as Syft does (<c>pkg:maven/aopalliance/aopalliance@1.0</c>). Every other
/// pom.properties is a package shaded into the archive. An archive with neither a manifest nor a pom.properties is not
/// a package (<see cref="JavaCodes.NoIdentity"/>).</para>
/// <para>Evidence. Paths inside archives join the archive path and the entry name with <c>!</c>
/// (<c>srv/app.war!WEB-INF/lib/x-1.0.jar!META-INF/MANIFEST.MF</c>). The archive's own package lists the archive first,
/// then its manifest, pom.properties and pom.xml; a shaded package lists its pom.properties first, then its pom.xml.</para>
/// <para>Facts. <c>java.sha1</c> (the archive's own package only) is the SHA-1 of the archive's bytes, nested ones
/// included, which Trivy's Java DB and Grype look jars up by. Licenses come from the manifest's Bundle-License, else from
/// the own pom.xml's <c>licenses</c>; the supplier from Implementation-Vendor, Bundle-Vendor or Specification-Vendor.</para>
/// <para>Limits: <see cref="JavaArchiveReader"/> (entries, central directory, metadata sizes, nesting depth, bytes
/// inflated per scanned archive); archives over <see cref="MaxArchiveBytes"/> are not read.</para>
/// </remarks>
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
