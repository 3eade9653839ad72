using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Java;
using Signet.Scanning.Trees;
using static Signet.Scanning.Tests.Catalogers.Java.JavaArchives;

namespace Signet.Scanning.Tests.Catalogers.Java;

/// <summary>The cataloger under the real engine, over a directory on disk holding real jars and a war built around them.</summary>
public sealed class JavaArchiveEngineTests
{
    [Fact]
    public async Task ScanAsync_DirectoryWithJarsAndAWar_ListsEveryArchiveAndReportsTheBrokenOne()
    {
        var root = Directory.CreateTempSubdirectory("signet-java-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "usr/share/java"));
            Directory.CreateDirectory(Path.Combine(root.FullName, "srv"));
            File.WriteAllBytes(Path.Combine(root.FullName, "usr/share/java/slf4j-nop-1.7.32.jar"), Real("slf4j-nop-1.7.32.jar"));
            File.WriteAllBytes(Path.Combine(root.FullName, "usr/share/java/guice-multibindings-4.2.3.jar"), Real("guice-multibindings-4.2.3.jar"));
            File.WriteAllBytes(Path.Combine(root.FullName, "srv/shop-2.0.war"), Zip(Manifest(string.Empty), ("WEB-INF/lib/error-prone-type-annotations.jar", Real("error-prone-type-annotations.jar"))));
            File.WriteAllBytes(Path.Combine(root.FullName, "srv/broken.jar"), Real("aopalliance-1.0.jar")[..500]);
            File.WriteAllText(Path.Combine(root.FullName, "srv/README"), "not an archive");

            var result = await CatalogEngine.ScanAsync(DirectoryFileTree.Open(root.FullName, "test"), ScanKind.RootFilesystem, [new JavaArchiveCataloger()]);

            Assert.Equal(
                [
                    "pkg:maven/com.google.errorprone/error_prone_type_annotations@2.18.0",
                    "pkg:maven/com.google.inject/guice-multibindings@4.2.3",
                    "pkg:maven/org.slf4j/slf4j-nop@1.7.32",
                    "pkg:maven/shop/shop@2.0",
                ],
                result.Packages.Select(p => p.Purl?.ToString()).Order(StringComparer.Ordinal));
            Assert.All(result.Packages, p => Assert.Equal("java-archive", p.FoundBy));
            Assert.Equal(4, result.FilesRead);
            var issue = Assert.Single(result.Issues);
            Assert.Equal((JavaCodes.NotAZip, "srv/broken.jar"), (issue.Code, issue.Path));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
