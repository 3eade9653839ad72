using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Signet.Sigstore.Tuf;
using static Signet.Testing.Tuf.TufRepositorySimulator;

namespace Signet.Sigstore.Tests.Tuf.Conformance;

/// <summary>Ports of tuf-conformance tuf_conformance/test_file_download.py.</summary>
public sealed class FileDownloadTests : ConformanceTestBase
{
    /// <summary>test_client_downloads_expected_file.</summary>
    [Fact]
    public async Task Download_ListedTarget_WritesItsBytes()
    {
        InitClient();
        Repo.AddArtifact(TargetsRole, "target file contents"u8.ToArray(), "target_file.txt");
        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);

        Assert.Equal(0, await Client.RefreshAsync());
        Assert.Empty(Client.DownloadedTargets());
        Assert.Equal(0, await Client.DownloadTargetAsync("target_file.txt"));

        Assert.Equal(["target file contents"], Client.DownloadedTargets());
        Assert.Contains(("target_file.txt", Convert.ToHexStringLower(SHA256.HashData("target file contents"u8))), Repo.ArtifactRequests);
    }

    /// <summary>test_client_downloads_expected_file_in_sub_dir.</summary>
    [Fact]
    public async Task Download_TargetInSubdirectory_WritesItsBytes()
    {
        InitClient();
        Repo.AddArtifact(TargetsRole, "target file contents"u8.ToArray(), "path/to/a/target_file.txt");
        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);

        Assert.Equal(0, await Client.DownloadTargetAsync("path/to/a/target_file.txt"));

        Assert.Equal(["target file contents"], Client.DownloadedTargets());
    }

    /// <summary>test_repository_substitutes_target_file.</summary>
    [Fact]
    public async Task Download_RepositorySwapsContent_NeverAccepted()
    {
        InitClient();
        Repo.AddArtifact(TargetsRole, "target file contents"u8.ToArray(), "target_file.txt");
        Repo.AddArtifact(TargetsRole, "content"u8.ToArray(), "another_target_file.txt");
        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);
        Assert.Equal(0, await Client.DownloadTargetAsync("target_file.txt"));

        Repo.Artifacts["target_file.txt"].Data = "malicious data - should not download"u8.ToArray();
        Repo.Artifacts["another_target_file.txt"].Data = "malicious data - should not download"u8.ToArray();

        Assert.Equal(0, await Client.DownloadTargetAsync("target_file.txt"));
        Assert.Equal(["target file contents"], Client.DownloadedTargets());
        Assert.Equal(1, await Client.DownloadTargetAsync("another_target_file.txt"));
        Assert.Equal(TufCodes.TooLarge, Client.LastError!.Code);
        Assert.Equal(["target file contents"], Client.DownloadedTargets());
    }

    /// <summary>test_multiple_changes_to_target: legitimate changes are followed, content swapped behind metadata never is.</summary>
    [Fact]
    public async Task Download_TargetChangedManyTimes_FollowsOnlyMetadata()
    {
        InitClient();
        Repo.AddArtifact(TargetsRole, "target file contents"u8.ToArray(), "target_file.txt");
        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);
        Assert.Equal(0, await Client.DownloadTargetAsync("target_file.txt"));
        var expected = new List<string> { "target file contents" };
        var previous = "target file contents";

        for (var i = 0; i < 11; i++)
        {
            var modified = $"modified file contents {i}";
            Repo.AddArtifact(TargetsRole, Encoding.UTF8.GetBytes(modified), "target_file.txt");
            var added = $"new file contents {i}";
            Repo.AddArtifact(TargetsRole, Encoding.UTF8.GetBytes(added), $"new-target-{i}");
            Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);
            if (i % 5 != 0)
            {
                continue;
            }

            Assert.Equal(0, await Client.DownloadTargetAsync("target_file.txt"));
            expected.Remove(previous);
            expected.Add(modified);
            previous = modified;
            Assert.Equal(expected.Order(StringComparer.Ordinal), Client.DownloadedTargets());
            Assert.Equal(0, await Client.DownloadTargetAsync($"new-target-{i}"));
            expected.Add(added);
            Assert.Equal(expected.Order(StringComparer.Ordinal), Client.DownloadedTargets());

            Repo.Artifacts["target_file.txt"].Data = Encoding.UTF8.GetBytes($"malicious contents {i}");
            Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);
            await Client.DownloadTargetAsync("target_file.txt");
            Assert.Equal(expected.Order(StringComparer.Ordinal), Client.DownloadedTargets());
        }
    }

    /// <summary>test_download_with_hash_algorithms[sha256|sha512|sha256,sha512]: fetched by one of the advertised hashes.</summary>
    [Theory]
    [InlineData("sha256")]
    [InlineData("sha512")]
    [InlineData("sha256", "sha512")]
    public async Task Download_HashAlgorithms_AllVerified(params string[] algorithms)
    {
        Repo.AddArtifact(TargetsRole, "target file contents"u8.ToArray(), "target_file.txt", algorithms);
        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);
        Repo.Publish(RootRole);
        InitClient();

        Assert.Equal(0, await Client.DownloadTargetAsync("target_file.txt"));

        var request = Assert.Single(Repo.ArtifactRequests);
        Assert.Equal("target_file.txt", request.Path);
        Assert.Contains(request.Hash, Repo.Artifacts["target_file.txt"].TargetFile["hashes"]!.AsObject().Select(h => h.Value!.GetValue<string>()));
        Assert.Equal(["target file contents"], Client.DownloadedTargets());
    }

    /// <summary>test_download_with_unknown_hash_algorithm: a hash that cannot be checked fails the download.</summary>
    [Fact]
    public async Task Download_UnknownHashAlgorithm_Refused()
    {
        var content = "target file contents"u8.ToArray();
        Repo.AddArtifact(TargetsRole, content, "target_file.txt");
        Repo.Artifacts["target_file.txt"].TargetFile["hashes"] = new JsonObject { ["unknown-hash"] = Convert.ToHexStringLower(SHA512.HashData(content)) };
        Repo.Publish(TargetsRole, SnapshotRole, TimestampRole);
        InitClient();

        Assert.Equal(1, await Client.DownloadTargetAsync("target_file.txt"));

        Assert.Equal(TufCodes.HashMismatch, Client.LastError!.Code);
        Assert.Contains("unknown-hash", Client.LastError.Message, StringComparison.Ordinal);
        Assert.Empty(Client.DownloadedTargets());
    }
}
