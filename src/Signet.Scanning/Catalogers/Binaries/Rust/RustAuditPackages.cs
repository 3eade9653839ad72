using System.Collections.Immutable;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Signet.Scanning.Catalogers.Binaries.Elf;
using Signet.Scanning.Purls;

namespace Signet.Scanning.Catalogers.Binaries.Rust;

/// <summary>
/// Reads the dependency list cargo-auditable embeds in a Rust binary: section <c>.dep-v0</c>, a zlib stream of JSON
/// <c>{"packages":[{"name","version","source","kind","dependencies":[indices],"root"}]}</c> (rust-secure-code
/// auditable-serde). Packages of kind <c>build</c> (build scripts and proc-macros, not linked in) are skipped, as
/// Syft, Trivy and osv-scalibr do; edges between runtime packages become <see cref="Package.DependsOn"/>.
/// Purl <c>pkg:cargo/&lt;name&gt;@&lt;version&gt;</c>; the source (crates.io, git, local, registry) is the property
/// <c>cargo.source</c>, the root crate has <c>cargo.root=true</c>.
/// </summary>
internal static class RustAuditPackages
{
    /// <summary>The <see cref="Package.FoundBy"/> of Rust packages.</summary>
    public const string FoundBy = "rust-audit-binary";

    public const string SectionName = ".dep-v0";

    /// <summary>The most bytes the section decompresses to (a real list is a few KiB; this bounds zip bombs).</summary>
    public const int MaxDecompressedBytes = 8 * 1024 * 1024;

    /// <summary>The most compressed bytes read.</summary>
    public const int MaxCompressedBytes = MaxDecompressedBytes;

    /// <summary>The most packages read.</summary>
    public const int MaxPackages = 100_000;

    /// <summary>The packages of <paramref name="elf"/>'s <c>.dep-v0</c> section; empty when it has none.</summary>
    /// <exception cref="ElfFormatException">The section lies outside the file.</exception>
    public static IReadOnlyList<Package> Read(ElfFile elf, CatalogFile file, CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(elf);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(context);
        if (elf.FindSection(SectionName) is not { } section || section.Type == ElfFile.SectionTypeNoBits)
        {
            return [];
        }

        var json = Decompress(elf.ReadSection(section, MaxCompressedBytes), file, context);
        if (json is null)
        {
            return [];
        }

        AuditInfo? info;
        try
        {
            info = JsonSerializer.Deserialize(json, RustAuditJsonContext.Default.AuditInfo);
        }
        catch (JsonException exception)
        {
            Report(context, RustAuditCodes.InvalidJson, file, $"the cargo-auditable dependency list in {SectionName} is not valid JSON ({exception.Message})");
            return [];
        }

        if (info?.Packages is not { } packages)
        {
            Report(context, RustAuditCodes.InvalidJson, file, $"the cargo-auditable dependency list in {SectionName} has no \"packages\" array");
            return [];
        }

        if (packages.Count > MaxPackages)
        {
            Report(context, RustAuditCodes.InvalidJson, file, $"the cargo-auditable dependency list in {SectionName} has {packages.Count} packages, more than the {MaxPackages} read");
            return [];
        }

        return Describe(packages, file, context);
    }

    private static byte[]? Decompress(byte[] compressed, CatalogFile file, CatalogContext context)
    {
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = zlib.Read(chunk)) > 0)
            {
                if (output.Length + read > MaxDecompressedBytes)
                {
                    Report(context, RustAuditCodes.TooLarge, file, $"the {SectionName} section decompresses to more than {MaxDecompressedBytes} bytes; it was not read");
                    return null;
                }

                output.Write(chunk, 0, read);
            }

            return output.ToArray();
        }
        catch (InvalidDataException exception)
        {
            Report(context, RustAuditCodes.NotZlib, file, $"the {SectionName} section is not a valid zlib stream ({exception.Message})");
            return null;
        }
    }

    private static List<Package> Describe(IReadOnlyList<AuditPackage?> packages, CatalogFile file, CatalogContext context)
    {
        var valid = new bool[packages.Count];
        for (var index = 0; index < packages.Count; index++)
        {
            var package = packages[index];
            valid[index] = package is { Name.Length: > 0, Version.Length: > 0 };
            if (!valid[index])
            {
                Report(context, RustAuditCodes.InvalidPackage, file, $"package {index} of the cargo-auditable dependency list in {SectionName} has no name or no version; it was skipped");
            }
        }

        bool IsRuntime(int index) => valid[index] && packages[index]!.Kind is null or "runtime";

        var result = new List<Package>();
        for (var index = 0; index < packages.Count; index++)
        {
            if (!IsRuntime(index))
            {
                continue;
            }

            var package = packages[index]!;
            var dependsOn = new SortedSet<PackageDependency>(Comparer<PackageDependency>.Create(static (a, b) =>
                string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName : string.CompareOrdinal(a.Version, b.Version)));
            foreach (var dependency in package.Dependencies ?? [])
            {
                if (dependency < 0 || dependency >= packages.Count)
                {
                    Report(context, RustAuditCodes.InvalidPackage, file, $"package {index} ({Printable.Of(package.Name!)}) of the cargo-auditable dependency list in {SectionName} names dependency {dependency}, outside the list of {packages.Count}; the edge was skipped");
                }
                else if (IsRuntime((int)dependency))
                {
                    dependsOn.Add(new PackageDependency(packages[(int)dependency]!.Name!, packages[(int)dependency]!.Version));
                }
            }

            var properties = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            if (package.Source is { Length: > 0 } source)
            {
                properties["cargo.source"] = source;
            }

            if (package.Root)
            {
                properties["cargo.root"] = "true";
            }

            result.Add(new Package
            {
                Name = package.Name!,
                Version = package.Version,
                Type = "cargo",
                Purl = CreatePurl(package.Name!, package.Version!, file, context),
                FoundBy = FoundBy,
                Evidence = [file.Path],
                Layer = file.Layer,
                DependsOn = [.. dependsOn],
                Properties = properties.ToImmutable(),
            });
        }

        return result;
    }

    private static PackageUrl? CreatePurl(string name, string version, CatalogFile file, CatalogContext context)
    {
        try
        {
            return PackageUrl.Create("cargo", null, name, version);
        }
        catch (PackageUrlFormatException exception)
        {
            Report(context, RustAuditCodes.InvalidPackage, file, $"the crate '{Printable.Of(name)}' cannot form a package URL ({exception.Message}); it is listed without one");
            return null;
        }
    }

    private static void Report(CatalogContext context, string code, CatalogFile file, string message) =>
        context.Report(new CatalogIssue(code, file.Path, $"{message}. The binary was built by a broken or hostile tool; rebuild it with cargo auditable build."));
}

/// <summary>The top level of the cargo-auditable JSON.</summary>
internal sealed record AuditInfo(IReadOnlyList<AuditPackage?>? Packages);

/// <summary>One package of the cargo-auditable JSON; <see cref="Kind"/> absent means runtime.</summary>
internal sealed record AuditPackage(string? Name, string? Version, string? Source, string? Kind, IReadOnlyList<long>? Dependencies, bool Root);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, MaxDepth = 16)]
[JsonSerializable(typeof(AuditInfo))]
internal sealed partial class RustAuditJsonContext : JsonSerializerContext;
