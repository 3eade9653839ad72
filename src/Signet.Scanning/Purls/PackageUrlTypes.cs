namespace Signet.Scanning.Purls;

/// <summary>
/// The per-type rules of the purl specification's type definitions (purl-spec <c>types/*-definition.json</c> at
/// 16f3d0e): whether a namespace is required or prohibited, and which components are case-insensitive (lowercased in
/// the canonical form). Generated from those files; a type not listed here gets the generic rules only.
/// </summary>
internal static class PackageUrlTypes
{
    internal enum Requirement
    {
        Optional,
        Required,
        Prohibited,
    }

    internal sealed record Rules(Requirement Namespace, bool LowercaseNamespace, bool LowercaseName, bool LowercaseVersion);

    internal static readonly IReadOnlyDictionary<string, Rules> Known = new Dictionary<string, Rules>(StringComparer.Ordinal)
    {
        ["alpm"] = new Rules(Requirement.Required, true, true, false),
        ["apk"] = new Rules(Requirement.Required, true, true, false),
        ["bazel"] = new Rules(Requirement.Prohibited, false, false, false),
        ["bitbucket"] = new Rules(Requirement.Required, true, true, false),
        ["bitnami"] = new Rules(Requirement.Prohibited, false, true, false),
        ["brew"] = new Rules(Requirement.Optional, true, true, false),
        ["cargo"] = new Rules(Requirement.Prohibited, false, false, false),
        ["chrome-extension"] = new Rules(Requirement.Prohibited, false, true, false),
        ["cocoapods"] = new Rules(Requirement.Prohibited, false, false, false),
        ["composer"] = new Rules(Requirement.Required, true, true, false),
        ["conan"] = new Rules(Requirement.Optional, false, false, false),
        ["conda"] = new Rules(Requirement.Prohibited, false, false, false),
        ["cpan"] = new Rules(Requirement.Optional, false, false, false),
        ["cran"] = new Rules(Requirement.Prohibited, false, false, false),
        ["deb"] = new Rules(Requirement.Required, true, true, false),
        ["docker"] = new Rules(Requirement.Optional, false, false, false),
        ["gem"] = new Rules(Requirement.Prohibited, false, false, false),
        ["generic"] = new Rules(Requirement.Optional, false, false, false),
        ["git"] = new Rules(Requirement.Required, false, false, false),
        ["github"] = new Rules(Requirement.Required, true, true, false),
        ["golang"] = new Rules(Requirement.Required, false, false, false),
        ["hackage"] = new Rules(Requirement.Prohibited, false, false, false),
        ["hex"] = new Rules(Requirement.Optional, true, true, false),
        ["huggingface"] = new Rules(Requirement.Required, false, false, true),
        ["julia"] = new Rules(Requirement.Prohibited, false, false, false),
        ["luarocks"] = new Rules(Requirement.Optional, true, true, false),
        ["maven"] = new Rules(Requirement.Required, false, false, false),
        ["mlflow"] = new Rules(Requirement.Prohibited, false, false, false),
        ["npm"] = new Rules(Requirement.Optional, false, false, false),
        ["nuget"] = new Rules(Requirement.Prohibited, false, false, false),
        ["oci"] = new Rules(Requirement.Prohibited, false, true, true),
        ["opam"] = new Rules(Requirement.Prohibited, false, false, false),
        ["otp"] = new Rules(Requirement.Prohibited, false, true, false),
        ["pub"] = new Rules(Requirement.Prohibited, false, true, false),
        ["pypi"] = new Rules(Requirement.Prohibited, false, true, true),
        ["qpkg"] = new Rules(Requirement.Required, true, false, false),
        ["rpm"] = new Rules(Requirement.Required, true, false, false),
        ["swid"] = new Rules(Requirement.Optional, false, false, false),
        ["swift"] = new Rules(Requirement.Required, false, false, false),
        ["vcpkg"] = new Rules(Requirement.Prohibited, false, false, false),
        ["vscode-extension"] = new Rules(Requirement.Required, true, true, true),
        ["yocto"] = new Rules(Requirement.Optional, true, false, false),
    };
}
