using System.Text.Json;
using Signet.Sigstore.Tuf;
using Signet.Testing;

namespace Signet.Sigstore.Tests.Tuf.Conformance;

/// <summary>
/// The test side of tuf-conformance's ClientRunner: a metadata directory and a target directory, and each operation
/// (refresh, download) run by a fresh <see cref="TufClient"/> as the conformance suite runs a fresh client process.
/// Results are 0 (success) or 1 (failure, the exception kept in <see cref="LastError"/>).
/// </summary>
internal sealed class ConformanceClient : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly TempDir _dir = new("signet-tuf-");
    private readonly Uri _metadataUrl;
    private readonly Uri _targetsUrl;

    public ConformanceClient(Uri metadataUrl, Uri targetsUrl)
    {
        _metadataUrl = metadataUrl;
        _targetsUrl = targetsUrl;
        Directory.CreateDirectory(MetadataDirectory);
    }

    public string MetadataDirectory => _dir.Combine("metadata");

    public string TargetDirectory => _dir.Combine("targets");

    public TufException? LastError { get; private set; }

    public void Init(byte[] trustedRoot) => File.WriteAllBytes(Path.Combine(MetadataDirectory, "root.json"), trustedRoot);

    public TufClient NewClient(DateTimeOffset? now = null) => new(
        new TufClientOptions
        {
            MetadataDirectory = MetadataDirectory,
            MetadataBaseUrl = _metadataUrl,
            TargetDirectory = TargetDirectory,
            TargetBaseUrl = _targetsUrl,
            TimeProvider = now is { } time ? new FixedTime(time) : TimeProvider.System,
        },
        new TufFetcher(Http));

    public Task<int> RefreshAsync(DateTimeOffset? now = null) => RunAsync(() => NewClient(now).RefreshAsync());

    /// <summary>Refresh, find the target, return the cached copy or download it (as the conformance client's download).</summary>
    public Task<int> DownloadTargetAsync(string targetPath, DateTimeOffset? now = null) => RunAsync(() => NewClient(now).FetchTargetAsync(targetPath));

    /// <summary>The version of the role's metadata in the metadata directory, or null when there is none.</summary>
    public long? Version(string role)
    {
        var path = Path.Combine(MetadataDirectory, $"{role}.json");
        if (!File.Exists(path))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.GetProperty("signed").GetProperty("version").GetInt64();
    }

    /// <summary>Every metadata file the client keeps, as (role, version), sorted by role (tuf-conformance's trusted_roles()).</summary>
    public List<(string Role, long Version)> TrustedRoles() => Directory.GetFiles(MetadataDirectory, "*.json")
        .Select(f => Uri.UnescapeDataString(Path.GetFileNameWithoutExtension(f)))
        .Order(StringComparer.Ordinal)
        .Select(role => (role, Version(Uri.EscapeDataString(role))!.Value))
        .ToList();

    public byte[] LocalBytes(string role) => File.ReadAllBytes(Path.Combine(MetadataDirectory, $"{role}.json"));

    /// <summary>The contents of every downloaded target, sorted (tuf-conformance's get_downloaded_target_bytes()).</summary>
    public List<string> DownloadedTargets() => Directory.Exists(TargetDirectory)
        ? Directory.GetFiles(TargetDirectory).Select(File.ReadAllText).Order(StringComparer.Ordinal).ToList()
        : [];

    public void Dispose() => _dir.Dispose();

    private async Task<int> RunAsync(Func<Task> operation)
    {
        LastError = null;
        try
        {
            await operation();
            return 0;
        }
        catch (TufException e)
        {
            LastError = e;
            return 1;
        }
    }
}

/// <summary>A clock pinned at one instant (tuf-conformance's faketime).</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>One simulator, its loopback server and one client, per test (tuf-conformance's server.new_test()).</summary>
public abstract class ConformanceTestBase : IAsyncLifetime
{
    private TufTestServerHolder? _holder;

    internal Signet.Testing.Tuf.TufRepositorySimulator Repo { get; } = new();

    internal ConformanceClient Client => _holder!.Client;

    /// <summary>The first root the simulator published (tuf-conformance's init_data.trusted_root).</summary>
    internal byte[] InitialRoot => Repo.PublishedRoots()[0];

    public Task InitializeAsync()
    {
        var server = new Signet.Testing.Tuf.TufTestServer(Repo);
        _holder = new TufTestServerHolder(server, new ConformanceClient(server.MetadataUrl, server.TargetsUrl));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _holder!.Client.Dispose();
        await _holder.Server.DisposeAsync();
        Repo.Dispose();
    }

    internal void InitClient() => Client.Init(InitialRoot);

    private sealed record TufTestServerHolder(Signet.Testing.Tuf.TufTestServer Server, ConformanceClient Client);
}
