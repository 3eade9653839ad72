using Signet.Scanning.Purls;

namespace Signet.Scanning.Catalogers.Npm;

/// <summary>Package URLs of npm packages (<c>pkg:npm/%40scope/name@1.2.3</c>).</summary>
internal static class NpmPackages
{
    /// <summary>The purl type.</summary>
    public const string Type = "npm";

    /// <summary>The purl of <paramref name="name"/> (<c>@scope/name</c> or <c>name</c>); null with an issue when it cannot form one.</summary>
    public static PackageUrl? Purl(string name, string version, string path, CatalogContext context)
    {
        var slash = name.StartsWith('@') ? name.IndexOf('/', StringComparison.Ordinal) : -1;
        return slash > 0
            ? LanguagePackages.TryPurl(Type, name[..slash], name[(slash + 1)..], version, path, NpmCodes.PurlInvalid, context)
            : LanguagePackages.TryPurl(Type, null, name, version, path, NpmCodes.PurlInvalid, context);
    }
}
