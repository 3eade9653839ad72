namespace Signet.Scanning.Catalogers.Npm;

/// <summary>
/// A session for catalogers whose files are independent: each wanted file is read whole (bounded) and parsed alone;
/// the packages of all files are returned sorted by name, version and evidence.
/// </summary>
internal sealed class WholeFileSession(CatalogContext context, long maxBytes, Func<CatalogFile, byte[], CatalogContext, IEnumerable<Package>> parse)
    : ICatalogSession
{
    private readonly List<Package> _packages = [];

    public async Task ReadAsync(CatalogFile file, Stream content, CancellationToken cancellationToken)
    {
        var bytes = await CatalogContent.ReadAllAsync(file, content, maxBytes, context, cancellationToken).ConfigureAwait(false);
        if (bytes is not null)
        {
            _packages.AddRange(parse(file, bytes, context));
        }
    }

    public IReadOnlyList<Package> Finish() => LanguagePackages.Ordered(_packages);
}
