namespace Signet.Scanning.Catalogers.Php;

/// <summary>
/// Packages Composer installed: <c>vendor/composer/installed.json</c>, in the Composer 1 (array) and Composer 2
/// (<c>{"packages": [...]}</c>) formats. A package's layer is that of its <c>composer.json</c> under its install
/// path when that file is in the tree (it then joins the evidence), else that of installed.json.
/// </summary>
public sealed class ComposerInstalledCataloger : ICataloger
{
    /// <summary>The largest installed.json read.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    public string Id => "php-composer-installed";

    public bool Wants(CatalogFile file, CatalogContext context) =>
        file.Path == "vendor/composer/installed.json" || file.Path.EndsWith("/vendor/composer/installed.json", StringComparison.Ordinal);

    public ICatalogSession Start(CatalogContext context) => new Session(this, context);

    private sealed class Session(ComposerInstalledCataloger cataloger, CatalogContext context) : ComposerPackages.Session(cataloger.Id, context)
    {
        protected override long MaxBytes(CatalogFile file) => ComposerInstalledCataloger.MaxBytes;

        protected override void Read(CatalogFile file, byte[] bytes)
        {
            // Composer 2 writes install-path relative to vendor/composer; Composer 1 has none, its packages sit in vendor/NAME.
            var composerDirectory = LanguagePackages.DirectoryOf(file.Path);
            var vendor = LanguagePackages.DirectoryOf(composerDirectory);
            var entries = ComposerPackages.Read(bytes, file, Context, rootArray: true, "packages");
            Add(entries, file, entry =>
            {
                var directory = entry.InstallPath is null
                    ? LanguagePackages.Resolve(vendor, entry.Name)
                    : LanguagePackages.Resolve(composerDirectory, entry.InstallPath);
                var manifest = directory is null ? null : directory + "/composer.json";
                var layer = manifest is null ? null : Context.LayerOf(manifest);
                return layer is null ? (file.Layer, null, directory) : (layer, manifest, directory);
            });
        }
    }
}
