using System.Globalization;
using System.Net;
using Signet.Sigstore.Tests.Tuf.Conformance;
using Signet.Sigstore.Tuf;
using Signet.Testing.Tuf;
using static Signet.Testing.Tuf.TufRepositorySimulator;
using TestData = Signet.Testing.TestData;

namespace Signet.Sigstore.Tests.Tuf;

/// <summary>Client behaviour beyond the tuf-conformance scenarios: limits, rotation clean-up, non-consistent snapshots, fetchers.</summary>
public sealed class TufClientTests : ConformanceTestBase
{
    [Fact]
    public async Task Refresh_TimestampOver16KiB_TooLarge()
    {
        InitClient();
        Repo.Timestamp["x-padding"] = new string('x', 17 * 1024);
        Repo.Publish(TimestampRole);

        Assert.Equal(1, await Client.RefreshAsync());

        Assert.Equal(TufCodes.TooLarge, Client.LastError!.Code);
        Assert.Null(Client.Version(TimestampRole));
    }

    [Fact]
    public async Task Refresh_SnapshotLongerThanTimestampSays_TooLarge()
    {
        Repo.ComputeMetafileHashesAndLength = true;
        Repo.Publish(SnapshotRole, TimestampRole);
        Repo.Snapshot["x-padding"] = "grown after timestamp was signed";
        Repo.PublishAsIs(SnapshotRole);
        InitClient();

        Assert.Equal(1, await Client.RefreshAsync());

        Assert.Equal(TufCodes.TooLarge, Client.LastError!.Code);
        Assert.Contains("2.snapshot.json", Client.LastError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_FortyRootVersions_At32PerRefresh()
    {
        InitClient();
        for (var i = 0; i < 39; i++)
        {
            Repo.Publish(RootRole);
        }

        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(33, Client.Version(RootRole));
        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Equal(40, Client.Version(RootRole));
    }

    [Fact]
    public async Task Refresh_TimestampKeysRotated_LocalTimestampAndSnapshotDeleted()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());
        Repo.RotateKeys(TimestampRole);
        Repo.Publish(RootRole);
        Repo.Unpublish(TimestampRole);

        Assert.Equal(1, await Client.RefreshAsync());

        Assert.Equal(TufCodes.FetchFailed, Client.LastError!.Code);
        Assert.Equal([(RootRole, 2L), (TargetsRole, 1L)], Client.TrustedRoles());
    }

    [Fact]
    public async Task Refresh_RotationThenBadRoot_RotationKeptAndStaleTimestampDeleted()
    {
        InitClient();
        Assert.Equal(0, await Client.RefreshAsync());
        Repo.RotateKeys(SnapshotRole);
        Repo.Publish(RootRole);
        Repo.Signers[RootRole].Clear();
        Repo.Publish(RootRole);

        Assert.Equal(1, await Client.RefreshAsync());

        Assert.Equal(TufCodes.ThresholdNotMet, Client.LastError!.Code);
        Assert.Contains("root v3", Client.LastError.Message, StringComparison.Ordinal);
        Assert.Equal([(RootRole, 2L), (TargetsRole, 1L)], Client.TrustedRoles());
    }

    [Fact]
    public async Task Download_DelegationChainLongerThan32_StopsSearching()
    {
        InitClient();
        var delegator = TargetsRole;
        for (var i = 1; i <= 40; i++)
        {
            Repo.AddDelegation(delegator, $"r{i}");
            delegator = $"r{i}";
        }

        Repo.AddArtifact("r40", "deep"u8.ToArray(), "deep.txt");
        for (var i = 1; i <= 40; i++)
        {
            Repo.PublishAsIs($"r{i}");
        }

        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);

        Assert.Equal(1, await Client.DownloadTargetAsync("deep.txt"));

        Assert.Equal(TufCodes.TargetNotFound, Client.LastError!.Code);
        Assert.Equal(31, Repo.MetadataRequests.Count(r => r.Role.StartsWith('r') && r.Role != RootRole));
    }

    [Fact]
    public async Task Download_ConsistentSnapshotOff_UnversionedNamesAndNoHashPrefix()
    {
        Repo.Root["consistent_snapshot"] = false;
        Repo.Publish(RootRole);
        Repo.AddArtifact(TargetsRole, "plain"u8.ToArray(), "dir/plain.txt");
        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);
        InitClient();

        Assert.Equal(0, await Client.DownloadTargetAsync("dir/plain.txt"));

        Assert.Equal([(RootRole, 2), (RootRole, 3), (TimestampRole, null), (SnapshotRole, null), (TargetsRole, null)], Repo.MetadataRequests);
        Assert.Equal([("dir/plain.txt", (string?)null)], Repo.ArtifactRequests);
        Assert.Equal(["plain"], Client.DownloadedTargets());
    }

    [Fact]
    public async Task Download_SameLengthDifferentBytes_HashMismatchNothingWritten()
    {
        Repo.AddArtifact(TargetsRole, "genuine"u8.ToArray(), "a.txt");
        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);
        Repo.Artifacts["a.txt"].Data = "forgery"u8.ToArray();
        InitClient();

        Assert.Equal(1, await Client.DownloadTargetAsync("a.txt"));

        Assert.Equal(TufCodes.HashMismatch, Client.LastError!.Code);
        Assert.Empty(Client.DownloadedTargets());
    }

    [Fact]
    public async Task FetchTarget_FileMirror_ReadsTheRepositoryFromDisk()
    {
        var repository = TestData.Require(Path.Combine("tuf-conformance", "static_data", "tuf-on-ci-0.11"));
        var now = DateTimeOffset.Parse(File.ReadAllText(Path.Combine(repository, "faketime")).Trim(), CultureInfo.InvariantCulture);
        using var client = new ConformanceClient(new Uri(Path.Combine(repository, "metadata") + "/"), new Uri(Path.Combine(repository, "targets") + "/"));
        client.Init(File.ReadAllBytes(Path.Combine(repository, "initial_root.json")));

        Assert.Equal(0, await client.DownloadTargetAsync("delegatedrole/artifact", now));
        Assert.Single(client.DownloadedTargets());
    }

    [Fact]
    public async Task Fetch_ServerError_FetchFailedWithStatus()
    {
        await using var server = new TufTestServer(_ => null);
        using var http = new HttpClient();

        var e = await Assert.ThrowsAsync<TufFetchException>(() => new TufFetcher(http).FetchAsync(new Uri(server.BaseUrl, "timestamp.json"), 1024));

        Assert.Equal(TufCodes.FetchFailed, e.Code);
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.True(e.IsNotFound);
    }

    [Fact]
    public async Task Fetch_UnsupportedScheme_FetchFailed()
    {
        using var http = new HttpClient();

        var e = await Assert.ThrowsAsync<TufFetchException>(() => new TufFetcher(http).FetchAsync(new Uri("ftp://example.com/root.json"), 1024));

        Assert.Equal(TufCodes.FetchFailed, e.Code);
        Assert.False(e.IsNotFound);
    }

    [Fact]
    public async Task Refresh_NoTrustedRoot_MissingMetadata()
    {
        Assert.Equal(1, await Client.RefreshAsync());

        Assert.Equal(TufCodes.MissingMetadata, Client.LastError!.Code);
        Assert.Empty(Repo.MetadataRequests);
    }
}
