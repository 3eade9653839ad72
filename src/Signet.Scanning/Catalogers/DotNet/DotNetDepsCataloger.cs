using System.Text.Json;
using Signet.Scanning.Catalogers.Npm;

namespace Signet.Scanning.Catalogers.DotNet;

/// <summary>
/// NuGet packages of a .NET application from its <c>*.deps.json</c> (the dependency manifest the SDK writes next to
/// the application; https://github.com/dotnet/sdk/blob/main/documentation/specs/runtime-configuration-file.md).
/// Read as Trivy's core_deps parser does:
/// <list type="bullet">
/// <item>libraries of type <c>package</c>, <c>project</c> (the application and its project references, listed so
/// that the SBOM names the application; property <c>dotnet.library-type</c> tells them apart) and <c>runtimepack</c>
/// (the runtime of a self-contained application, named without the SDK's <c>runtimepack.</c> prefix); other types
/// (<c>reference</c>, <c>referenceassembly</c>) are not packages;</item>
/// <item>when the target named by <c>runtimeTarget</c> lists a library without any runtime, runtimeTargets or native
/// asset, nothing of it is loaded at run time (compile-time-only packages, meta-packages such as
/// Microsoft.Data.Sqlite) and it is skipped; a library absent from that target, or a file without that target, is
/// kept;</item>
/// <item>dependencies come from that target with their exact versions; an edge to a skipped library is replaced by
/// that library's own dependencies, so the graph stays connected.</item>
/// </list>
/// </summary>
public sealed class DotNetDepsCataloger : ICataloger
{
    /// <summary>The largest deps.json read; a self-contained ASP.NET Core application's is under 1 MiB.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    private const string Suffix = ".deps.json";
    private const string RuntimePackPrefix = "runtimepack.";

    public string Id => "dotnet-deps";

    public bool Wants(CatalogFile file, CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.Path.EndsWith(Suffix, StringComparison.Ordinal) && file.Name.Length > Suffix.Length;
    }

    public ICatalogSession Start(CatalogContext context) =>
        new WholeFileSession(context, MaxBytes, (file, bytes, ctx) => Parse(file, bytes, ctx, Id));

    internal static IReadOnlyList<Package> Parse(CatalogFile file, byte[] bytes, CatalogContext context, string foundBy, int maxEntries = NuGetPackages.MaxEntries)
    {
        using var document = JsonFields.TryParse(bytes, out var error);
        var root = document?.RootElement;
        var libraries = root is { } r ? JsonFields.Get(r, "libraries") : null;
        if (root?.ValueKind != JsonValueKind.Object || libraries is { ValueKind: not JsonValueKind.Object })
        {
            context.Report(new CatalogIssue(
                DotNetCodes.DepsInvalid, file.Path,
                $"is not a .deps.json document ({error ?? "the document or its 'libraries' is not an object"}); the application's packages are not listed. Publish the application again."));
            return [];
        }

        var targetName = JsonFields.Get(root.Value, "runtimeTarget") is { } runtimeTarget ? JsonFields.String(runtimeTarget, "name") : null;
        var target = targetName is null ? null : JsonFields.Get(JsonFields.Get(root.Value, "targets") ?? default, targetName);
        var targetFound = target?.ValueKind == JsonValueKind.Object;
        var targetLibraries = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        if (targetFound)
        {
            foreach (var entry in target!.Value.EnumerateObject().Take(maxEntries))
            {
                targetLibraries.TryAdd(StripRuntimePack(entry.Name), entry.Value);
            }
        }

        var kept = new Dictionary<string, Library>(StringComparer.OrdinalIgnoreCase);
        var skipped = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var count = 0;
        foreach (var entry in libraries?.EnumerateObject() ?? [])
        {
            if (++count > maxEntries)
            {
                NuGetPackages.ReportTooMany(file, context, maxEntries);
                break;
            }

            var slash = entry.Name.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == entry.Name.Length - 1 || entry.Name.IndexOf('/', slash + 1) >= 0)
            {
                context.Report(new CatalogIssue(
                    DotNetCodes.LibraryKeyInvalid, file.Path,
                    $"the library key '{entry.Name}' is not 'Name/Version'; that library is not listed. Publish the application again."));
                continue;
            }

            var type = JsonFields.String(entry.Value, "type")?.ToLowerInvariant();
            if (type is not ("package" or "project" or "runtimepack"))
            {
                continue;
            }

            var name = StripRuntimePack(entry.Name[..slash]);
            var id = $"{name}/{entry.Name[(slash + 1)..]}";
            if (targetLibraries.TryGetValue(id, out var assets) && !HasRuntimeAssets(assets))
            {
                skipped.Add(id);
                continue;
            }

            kept.TryAdd(id, new Library(name, entry.Name[(slash + 1)..], type, entry.Value));
        }

        return [.. kept.Values.Select(library => NuGetPackages.Create(
            library.Name,
            library.Version,
            file,
            context,
            foundBy,
            DependenciesOf($"{library.Name}/{library.Version}", targetLibraries, kept, skipped),
            Properties(library)))];
    }

    private static string StripRuntimePack(string name) =>
        name.StartsWith(RuntimePackPrefix, StringComparison.Ordinal) ? name[RuntimePackPrefix.Length..] : name;

    private static bool HasRuntimeAssets(JsonElement library) =>
        ((string[])["runtime", "runtimeTargets", "native"]).Any(a => JsonFields.Get(library, a) is { ValueKind: not JsonValueKind.Null });

    /// <summary>The kept libraries <paramref name="id"/> depends on, looking through skipped ones.</summary>
    private static List<PackageDependency> DependenciesOf(
        string id, Dictionary<string, JsonElement> targetLibraries, Dictionary<string, Library> kept, HashSet<string> skipped)
    {
        var found = new List<PackageDependency>();
        var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { id };
        var pending = new Stack<string>([id]);
        while (pending.TryPop(out var current))
        {
            if (!targetLibraries.TryGetValue(current, out var entry))
            {
                continue;
            }

            foreach (var (name, version) in JsonFields.StringMap(entry, "dependencies"))
            {
                var dependency = $"{StripRuntimePack(name)}/{version}";
                if (!visited.Add(dependency))
                {
                    continue;
                }

                if (kept.TryGetValue(dependency, out var library))
                {
                    found.Add(new PackageDependency(library.Name, library.Version));
                }
                else if (skipped.Contains(dependency))
                {
                    pending.Push(dependency);
                }
            }
        }

        return found;
    }

    private static IEnumerable<KeyValuePair<string, string>> Properties(Library library)
    {
        yield return new("dotnet.library-type", library.Type);
        if (JsonFields.String(library.Entry, "sha512") is { } sha512)
        {
            yield return new("dotnet.sha512", sha512);
        }

        if (JsonFields.String(library.Entry, "path") is { } path)
        {
            yield return new("dotnet.path", path);
        }
    }

    private sealed record Library(string Name, string Version, string Type, JsonElement Entry);
}
