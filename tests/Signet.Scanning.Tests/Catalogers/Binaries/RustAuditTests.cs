using System.Text;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Catalogers.Binaries.Rust;

namespace Signet.Scanning.Tests.Catalogers.Binaries;

/// <summary>
/// cargo-auditable dependency lists in a real ELF: the zlib-compressed JSON is added as section <c>.dep-v0</c> to a
/// copy of /bin/true by objcopy, exactly where cargo-auditable's linker step puts it.
/// </summary>
public sealed class RustAuditTests
{
    /// <summary>The shape cargo-auditable 0.6 writes (auditable-serde): kind omitted for runtime, root only on the root crate.</summary>
    internal const string DependencyList = """
        {"packages":[
        {"name":"cc","version":"1.0.83","source":"crates.io","kind":"build","dependencies":[5]},
        {"name":"itoa","version":"1.0.10","source":"crates.io"},
        {"name":"myapp","version":"0.1.0","source":"local","dependencies":[0,1,3,4,6],"root":true},
        {"name":"ring","version":"0.17.7","source":"crates.io","dependencies":[0,5]},
        {"name":"serde","version":"1.0.195","source":"crates.io","dependencies":[6]},
        {"name":"libc","version":"0.2.152","source":"crates.io"},
        {"name":"serde_derive","version":"1.0.195","source":"crates.io","kind":"build"}
        ],"format":1}
        """;

    internal static byte[] WithDependencyList(string json) =>
        ElfTools.WithSections((RustAuditPackages.SectionName, ElfTools.Zlib(Encoding.UTF8.GetBytes(json))));

    [Fact]
    public async Task Read_AuditableBinary_ListsRuntimeCratesWithEdges()
    {
        var (packages, issues) = await GoBinaryTests.RunAsync("usr/bin/myapp", WithDependencyList(DependencyList));

        Assert.Empty(issues.Select(i => i.ToString()));
        Assert.Equal(["itoa", "libc", "myapp", "ring", "serde"], packages.Select(p => p.Name));
        Assert.All(packages, p => Assert.Equal("rust-audit-binary", p.FoundBy));
        Assert.All(packages, p => Assert.Equal(new[] { "usr/bin/myapp" }, p.Evidence));
        var app = packages[2];
        Assert.Equal("pkg:cargo/myapp@0.1.0", app.Purl?.ToString());
        Assert.Equal("cargo", app.Type);
        Assert.Equal("true", app.Properties["cargo.root"]);
        Assert.Equal("local", app.Properties["cargo.source"]);
        Assert.Equal(new[] { new PackageDependency("itoa", "1.0.10"), new PackageDependency("ring", "0.17.7"), new PackageDependency("serde", "1.0.195") }, app.DependsOn);
        Assert.Equal(new[] { new PackageDependency("libc", "0.2.152") }, packages[3].DependsOn);
        Assert.Equal("crates.io", packages[4].Properties["cargo.source"]);
        Assert.DoesNotContain("cargo.root", packages[4].Properties.Keys);
    }

    [Fact]
    public async Task Read_GoAndRustInOneBinary_ListsBothEcosystems()
    {
        var elf = ElfTools.WithSections(
            (RustAuditPackages.SectionName, ElfTools.Zlib(Encoding.UTF8.GetBytes(DependencyList))),
            (".go.buildinfo", ElfTools.TestData("age-1.1.1-1+b3.go.buildinfo")));

        var (packages, issues) = await GoBinaryTests.RunAsync("usr/bin/both", elf);

        Assert.Empty(issues.Select(i => i.ToString()));
        Assert.Equal(["go-binary", "rust-audit-binary"], packages.Select(p => p.FoundBy).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(6, packages.Count);
    }

    [Fact]
    public async Task Read_ZipBomb_ReportsRust1002()
    {
        var bomb = ElfTools.Zlib(new byte[RustAuditPackages.MaxDecompressedBytes + 1]);
        Assert.True(bomb.Length < 64 * 1024);

        var (packages, issues) = await GoBinaryTests.RunAsync("bomb", ElfTools.WithSections((RustAuditPackages.SectionName, bomb)));

        Assert.Empty(packages);
        Assert.Equal(RustAuditCodes.TooLarge, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Read_NotZlib_ReportsRust1001()
    {
        var (packages, issues) = await GoBinaryTests.RunAsync("bin", ElfTools.WithSections((RustAuditPackages.SectionName, Encoding.UTF8.GetBytes(DependencyList))));

        Assert.Empty(packages);
        Assert.Equal(RustAuditCodes.NotZlib, Assert.Single(issues).Code);
    }

    [Theory]
    [InlineData("{\"packages\":[")]
    [InlineData("{\"packages\":[{\"name\":\"a\",\"version\":\"1\",\"dependencies\":[1e99]}]}")]
    [InlineData("{\"other\":1}")]
    [InlineData("[1,2]")]
    public async Task Read_NotTheAuditJson_ReportsRust1003(string json)
    {
        var (packages, issues) = await GoBinaryTests.RunAsync("bin", WithDependencyList(json));

        Assert.Empty(packages);
        Assert.Equal(RustAuditCodes.InvalidJson, Assert.Single(issues).Code);
    }

    [Fact]
    public async Task Read_PackageWithoutVersionOrBadIndex_ReportsRust1004AndKeepsTheRest()
    {
        const string json = """{"packages":[{"name":"a","version":"1.0.0","dependencies":[7,-1,1]},{"name":"b"},{"name":"c","version":"2.0.0"}]}""";

        var (packages, issues) = await GoBinaryTests.RunAsync("bin", WithDependencyList(json));

        Assert.Equal(["a", "c"], packages.Select(p => p.Name));
        Assert.Empty(packages[0].DependsOn);
        Assert.Equal(3, issues.Count);
        Assert.All(issues, i => Assert.Equal(RustAuditCodes.InvalidPackage, i.Code));
    }
}
