using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Python;

namespace Signet.Scanning.Tests.Catalogers.Python;

public sealed class PythonLockfileTests
{
    private static Dictionary<string, byte[]> One(string path, string text) => new(StringComparer.Ordinal) { [path] = LanguageTestFiles.Utf8(text) };

    private static Dictionary<string, byte[]> Committed(string name) => new(StringComparer.Ordinal) { ["app/" + name] = LanguageTestFiles.Read("Python", name) };

    [Fact]
    public async Task PoetryLock_Sample_ListsPackagesWithLockedDependencies()
    {
        var (packages, issues) = await CatalogerHarness.RunAsync(new PoetryLockCataloger(), Committed("poetry.lock"), ScanKind.SourceTree);

        Assert.Empty(issues);
        Assert.Equal<string?>(["pkg:pypi/certifi@2024.2.2", "pkg:pypi/requests@2.31.0", "pkg:pypi/urllib3@2.2.1"], packages.Select(p => p.Purl?.ToString()));
        Assert.Equal<PackageDependency>(
            [new("PySocks"), new("certifi", "2024.2.2"), new("charset-normalizer"), new("idna"), new PackageDependency("urllib3", "2.2.1")],
            packages[1].DependsOn);
        Assert.All(packages, p => Assert.Equal<string>(["app/poetry.lock"], p.Evidence));
        Assert.All(packages, p => Assert.Equal("python-poetry-lock", p.FoundBy));
    }

    [Fact]
    public async Task PoetryLock_PackageWithoutVersion_ReportsPY1005()
    {
        var (packages, issues) = await CatalogerHarness.RunAsync(new PoetryLockCataloger(), One("poetry.lock", "[[package]]\nname = \"a\"\n\n[[package]]\nname = \"b\"\nversion = \"1\"\n"), ScanKind.SourceTree);

        Assert.Equal("b", Assert.Single(packages).Name);
        var issue = Assert.Single(issues);
        Assert.Equal(PythonCodes.MalformedPoetryLock, issue.Code);
        Assert.Contains("1 [[package]]", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PoetryLock_NotToml_ReportsPY1005WithTheLine()
    {
        var (packages, issues) = await CatalogerHarness.RunAsync(new PoetryLockCataloger(), One("poetry.lock", "[[package]]\nname = \"a\"\nversion = \"1\"\nnot toml at all\n"), ScanKind.SourceTree);

        Assert.Equal("a", Assert.Single(packages).Name);
        Assert.Contains(issues, i => i.Code == PythonCodes.MalformedPoetryLock && i.Message.Contains("line 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PoetryLock_UnclosedArray_ReportsPY1005()
    {
        var (_, issues) = await CatalogerHarness.RunAsync(new PoetryLockCataloger(), One("poetry.lock", "[[package]]\nname = \"a\"\nversion = \"1\"\nfiles = [\n"), ScanKind.SourceTree);

        Assert.Contains(issues, i => i.Code == PythonCodes.MalformedPoetryLock);
    }

    [Fact]
    public async Task Requirements_Sample_ListsPinnedLinesOnly()
    {
        var (packages, issues) = await CatalogerHarness.RunAsync(new RequirementsCataloger(), Committed("requirements.txt"), ScanKind.SourceTree);

        Assert.Empty(issues);
        Assert.Equal<string?>(["pkg:pypi/django-rest@3.14.0", "pkg:pypi/idna@3.6", "pkg:pypi/requests@2.31.0"], packages.Select(p => p.Purl?.ToString()));
        Assert.Equal("Django_Rest", packages[0].Name);
        Assert.All(packages, p => Assert.Equal("python-requirements", p.FoundBy));
    }

    [Fact]
    public async Task Requirements_PinWithoutName_ReportsPY1006()
    {
        var (packages, issues) = await CatalogerHarness.RunAsync(new RequirementsCataloger(), One("requirements.txt", "ok==1\n==2.0\nbad== \n"), ScanKind.SourceTree);

        Assert.Equal("ok", Assert.Single(packages).Name);
        Assert.Equal<string>([PythonCodes.MalformedRequirement, PythonCodes.MalformedRequirement], issues.Select(i => i.Code));
        Assert.Contains("line 2", issues[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ScanKind.Image)]
    [InlineData(ScanKind.RootFilesystem)]
    public void Wants_NotASourceTree_ReadsNoLockfile(ScanKind kind)
    {
        var context = new CatalogContext(kind, null, _ => { });
        var file = new CatalogFile { Path = "app/poetry.lock", Size = 10, Mode = UnixFileMode.UserRead };
        var requirements = file with { Path = "app/requirements.txt" };

        Assert.False(new PoetryLockCataloger().Wants(file, context));
        Assert.False(new RequirementsCataloger().Wants(requirements, context));
        Assert.True(new PoetryLockCataloger().Wants(file, new CatalogContext(ScanKind.SourceTree, null, _ => { })));
        Assert.True(new RequirementsCataloger().Wants(requirements with { Path = "app/dev-requirements.txt" }, new CatalogContext(ScanKind.SourceTree, null, _ => { })));
    }

    [Fact]
    public void PoetryLock_MutatedSample_NeverThrows() => LanguageFuzz.NeverThrows(new PoetryLockCataloger(), Committed("poetry.lock"));

    [Fact]
    public void Requirements_MutatedSample_NeverThrows() => LanguageFuzz.NeverThrows(new RequirementsCataloger(), Committed("requirements.txt"));
}
