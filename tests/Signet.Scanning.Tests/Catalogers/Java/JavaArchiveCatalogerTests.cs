using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using Signet.Oci;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Java;
using Signet.Scanning.FileSystem;
using static Signet.Scanning.Tests.Catalogers.Java.JavaArchives;

namespace Signet.Scanning.Tests.Catalogers.Java;

public sealed class JavaArchiveCatalogerTests
{
    private static readonly JavaArchiveCataloger Cataloger = new();

    private static readonly Lazy<byte[]> ManyEntries = new(() =>
        Zip(CompressionLevel.NoCompression, [Manifest(string.Empty), .. Enumerable.Range(0, 70_000).Select(i => ($"r/{i}", Array.Empty<byte>()))]));

    private static Task<(IReadOnlyList<Package> Packages, IReadOnlyList<CatalogIssue> Issues)> RunAsync(string path, byte[] bytes) =>
        CatalogerHarness.RunAsync(Cataloger, new Dictionary<string, byte[]> { [path] = bytes });

#pragma warning disable CA5350 // The archive identity scanners look up, as the cataloger computes it.
    private static string Sha1(byte[] bytes) => Convert.ToHexStringLower(SHA1.HashData(bytes));
#pragma warning restore CA5350

    [Theory]
    [InlineData("usr/share/java/x.jar", true)]
    [InlineData("srv/app.WAR", true)]
    [InlineData("opt/app.ear", true)]
    [InlineData("opt/x.par", true)]
    [InlineData("opt/x.sar", true)]
    [InlineData("var/jenkins/plugins/git.jpi", true)]
    [InlineData("var/jenkins/plugins/git.hpi", true)]
    [InlineData("opt/x.jar.sha1", false)]
    [InlineData("opt/jar", false)]
    [InlineData("opt/x.zip", false)]
    public void Wants_ArchiveSuffixes_Only(string path, bool wanted)
    {
        var context = new CatalogContext(ScanKind.Image, null, _ => { });
        Assert.Equal(wanted, Cataloger.Wants(new CatalogFile { Path = path, Size = 10, Mode = UnixFileMode.UserRead }, context));
    }

    [Fact]
    public async Task Read_RealJarWithPomProperties_OneMavenPackage()
    {
        var bytes = Real("slf4j-nop-1.7.32.jar");
        var (packages, issues) = await RunAsync("usr/share/java/slf4j-nop-1.7.32.jar", bytes);

        Assert.Empty(issues);
        var package = Assert.Single(packages);
        Assert.Equal("slf4j-nop", package.Name);
        Assert.Equal("1.7.32", package.Version);
        Assert.Equal("maven", package.Type);
        Assert.Equal("pkg:maven/org.slf4j/slf4j-nop@1.7.32", package.Purl?.ToString());
        Assert.Equal("java-archive", package.FoundBy);
        Assert.Equal("SLF4J.ORG", package.Supplier);
        Assert.Equal(
            [
                "usr/share/java/slf4j-nop-1.7.32.jar",
                "usr/share/java/slf4j-nop-1.7.32.jar!META-INF/MANIFEST.MF",
                "usr/share/java/slf4j-nop-1.7.32.jar!META-INF/maven/org.slf4j/slf4j-nop/pom.properties",
                "usr/share/java/slf4j-nop-1.7.32.jar!META-INF/maven/org.slf4j/slf4j-nop/pom.xml",
            ],
            package.Evidence.ToArray());
        Assert.Equal("bc17e71a2d21e2d580011fe3b966340ef88aa1cb", package.Properties["java.sha1"]);
        Assert.Equal(Sha1(bytes), package.Properties["java.sha1"]);
    }

    [Fact]
    public async Task Read_RealShadedJar_OwnPackageFromManifestAndEmbeddedPackagesFromEachPom()
    {
        var (packages, issues) = await RunAsync("usr/share/java/maven3-slf4j-provider-3.8.7.jar", Real("maven3-slf4j-provider-3.8.7.jar"));

        Assert.Empty(issues);
        Assert.Equal(
            [
                "pkg:maven/maven3-slf4j-provider/maven3-slf4j-provider@3.8.7",
                "pkg:maven/org.apache.maven/maven-slf4j-provider@3.8.7",
                "pkg:maven/org.slf4j/slf4j-simple@1.7.32",
            ],
            packages.Select(p => p.Purl?.ToString()).Order(StringComparer.Ordinal));
        var own = packages.Single(p => p.Name == "maven3-slf4j-provider");
        Assert.Equal("0b8327cdc54f7ee4be8eddce45c178e523294d50", own.Properties["java.sha1"]);
        Assert.Equal(["usr/share/java/maven3-slf4j-provider-3.8.7.jar", "usr/share/java/maven3-slf4j-provider-3.8.7.jar!META-INF/MANIFEST.MF"], own.Evidence.ToArray());
        var shaded = packages.Single(p => p.Name == "slf4j-simple");
        Assert.Equal(
            [
                "usr/share/java/maven3-slf4j-provider-3.8.7.jar!META-INF/maven/org.slf4j/slf4j-simple/pom.properties",
                "usr/share/java/maven3-slf4j-provider-3.8.7.jar!META-INF/maven/org.slf4j/slf4j-simple/pom.xml",
            ],
            shaded.Evidence.ToArray());
        Assert.False(shaded.Properties.ContainsKey("java.sha1"));
    }

    [Fact]
    public async Task Read_RealManifestOnlyJar_NameAndVersionFromFileNameGroupAndLicenseFromManifest()
    {
        var (packages, issues) = await RunAsync("usr/share/java/guice-multibindings-4.2.3.jar", Real("guice-multibindings-4.2.3.jar"));

        Assert.Empty(issues);
        var package = Assert.Single(packages);
        Assert.Equal("pkg:maven/com.google.inject/guice-multibindings@4.2.3", package.Purl?.ToString());
        Assert.Equal(["http://www.apache.org/licenses/LICENSE-2.0.txt"], package.Licenses.ToArray());
        Assert.Equal("Google, Inc.", package.Supplier);
    }

    [Fact]
    public async Task Read_RealBareManifestJar_GroupIsTheName()
    {
        var (packages, issues) = await RunAsync("usr/share/java/aopalliance-1.0.jar", Real("aopalliance-1.0.jar"));

        Assert.Empty(issues);
        Assert.Equal("pkg:maven/aopalliance/aopalliance@1.0", Assert.Single(packages).Purl?.ToString());
    }

    [Fact]
    public async Task Read_RealUnversionedJarWithOnePom_PomIsTheArchivesOwnWithPomXmlLicenses()
    {
        var (packages, issues) = await RunAsync("usr/share/java/error-prone-type-annotations.jar", Real("error-prone-type-annotations.jar"));

        Assert.Empty(issues);
        var package = Assert.Single(packages);
        Assert.Equal("pkg:maven/com.google.errorprone/error_prone_type_annotations@2.18.0", package.Purl?.ToString());
        Assert.Equal(["Apache 2.0"], package.Licenses.ToArray());
        Assert.Equal("148a76722aedf38967265b15eaf552857fe8974c", package.Properties["java.sha1"]);
    }

    [Fact]
    public async Task Read_WarWithLibraries_NestedPackagesWithBangPathsAndTheirOwnSha1()
    {
        var nop = Real("slf4j-nop-1.7.32.jar");
        var war = Zip(
            Manifest("Implementation-Title: shop\r\nImplementation-Version: 2.0\r\nImplementation-Vendor: Example Corp\r\n"),
            ("WEB-INF/lib/slf4j-nop-1.7.32.jar", nop),
            ("WEB-INF/lib/aopalliance-1.0.jar", Real("aopalliance-1.0.jar")));

        var (packages, issues) = await RunAsync("srv/shop.war", war);

        Assert.Empty(issues);
        Assert.Equal(
            ["srv/shop.war", "srv/shop.war!WEB-INF/lib/aopalliance-1.0.jar", "srv/shop.war!WEB-INF/lib/slf4j-nop-1.7.32.jar"],
            packages.Select(p => p.Evidence[0]));
        var shop = packages[0];
        Assert.Equal(("shop", "2.0", "Example Corp"), (shop.Name, shop.Version, shop.Supplier));
        Assert.Equal("pkg:maven/shop/shop@2.0", shop.Purl?.ToString());
        Assert.Equal(Sha1(war), shop.Properties["java.sha1"]);
        var library = packages[2];
        Assert.Equal("pkg:maven/org.slf4j/slf4j-nop@1.7.32", library.Purl?.ToString());
        Assert.Equal(Sha1(nop), library.Properties["java.sha1"]);
        Assert.Contains("srv/shop.war!WEB-INF/lib/slf4j-nop-1.7.32.jar!META-INF/maven/org.slf4j/slf4j-nop/pom.properties", library.Evidence.ToArray());
    }

    [Fact]
    public async Task Read_EarWarJarChain_ReadsEveryLevel()
    {
        var jar = Zip(Manifest("Bundle-SymbolicName: org.example.core\r\n"), ("org/example/Core.class", [0xca, 0xfe]));
        var war = Zip(Manifest(string.Empty), ("WEB-INF/lib/core-1.1.jar", jar));
        var ear = Zip(Manifest(string.Empty), ("lib/web-3.0.war", war));

        var (packages, issues) = await RunAsync("opt/app-9.ear", ear);

        Assert.Empty(issues);
        Assert.Equal(
            ["pkg:maven/app/app@9", "pkg:maven/web/web@3.0", "pkg:maven/org.example.core/core@1.1"],
            packages.Select(p => p.Purl?.ToString()));
        Assert.Equal("opt/app-9.ear!lib/web-3.0.war!WEB-INF/lib/core-1.1.jar", packages[2].Evidence[0]);
    }

    [Fact]
    public async Task Read_NestingDeeperThanTheLimit_ReportsAndKeepsTheShallowLevels()
    {
        var archive = Zip(Manifest(string.Empty));
        for (var level = 6; level >= 1; level--)
        {
            archive = Zip(Manifest(string.Empty), ($"lib/level{level}-1.0.jar", archive));
        }

        var (packages, issues) = await RunAsync("opt/top-1.0.jar", archive);

        var issue = Assert.Single(issues);
        Assert.Equal(JavaCodes.TooDeep, issue.Code);
        Assert.Equal("opt/top-1.0.jar!lib/level1-1.0.jar!lib/level2-1.0.jar!lib/level3-1.0.jar!lib/level4-1.0.jar", issue.Path);
        Assert.Equal(JavaArchiveReader.MaxNestingDepth + 1, packages.Count);
    }

    [Fact]
    public async Task Read_ManifestWithContinuationsAndNamedSections_VersionFromASection()
    {
        var jar = Zip(Manifest("Implementation-Title: long-na\r\n me\r\nBundle-License: Apache-2.0;link=\"https://www.apache.org/licenses/LICENSE-2.0\", MIT\r\n\r\nName: org/example/\r\nSpecification-Version: 4.5\r\n"));

        var (packages, issues) = await RunAsync("opt/tool.jar", jar);

        Assert.Empty(issues);
        var package = Assert.Single(packages);
        Assert.Equal(("tool", "4.5"), (package.Name, package.Version));
        Assert.Equal(["Apache-2.0", "MIT"], package.Licenses.ToArray());
    }

    [Fact]
    public async Task Read_ManifestWithMalformedLines_ReportsAndKeepsTheRest()
    {
        var jar = Zip(Manifest(" stray continuation\r\nno colon here\r\nImplementation-Version: 1.2\r\n"));

        var (packages, issues) = await RunAsync("opt/tool.jar", jar);

        Assert.Equal(JavaCodes.ManifestMalformed, Assert.Single(issues).Code);
        Assert.Equal("opt/tool.jar!META-INF/MANIFEST.MF", issues[0].Path);
        Assert.Equal("1.2", Assert.Single(packages).Version);
    }

    [Fact]
    public async Task Read_PomPropertiesWithoutVersion_ReportsAndIgnoresIt()
    {
        var jar = Zip(Manifest(string.Empty), Text("META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\n"));

        var (packages, issues) = await RunAsync("opt/x-1.0.jar", jar);

        Assert.Equal(JavaCodes.PomPropertiesIncomplete, Assert.Single(issues).Code);
        Assert.Equal("pkg:maven/x/x@1.0", Assert.Single(packages).Purl?.ToString());
    }

    [Theory]
    [InlineData("groupId=org.example\nartifactId=lib\nversion=1.0\n", "org.example", "lib", "1.0")]
    [InlineData("! comment\n# version=0\n  groupId : org.exa\\\n    mple\nartifactId lib\nversion=1.0\n", "org.example", "lib", "1.0")]
    [InlineData("groupId=g\r\nartifact\\u0049d=l\\u0069b\r\nversion=1.0\\\\\r\n", "g", "lib", "1.0\\")]
    [InlineData("groupId=\nartifactId=a\nartifactId=b\nversion:=2\n", null, "a", "=2")]
    [InlineData("groupId\nversion=1\\", null, null, "1")]
    public void PomProperties_JavaPropertiesSyntax(string text, string? group, string? artifact, string? version) =>
        Assert.Equal(new PomProperties(group, artifact, version), PomProperties.Parse(text));

    [Fact]
    public async Task Read_PomXmlWithDtd_ReportsAndKeepsThePackageWithoutLicenses()
    {
        var jar = Zip(
            Manifest(string.Empty),
            Pom("org.example", "lib", "1.0"),
            Text("META-INF/maven/org.example/lib/pom.xml", "<?xml version=\"1.0\"?><!DOCTYPE project [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><project><licenses><license><name>&x;</name></license></licenses></project>"));

        var (packages, issues) = await RunAsync("opt/lib-1.0.jar", jar);

        Assert.Equal(JavaCodes.PomXmlMalformed, Assert.Single(issues).Code);
        Assert.Equal("opt/lib-1.0.jar!META-INF/maven/org.example/lib/pom.xml", issues[0].Path);
        Assert.Empty(Assert.Single(packages).Licenses);
    }

    [Fact]
    public async Task Read_PomXmlLicenses_NamesElseUrlsOnlyUnderProjectLicenses()
    {
        var jar = Zip(
            Pom("org.example", "lib", "1.0"),
            Text("META-INF/maven/org.example/lib/pom.xml", """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <licenses>
                    <license><name>The MIT License</name><url>https://opensource.org/licenses/MIT</url></license>
                    <license><url>https://www.apache.org/licenses/LICENSE-2.0</url></license>
                    <license><name/></license>
                  </licenses>
                  <dependencies><dependency><licenses><license><name>Not mine</name></license></licenses></dependency></dependencies>
                </project>
                """));

        var (packages, issues) = await RunAsync("opt/lib-1.0.jar", jar);

        Assert.Empty(issues);
        var package = Assert.Single(packages);
        Assert.Equal(["The MIT License", "https://www.apache.org/licenses/LICENSE-2.0"], package.Licenses.ToArray());
        Assert.Equal(["opt/lib-1.0.jar", "opt/lib-1.0.jar!META-INF/maven/org.example/lib/pom.properties", "opt/lib-1.0.jar!META-INF/maven/org.example/lib/pom.xml"], package.Evidence.ToArray());
    }

    [Fact]
    public async Task Read_ShadedJarNamedAsOneOfItsPoms_ThatPomIsTheArchivesOwn()
    {
        var jar = Zip(
            Manifest("Implementation-Version: 9.9\r\n"),
            Pom("com.example", "app", "2.1.0"),
            Pom("com.google.guava", "guava", "31.1-jre"));

        var (packages, issues) = await RunAsync("opt/app-2.1.0.jar", jar);

        Assert.Empty(issues);
        Assert.Equal(["pkg:maven/com.example/app@2.1.0", "pkg:maven/com.google.guava/guava@31.1-jre"], packages.Select(p => p.Purl?.ToString()));
        Assert.True(packages[0].Properties.ContainsKey("java.sha1"));
        Assert.False(packages[1].Properties.ContainsKey("java.sha1"));
    }

    [Theory]
    [InlineData("opt/maven3-core.jar", "3.8.7", "pkg:maven/org.apache.maven/maven-core@3.8.7")]
    [InlineData("opt/maven3-core.jar", "3.8", "pkg:maven/maven3-core/maven3-core@3.8|pkg:maven/org.apache.maven/maven-core@3.8.7")]
    [InlineData("opt/maven3-core-3.8.7.jar", "3.8.7", "pkg:maven/maven3-core/maven3-core@3.8.7|pkg:maven/org.apache.maven/maven-core@3.8.7")]
    public async Task Read_RenamedJarWithOnePom_OwnOnlyWithoutFileVersionAndWithTheManifestsVersion(string path, string manifestVersion, string expected)
    {
        var jar = Zip(Manifest($"Implementation-Version: {manifestVersion}\r\n"), Pom("org.apache.maven", "maven-core", "3.8.7"));

        var (packages, issues) = await RunAsync(path, jar);

        Assert.Empty(issues);
        Assert.Equal(expected, string.Join('|', packages.Select(p => p.Purl?.ToString()).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Read_DuplicateEntryNames_FirstOfEachIsRead()
    {
        var jar = Zip(Manifest("Implementation-Version: 1\r\n"), Manifest("Implementation-Version: 2\r\n"), Pom("g.x", "dep", "1.0"), Pom("g.x", "dep", "1.0"));

        var (packages, issues) = await RunAsync("opt/app.jar", jar);

        Assert.Empty(issues);
        Assert.Equal(["pkg:maven/app/app@1", "pkg:maven/g.x/dep@1.0"], packages.Select(p => p.Purl?.ToString()));
    }

    [Fact]
    public async Task Read_NoManifestNoPom_ReportsNoIdentity()
    {
        var (packages, issues) = await RunAsync("opt/resources.jar", Zip(Text("data/a.txt", "a")));

        Assert.Empty(packages);
        Assert.Equal(JavaCodes.NoIdentity, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Read_NoManifestButPoms_EachPomIsAPackage()
    {
        var (packages, issues) = await RunAsync("opt/bundle.jar", Zip(Pom("g.one", "a", "1"), Pom("g.two", "b", "2")));

        Assert.Empty(issues);
        Assert.Equal(["pkg:maven/g.one/a@1", "pkg:maven/g.two/b@2"], packages.Select(p => p.Purl?.ToString()));
    }

    [Fact]
    public async Task Read_StoredEntryLongerThanDeclared_ReportsZipBomb()
    {
        var jar = DeclareSize(Zip(CompressionLevel.NoCompression, Manifest("Implementation-Version: 1.0\r\n" + new string('x', 100_000))), "META-INF/MANIFEST.MF", 100);

        var (packages, issues) = await RunAsync("opt/bomb.jar", jar);

        var issue = Assert.Single(issues);
        Assert.Equal(JavaCodes.EntryCorrupt, issue.Code);
        Assert.Equal("opt/bomb.jar!META-INF/MANIFEST.MF", issue.Path);
        Assert.Contains("more than the limit of 100 bytes", issue.Message, StringComparison.Ordinal);
        Assert.Null(Assert.Single(packages).Version);
    }

    [Fact]
    public async Task Read_DeflatedEntryLongerThanDeclared_InflatesOnlyTheDeclaredBytes()
    {
        // 8 MiB of zeros after a valid jar, declared as 100 bytes: the entry stream stops at 100 bytes, so the nested
        // archive is cut to its first 100 bytes and is not a zip.
        var nested = Real("slf4j-nop-1.7.32.jar").Concat(new byte[8 * 1024 * 1024]).ToArray();
        var war = DeclareSize(Zip(Manifest(string.Empty), ("WEB-INF/lib/bomb-1.0.jar", nested)), "WEB-INF/lib/bomb-1.0.jar", 100);

        var (packages, issues) = await RunAsync("srv/app.war", war);

        var issue = Assert.Single(issues);
        Assert.Equal((JavaCodes.NotAZip, "srv/app.war!WEB-INF/lib/bomb-1.0.jar"), (issue.Code, issue.Path));
        Assert.Equal("srv/app.war", Assert.Single(packages).Evidence[0]);
    }

    [Fact]
    public async Task Read_NestedBombDeclaringMoreThanTheBudget_ReportsBeforeInflating()
    {
        var war = DeclareSize(Zip(Manifest(string.Empty), ("WEB-INF/lib/big-1.0.jar", Zip(Manifest(string.Empty)))), "WEB-INF/lib/big-1.0.jar", 600u * 1024 * 1024);

        var (packages, issues) = await RunAsync("srv/app.war", war);

        Assert.Equal(JavaCodes.InflateBudget, Assert.Single(issues).Code);
        Assert.Equal("srv/app.war!WEB-INF/lib/big-1.0.jar", issues[0].Path);
        Assert.Equal("pkg:maven/app/app", Assert.Single(packages).Purl?.ToString());
    }

    [Fact]
    public async Task Read_LargeMetadataEntry_ReportsAndSkipsIt()
    {
        var jar = Zip(Manifest(string.Empty), Text("META-INF/maven/g/a/pom.properties", "artifactId=a\nversion=1\n#" + new string('x', 2 * 1024 * 1024)));

        var (packages, issues) = await RunAsync("opt/x-1.0.jar", jar);

        Assert.Equal(JavaCodes.MetadataTooLarge, Assert.Single(issues).Code);
        Assert.Single(packages);
    }

    [Fact]
    public async Task Read_CentralDirectoryDeclaredTooLarge_ReportsTooManyEntries()
    {
        var jar = DeclareDirectorySize(Zip(Manifest(string.Empty)), 0x7000_0000);

        var (packages, issues) = await RunAsync("opt/x.jar", jar);

        Assert.Empty(packages);
        Assert.Equal(JavaCodes.TooManyEntries, Assert.Single(issues).Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(2000)]
    public async Task Read_TruncatedRealJar_ReportsNotAZip(int keep)
    {
        var (packages, issues) = await RunAsync("opt/x.jar", Real("slf4j-nop-1.7.32.jar")[..keep]);

        Assert.Empty(packages);
        Assert.Equal(JavaCodes.NotAZip, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Read_Garbage_ReportsNotAZip()
    {
        var (packages, issues) = await RunAsync("opt/x.jar", RandomNumberGenerator.GetBytes(5000));

        Assert.Empty(packages);
        Assert.Equal(JavaCodes.NotAZip, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Read_CorruptEntryData_ReportsAndKeepsTheArchive()
    {
        var jar = Zip(Manifest("Implementation-Version: 1.0\r\n" + string.Concat(Enumerable.Range(0, 2000).Select(i => $"X-{i}: {i * 7919}\r\n"))));
        var data = 30 + BinaryPrimitives.ReadUInt16LittleEndian(jar.AsSpan(26)) + BinaryPrimitives.ReadUInt16LittleEndian(jar.AsSpan(28));
        jar.AsSpan(data + 10, 40).Fill(0xff);

        var (packages, issues) = await RunAsync("opt/x-2.0.jar", jar);

        Assert.Equal(JavaCodes.EntryCorrupt, Assert.Single(issues).Code);
        Assert.Equal("2.0", Assert.Single(packages).Version);
    }

    [Fact]
    public async Task Read_BlankArtifactId_ReportsIncompletePom()
    {
        var jar = Zip(Pom("org.example", "lib", "1.0"), Text("META-INF/maven/bad/x/pom.properties", "groupId=\nartifactId= \nversion=1\n"));

        var (packages, issues) = await RunAsync("opt/lib-1.0.jar", jar);

        Assert.Equal(JavaCodes.PomPropertiesIncomplete, Assert.Single(issues).Code);
        Assert.Equal("pkg:maven/org.example/lib@1.0", Assert.Single(packages).Purl?.ToString());
    }

    [Fact]
    public async Task Read_CoordinatesTooLongForAPurl_ReportsAndKeepsThePackageWithoutPurl()
    {
        var artifact = new string('a', 9000);
        var jar = Zip(Pom("org.example", artifact, "1.0"));

        var (packages, issues) = await RunAsync("opt/lib.jar", jar);

        var issue = Assert.Single(issues);
        Assert.Equal((JavaCodes.InvalidPurl, "opt/lib.jar"), (issue.Code, issue.Path));
        var package = Assert.Single(packages);
        Assert.Equal(artifact, package.Name);
        Assert.Null(package.Purl);
    }

    [Fact]
    public async Task Read_CorruptCentralDirectory_ReportsNotAZip()
    {
        var jar = Zip(Manifest(string.Empty));
        var directory = jar.AsSpan().LastIndexOf("PK\u0001\u0002"u8);
        jar[directory + 2] = 9;

        var (packages, issues) = await RunAsync("opt/x.jar", jar);

        Assert.Empty(packages);
        Assert.Equal(JavaCodes.NotAZip, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Read_Zip64WithMoreThan65535Entries_ReadsTheCountFromTheZip64Record()
    {
        var (packages, issues) = await RunAsync("opt/many-1.0.jar", ManyEntries.Value);

        Assert.Empty(issues);
        Assert.Equal("pkg:maven/many/many@1.0", Assert.Single(packages).Purl?.ToString());
    }

    [Fact]
    public async Task Read_Zip64DeclaringTooManyEntries_ReportsBeforeLoadingTheDirectory()
    {
        var jar = (byte[])ManyEntries.Value.Clone();
        var record = jar.AsSpan().LastIndexOf("PK\u0006\u0006"u8);
        BinaryPrimitives.WriteUInt64LittleEndian(jar.AsSpan(record + 32), (ulong)JavaArchiveReader.MaxEntries + 1);

        var (packages, issues) = await RunAsync("opt/many-1.0.jar", jar);

        Assert.Empty(packages);
        Assert.Equal(JavaCodes.TooManyEntries, Assert.Single(issues).Code);
        Assert.Contains("declares 200001 entries", issues[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_FileOfALayer_PackagesCarryTheLayer()
    {
        var layer = new LayerInfo { Index = 2, Digest = Digest.Parse("sha256:" + new string('a', 64)) };
        var bytes = Real("slf4j-nop-1.7.32.jar");
        var session = Cataloger.Start(new CatalogContext(ScanKind.Image, null, _ => { }));
        var file = new CatalogFile { Path = "app/lib/slf4j-nop-1.7.32.jar", Size = bytes.Length, Mode = UnixFileMode.UserRead, Layer = layer };

        await session.ReadAsync(file, new MemoryStream(bytes), CancellationToken.None);

        Assert.Same(layer, Assert.Single(session.Finish()).Layer);
    }

    [Fact]
    public async Task Read_FileLargerThanTheLimit_ReportsTooLargeWithoutReading()
    {
        var issues = new List<CatalogIssue>();
        var session = Cataloger.Start(new CatalogContext(ScanKind.Image, null, issues.Add));
        var file = new CatalogFile { Path = "opt/huge.jar", Size = JavaArchiveCataloger.MaxArchiveBytes + 1, Mode = UnixFileMode.UserRead };

        await session.ReadAsync(file, Stream.Null, CancellationToken.None);

        Assert.Empty(session.Finish());
        Assert.Equal(CatalogCodes.TooLarge, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Read_SameTreeTwice_EqualOutput()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["b/maven3-slf4j-provider-3.8.7.jar"] = Real("maven3-slf4j-provider-3.8.7.jar"),
            ["a/slf4j-nop-1.7.32.jar"] = Real("slf4j-nop-1.7.32.jar"),
        };

        var first = await CatalogerHarness.RunAsync(Cataloger, files);
        var second = await CatalogerHarness.RunAsync(Cataloger, files.Reverse().ToDictionary());

        Assert.Equal(first.Packages.Select(Describe), second.Packages.Select(Describe));
        Assert.Equal("a/slf4j-nop-1.7.32.jar", first.Packages[0].Evidence[0]);
    }

    private static string Describe(Package p) => $"{p.Purl} {string.Join(',', p.Evidence)} {string.Join(',', p.Licenses)} {string.Join(',', p.Properties)}";
}
