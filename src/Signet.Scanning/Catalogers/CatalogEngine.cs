using System.Collections.Concurrent;
using Signet.Scanning.FileSystem;
using Signet.Scanning.Os;
using Signet.Scanning.Purls;
using Signet.Scanning.Trees;

namespace Signet.Scanning.Catalogers;

/// <summary>What a scan of a tree found.</summary>
public sealed record CatalogResult
{
    /// <summary>The distribution, from release files or (distroless) from the OS packages; null when unknown.</summary>
    public required LinuxDistribution? Distribution { get; init; }

    /// <summary>Every package, sorted by type, name, version and first evidence path.</summary>
    public required IReadOnlyList<Package> Packages { get; init; }

    /// <summary>Files that could not be read fully, sorted by path and code.</summary>
    public required IReadOnlyList<CatalogIssue> Issues { get; init; }

    /// <summary>How many regular files the tree has.</summary>
    public required int FilesListed { get; init; }

    /// <summary>How many files were read (wanted by a cataloger, or release files).</summary>
    public required int FilesRead { get; init; }

    /// <summary>The bytes of the files read.</summary>
    public required long BytesRead { get; init; }
}

/// <summary>
/// Runs catalogers over a tree in one pass: lists the files, asks each cataloger which it wants, reads every wanted
/// file once (for an image: one decompression per layer that holds any, layers in parallel) together with the OS
/// release files, detects the distribution, then lets each cataloger finish.
/// </summary>
public static class CatalogEngine
{
    /// <summary>Scans <paramref name="tree"/> with <paramref name="catalogers"/> (all of <see cref="CatalogerSet.Default"/> when null).</summary>
    public static async Task<CatalogResult> ScanAsync(
        IFileTree tree, ScanKind kind, IReadOnlyList<ICataloger>? catalogers = null, int parallelism = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        catalogers ??= CatalogerSet.Default;
        var issues = new ConcurrentBag<CatalogIssue>();
        var context = new CatalogContext(kind, null, issues.Add, tree.LayerOf);
        var sessions = catalogers.Select(c => new Consumer(c, c.Start(context))).ToList();

        var wanted = new Dictionary<string, Wanted>(StringComparer.Ordinal);
        var listed = 0;
        foreach (var file in tree.Files)
        {
            listed++;
            foreach (var session in sessions)
            {
                if (session.Cataloger.Wants(file, context))
                {
                    Want(wanted, file).Sessions.Add(session);
                }
            }
        }

        var releaseFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in OsDetector.ReleaseFiles)
        {
            if (tree.TryResolveFile(path, out var file))
            {
                releaseFiles[path] = file.Path;
                Want(wanted, file).Release = true;
            }
        }

        var releaseContent = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        long bytes = 0;
        await tree.ReadFilesAsync(
            [.. wanted.Values.Select(w => w.File)],
            async (files, content, token) =>
            {
                Interlocked.Add(ref bytes, files[0].Size);
                await DeliverAsync([.. files.Select(f => wanted[f.Path])], content, releaseContent, issues, token).ConfigureAwait(false);
            },
            parallelism > 0 ? parallelism : Environment.ProcessorCount,
            cancellationToken).ConfigureAwait(false);

        var lookup = new ReleaseFileLookup(releaseFiles, releaseContent);
        var packages = new List<Package>();
        context.Distribution = OsDetector.Detect(lookup);
        foreach (var session in sessions)
        {
            try
            {
                packages.AddRange(session.Session.Finish());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                issues.Add(new CatalogIssue(CatalogCodes.CatalogerFailed, tree.Name, $"cataloger {session.Cataloger.Id} failed to finish: {e.Message} Its packages are missing; report this defect."));
            }
        }

        var distribution = context.Distribution
            ?? OsDetector.FromPackages(packages.Where(p => IsOsType(p.Type) && p.Version is not null).Select(p => new OsPackageEvidence(p.Type, p.Name, p.Version!)));
        return new CatalogResult
        {
            Distribution = distribution,
            Packages = [.. packages.Select(p => WithDistro(p, distribution, issues))
                .OrderBy(p => p.Type, StringComparer.Ordinal)
                .ThenBy(p => p.Name, StringComparer.Ordinal)
                .ThenBy(p => p.Version, StringComparer.Ordinal)
                .ThenBy(p => p.Evidence.FirstOrDefault(), StringComparer.Ordinal)],
            Issues = [.. issues.Distinct().OrderBy(i => i.Path, StringComparer.Ordinal).ThenBy(i => i.Code, StringComparer.Ordinal).ThenBy(i => i.Message, StringComparer.Ordinal)],
            FilesListed = listed,
            FilesRead = wanted.Count,
            BytesRead = bytes,
        };
    }

    private static bool IsOsType(string type) => type is "deb" or "apk" or "rpm";

    private static Wanted Want(Dictionary<string, Wanted> wanted, CatalogFile file)
    {
        if (!wanted.TryGetValue(file.Path, out var entry))
        {
            wanted[file.Path] = entry = new Wanted(file);
        }

        return entry;
    }

    /// <summary>Hands one content to every session that wants one of its files: directly to a single reader, else from one spooled copy.</summary>
    private static async Task DeliverAsync(
        IReadOnlyList<Wanted> targets, Stream content, ConcurrentDictionary<string, byte[]> releaseContent, ConcurrentBag<CatalogIssue> issues, CancellationToken cancellationToken)
    {
        var readers = targets.SelectMany(t => t.Sessions.Select(s => (t.File, Session: s))).ToList();
        var release = targets.Any(t => t.Release);
        var size = targets[0].File.Size;
        if (readers.Count == 1 && !release)
        {
            await ReadOneAsync(readers[0].Session, readers[0].File, content, issues, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Several readers: one copy, each reader gets its own stream over it (memory, or a temporary file for big ones).
        byte[]? buffer = null;
        string? temporary = null;
        try
        {
            if (size <= CatalogContent.MaxInMemorySpool)
            {
                buffer = new byte[size];
                await content.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                temporary = Path.Combine(Path.GetTempPath(), $"signet-share-{Guid.NewGuid():N}");
                var copy = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
                await using (copy.ConfigureAwait(false))
                {
                    await content.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                }
            }

            Stream Open() => buffer is not null
                ? new MemoryStream(buffer, writable: false)
                : new FileStream(temporary!, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);

            if (release)
            {
                var head = new byte[Math.Min(size, OsDetector.MaxReleaseFileLength)];
                var stream = Open();
                await using (stream.ConfigureAwait(false))
                {
                    await stream.ReadExactlyAsync(head, cancellationToken).ConfigureAwait(false);
                }

                foreach (var target in targets.Where(t => t.Release))
                {
                    releaseContent[target.File.Path] = head;
                }
            }

            foreach (var (file, session) in readers)
            {
                var stream = Open();
                await using (stream.ConfigureAwait(false))
                {
                    await ReadOneAsync(session, file, stream, issues, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or LayerFormatException)
        {
            issues.Add(new CatalogIssue(CatalogCodes.Unreadable, targets[0].File.Path, $"could not be read: {e.Message} Packages it evidences are missing."));
        }
        finally
        {
            if (temporary is not null)
            {
                File.Delete(temporary);
            }
        }
    }

    private static async Task ReadOneAsync(Consumer consumer, CatalogFile file, Stream content, ConcurrentBag<CatalogIssue> issues, CancellationToken cancellationToken)
    {
        await consumer.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await consumer.Session.ReadAsync(file, content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or LayerFormatException)
        {
            issues.Add(new CatalogIssue(CatalogCodes.Unreadable, file.Path, $"could not be read by {consumer.Cataloger.Id}: {e.Message} Packages it evidences are missing."));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            issues.Add(new CatalogIssue(CatalogCodes.CatalogerFailed, file.Path, $"cataloger {consumer.Cataloger.Id} failed: {e.GetType().Name}: {e.Message} Packages it evidences are missing; report this defect."));
        }
        finally
        {
            consumer.Lock.Release();
        }
    }

    /// <summary>Adds the distribution to an OS package's purl that lacks it (the distroless case).</summary>
    private static Package WithDistro(Package package, LinuxDistribution? distribution, ConcurrentBag<CatalogIssue> issues)
    {
        if (distribution is null || package.Purl is not { } purl || !IsOsType(package.Type) || purl.Qualifiers.ContainsKey("distro"))
        {
            return package;
        }

        try
        {
            var qualifiers = purl.Qualifiers.SetItem("distro", distribution.DistroQualifier).Select(q => new KeyValuePair<string, string?>(q.Key, q.Value));
            return package with { Purl = PackageUrl.Create(purl.Type, distribution.Id, purl.Name, purl.Version, qualifiers, purl.Subpath) };
        }
        catch (PackageUrlFormatException e)
        {
            issues.Add(new CatalogIssue(CatalogCodes.CatalogerFailed, package.Evidence.FirstOrDefault() ?? package.Name, $"the purl of {package.Name} could not take the distribution {distribution.DistroQualifier}: {e.Message}"));
            return package;
        }
    }

    private sealed class Wanted(CatalogFile file)
    {
        public CatalogFile File { get; } = file;

        public List<Consumer> Sessions { get; } = [];

        public bool Release { get; set; }
    }

    private sealed class Consumer(ICataloger cataloger, ICatalogSession session)
    {
        public ICataloger Cataloger { get; } = cataloger;

        public ICatalogSession Session { get; } = session;

        public SemaphoreSlim Lock { get; } = new(1, 1);
    }

    /// <summary>The release files read in the pass, by the path the detector asks for.</summary>
    private sealed class ReleaseFileLookup(Dictionary<string, string> resolved, ConcurrentDictionary<string, byte[]> content) : IFileLookup
    {
        public byte[]? Read(string path, int maxLength) =>
            resolved.TryGetValue(path, out var actual) && content.TryGetValue(actual, out var bytes)
                ? bytes.Length <= maxLength ? bytes : bytes[..maxLength]
                : null;
    }
}
