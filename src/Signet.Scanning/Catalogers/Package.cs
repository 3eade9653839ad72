using System.Collections.Immutable;
using Signet.Scanning.FileSystem;
using Signet.Scanning.Purls;

namespace Signet.Scanning.Catalogers;

/// <summary>
/// One installed package a cataloger found in a file tree: what SBOMs list and scanners match. Immutable; collections
/// are sorted by the cataloger (ordinal) so that the same tree always gives the same record.
/// </summary>
public sealed record Package
{
    /// <summary>The name as the ecosystem spells it (dpkg package, npm name with scope, Maven artifactId...).</summary>
    public required string Name { get; init; }

    /// <summary>The version exactly as installed (dpkg <c>[epoch:]upstream[-revision]</c>, rpm <c>[epoch:]version-release</c>...); null when not declared.</summary>
    public required string? Version { get; init; }

    /// <summary>The purl type of the ecosystem (<see cref="PackageUrlTypes"/>): deb, apk, rpm, pypi, npm, nuget, golang, cargo, maven, gem, composer.</summary>
    public required string Type { get; init; }

    /// <summary>The package URL; null only when the metadata cannot form a valid one (an issue then says why).</summary>
    public required PackageUrl? Purl { get; init; }

    /// <summary>The id of the cataloger that found it (<see cref="ICataloger.Id"/>).</summary>
    public required string FoundBy { get; init; }

    /// <summary>
    /// The files that evidence the package, from the tree root without a leading '/': the database or manifest first
    /// (the file the package was read from), then other metadata files, sorted. Never empty.
    /// </summary>
    public required ImmutableArray<string> Evidence { get; init; }

    /// <summary>
    /// The layer that introduced the package, as precisely as its files tell: the layer of its own metadata file
    /// (dist-info METADATA, node_modules package.json) or, for a shared database (dpkg status, apk installed, rpmdb),
    /// of a per-package file (dpkg <c>info/NAME.list</c>) or of its first installed file still present
    /// (<see cref="CatalogContext.LayerOf"/>), else of the database. Null for a directory or source tree.
    /// </summary>
    public LayerInfo? Layer { get; init; }

    /// <summary>Licenses as declared by the package (SPDX expressions or free text, as found), sorted, deduplicated.</summary>
    public ImmutableArray<string> Licenses { get; init; } = [];

    /// <summary>The source package it was built from (dpkg Source, apk origin, rpm source rpm), when it differs or is declared.</summary>
    public PackageSource? Source { get; init; }

    /// <summary>The maintainer, vendor or author as declared (free text); null when not declared.</summary>
    public string? Supplier { get; init; }

    /// <summary>The packages it depends on, as names of the same ecosystem (with the exact version when the metadata pins it), sorted.</summary>
    public ImmutableArray<PackageDependency> DependsOn { get; init; } = [];

    /// <summary>The paths the package installed (dpkg <c>info/*.list</c>, rpm file lists, apk, RECORD), when the ecosystem records them; sorted.</summary>
    public ImmutableArray<string> InstalledFiles { get; init; } = [];

    /// <summary>Other facts, by key (<c>arch</c>, <c>go.toolchain</c>, <c>installed-size</c>...), for SBOM properties.</summary>
    public ImmutableSortedDictionary<string, string> Properties { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
}

/// <summary>The source package a binary package was built from.</summary>
public sealed record PackageSource(string Name, string? Version);

/// <summary>A dependency by name, with the exact version when the metadata pins one (lockfiles, deps.json, Go build info).</summary>
public sealed record PackageDependency(string Name, string? Version = null);
