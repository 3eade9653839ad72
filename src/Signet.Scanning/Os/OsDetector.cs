using System.Text;
using System.Text.RegularExpressions;

namespace Signet.Scanning.Os;

/// <summary>
/// Identifies the Linux distribution of a root filesystem. Files, first match wins:
/// <list type="number">
/// <item><c>etc/os-release</c>, then <c>usr/lib/os-release</c> (os-release(5), shell-style quoting), when it has an ID;
/// a Debian os-release without VERSION_ID (testing, sid) takes the code name from <c>etc/debian_version</c>;</item>
/// <item><c>etc/lsb-release</c> (DISTRIB_ID, DISTRIB_RELEASE; Ubuntu's also has a debian_version, so it comes first);</item>
/// <item><c>etc/alpine-release</c>;</item>
/// <item>the redhat family: <c>etc/rocky-release</c>, <c>etc/almalinux-release</c>, <c>etc/centos-release</c>,
/// <c>etc/fedora-release</c>, <c>etc/redhat-release</c>, <c>etc/system-release</c> ("NAME release VERSION (CODENAME)");</item>
/// <item><c>etc/debian_version</c> (a version such as 12.5 gives VERSION_ID 12; a code name such as trixie/sid gives none).</item>
/// </list>
/// Distroless images have none of these files. Then the packages that catalogers found decide
/// (<see cref="FromPackages"/>): dpkg <c>base-files</c> (version 12.4+deb12u5 gives debian 12), apk
/// <c>alpine-release</c> (3.19.1-r0 gives alpine 3.19.1), rpm <c>*-release</c> packages
/// of the redhat family. With neither, the distribution is unknown (null).
/// </summary>
public static partial class OsDetector
{
    /// <summary>The most read of any release file; real ones are under 2 KiB.</summary>
    public const int MaxReleaseFileLength = 64 * 1024;

    private static readonly string[] OsReleasePaths = ["etc/os-release", "usr/lib/os-release"];

    private static readonly (string Path, string Id)[] RedHatFamily =
    [
        ("etc/rocky-release", "rocky"),
        ("etc/almalinux-release", "almalinux"),
        ("etc/centos-release", "centos"),
        ("etc/fedora-release", "fedora"),
        ("etc/redhat-release", "rhel"),
        ("etc/system-release", "amzn"),
    ];

    /// <summary>Every file <see cref="Detect"/> may read, so that a caller can fetch them all in one pass.</summary>
    public static IReadOnlyList<string> ReleaseFiles { get; } =
        [.. OsReleasePaths, "etc/lsb-release", "etc/alpine-release", .. RedHatFamily.Select(f => f.Path), "etc/debian_version"];

    /// <summary>The distribution of the root filesystem <paramref name="files"/>; <paramref name="packages"/> decide when no release file does.</summary>
    public static LinuxDistribution? Detect(IFileLookup files, IEnumerable<OsPackageEvidence>? packages = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        return FromOsRelease(files)
            ?? FromLsbRelease(files)
            ?? FromAlpineRelease(files)
            ?? FromRedHatFamily(files)
            ?? FromDebianVersion(files)
            ?? (packages is null ? null : FromPackages(packages));
    }

    /// <summary>The distribution that installed packages evidence (distroless images); null when none does.</summary>
    public static LinuxDistribution? FromPackages(IEnumerable<OsPackageEvidence> packages)
    {
        ArgumentNullException.ThrowIfNull(packages);
        foreach (var package in packages.OrderBy(p => p.Type, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal))
        {
            var source = $"package:{package.Type}/{package.Name}";
            var found = (package.Type, package.Name) switch
            {
                ("deb", "base-files") when LeadingVersion().Match(package.Version) is { Success: true } m =>
                    new LinuxDistribution { Id = "debian", VersionId = m.Value.Split('.')[0], Source = source },
                ("apk", "alpine-release") when LeadingVersion().Match(package.Version) is { Success: true } m =>
                    new LinuxDistribution { Id = "alpine", VersionId = m.Value, Source = source },
                ("rpm", _) when RedHatFamily.FirstOrDefault(f => f.Path == $"etc/{package.Name}") is { Id: not null } family =>
                    new LinuxDistribution { Id = family.Id, VersionId = LeadingVersion().Match(package.Version).Value is { Length: > 0 } v ? v : null, Source = source },
                _ => null,
            };
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>
    /// The variables of an os-release or lsb-release file: <c>KEY=VALUE</c> lines, values with shell quoting
    /// (double quotes with backslash escapes, single quotes literal, unquoted with backslash escapes); comments and
    /// lines that are not assignments are ignored.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseVariables(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || equals <= 0 || !Assignment().IsMatch(line[..equals]))
            {
                continue;
            }

            if (Unquote(line[(equals + 1)..]) is { } value)
            {
                variables[line[..equals]] = value;
            }
        }

        return variables;
    }

    private static string? Unquote(string value)
    {
        var result = new StringBuilder(value.Length);
        char? quote = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = null;
                }
                else
                {
                    result.Append(c);
                }
            }
            else if (c == '\\' && i + 1 < value.Length && (quote is null || value[i + 1] is '$' or '"' or '\\' or '`'))
            {
                result.Append(value[++i]);
            }
            else if (c is '"' or '\'' && (quote is null || quote == c))
            {
                quote = quote is null ? c : null;
            }
            else if (quote is null && char.IsWhiteSpace(c))
            {
                break;
            }
            else
            {
                result.Append(c);
            }
        }

        return quote is null ? result.ToString() : null;
    }

    private static string? ReadText(IFileLookup files, string path) =>
        files.Read(path, MaxReleaseFileLength) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    private static LinuxDistribution? FromOsRelease(IFileLookup files)
    {
        foreach (var path in OsReleasePaths)
        {
            if (ReadText(files, path) is not { } text)
            {
                continue;
            }

            var variables = ParseVariables(text);
            if (variables.GetValueOrDefault("ID") is not { Length: > 0 } id)
            {
                continue;
            }

            var codename = variables.GetValueOrDefault("VERSION_CODENAME") ?? CodenameInVersion(variables.GetValueOrDefault("VERSION"));
            if (id == "debian" && !variables.ContainsKey("VERSION_ID") && ReadText(files, "etc/debian_version") is { } debian)
            {
                codename ??= debian.Trim().Split('/')[0];
            }

            return new LinuxDistribution
            {
                Id = id.ToLowerInvariant(),
                VersionId = variables.GetValueOrDefault("VERSION_ID") is { Length: > 0 } v ? v : null,
                PrettyName = variables.GetValueOrDefault("PRETTY_NAME") ?? variables.GetValueOrDefault("NAME"),
                Codename = codename,
                Source = path,
            };
        }

        return null;
    }

    private static string? CodenameInVersion(string? version) =>
        version is not null && Parenthesised().Match(version) is { Success: true } m ? m.Groups[1].Value : null;

    private static LinuxDistribution? FromLsbRelease(IFileLookup files)
    {
        const string path = "etc/lsb-release";
        var variables = ReadText(files, path) is { } text ? ParseVariables(text) : null;
        if (variables?.GetValueOrDefault("DISTRIB_ID") is not { Length: > 0 } id)
        {
            return null;
        }

        return new LinuxDistribution
        {
            Id = id.ToLowerInvariant(),
            VersionId = variables.GetValueOrDefault("DISTRIB_RELEASE"),
            PrettyName = variables.GetValueOrDefault("DISTRIB_DESCRIPTION"),
            Codename = variables.GetValueOrDefault("DISTRIB_CODENAME"),
            Source = path,
        };
    }

    private static LinuxDistribution? FromAlpineRelease(IFileLookup files)
    {
        const string path = "etc/alpine-release";
        return ReadText(files, path)?.Trim() is { } text && LeadingVersion().Match(text) is { Success: true } m
            ? new LinuxDistribution { Id = "alpine", VersionId = m.Value, PrettyName = $"Alpine Linux v{text}", Source = path }
            : null;
    }

    private static LinuxDistribution? FromRedHatFamily(IFileLookup files)
    {
        foreach (var (path, id) in RedHatFamily)
        {
            if (ReadText(files, path) is { } text && RedHatRelease().Match(text.Trim()) is { Success: true } m)
            {
                var version = m.Groups["version"].Value;
                return new LinuxDistribution
                {
                    Id = id,
                    VersionId = id == "centos" ? version.Split('.')[0] : version,
                    PrettyName = text.Trim().Split('\n')[0],
                    Codename = m.Groups["codename"].Success ? m.Groups["codename"].Value : null,
                    Source = path,
                };
            }
        }

        return null;
    }

    private static LinuxDistribution? FromDebianVersion(IFileLookup files)
    {
        const string path = "etc/debian_version";
        if (ReadText(files, path)?.Trim() is not { Length: > 0 } text || text.Contains('\n', StringComparison.Ordinal))
        {
            return null;
        }

        return LeadingVersion().Match(text) is { Success: true } m
            ? new LinuxDistribution { Id = "debian", VersionId = m.Value.Split('.')[0], PrettyName = $"Debian GNU/Linux {text}", Source = path }
            : new LinuxDistribution { Id = "debian", Codename = text.Split('/')[0], PrettyName = $"Debian GNU/Linux {text}", Source = path };
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"\(([^)]+)\)")]
    private static partial Regex Parenthesised();

    [GeneratedRegex(@"^\d+(\.\d+)*")]
    private static partial Regex LeadingVersion();

    [GeneratedRegex(@"^(?<name>.+?) release (?<version>\d+(\.\d+)*)[^(\n]*(\((?<codename>[^)]+)\))?")]
    private static partial Regex RedHatRelease();
}
