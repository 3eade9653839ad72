using System.Security.Cryptography;
using System.Text.Json;
using Signet.Sigstore.Tuf;
using Signet.Testing;
using Signet.Testing.Tuf;
using static Signet.Testing.Tuf.TufRepositorySimulator;

namespace Signet.Cli.Tests.Commands;

/// <summary><c>signet trust</c> against a TUF repository simulator served over loopback HTTP (no internet).</summary>
public sealed class TrustCommandsTests : IAsyncLifetime, IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly TempDirectory _dir = new();
    private readonly TufRepositorySimulator _repo = new();
    private TufTestServer? _server;
    private byte[] _trustedRoot = [];

    private string TrustDir => _dir["trust"];

    public Task InitializeAsync()
    {
        // The repository serves the staging trusted root, so the tests see it replace the shipped public-good one.
        _trustedRoot = File.ReadAllBytes(TestData.Require(Path.Combine("sigstore-conformance", "trusted_root.staging.json")));
        _repo.AddArtifact(TargetsRole, _trustedRoot, SigstoreTrust.TrustedRootFileName);
        _repo.Publish(TargetsRole, SnapshotRole, TimestampRole);
        File.WriteAllBytes(_dir["root.json"], _repo.PublishedRoots()[0]);
        _server = new TufTestServer(_repo);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    public void Dispose()
    {
        _repo.Dispose();
        _cli.Dispose();
        _dir.Dispose();
    }

    private Task<CliResult> RunAsync(params string[] args) => _cli.RunAsync(args);

    private Task<CliResult> InitAsync() => RunAsync("trust", "init", "--mirror", _server!.BaseUrl.AbsoluteUri, "--root", _dir["root.json"], "--trust-dir", TrustDir);

    [Fact]
    public async Task Init_DefaultMirror_SeedsTheShippedRootWithoutNetwork()
    {
        var result = await RunAsync("trust", "init", "--trust-dir", TrustDir, "--output", "json");

        result.AssertExit(ExitCodes.Success);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(16, json.RootElement.GetProperty("rootVersion").GetInt64());
        Assert.Equal("https://tuf-repo-cdn.sigstore.dev/", json.RootElement.GetProperty("mirror").GetString());
        Assert.Equal(SigstoreTrust.EmbeddedRoot.ToArray(), File.ReadAllBytes(Path.Combine(TrustDir, "metadata", "root.json")));
    }

    [Fact]
    public async Task Update_LoopbackMirror_WritesTheTrustedRootTarget()
    {
        (await InitAsync()).AssertExit(ExitCodes.Success);

        var update = await RunAsync("trust", "update", "--trust-dir", TrustDir, "--output", "json");

        update.AssertExit(ExitCodes.Success);
        using var json = JsonDocument.Parse(update.Stdout);
        Assert.True(json.RootElement.GetProperty("changed").GetBoolean());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(_trustedRoot)), json.RootElement.GetProperty("sha256").GetString());
        Assert.Equal(_trustedRoot, File.ReadAllBytes(Path.Combine(TrustDir, "trusted_root.json")));
        Assert.Contains((SigstoreTrust.TrustedRootFileName, Convert.ToHexStringLower(SHA256.HashData(_trustedRoot))), _repo.ArtifactRequests);

        var show = await RunAsync("trust", "show", "--trust-dir", TrustDir);
        show.AssertExit(ExitCodes.Success);
        Assert.Contains("TUF root: v1", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("TUF timestamp: v2", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("rekor.sigstage.dev", show.Stdout, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(TrustDir, "trusted_root.json"), SigstoreTrust.TrustedRootFileIn(TrustDir));
        Assert.Contains(SigstoreTrust.LoadTrustedRoot(null, TrustDir).Tlogs, log => log.BaseUrl.Contains("sigstage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_RootRotatedAndTargetCached_FollowsRootWithoutRefetchingTarget()
    {
        (await InitAsync()).AssertExit(ExitCodes.Success);
        (await RunAsync("trust", "update", "--trust-dir", TrustDir)).AssertExit(ExitCodes.Success);
        var oldRootKeys = _repo.Signers[RootRole].ToList();
        _repo.RotateKeys(RootRole);
        oldRootKeys.ForEach(key => _repo.AddSigner(RootRole, key));
        _repo.RotateKeys(TimestampRole);
        _repo.Publish(RootRole);
        _repo.Publish(TimestampRole);

        var update = await RunAsync("trust", "update", "--trust-dir", TrustDir);

        update.AssertExit(ExitCodes.Success);
        Assert.Contains("trusted root unchanged", update.Stdout, StringComparison.Ordinal);
        Assert.Contains("TUF root v2", update.Stdout, StringComparison.Ordinal);
        Assert.Single(_repo.ArtifactRequests);
    }

    [Fact]
    public async Task Update_TargetSwappedBehindMetadata_Exit1AndNothingWritten()
    {
        (await InitAsync()).AssertExit(ExitCodes.Success);
        var swapped = (byte[])_trustedRoot.Clone();
        swapped[^2] ^= 1;
        _repo.Artifacts[SigstoreTrust.TrustedRootFileName].Data = swapped;

        var update = await RunAsync("trust", "update", "--trust-dir", TrustDir);

        update.AssertExit(ExitCodes.VerificationFailed);
        Assert.Contains(TufCodes.HashMismatch, update.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(TrustDir, "trusted_root.json")));
    }

    [Fact]
    public async Task Update_TimestampExpired_Exit1Freeze()
    {
        (await InitAsync()).AssertExit(ExitCodes.Success);
        _repo.SetExpires(TimestampRole, DateTimeOffset.UtcNow.AddDays(-1));
        _repo.Publish(TimestampRole);

        var update = await RunAsync("trust", "update", "--trust-dir", TrustDir);

        update.AssertExit(ExitCodes.VerificationFailed);
        Assert.Contains(TufCodes.Expired, update.Stderr, StringComparison.Ordinal);
        Assert.Contains("timestamp v3", update.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_MirrorUnreachable_Exit3()
    {
        (await InitAsync()).AssertExit(ExitCodes.Success);
        var closed = new TufTestServer(_ => null);
        var url = closed.BaseUrl.AbsoluteUri;
        await closed.DisposeAsync();

        var update = await RunAsync("trust", "update", "--mirror", url, "--trust-dir", TrustDir);

        update.AssertExit(ExitCodes.InputError);
        Assert.Contains(TufCodes.FetchFailed, update.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_RootNotSignedByItself_Exit1()
    {
        var root = System.Text.Encoding.UTF8.GetString(_repo.PublishedRoots()[0]).Replace("\"version\": 1", "\"version\": 7", StringComparison.Ordinal);
        File.WriteAllText(_dir["tampered.json"], root);

        var init = await RunAsync("trust", "init", "--mirror", _server!.BaseUrl.AbsoluteUri, "--root", _dir["tampered.json"], "--trust-dir", TrustDir);

        init.AssertExit(ExitCodes.VerificationFailed);
        Assert.Contains(TufCodes.ThresholdNotMet, init.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(TrustDir));
    }

    [Fact]
    public async Task Init_RootFileMissingOrMirrorNotAUrl_InputOrUsageError()
    {
        var missing = await RunAsync("trust", "init", "--mirror", _server!.BaseUrl.AbsoluteUri, "--root", _dir["absent.json"], "--trust-dir", TrustDir);
        var badMirror = await RunAsync("trust", "init", "--mirror", "tuf.example.com", "--trust-dir", TrustDir);

        missing.AssertExit(ExitCodes.InputError);
        Assert.Contains("--root", missing.Stderr, StringComparison.Ordinal);
        badMirror.AssertExit(ExitCodes.Usage);
        Assert.Contains("--mirror must be an absolute", badMirror.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_TrustDirFromEnvironmentNeverInitialised_ShowsTheShippedTrustedRoot()
    {
        var show = await _cli.RunAsync(["trust", "show", "--output", "json"], stdin: null, environment: new Dictionary<string, string?> { ["SIGNET_TRUST_DIR"] = TrustDir });

        show.AssertExit(ExitCodes.Success);
        using var json = JsonDocument.Parse(show.Stdout);
        Assert.Equal(TrustDir, json.RootElement.GetProperty("directory").GetString());
        Assert.Equal("embedded", json.RootElement.GetProperty("trustedRoot").GetString());
        Assert.False(json.RootElement.TryGetProperty("rootVersion", out _));
        Assert.Contains(json.RootElement.GetProperty("tlogs").EnumerateArray(), log => log.GetProperty("baseUrl").GetString() == "https://rekor.sigstore.dev");
        Assert.All(json.RootElement.GetProperty("certificateAuthorities").EnumerateArray(), ca => Assert.True(ca.TryGetProperty("validFrom", out _)));
    }
}
