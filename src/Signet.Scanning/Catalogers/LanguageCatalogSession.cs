namespace Signet.Scanning.Catalogers;

/// <summary>
/// A session of a language cataloger that reads each wanted file whole (bounded by <see cref="MaxBytes"/>, reporting
/// <see cref="CatalogCodes.TooLarge"/> beyond it) and returns its packages in <see cref="LanguagePackages.Ordered"/> order.
/// </summary>
internal abstract class LanguageCatalogSession(string foundBy, CatalogContext context) : ICatalogSession
{
    protected CatalogContext Context => context;

    protected List<Package> Packages { get; } = [];

    public virtual async Task ReadAsync(CatalogFile file, Stream content, CancellationToken cancellationToken)
    {
        var bytes = await CatalogContent.ReadAllAsync(file, content, MaxBytes(file), context, cancellationToken).ConfigureAwait(false);
        if (bytes is not null)
        {
            Read(file, bytes);
        }
    }

    public virtual IReadOnlyList<Package> Finish() => LanguagePackages.Ordered(Packages);

    /// <summary>The largest <paramref name="file"/> read.</summary>
    protected abstract long MaxBytes(CatalogFile file);

    /// <summary>Reads one whole file; reports problems through <see cref="Context"/>, never throws.</summary>
    protected abstract void Read(CatalogFile file, byte[] bytes);

    /// <summary>
    /// A package found in <paramref name="file"/>: evidence that file, layer its layer, purl from the name and version
    /// (null after reporting <paramref name="purlCode"/> when they cannot form one). Callers add the rest with <c>with</c>.
    /// </summary>
    protected Package NewPackage(CatalogFile file, string type, string? @namespace, string name, string? version, string purlCode) => new()
    {
        Name = @namespace is null ? name : $"{@namespace}/{name}",
        Version = version,
        Type = type,
        Purl = LanguagePackages.TryPurl(type, @namespace, name, version, file.Path, purlCode, context),
        FoundBy = foundBy,
        Evidence = [file.Path],
        Layer = file.Layer,
    };
}
