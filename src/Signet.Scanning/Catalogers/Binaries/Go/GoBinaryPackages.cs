using System.Collections.Immutable;
using Signet.Scanning.Purls;

namespace Signet.Scanning.Catalogers.Binaries.Go;

/// <summary>
/// Turns the build information of one Go binary into packages: the main module (or, for a binary built outside
/// module mode, the main package path) and every dependency module, as <c>pkg:golang/&lt;module path&gt;@&lt;version&gt;</c>.
/// The main module depends on every dependency. The toolchain (<c>go1.21.5</c>) is the property <c>go.toolchain</c>
/// of every package: <c>pkg:golang/stdlib@…</c>, which Syft and Trivy write, has no namespace and so is not a valid
/// golang purl. A <c>(devel)</c> version means "no version": the purl carries none.
/// </summary>
internal static class GoBinaryPackages
{
    /// <summary>The <see cref="Package.FoundBy"/> of Go packages.</summary>
    public const string FoundBy = "go-binary";

    public const string ToolchainProperty = "go.toolchain";

    private const string Devel = "(devel)";

    public static IReadOnlyList<Package> Create(CatalogFile file, GoRawBuildInfo info, GoModInfo modInfo, CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(modInfo);
        ArgumentNullException.ThrowIfNull(context);

        var withoutPurl = new List<string>();
        var dependencies = modInfo.Dependencies.Select(d => Describe(d, file, info, withoutPurl)).ToList();
        var main = modInfo.Main ?? (modInfo.Path is { Length: > 0 } path ? new GoModule(path, Devel, null) : null);
        var packages = new List<Package>(dependencies);
        if (main is not null)
        {
            packages.Add(DescribeMain(main, file, info, modInfo, dependencies, withoutPurl));
        }

        if (withoutPurl.Count > 0)
        {
            context.Report(new CatalogIssue(
                GoBinaryCodes.InvalidPurl, file.Path,
                $"{withoutPurl.Count} Go module(s) have a path without '/', so no golang package URL (which requires a namespace) can name them: {string.Join(", ", withoutPurl.Distinct().Take(5).Select(Printable.Of))}. They are listed without one; match them by name."));
        }

        return packages;
    }

    private static Package DescribeMain(GoModule main, CatalogFile file, GoRawBuildInfo info, GoModInfo modInfo, List<Package> dependencies, List<string> withoutPurl)
    {
        var package = Describe(main, file, info, withoutPurl);
        var properties = package.Properties.ToBuilder();
        foreach (var (key, value) in modInfo.Settings)
        {
            properties["go.build." + key] = value;
        }

        if (modInfo.Path is { Length: > 0 } mainPath && mainPath != main.Path)
        {
            properties["go.path"] = mainPath;
        }

        return package with
        {
            DependsOn = [.. dependencies
                .Select(d => new PackageDependency(d.Name, d.Version))
                .Distinct()
                .OrderBy(d => d.Name, StringComparer.Ordinal)
                .ThenBy(d => d.Version, StringComparer.Ordinal)],
            Properties = properties.ToImmutable(),
        };
    }

    /// <summary>
    /// The package of one module line. A replacement by another module (<c>=&gt; example.com/fork v1.2.3</c>) is that
    /// module; a replacement by a local directory (<c>=&gt; ./staging/x</c>) keeps the module's path, without version.
    /// </summary>
    private static Package Describe(GoModule module, CatalogFile file, GoRawBuildInfo info, List<string> withoutPurl)
    {
        var properties = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        properties[ToolchainProperty] = info.GoVersion;
        var (path, version, sum) = (module.Path, module.Version, module.Sum);
        if (module.Replace is { } replacement)
        {
            if (IsLocalPath(replacement.Path))
            {
                properties["go.replace"] = replacement.Path;
                version = replacement.Version;
            }
            else
            {
                properties["go.replaces"] = module.Version.Length > 0 ? $"{module.Path}@{module.Version}" : module.Path;
                (path, version, sum) = (replacement.Path, replacement.Version, replacement.Sum);
            }
        }

        if (sum is not null)
        {
            properties["go.sum"] = sum;
        }

        var declared = version.Length == 0 || version == Devel ? null : version;
        return new Package
        {
            Name = path,
            Version = declared,
            Type = "golang",
            Purl = CreatePurl(path, declared, withoutPurl),
            FoundBy = FoundBy,
            Evidence = [file.Path],
            Layer = file.Layer,
            Properties = properties.ToImmutable(),
        };
    }

    private static bool IsLocalPath(string path) =>
        path.StartsWith("./", StringComparison.Ordinal) || path.StartsWith("../", StringComparison.Ordinal) || path.StartsWith('/')
        || path is "." or "..";

    private static PackageUrl? CreatePurl(string path, string? version, List<string> withoutPurl)
    {
        var slash = path.LastIndexOf('/');
        try
        {
            if (slash > 0)
            {
                return PackageUrl.Create("golang", path[..slash], path[(slash + 1)..], version);
            }
        }
        catch (PackageUrlFormatException)
        {
            // Listed below with the paths that have no namespace at all.
        }

        withoutPurl.Add(path);
        return null;
    }
}
