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

    private sealed class Session(ComposerLockCataloger cataloger, CatalogContext context) : ICatalogSession
    {
        private readonly List<Package> _packages = [];

        public async Task ReadAsync(CatalogFile file, Stream content, CancellationToken cancellationToken)
        {
            var bytes = await CatalogContent.ReadAllAsync(file, content, MaxBytes, context, cancellationToken).ConfigureAwait(false);
            if (bytes is not null)
            {
                var entries = ComposerPackages.Read(bytes, file, context, rootArray: false, "packages", "packages-dev");
                _packages.AddRange(ComposerPackages.ToPackages(entries, file, cataloger.Id, context, _ => (file.Layer, null, null)));
            }
        }

        public IReadOnlyList<Package> Finish() => LanguagePackages.Ordered(_packages);
    }
}

