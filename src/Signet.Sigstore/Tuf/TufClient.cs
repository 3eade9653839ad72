namespace Signet.Sigstore.Tuf;

/// <summary>
/// A TUF 1.0 client (specification section 5, "detailed client workflow"): from the trusted root in a local metadata
/// directory it updates root through N+1 versions, then timestamp, snapshot and targets with rollback, freeze and
/// mix-and-match protection, finds targets through delegations (pre-order depth-first) and downloads them with length
/// and hash checks into a local cache. Every failure is a <see cref="TufException"/> with a <see cref="TufCodes"/> code.
/// </summary>
public sealed class TufClient
{
    private readonly TufClientOptions _options;
    private readonly ITufFetcher _fetcher;
    private readonly Uri _metadataBase;
    private readonly Uri _targetBase;
    private readonly string _targetDirectory;
    private TufTrustedSet? _trusted;

    public TufClient(TufClientOptions options, ITufFetcher fetcher)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fetcher);
        _options = options;
        _fetcher = fetcher;
        _metadataBase = WithSlash(options.MetadataBaseUrl);
        _targetBase = options.TargetBaseUrl is { } t ? WithSlash(t) : new Uri(_metadataBase, "targets/");
        _targetDirectory = options.TargetDirectory ?? Path.Combine(options.MetadataDirectory, "targets");
    }

    /// <summary>The trusted root after the last refresh, or null before one.</summary>
    public RootMetadata? TrustedRoot => _trusted?.Root;

    /// <summary>
    /// Updates root, timestamp, snapshot and top-level targets (client workflow 5.1-5.6) and persists each accepted file
    /// byte for byte. Each call starts again from the local metadata directory.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        _trusted = null;
        var rootPath = LocalPath("root");
        byte[] rootBytes;
        try
        {
            rootBytes = await File.ReadAllBytesAsync(rootPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TufException(TufCodes.MissingMetadata, $"no trusted root: {rootPath} cannot be read ({e.Message}); initialise the metadata directory with a trusted root.json", e);
        }

        var trusted = new TufTrustedSet(rootBytes, _options.TimeProvider.GetUtcNow());
        var initialRoot = trusted.Root;
        try
        {
            await UpdateRootAsync(trusted, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Spec 5.3.11, also when a later root version failed: the roots accepted so far are persisted.
            if (trusted.KeysRotated(initialRoot, "timestamp") || trusted.KeysRotated(initialRoot, "snapshot"))
            {
                File.Delete(LocalPath("timestamp"));
                File.Delete(LocalPath("snapshot"));
            }
        }

        trusted.CheckFinalRoot();
        await UpdateTimestampAsync(trusted, cancellationToken).ConfigureAwait(false);
        await UpdateSnapshotAsync(trusted, cancellationToken).ConfigureAwait(false);
        await LoadTargetsAsync(trusted, "targets", "root", cancellationToken).ConfigureAwait(false);
        _trusted = trusted;
    }

    /// <summary>
    /// The trusted description of <paramref name="targetPath"/>, searched from top-level targets through delegations in
    /// pre-order depth-first order (at most <see cref="TufClientOptions.MaxDelegations"/> roles); null when no role
    /// lists it. Refreshes first if this client has not.
    /// </summary>
    public async Task<TufTargetFile?> GetTargetInfoAsync(string targetPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targetPath);
        if (_trusted is null)
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }

        var trusted = _trusted!;
        var toVisit = new Stack<(string Role, string Delegator)>();
        toVisit.Push(("targets", "root"));
        var visited = new HashSet<(string, string)>();
        var budget = _options.MaxDelegations;
        while (budget > 0 && toVisit.Count > 0)
        {
            var (role, delegator) = toVisit.Pop();
            if (visited.Contains((role, delegator)))
            {
                continue;
            }

            var targets = await LoadTargetsAsync(trusted, role, delegator, cancellationToken).ConfigureAwait(false);
            if (targets.Targets.TryGetValue(targetPath, out var found))
            {
                return found;
            }

            visited.Add((role, delegator));
            budget--;
            var children = new List<(string, string)>();
            foreach (var child in targets.RolesForTarget(targetPath))
            {
                children.Add((child.Name, role));
                if (child.Terminating)
                {
                    toVisit.Clear();
                    break;
                }
            }

            for (var i = children.Count - 1; i >= 0; i--)
            {
                toVisit.Push(children[i]);
            }
        }

        return null;
    }

    /// <summary>The local path of the cached target when its content matches <paramref name="target"/>, else null.</summary>
    public string? FindCachedTarget(TufTargetFile target, string? filePath = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        filePath ??= TargetPath(target);
        try
        {
            var info = new FileInfo(filePath);
            if (!info.Exists || info.Length != target.Length)
            {
                return null;
            }

            target.Verify(File.ReadAllBytes(filePath));
            return filePath;
        }
        catch (TufException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Downloads <paramref name="target"/> (as <c>&lt;hash&gt;.&lt;name&gt;</c> with consistent snapshots), at most its
    /// length, checks length and every hash and only then writes it to <paramref name="filePath"/> (default: the
    /// target cache). Returns the path written.
    /// </summary>
    public async Task<string> DownloadTargetAsync(TufTargetFile target, string? filePath = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        filePath ??= TargetPath(target);
        var name = target.Path;
        if (_trusted?.Root.ConsistentSnapshot == true && _options.PrefixTargetsWithHash)
        {
            var slash = name.LastIndexOf('/');
            name = $"{name[..(slash + 1)]}{target.Hashes.Values.First()}.{name[(slash + 1)..]}";
        }

        var url = new Uri(_targetBase + string.Join('/', name.Split('/').Select(Uri.EscapeDataString)));
        var data = await _fetcher.FetchAsync(url, target.Length, cancellationToken).ConfigureAwait(false);
        target.Verify(data);
        await WriteAtomicallyAsync(filePath, data, cancellationToken).ConfigureAwait(false);
        return filePath;
    }

    /// <summary>Refresh (if not yet), find the target, and return its cached path or download it.</summary>
    /// <exception cref="TufException">TUF1009 when no trusted targets metadata lists <paramref name="targetPath"/>, or any workflow failure.</exception>
    public async Task<string> FetchTargetAsync(string targetPath, CancellationToken cancellationToken = default)
    {
        var target = await GetTargetInfoAsync(targetPath, cancellationToken).ConfigureAwait(false)
            ?? throw new TufException(TufCodes.TargetNotFound, $"target '{targetPath}' is not listed by targets v{_trusted!.Targets["targets"].Version} or any role it delegates to", null);
        return FindCachedTarget(target) ?? await DownloadTargetAsync(target, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task UpdateRootAsync(TufTrustedSet trusted, CancellationToken cancellationToken)
    {
        var first = trusted.Root.Version + 1;
        for (var version = first; version < first + _options.MaxRootRotations; version++)
        {
            byte[] data;
            try
            {
                data = await _fetcher.FetchAsync(MetadataUrl("root", version), _options.RootMaxLength, cancellationToken).ConfigureAwait(false);
            }
            catch (TufFetchException e) when (e.IsNotFound)
            {
                return;
            }

            trusted.UpdateRoot(data);
            await WriteAtomicallyAsync(LocalPath("root"), data, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task UpdateTimestampAsync(TufTrustedSet trusted, CancellationToken cancellationToken)
    {
        if (await ReadLocalAsync("timestamp", cancellationToken).ConfigureAwait(false) is { } local)
        {
            TryLocal(() => trusted.UpdateTimestamp(local, _options.TimestampMaxLength));
        }

        var data = await _fetcher.FetchAsync(MetadataUrl("timestamp", null), _options.TimestampMaxLength, cancellationToken).ConfigureAwait(false);
        if (trusted.UpdateTimestamp(data, _options.TimestampMaxLength))
        {
            await WriteAtomicallyAsync(LocalPath("timestamp"), data, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task UpdateSnapshotAsync(TufTrustedSet trusted, CancellationToken cancellationToken)
    {
        if (await ReadLocalAsync("snapshot", cancellationToken).ConfigureAwait(false) is { } local
            && TryLocal(() => trusted.UpdateSnapshot(local, fromLocalCache: true, _options.SnapshotMaxLength)))
        {
            return;
        }

        var meta = trusted.Timestamp!.SnapshotMeta;
        var version = trusted.Root.ConsistentSnapshot ? meta.Version : (long?)null;
        var data = await _fetcher.FetchAsync(MetadataUrl("snapshot", version), meta.Length ?? _options.SnapshotMaxLength, cancellationToken).ConfigureAwait(false);
        trusted.UpdateSnapshot(data, fromLocalCache: false, _options.SnapshotMaxLength);
        await WriteAtomicallyAsync(LocalPath("snapshot"), data, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TargetsMetadata> LoadTargetsAsync(TufTrustedSet trusted, string role, string delegator, CancellationToken cancellationToken)
    {
        if (trusted.Targets.TryGetValue(role, out var loaded))
        {
            return loaded;
        }

        if (await ReadLocalAsync(role, cancellationToken).ConfigureAwait(false) is { } local
            && TryLocal(() => trusted.UpdateTargets(local, role, delegator, fromLocalCache: true, _options.TargetsMaxLength)))
        {
            return trusted.Targets[role];
        }

        var meta = trusted.MetaFor(role);
        var version = trusted.Root.ConsistentSnapshot ? meta.Version : (long?)null;
        var data = await _fetcher.FetchAsync(MetadataUrl(role, version), meta.Length ?? _options.TargetsMaxLength, cancellationToken).ConfigureAwait(false);
        var targets = trusted.UpdateTargets(data, role, delegator, fromLocalCache: false, _options.TargetsMaxLength);
        await WriteAtomicallyAsync(LocalPath(role), data, cancellationToken).ConfigureAwait(false);
        return targets;
    }

    /// <summary>Runs a check of a locally cached file; a cached file that fails is not an error, it is fetched again.</summary>
    private static bool TryLocal(Action update)
    {
        try
        {
            update();
            return true;
        }
        catch (TufException)
        {
            return false;
        }
    }

    private async Task<byte[]?> ReadLocalAsync(string role, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(LocalPath(role), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private Uri MetadataUrl(string role, long? version) =>
        new(_metadataBase + (version is { } v ? $"{v}." : "") + Uri.EscapeDataString(role) + ".json");

    /// <summary>A role's file in the metadata directory; the name is percent-encoded so no role name can leave it.</summary>
    private string LocalPath(string role) => Path.Combine(_options.MetadataDirectory, Uri.EscapeDataString(role) + ".json");

    private string TargetPath(TufTargetFile target) => Path.Combine(_targetDirectory, Uri.EscapeDataString(target.Path));

    private static async Task WriteAtomicallyAsync(string path, byte[] data, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, data, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private static Uri WithSlash(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
