using Signet.Scanning.FileSystem;
using Signet.Scanning.Os;

namespace Signet.Scanning.Catalogers;

/// <summary>
/// Finds packages of one ecosystem in a file tree. The engine lists the tree once, asks <see cref="Wants"/> about each
/// regular file (after whiteouts and hard links are applied), reads every wanted file once, in an order of its
/// choosing (grouped by layer), and hands the content to a per-scan <see cref="ICatalogSession"/>.
/// Implementations are stateless and thread-safe; state lives in the session.
/// </summary>
public interface ICataloger
{
    /// <summary>A stable id, lowercase with dashes (<c>dpkg-db</c>, <c>python-installed</c>), recorded on each package.</summary>
    string Id { get; }

    /// <summary>Whether the file should be read; decided from its path, size and mode alone, cheaply.</summary>
    bool Wants(CatalogFile file, CatalogContext context);

    /// <summary>Starts a scan.</summary>
    ICatalogSession Start(CatalogContext context);
}

/// <summary>The state of one cataloger during one scan.</summary>
public interface ICatalogSession
{
    /// <summary>
    /// Reads one wanted file. Called once per wanted file, never concurrently for one session, in no particular order.
    /// <paramref name="content"/> is forward-only, exactly <see cref="CatalogFile.Size"/> bytes, and is disposed by
    /// the engine after the call. Malformed content is reported through <see cref="CatalogContext.Report"/>, never
    /// thrown; only cancellation and I/O failures of the tree itself escape.
    /// </summary>
    Task ReadAsync(CatalogFile file, Stream content, CancellationToken cancellationToken);

    /// <summary>The packages found, once every file was read.</summary>
    IReadOnlyList<Package> Finish();
}

/// <summary>What kind of tree is scanned: it decides which evidence counts.</summary>
public enum ScanKind
{
    /// <summary>A container image: installed packages only (no lockfiles, as Trivy's image mode).</summary>
    Image,

    /// <summary>A root filesystem directory (<c>dir:PATH</c>): as an image.</summary>
    RootFilesystem,

    /// <summary>A source tree (<c>signet sbom fs PATH</c>): lockfiles and manifests count too.</summary>
    SourceTree,
}

/// <summary>A regular file of the tree, as <see cref="ICataloger.Wants"/> sees it.</summary>
public sealed record CatalogFile
{
    /// <summary>The path from the tree root, '/'-separated, without a leading '/' (<c>var/lib/dpkg/status</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The content length in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>The permission bits.</summary>
    public required UnixFileMode Mode { get; init; }

    /// <summary>The layer that last wrote the file; null for a directory tree.</summary>
    public LayerInfo? Layer { get; init; }

    /// <summary>Any of the execute bits is set.</summary>
    public bool IsExecutable => (Mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    /// <summary>The last path component.</summary>
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];
}

/// <summary>What catalogers know about the scan, and where they report problems with what they read.</summary>
public sealed class CatalogContext
{
    private readonly Action<CatalogIssue> _report;
    private readonly Func<string, LayerInfo?> _layerOf;

    /// <param name="kind">What is scanned.</param>
    /// <param name="distribution">The distribution from release files, if any.</param>
    /// <param name="report">Receives issues; called from several threads.</param>
    /// <param name="layerOf">The layer that last wrote a path of the tree (links not followed); null for a directory tree.</param>
    public CatalogContext(ScanKind kind, LinuxDistribution? distribution, Action<CatalogIssue> report, Func<string, LayerInfo?>? layerOf = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        Kind = kind;
        Distribution = distribution;
        _report = report;
        _layerOf = layerOf ?? (_ => null);
    }

    public ScanKind Kind { get; }

    /// <summary>
    /// The distribution of the tree. The engine reads release files in the same pass as every other file, so it sets
    /// this before <see cref="ICatalogSession.Finish"/> (null during <see cref="ICatalogSession.ReadAsync"/>); build
    /// purls in Finish. OS catalogers use its <see cref="LinuxDistribution.Id"/> as the purl namespace and its
    /// <see cref="LinuxDistribution.DistroQualifier"/> as the <c>distro</c> qualifier. When no release file names it
    /// (distroless), the engine derives it from the packages afterwards and adds both to OS purls that lack them.
    /// </summary>
    public LinuxDistribution? Distribution { get; internal set; }

    /// <summary>
    /// The layer that last wrote <paramref name="path"/> (from the tree root, leading '/' optional), or null when the
    /// path is absent or the tree has no layers. For attributing packages of a shared database to the layer that
    /// installed them.
    /// </summary>
    public LayerInfo? LayerOf(string path) => _layerOf(path);

    /// <summary>Records a problem with one file; the scan goes on. Thread-safe.</summary>
    public void Report(CatalogIssue issue) => _report(issue);
}

/// <summary>A file a cataloger could not read fully, with a stable code (docs/error-codes.md) and what to do.</summary>
public sealed record CatalogIssue(string Code, string Path, string Message)
{
    public override string ToString() => $"{Code}: {Path}: {Message}";
}
