using Signet.Scanning.Catalogers;
using Signet.Scanning.Os;

namespace Signet.Scanning.Tests.Catalogers;

/// <summary>
/// Runs one cataloger over files held in memory, as the engine would over a tree: every file is offered to
/// <see cref="ICataloger.Wants"/>, wanted ones are read, then the session finishes. For unit tests of one parser.
/// </summary>
public static class CatalogerHarness
{
    /// <summary>The packages and issues of <paramref name="cataloger"/> over <paramref name="files"/> (path without leading '/' to content).</summary>
    public static async Task<(IReadOnlyList<Package> Packages, IReadOnlyList<CatalogIssue> Issues)> RunAsync(
        ICataloger cataloger,
        IReadOnlyDictionary<string, byte[]> files,
        ScanKind kind = ScanKind.Image,
        LinuxDistribution? distribution = null,
        Func<string, UnixFileMode>? modes = null)
    {
        var issues = new List<CatalogIssue>();
        var context = new CatalogContext(kind, distribution, issues.Add);
        var session = cataloger.Start(context);
        foreach (var (path, bytes) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var file = new CatalogFile
            {
                Path = path,
                Size = bytes.Length,
                Mode = modes?.Invoke(path) ?? (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead),
            };
            if (!cataloger.Wants(file, context))
            {
                continue;
            }

            await using var content = new MemoryStream(bytes, writable: false);
            await session.ReadAsync(file, content, CancellationToken.None);
        }

        return (session.Finish(), issues);
    }
}
