using System.Security.Cryptography;
using Signet.Sigstore.Tests.Tuf.Conformance;
using Signet.Sigstore.TrustedRoots;
using Signet.Sigstore.Tuf;
using Signet.Testing;
using Signet.Testing.Tuf;

namespace Signet.Sigstore.Tests.Tuf;

public class SigstoreTrustTests
{
    private static string RootSigning => TestData.Require("sigstore-root-signing");

    private static RootMetadata History(int version) =>
        RootMetadata.Parse(File.ReadAllBytes(Path.Combine(RootSigning, "metadata", "root_history", $"{version}.root.json")));

    /// <summary>
    /// The shipped root is Sigstore root v16 (@sigstore/tuf 5.0.1), one newer than the root-signing snapshot: it must be
    /// the verified successor of v15, reached by the chain from v1 (thresholds of the old and the new root keys).
    /// </summary>
    [Fact]
    public void EmbeddedRoot_VerifiesAsTheSuccessorOfTheRootHistory()
    {
        var v15 = RootChain.VerifyChain(History(1), Enumerable.Range(2, 14).Select(History));
        var embedded = RootMetadata.Parse(SigstoreTrust.EmbeddedRoot);

        RootChain.VerifyUpdate(v15, embedded);

        Assert.Equal(16, embedded.Version);
        Assert.True(embedded.ConsistentSnapshot);
    }

    [Fact]
    public void EmbeddedTrustedRoot_IsTheTargetTheRootSigningTargetsList()
    {
        var embedded = SigstoreTrust.EmbeddedTrustedRoot.ToArray();
        var targets = TargetsMetadata.Parse(File.ReadAllBytes(Path.Combine(RootSigning, "metadata", "targets.json")));

        targets.Targets["trusted_root.json"].Verify(embedded);
        Assert.Equal(File.ReadAllBytes(Path.Combine(RootSigning, "targets", "trusted_root.json")), embedded);
        Assert.Contains(TrustedRoot.Parse(embedded).Tlogs, log => log.BaseUrl == "https://rekor.sigstore.dev");
    }

    [Fact]
    public async Task TrustDirectory_ShippedRootAgainstRootSigning_UpdatesTrustedRoot()
    {
        await using var server = new TufTestServer(path => StaticRepositoryTests.ServeSigstore(RootSigning, path));
        using var dir = new TempDir();
        var trust = new TrustDirectory(dir.Combine("trust"));
        trust.Initialize(server.BaseUrl, SigstoreTrust.EmbeddedRoot);
        using var http = new HttpClient();

        var result = await trust.UpdateAsync(new TufFetcher(http), timeProvider: new FixedTime(StaticRepositoryTests.SigstoreNow(RootSigning)));

        Assert.Equal(16, result.RootVersion);
        Assert.True(result.Changed);
        Assert.Equal(SigstoreTrust.EmbeddedTrustedRoot.ToArray(), File.ReadAllBytes(trust.TrustedRootFile));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(SigstoreTrust.EmbeddedTrustedRoot.Span)), result.TrustedRootSha256);
        var status = trust.ReadStatus();
        Assert.Equal(762, status.Timestamp!.Version);
        Assert.Equal(trust.TrustedRootFile, status.TrustedRootFile);
    }

    [Fact]
    public void LoadTrustedRoot_ExplicitThenDirectoryThenEmbedded()
    {
        using var dir = new TempDir();
        var staging = TestData.Require(Path.Combine("sigstore-conformance", "trusted_root.staging.json"));

        Assert.Contains(SigstoreTrust.LoadTrustedRoot(null, dir.Path).Tlogs, l => l.BaseUrl == "https://rekor.sigstore.dev");
        Assert.Contains(SigstoreTrust.LoadTrustedRoot(staging, dir.Path).Tlogs, l => l.BaseUrl.Contains("sigstage", StringComparison.Ordinal));
        File.Copy(staging, dir.Combine("trusted_root.json"));
        Assert.Contains(SigstoreTrust.LoadTrustedRoot(null, dir.Path).Tlogs, l => l.BaseUrl.Contains("sigstage", StringComparison.Ordinal));
        Assert.Equal(dir.Combine("trusted_root.json"), SigstoreTrust.TrustedRootFileIn(dir.Path));
    }

    [Fact]
    public void LoadTrustedRoot_BadOrMissingFile_TrustedRootExceptionNamingIt()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("trusted_root.json"), "{\"mediaType\": 1}");

        var inDirectory = Assert.Throws<TrustedRootException>(() => SigstoreTrust.LoadTrustedRoot(null, dir.Path));
        var missing = Assert.Throws<TrustedRootException>(() => SigstoreTrust.LoadTrustedRoot(dir.Combine("absent.json")));

        Assert.Contains(dir.Combine("trusted_root.json"), inDirectory.Message, StringComparison.Ordinal);
        Assert.Contains("signet trust update", inDirectory.Message, StringComparison.Ordinal);
        Assert.Contains(dir.Combine("absent.json"), missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultDirectory_EnvironmentVariableElseHome()
    {
        var saved = Environment.GetEnvironmentVariable(SigstoreTrust.DirectoryVariable);
        try
        {
            Environment.SetEnvironmentVariable(SigstoreTrust.DirectoryVariable, "/srv/signet-trust");
            Assert.Equal("/srv/signet-trust", SigstoreTrust.DefaultDirectory);
            Environment.SetEnvironmentVariable(SigstoreTrust.DirectoryVariable, null);
            Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".signet", "trust"), SigstoreTrust.DefaultDirectory);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SigstoreTrust.DirectoryVariable, saved);
        }
    }

    [Fact]
    public void Initialize_PrivateMirrorWithoutRoot_Refused()
    {
        using var dir = new TempDir();

        var e = Assert.Throws<ArgumentException>(() => new TrustDirectory(dir.Combine("t")).Initialize(new Uri("https://tuf.example.com"), null));

        Assert.Contains("--root FILE is required", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("t")));
    }

    [Fact]
    public async Task UpdateAsync_NotInitialised_MissingMetadata()
    {
        using var dir = new TempDir();
        using var http = new HttpClient();

        var e = await Assert.ThrowsAsync<TufException>(() => new TrustDirectory(dir.Path).UpdateAsync(new TufFetcher(http)));

        Assert.Equal(TufCodes.MissingMetadata, e.Code);
    }

    [Fact]
    public void ReadMirror_CorruptConfig_Malformed()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("config.json"), "{\"mirror\": \"not a url\"}");

        var e = Assert.Throws<TufException>(() => new TrustDirectory(dir.Path).ReadMirror());

        Assert.Equal(TufCodes.Malformed, e.Code);
        Assert.Contains("signet trust init", e.Message, StringComparison.Ordinal);
    }
}
