using System.Collections.Immutable;
using System.Text.Json;

namespace Signet.Scanning.Catalogers.Npm;

/// <summary>
/// Installed npm packages: the <c>package.json</c> of each package directory right under a <c>node_modules</c>
/// directory (<c>…/node_modules/NAME/package.json</c>, <c>…/node_modules/@SCOPE/NAME/package.json</c>), which covers
/// applications, the global npm (<c>usr/lib/node_modules</c>) and packages bundled inside others; and Debian's
/// system-wide module directories (<c>usr/share/nodejs</c>, <c>usr/lib/nodejs</c>, <c>usr/lib/TRIPLET/nodejs</c>),
/// whose modules the dpkg cataloger also lists as deb packages (node-NAME): both are reported, each in its own
/// ecosystem, as Syft does. A <c>package.json</c> without a name and a version (a test fixture, a private workspace
/// stub) is not a package and is skipped silently.
/// </summary>
public sealed class NpmInstalledCataloger : ICataloger
{
    /// <summary>The largest <c>package.json</c> read; real ones, even with an embedded readme, are far smaller.</summary>
    public const long MaxManifestBytes = 4L * 1024 * 1024;

    private const string ManifestSuffix = "/package.json";

    public string Id => "npm-installed";

    public bool Wants(CatalogFile file, CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(file);
        return IsInstalledManifest(file.Path);
    }

    public ICatalogSession Start(CatalogContext context) =>
        new WholeFileSession(context, MaxManifestBytes, (file, bytes, ctx) => Parse(file, bytes, ctx, Id));

    /// <summary>Whether <paramref name="path"/> is the manifest of an installed package directory.</summary>
    internal static bool IsInstalledManifest(string path)
    {
        if (!path.EndsWith(ManifestSuffix, StringComparison.Ordinal))
        {
            return false;
        }

        var directory = path.AsSpan(0, path.Length - ManifestSuffix.Length);
        var slash = directory.LastIndexOf('/');
        if (slash < 0 || directory[(slash + 1)..] is [] or ['.', ..] or ['@', ..])
        {
            return false;
        }

        var parent = directory[..slash];
        var parentSlash = parent.LastIndexOf('/');
        if (parent[(parentSlash + 1)..] is ['@', _, ..])
        {
            if (parentSlash < 0)
            {
                return false;
            }

            parent = parent[..parentSlash];
        }

        return parent.EndsWith("node_modules") && (parent.Length == "node_modules".Length || parent[^("node_modules".Length + 1)] == '/')
            || IsDebianModuleDirectory(parent);
    }

    /// <summary>usr/share/nodejs, usr/lib/nodejs or usr/lib/TRIPLET/nodejs (Debian's policy for Node.js modules).</summary>
    private static bool IsDebianModuleDirectory(ReadOnlySpan<char> directory)
    {
        if (directory.SequenceEqual("usr/share/nodejs") || directory.SequenceEqual("usr/lib/nodejs"))
        {
            return true;
        }

        if (!directory.StartsWith("usr/lib/") || !directory.EndsWith("/nodejs"))
        {
            return false;
        }

        var triplet = directory["usr/lib/".Length..^"/nodejs".Length];
        return triplet.Length > 0 && !triplet.Contains('/');
    }

    /// <summary>The package one installed <c>package.json</c> describes, if any; problems go to <paramref name="context"/>.</summary>
    internal static IEnumerable<Package> Parse(CatalogFile file, byte[] bytes, CatalogContext context, string foundBy)
    {
        using var document = JsonFields.TryParse(bytes, out var error);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            context.Report(new CatalogIssue(
                NpmCodes.ManifestInvalid, file.Path,
                $"is not a package.json JSON object ({error ?? "the document is not an object"}); the package it describes is not listed. Reinstall the package."));
            return [];
        }

        var root = document.RootElement;
        if (JsonFields.String(root, "name") is not { } name || JsonFields.String(root, "version") is not { } version)
        {
            return [];
        }

        return
        [
            new Package
            {
                Name = name,
                Version = version,
                Type = NpmPackages.Type,
                Purl = NpmPackages.Purl(name, version, file.Path, context),
                FoundBy = foundBy,
                Evidence = [file.Path],
                Layer = file.Layer,
                Licenses = Licenses(root),
                Supplier = Supplier(root),
                DependsOn = [.. JsonFields.Members(root, "dependencies")
                    .Select(d => d.Name)
                    .Where(d => d.Length > 0)
                    .Distinct(StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal)
                    .Select(d => new PackageDependency(d))],
            },
        ];
    }

    /// <summary><c>license</c> as a string or <c>{"type": …}</c>, and the legacy <c>licenses</c> array of either.</summary>
    private static ImmutableArray<string> Licenses(JsonElement root)
    {
        var licenses = new SortedSet<string>(StringComparer.Ordinal);
        void Add(JsonElement? value)
        {
            var text = value?.ValueKind switch
            {
                JsonValueKind.String => value.Value.GetString(),
                JsonValueKind.Object => JsonFields.String(value.Value, "type"),
                _ => null,
            };
            if (text?.Trim() is { Length: > 0 } license)
            {
                licenses.Add(license);
            }
        }

        foreach (var field in (string[])["license", "licenses"])
        {
            if (JsonFields.Get(root, field) is { ValueKind: JsonValueKind.Array } array)
            {
                foreach (var item in array.EnumerateArray())
                {
                    Add(item);
                }
            }
            else
            {
                Add(JsonFields.Get(root, field));
            }
        }

        return [.. licenses];
    }

    /// <summary>The author, else the first maintainer, as npm writes a person: <c>Name &lt;email&gt;</c>.</summary>
    private static string? Supplier(JsonElement root)
    {
        if (Person(JsonFields.Get(root, "author")) is { } author)
        {
            return author;
        }

        return JsonFields.Get(root, "maintainers") is { ValueKind: JsonValueKind.Array } maintainers
            ? maintainers.EnumerateArray().Select(m => Person(m)).FirstOrDefault(m => m is not null)
            : null;
    }

    private static string? Person(JsonElement? person)
    {
        switch (person?.ValueKind)
        {
            case JsonValueKind.String:
                return person.Value.GetString()!.Trim() is { Length: > 0 } text ? text : null;
            case JsonValueKind.Object:
                var name = JsonFields.String(person.Value, "name");
                var email = JsonFields.String(person.Value, "email");
                return name is null ? email : email is null ? name : $"{name} <{email}>";
            default:
                return null;
        }
    }
}
