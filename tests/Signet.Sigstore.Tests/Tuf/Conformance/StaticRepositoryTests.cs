using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Signet.Sigstore.Tuf;
using Signet.Testing;
using Signet.Testing.Tuf;

namespace Signet.Sigstore.Tests.Tuf.Conformance;

/// <summary>
/// Port of tuf-conformance tuf_conformance/test_static_repositories.py (test_static_repository) over the two static
/// repositories in shared data, served from disk over loopback HTTP with "now" taken from each one's <c>faketime</c>;
/// and the live Sigstore repository (sigstore/root-signing) with a pinned "now".
/// </summary>
public sealed class StaticRepositoryTests
{
    /// <summary>test_static_repository[sigstore-root-signing|tuf-on-ci-0.11].</summary>
    [Theory]
    [InlineData("sigstore-root-signing")]
    [InlineData("tuf-on-ci-0.11")]
    public async Task Download_StaticRepository_RefreshesAndDownloadsTargetpath(string name)
    {
        var repository = TestData.Require(Path.Combine("tuf-conformance", "static_data", name));
        var now = DateTimeOffset.Parse(File.ReadAllText(Path.Combine(repository, "faketime")).Trim(), CultureInfo.InvariantCulture);
        var targetPath = File.ReadAllText(Path.Combine(repository, "targetpath")).Trim();
        await using var server = new TufTestServer(path => ServeDirectory(repository, path));
        using var client = new ConformanceClient(server.MetadataUrl, server.TargetsUrl);
        client.Init(File.ReadAllBytes(Path.Combine(repository, "initial_root.json")));

        Assert.Equal(0, await client.RefreshAsync(now));
        Assert.Equal(0, await client.DownloadTargetAsync(targetPath, now));

        var downloaded = Assert.Single(Directory.GetFiles(client.TargetDirectory));
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(downloaded)));
        Assert.Single(Directory.GetFiles(Path.Combine(repository, "targets"), $"{hash}.*", SearchOption.AllDirectories));
    }

    /// <summary>The same repository a year after its timestamp expired: a freeze, refused with TUF1005.</summary>
    [Fact]
    public async Task Refresh_StaticRepositoryLongAfterFaketime_Expired()
    {
        var repository = TestData.Require(Path.Combine("tuf-conformance", "static_data", "sigstore-root-signing"));
        var now = DateTimeOffset.Parse(File.ReadAllText(Path.Combine(repository, "faketime")).Trim(), CultureInfo.InvariantCulture).AddYears(1);
        await using var server = new TufTestServer(path => ServeDirectory(repository, path));
        using var client = new ConformanceClient(server.MetadataUrl, server.TargetsUrl);
        client.Init(File.ReadAllBytes(Path.Combine(repository, "initial_root.json")));

        Assert.Equal(1, await client.RefreshAsync(now));

        Assert.Equal(TufCodes.Expired, client.LastError!.Code);
    }

    /// <summary>
    /// sigstore/root-signing as published: root v1 updates through every rotation to v15, then timestamp, snapshot and
    /// targets, and trusted_root.json matches its length and hash in targets (now pinned before the timestamp expires).
    /// </summary>
    [Fact]
    public async Task FetchTarget_SigstoreRootSigningFromRootOne_TrustedRootMatchesTargets()
    {
        var repository = TestData.Require("sigstore-root-signing");
        await using var server = new TufTestServer(path => ServeSigstore(repository, path));
        using var client = new ConformanceClient(server.MetadataUrl, server.TargetsUrl);
        client.Init(File.ReadAllBytes(Path.Combine(repository, "metadata", "root_history", "1.root.json")));
        var tuf = client.NewClient(SigstoreNow(repository));

        var path = await tuf.FetchTargetAsync("trusted_root.json");

        Assert.Equal(15, tuf.TrustedRoot!.Version);
        Assert.Equal(File.ReadAllBytes(Path.Combine(repository, "targets", "trusted_root.json")), File.ReadAllBytes(path));
        Assert.Equal(File.ReadAllBytes(Path.Combine(repository, "metadata", "root.json")), client.LocalBytes("root"));
    }

    /// <summary>A day before the live timestamp expires.</summary>
    internal static DateTimeOffset SigstoreNow(string repository)
    {
        using var timestamp = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(repository, "metadata", "timestamp.json")));
        return timestamp.RootElement.GetProperty("signed").GetProperty("expires").GetDateTimeOffset().AddDays(-1);
    }

    /// <summary>Serves a directory laid out as the TUF HTTP API (<c>metadata/</c>, <c>targets/</c>); nothing outside it.</summary>
    internal static byte[]? ServeDirectory(string root, string rawPath)
    {
        var relative = string.Join(Path.DirectorySeparatorChar, rawPath.TrimStart('/').Split('/').Select(Uri.UnescapeDataString));
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(full)
            ? File.ReadAllBytes(full)
            : null;
    }

    /// <summary>
    /// sigstore/root-signing stores metadata unversioned (<c>root_history/N.root.json</c>, <c>snapshot.json</c>) and targets
    /// without their hash prefix; the live CDN serves <c>N.root.json</c>, <c>N.snapshot.json</c> (here under any
    /// directory but <c>/targets/</c>) and <c>/targets/&lt;sha256&gt;.name</c>.
    /// </summary>
    internal static byte[]? ServeSigstore(string repository, string rawPath)
    {
        var name = Uri.UnescapeDataString(rawPath[(rawPath.LastIndexOf('/') + 1)..]);
        if (!rawPath.StartsWith("/targets/", StringComparison.Ordinal))
        {
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (name.EndsWith(".root.json", StringComparison.Ordinal))
            {
                return ServeDirectory(Path.Combine(repository, "metadata", "root_history"), "/" + name);
            }

            var file = dot > 0 && long.TryParse(name[..dot], out _) ? name[(dot + 1)..] : name;
            var bytes = ServeDirectory(Path.Combine(repository, "metadata"), "/" + file);
            if (bytes is null || file == "timestamp.json")
            {
                return bytes;
            }

            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.GetProperty("signed").GetProperty("version").GetInt64().ToString(CultureInfo.InvariantCulture) == name[..dot] ? bytes : null;
        }

        var targetName = name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var target = ServeDirectory(Path.Combine(repository, "targets"), "/" + targetName);
        return target is not null && Convert.ToHexStringLower(SHA256.HashData(target)) == name[..name.IndexOf('.', StringComparison.Ordinal)] ? target : null;
    }
}
