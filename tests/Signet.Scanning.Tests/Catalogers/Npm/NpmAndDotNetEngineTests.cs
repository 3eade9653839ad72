using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.DotNet;
using Signet.Scanning.Catalogers.Npm;
using Signet.Scanning.Tests.Catalogers.DotNet;
using Signet.Scanning.Trees;

namespace Signet.Scanning.Tests.Catalogers.Npm;

/// <summary>The npm and .NET catalogers run by the real engine over a directory written from the committed test files.</summary>
public sealed class NpmAndDotNetEngineTests : IDisposable
{
    private static readonly ICataloger[] Catalogers = [new NpmInstalledCataloger(), new NpmLockfileCataloger(), new DotNetDepsCataloger(), new NuGetLockfileCataloger()];
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("signet-npmnet-");

    public NpmAndDotNetEngineTests()
    {
        Write("web/package.json", NpmTestData.Read("lockfiles/package.json"));
        Write("web/package-lock.json", NpmTestData.Read("lockfiles/package-lock.v3.json"));
        Write("web/node_modules/debug/package.json", NpmTestData.Read("installed/debug.package.json"));
        Write("web/node_modules/@sigstore/protobuf-specs/package.json", NpmTestData.Read("installed/sigstore-protobuf-specs.package.json"));
        Write("web/node_modules/.package-lock.json", NpmTestData.Read("lockfiles/package-lock.v3.json"));
        Write("app/SampleApp.deps.json", DotNetDepsCatalogerTests.Read("SampleApp.deps.json"));
        Write("src/SampleApp/packages.lock.json", DotNetDepsCatalogerTests.Read("packages.lock.json"));
    }

    public void Dispose() => _root.Delete(recursive: true);

    private void Write(string path, byte[] content)
    {
        var full = Path.Combine(_root.FullName, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
    }

    [Theory]
    [InlineData(ScanKind.SourceTree, "dotnet-deps=8 npm-installed=2 npm-lockfile=5 nuget-lockfile=8")]
    [InlineData(ScanKind.RootFilesystem, "dotnet-deps=8 npm-installed=2")]
    public async Task ScanAsync_DirectoryTree_EachCatalogerFindsItsPackages(ScanKind kind, string expected)
    {
        var result = await CatalogEngine.ScanAsync(DirectoryFileTree.Open(_root.FullName, "test"), kind, Catalogers);

        Assert.Empty(result.Issues);
        Assert.Equal(expected, string.Join(' ', result.Packages.GroupBy(p => p.FoundBy).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}")));
        Assert.Contains(result.Packages, p => p.FoundBy == "npm-installed" && p.Evidence[0] == "web/node_modules/debug/package.json");
    }
}
