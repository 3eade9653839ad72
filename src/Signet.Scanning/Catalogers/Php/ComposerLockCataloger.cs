namespace Signet.Scanning.Catalogers.Php;

/// <summary>
/// The packages a <c>composer.lock</c> pins: its <c>packages</c> and <c>packages-dev</c> (the latter with the
/// <c>composer.dev</c> property). Only for <see cref="ScanKind.SourceTree"/>.
/// </summary>
public sealed class ComposerLockCataloger : ICataloger
{
    /// <summary>The largest composer.lock read.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    public string Id => "php-composer-lock";

    public bool Wants(CatalogFile file, CatalogContext context) => context.Kind == ScanKind.SourceTree && file.Name == "composer.lock";

    public ICatalogSession Start(CatalogContext context) => new Session(this, context);

    private sealed class Session(ComposerLockCataloger cataloger, CatalogContext context) : ComposerPackages.Session(cataloger.Id, context)
    {
        protected override long MaxBytes(CatalogFile file) => ComposerLockCataloger.MaxBytes;

        protected override void Read(CatalogFile file, byte[] bytes) =>
            Add(ComposerPackages.Read(bytes, file, Context, rootArray: false, "packages", "packages-dev"), file, _ => (file.Layer, null, null));
    }
}
