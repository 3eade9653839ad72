using System.Collections.Concurrent;
using System.Text;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Os;
using Signet.Scanning.Purls;
using Signet.Scanning.Tests.FileSystem;
using Signet.Scanning.Trees;

namespace Signet.Scanning.Tests.Catalogers;

public sealed class CatalogEngineTests
{
    [Fact]
    public async Task ScanAsync_ImageTree_ReadsWantedFilesOnceWithTheirLayers()
    {
        var fs = await TestLayer.BuildAsync(
            new TestLayer().File("pkgs/a.pkg", "a 1.0").File("pkgs/b.pkg", "b 2.0").File("other.txt", "x"),
            new TestLayer().File("pkgs/c.pkg", "c 3.0").Whiteout("pkgs/b.pkg"));
        var cataloger = new LineCataloger("line", ".pkg");

        var result = await CatalogEngine.ScanAsync(new ImageFileTree(fs, "test"), ScanKind.Image, [cataloger]);

        Assert.Equal(["a@1.0", "c@3.0"], result.Packages.Select(p => $"{p.Name}@{p.Version}"));
        Assert.Equal([0, 1], result.Packages.Select(p => p.Layer!.Index));
        Assert.Equal(3, result.FilesListed);
        Assert.Equal(2, result.FilesRead);
        Assert.Empty(result.Issues);
    }

    [Fact]
    public async Task ScanAsync_TwoCatalogersWantOneFile_BothReadTheWholeContent()
    {
        var fs = await TestLayer.BuildAsync(new TestLayer().File("x.pkg", "x 1").HardLink("y.pkg", "x.pkg"));
        var first = new LineCataloger("first", ".pkg");
        var second = new LineCataloger("second", ".pkg");

        var result = await CatalogEngine.ScanAsync(new ImageFileTree(fs, "test"), ScanKind.Image, [first, second]);

        Assert.Equal(["first:x.pkg", "first:y.pkg", "second:x.pkg", "second:y.pkg"], result.Packages.Select(p => $"{p.FoundBy}:{p.Evidence[0]}").Order(StringComparer.Ordinal));
        Assert.All(result.Packages, p => Assert.Equal("1", p.Version));
    }

    [Fact]
    public async Task ScanAsync_OsReleaseBehindSymlink_DetectsDistributionBeforeFinish()
    {
        var fs = await TestLayer.BuildAsync(new TestLayer()
            .File("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n")
            .Symlink("etc/os-release", "../usr/lib/os-release")
            .File("var/lib/x/deb.pkg", "curl 7.88"));
        var cataloger = new LineCataloger("deb-lines", ".pkg", type: "deb");

        var result = await CatalogEngine.ScanAsync(new ImageFileTree(fs, "test"), ScanKind.Image, [cataloger]);

        Assert.Equal("debian", result.Distribution!.Id);
        Assert.Equal("12", cataloger.DistributionAtFinish!.VersionId);
        Assert.Equal("pkg:deb/debian/curl@7.88?distro=debian-12", result.Packages.Single().Purl!.ToString());
    }

    [Fact]
    public async Task ScanAsync_Distroless_TakesDistributionFromPackagesAndQualifiesOsPurls()
    {
        var fs = await TestLayer.BuildAsync(new TestLayer().File("status.d/base.pkg", "base-files 12.4+deb12u5").File("status.d/tz.pkg", "tzdata 2024a-0+deb12u1"));
        var cataloger = new LineCataloger("deb-lines", ".pkg", type: "deb");

        var result = await CatalogEngine.ScanAsync(new ImageFileTree(fs, "test"), ScanKind.Image, [cataloger]);

        Assert.Equal("package:deb/base-files", result.Distribution!.Source);
        Assert.Null(cataloger.DistributionAtFinish);
        Assert.Equal(
            ["pkg:deb/debian/base-files@12.4%2Bdeb12u5?distro=debian-12", "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?distro=debian-12"],
            result.Packages.Select(p => p.Purl!.ToString()));
    }

    [Fact]
    public async Task ScanAsync_CatalogerThrows_ReportsCat1003AndKeepsOtherPackages()
    {
        var fs = await TestLayer.BuildAsync(new TestLayer().File("good.pkg", "good 1").File("bad.pkg", "boom"));

        var result = await CatalogEngine.ScanAsync(new ImageFileTree(fs, "test"), ScanKind.Image, [new LineCataloger("line", ".pkg")]);

        Assert.Equal("good", result.Packages.Single().Name);
        var issue = Assert.Single(result.Issues);
        Assert.Equal(CatalogCodes.CatalogerFailed, issue.Code);
        Assert.Equal("bad.pkg", issue.Path);
        Assert.Contains("line", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanAsync_FileLargerThanTheSpoolLimit_EveryReaderGetsAllBytes()
    {
        var big = new string('z', (int)CatalogContent.MaxInMemorySpool + 10);
        var fs = await TestLayer.BuildAsync(new TestLayer().File("big.bin", big));
        var first = new LengthCataloger("first");
        var second = new LengthCataloger("second");

        await CatalogEngine.ScanAsync(new ImageFileTree(fs, "test"), ScanKind.Image, [first, second]);

        Assert.Equal(big.Length, first.Lengths["big.bin"]);
        Assert.Equal(big.Length, second.Lengths["big.bin"]);
        Assert.Empty(Directory.EnumerateFiles(Path.GetTempPath(), "signet-share-*"));
    }

    /// <summary>Reads files ending in a suffix, each "NAME VERSION"; "boom" throws.</summary>
    private sealed class LineCataloger(string id, string suffix, string type = "generic") : ICataloger
    {
        public string Id => id;

        public LinuxDistribution? DistributionAtFinish { get; private set; }

        public bool Wants(CatalogFile file, CatalogContext context) => file.Path.EndsWith(suffix, StringComparison.Ordinal);

        public ICatalogSession Start(CatalogContext context) => new Session(this, context);

        private sealed class Session(LineCataloger owner, CatalogContext context) : ICatalogSession
        {
            private readonly List<(CatalogFile File, string Name, string Version)> _found = [];

            public async Task ReadAsync(CatalogFile file, Stream content, CancellationToken cancellationToken)
            {
                var bytes = await CatalogContent.ReadAllAsync(file, content, 1024, context, cancellationToken);
                var text = Encoding.UTF8.GetString(bytes!);
                if (text == "boom")
                {
                    throw new InvalidOperationException("boom");
                }

                var parts = text.Split(' ');
                _found.Add((file, parts[0], parts[1]));
            }

            public IReadOnlyList<Package> Finish()
            {
                owner.DistributionAtFinish = context.Distribution;
                return [.. _found.Select(f => new Package
                {
                    Name = f.Name,
                    Version = f.Version,
                    Type = owner._type,
                    Purl = PackageUrl.Create(owner._type, context.Distribution?.Id ?? (owner._type == "deb" ? "debian" : null), f.Name, f.Version,
                        context.Distribution is { } d ? [new("distro", d.DistroQualifier)] : null),
                    FoundBy = owner.Id,
                    Evidence = [f.File.Path],
                    Layer = f.File.Layer,
                })];
            }
        }

        private readonly string _type = type;
    }

    /// <summary>Counts the bytes of every file.</summary>
    private sealed class LengthCataloger(string id) : ICataloger
    {
        public ConcurrentDictionary<string, long> Lengths { get; } = new();

        public string Id => id;

        public bool Wants(CatalogFile file, CatalogContext context) => true;

        public ICatalogSession Start(CatalogContext context) => new Session(this);

        private sealed class Session(LengthCataloger owner) : ICatalogSession
        {
            public async Task ReadAsync(CatalogFile file, Stream content, CancellationToken cancellationToken)
            {
                var buffer = new byte[65536];
                long total = 0;
                int n;
                while ((n = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += n;
                }

                owner.Lengths[file.Path] = total;
            }

            public IReadOnlyList<Package> Finish() => [];
        }
    }
}
