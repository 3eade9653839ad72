using System.Collections.Immutable;
using System.Text.Json;
using Signet.Oci;
using Signet.Scanning.Catalogers;
using Signet.Scanning.FileSystem;
using Signet.Scanning.Os;
using Signet.Scanning.Purls;
using Signet.Scanning.Sbom;

namespace Signet.Scanning.Tests.Sbom;

/// <summary>Subjects and packages of every ecosystem the catalogers brief lists, and helpers to write and read SBOMs.</summary>
internal static class SbomSamples
{
    public static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public static readonly SbomOptions Options = new() { Timestamp = Timestamp, ToolVersion = "1.2.3" };

    public static readonly LayerInfo BaseLayer = new()
    {
        Index = 0,
        Digest = Digest.Compute("base"u8),
        DiffId = Digest.Compute("base-tar"u8),
        CreatedBy = "/bin/sh -c #(nop) ADD file:1234 in / ",
    };

    public static readonly LayerInfo AppLayer = new()
    {
        Index = 1,
        Digest = Digest.Compute("app"u8),
        CreatedBy = "RUN npm ci",
    };

    public static readonly SbomSubject Image = new()
    {
        Name = "registry.example.com/team/app:1.0",
        Kind = ScanKind.Image,
        ManifestDigest = Digest.Compute("manifest"u8),
        ConfigDigest = Digest.Compute("config"u8),
        Platform = Platform.Parse("linux/amd64"),
        Layers = [AppLayer, BaseLayer],
        Distribution = new LinuxDistribution
        {
            Id = "debian",
            VersionId = "12",
            PrettyName = "Debian GNU/Linux 12 (bookworm)",
            Codename = "bookworm",
            Source = "etc/os-release",
        },
    };

    public static readonly SbomSubject SourceTree = new() { Name = "/src/project", Kind = ScanKind.SourceTree };

    public static Package Make(
        string type,
        string? @namespace,
        string name,
        string? version,
        string evidence,
        LayerInfo? layer = null,
        string[]? licenses = null,
        PackageDependency[]? dependsOn = null,
        string? supplier = null,
        IEnumerable<KeyValuePair<string, string?>>? qualifiers = null) => new()
        {
            Name = @namespace is null || type is "npm" or "golang" or "composer" ? (@namespace is null ? name : $"{@namespace}/{name}") : name,
            Version = version,
            Type = type,
            Purl = PackageUrl.Create(type, @namespace, name, version, qualifiers),
            FoundBy = $"{type}-cataloger",
            Evidence = [evidence],
            Layer = layer,
            Licenses = [.. (licenses ?? []).Order(StringComparer.Ordinal)],
            DependsOn = [.. dependsOn ?? []],
            Supplier = supplier,
        };

    /// <summary>One package of every ecosystem, OS packages with dependencies, two copies of one npm package in nested trees.</summary>
    public static ImmutableArray<Package> Rich()
    {
        var debian = new KeyValuePair<string, string?>[] { new("arch", "amd64"), new("distro", "debian-12") };
        return
        [
            Make("deb", "debian", "libc6", "2.36-9+deb12u4", "var/lib/dpkg/status", BaseLayer, ["GPL-2.0-or-later", "LGPL-2.1-or-later"],
                supplier: "GNU Libc Maintainers <debian-glibc@lists.debian.org>", qualifiers: debian) with
            {
                Source = new PackageSource("glibc", "2.36-9+deb12u4"),
                Properties = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("arch", "amd64")]),
                Evidence = ["var/lib/dpkg/status", "var/lib/dpkg/info/libc6:amd64.list"],
            },
            Make("deb", "debian", "curl", "7.88.1-10+deb12u5", "var/lib/dpkg/status", BaseLayer, ["curl"],
                [new PackageDependency("libc6"), new PackageDependency("libcurl4"), new PackageDependency("virtual-missing")],
                supplier: "Alessandro Ghedini <ghedo@debian.org>", qualifiers: debian),
            Make("deb", "debian", "libcurl4", "7.88.1-10+deb12u5", "var/lib/dpkg/status", BaseLayer, ["curl"], [new PackageDependency("libc6")], qualifiers: debian),
            Make("apk", "alpine", "musl", "1.2.4-r2", "lib/apk/db/installed", BaseLayer, ["MIT"], qualifiers: [new("arch", "x86_64"), new("distro", "alpine-3.18.4")]),
            Make("rpm", "redhat", "openssl-libs", "1:3.0.7-24.el9", "var/lib/rpm/rpmdb.sqlite", BaseLayer, ["ASL 2.0"], supplier: "Red Hat, Inc."),
            Make("pypi", null, "requests", "2.28.1", "usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA", AppLayer, ["Apache-2.0"],
                [new PackageDependency("charset_normalizer"), new PackageDependency("urllib3", "1.26.18")]),
            Make("pypi", null, "charset-normalizer", "3.3.2", "usr/lib/python3/dist-packages/charset_normalizer-3.3.2.dist-info/METADATA", AppLayer, ["MIT"]),
            Make("pypi", null, "urllib3", "1.26.18", "usr/lib/python3/dist-packages/urllib3-1.26.18.dist-info/METADATA", AppLayer, ["MIT"]),
            Make("pypi", null, "urllib3", "2.0.7", "opt/venv/lib/python3.11/site-packages/urllib3-2.0.7.dist-info/METADATA", AppLayer, ["MIT"]),
            Make("npm", null, "app", "1.0.0", "app/package.json", AppLayer, ["(MIT OR Apache-2.0)"], [new PackageDependency("lodash"), new PackageDependency("@scope/util")]),
            Make("npm", null, "lodash", "4.17.21", "app/node_modules/lodash/package.json", AppLayer, ["MIT"]),
            Make("npm", null, "lodash", "3.10.1", "app/node_modules/@scope/util/node_modules/lodash/package.json", AppLayer, ["MIT"]),
            Make("npm", "@scope", "util", "2.0.0", "app/node_modules/@scope/util/package.json", AppLayer, ["ISC", "SEE LICENSE IN LICENSE.md"], [new PackageDependency("lodash")],
                supplier: "Jane Doe <jane@example.com>"),
            Make("nuget", null, "Newtonsoft.Json", "13.0.1", "app/app.deps.json", AppLayer, ["MIT"]),
            Make("golang", "github.com/spf13", "cobra", "v1.8.0", "usr/local/bin/tool", AppLayer, ["Apache-2.0"]),
            Make("cargo", null, "serde", "1.0.193", "usr/local/bin/rusty", AppLayer, ["MIT OR Apache-2.0"]),
            Make("maven", "org.apache.commons", "commons-lang3", "3.12.0", "app/lib/commons-lang3-3.12.0.jar", AppLayer, ["Apache-2.0"], supplier: "The Apache Software Foundation"),
            Make("gem", null, "rake", "13.0.6", "usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec", AppLayer, ["MIT"]),
            Make("composer", "vendor", "name", "1.0.0", "app/vendor/composer/installed.json", AppLayer, ["Apache-2.0+", "BSD-3-Clause"]),
        ];
    }

    public static byte[] CycloneDx(SbomSubject subject, IEnumerable<Package> packages, SbomOptions? options = null)
    {
        using var output = new MemoryStream();
        CycloneDxWriter.Write(subject, packages, output, options ?? Options);
        return output.ToArray();
    }

    public static byte[] Spdx(SbomSubject subject, IEnumerable<Package> packages, SbomOptions? options = null)
    {
        using var output = new MemoryStream();
        SpdxWriter.Write(subject, packages, output, options ?? Options);
        return output.ToArray();
    }

    public static JsonElement Parse(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The CycloneDX component whose purl starts with <paramref name="purlPrefix"/> (exactly one).</summary>
    public static JsonElement Component(JsonElement bom, string purlPrefix) =>
        bom.GetProperty("components").EnumerateArray()
            .Single(c => c.TryGetProperty("purl", out var purl) && purl.GetString()!.StartsWith(purlPrefix, StringComparison.Ordinal));

    /// <summary>The SPDX package whose purl external reference starts with <paramref name="purlPrefix"/> (exactly one).</summary>
    public static JsonElement SpdxPackage(JsonElement document, string purlPrefix) =>
        document.GetProperty("packages").EnumerateArray()
            .Single(p => p.TryGetProperty("externalRefs", out var refs)
                && refs.EnumerateArray().Any(r => r.GetProperty("referenceLocator").GetString()!.StartsWith(purlPrefix, StringComparison.Ordinal)));
}
