using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Signet.Scanning.Purls;

/// <summary>
/// A package URL (https://github.com/package-url/purl-spec, docs/standard/specification.md): parsed and built with
/// the specification's algorithm and the per-type rules of its type definitions (<see cref="PackageUrlTypes"/>), so
/// two spellings of the same package compare equal and <see cref="ToString"/> is the canonical form.
/// </summary>
public sealed record PackageUrl
{
    /// <summary>The longest package URL accepted, in characters; purls come from untrusted package metadata.</summary>
    public const int MaxLength = 8192;

    private const string Scheme = "pkg";
    private readonly string _canonical;

    private PackageUrl(string type, string? @namespace, string name, string? version, ImmutableSortedDictionary<string, string> qualifiers, string? subpath)
    {
        Type = type;
        Namespace = @namespace;
        Name = name;
        Version = version;
        Qualifiers = qualifiers;
        Subpath = subpath;
        _canonical = Format();
    }

    /// <summary>The package type, lowercase (<c>deb</c>, <c>npm</c>, <c>maven</c>...).</summary>
    public string Type { get; }

    /// <summary>The namespace, decoded, segments joined by <c>/</c>; null when absent.</summary>
    public string? Namespace { get; }

    /// <summary>The name, decoded and normalised for its type.</summary>
    public string Name { get; }

    /// <summary>The version, decoded; null when absent.</summary>
    public string? Version { get; }

    /// <summary>Qualifiers by lowercase key, sorted; empty values are dropped.</summary>
    public ImmutableSortedDictionary<string, string> Qualifiers { get; }

    /// <summary>The subpath, decoded, without empty, <c>.</c> or <c>..</c> segments; null when absent.</summary>
    public string? Subpath { get; }

    /// <summary>Builds a package URL from its components, normalising them as parsing does.</summary>
    /// <exception cref="PackageUrlFormatException">A component is missing or invalid for the type.</exception>
    public static PackageUrl Create(
        string type,
        string? @namespace,
        string name,
        string? version = null,
        IEnumerable<KeyValuePair<string, string?>>? qualifiers = null,
        string? subpath = null)
    {
        if (string.IsNullOrEmpty(type))
        {
            throw Fail(PackageUrlCodes.Component, "(components)", "the type is missing; give the package type, e.g. npm or deb");
        }

        var segments = @namespace is null ? [] : @namespace.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (type.Equals("git", StringComparison.OrdinalIgnoreCase) && segments.Length > 1)
        {
            name = string.Join('/', segments[1..].Append(name));
            segments = segments[..1];
        }

        var subpathSegments = subpath is null ? [] : SubpathSegments(subpath.Split('/'));
        return Build(type, segments, name, version, qualifiers ?? [], subpathSegments, $"(components of a {type} purl)");
    }

    /// <summary>Parses a package URL.</summary>
    /// <exception cref="PackageUrlFormatException">The string is not a valid package URL.</exception>
    public static PackageUrl Parse(string purl)
    {
        ArgumentNullException.ThrowIfNull(purl);
        if (purl.Length > MaxLength)
        {
            throw Fail(PackageUrlCodes.TooLong, purl[..64] + "...", $"is {purl.Length} characters, over the limit of {MaxLength}; a package URL this long is not a real package's");
        }

        var rest = purl;
        string[] subpath = [];
        var hash = rest.LastIndexOf('#');
        if (hash >= 0)
        {
            subpath = SubpathSegments(rest[(hash + 1)..].Split('/').Select(s => Decode(s, purl)));
            rest = rest[..hash];
        }

        var qualifiers = new List<KeyValuePair<string, string?>>();
        var question = rest.LastIndexOf('?');
        if (question >= 0)
        {
            foreach (var pair in rest[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw Fail(PackageUrlCodes.Syntax, purl, $"qualifier '{pair}' is not key=value");
                }

                qualifiers.Add(new(pair[..equals], Decode(pair[(equals + 1)..], purl)));
            }

            rest = rest[..question];
        }

        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !rest[..colon].Equals(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw Fail(PackageUrlCodes.Syntax, purl, "does not start with the scheme 'pkg:'");
        }

        rest = rest[(colon + 1)..].TrimStart('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            throw Fail(PackageUrlCodes.Syntax, purl, "has no type followed by '/' and a name, e.g. pkg:npm/lodash");
        }

        var type = rest[..slash];
        rest = rest[(slash + 1)..];
        string? version = null;
        var at = rest.LastIndexOf('@');
        if (at > rest.LastIndexOf('/'))
        {
            version = Decode(rest[(at + 1)..], purl);
            rest = rest[..at];
        }
        else
        {
            rest = rest.TrimEnd('/');
        }

        var segments = rest.Split('/').Select(s => Decode(s, purl)).ToArray();
        if (segments[..^1].Any(s => s.Contains('/', StringComparison.Ordinal)))
        {
            throw Fail(PackageUrlCodes.Syntax, purl, "has a namespace segment with an encoded '/'");
        }

        // A git purl's namespace is the host alone; the rest of the path is the repository name ("owner/repo").
        var namespaceLength = type.Equals("git", StringComparison.OrdinalIgnoreCase) ? Math.Min(1, segments.Length - 1) : segments.Length - 1;
        var name = string.Join('/', segments[namespaceLength..]);
        return Build(type, [.. segments[..namespaceLength].Where(s => s.Length > 0)], name, version, qualifiers, subpath, purl);
    }

    /// <summary>Parses a package URL; false (and the failure) when it is not valid.</summary>
    public static bool TryParse(string purl, [NotNullWhen(true)] out PackageUrl? result, [NotNullWhen(false)] out PackageUrlFormatException? error)
    {
        try
        {
            result = Parse(purl);
            error = null;
            return true;
        }
        catch (PackageUrlFormatException e)
        {
            result = null;
            error = e;
            return false;
        }
    }

    /// <summary>The canonical form.</summary>
    public override string ToString() => _canonical;

    /// <summary>Equal when the canonical forms are equal.</summary>
    public bool Equals(PackageUrl? other) => other is not null && string.Equals(_canonical, other._canonical, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_canonical);

    private static PackageUrl Build(
        string type,
        string[] namespaceSegments,
        string name,
        string? version,
        IEnumerable<KeyValuePair<string, string?>> qualifiers,
        string[] subpath,
        string source)
    {
        if (!IsValidType(type))
        {
            throw Fail(PackageUrlCodes.Syntax, source, $"type '{type}' is not ASCII letters, digits, '.', '+' or '-' starting with a letter");
        }

        type = type.ToLowerInvariant();
        var rules = PackageUrlTypes.Known.GetValueOrDefault(type);
        var segments = namespaceSegments.Select(s => type switch
        {
            "cpan" => s.ToUpperInvariant(),
            _ when rules?.LowercaseNamespace == true => s.ToLowerInvariant(),
            _ => s,
        }).ToArray();
        var @namespace = segments.Length == 0 ? null : string.Join('/', segments);
        if (rules?.Namespace == PackageUrlTypes.Requirement.Required && @namespace is null)
        {
            throw Fail(PackageUrlCodes.Component, source, $"has no namespace, which type {type} requires");
        }

        if (rules?.Namespace == PackageUrlTypes.Requirement.Prohibited && @namespace is not null)
        {
            throw Fail(PackageUrlCodes.Component, source, $"has namespace '{@namespace}', which type {type} prohibits");
        }

        if (string.IsNullOrEmpty(name))
        {
            throw Fail(PackageUrlCodes.Component, source, "has no name");
        }

        name = NormaliseName(type, rules, name);
        if (version is { Length: 0 })
        {
            version = null;
        }
        else if (rules?.LowercaseVersion == true)
        {
            version = version?.ToLowerInvariant();
        }

        var sorted = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (rawKey, value) in qualifiers)
        {
            var key = rawKey.ToLowerInvariant();
            if (!IsValidQualifierKey(key))
            {
                throw Fail(PackageUrlCodes.Syntax, source, $"qualifier key '{rawKey}' is not ASCII letters, digits, '.', '-' or '_' starting with a letter");
            }

            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (!sorted.TryAdd(key, value))
            {
                throw Fail(PackageUrlCodes.Syntax, source, $"qualifier '{key}' appears twice");
            }
        }

        var result = sorted.ToImmutable();
        if (type == "mlflow" && result.TryGetValue("repository_url", out var repository) && repository.Contains("databricks", StringComparison.OrdinalIgnoreCase))
        {
            name = name.ToLowerInvariant();
        }

        CheckType(type, name, version, result, source);
        var purl = new PackageUrl(type, @namespace, name, version, result, subpath.Length == 0 ? null : string.Join('/', subpath));
        return purl._canonical.Length <= MaxLength
            ? purl
            : throw Fail(PackageUrlCodes.TooLong, purl._canonical[..64] + "...", $"is {purl._canonical.Length} characters, over the limit of {MaxLength}; a package URL this long is not a real package's");
    }

    /// <summary>The rules of a type definition beyond case and namespace: permitted characters, required qualifiers.</summary>
    private static void CheckType(string type, string name, string? version, ImmutableSortedDictionary<string, string> qualifiers, string source)
    {
        var problem = type switch
        {
            "chrome-extension" when name.Length != 32 || !name.All(c => c is >= 'a' and <= 'p') =>
                $"chrome-extension name '{name}' is not an extension id of 32 letters a-p",
            "chrome-extension" when version is not null && !IsChromeVersion(version) =>
                $"chrome-extension version '{version}' is not 1 to 4 dot-separated numbers",
            "cpan" when name.Contains("::", StringComparison.Ordinal) =>
                $"cpan name '{name}' is a module name; give the distribution name (e.g. URI-PackageURL)",
            "julia" when !qualifiers.ContainsKey("uuid") => "has no uuid qualifier, which type julia requires",
            "swid" when !qualifiers.ContainsKey("tag_id") => "has no tag_id qualifier, which type swid requires",
            _ => null,
        };
        if (problem is not null)
        {
            throw Fail(PackageUrlCodes.Component, source, problem);
        }
    }

    private static bool IsChromeVersion(string version)
    {
        var parts = version.Split('.');
        return parts.Length <= 4 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit));
    }

    private static string NormaliseName(string type, PackageUrlTypes.Rules? rules, string name)
    {
        if (rules?.LowercaseName == true)
        {
            name = name.ToLowerInvariant();
        }

        return type switch
        {
            "pypi" => name.Replace('_', '-'),
            "pub" => string.Concat(name.Select(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '_')),
            _ => name,
        };
    }

    private static string[] SubpathSegments(IEnumerable<string> segments) =>
        segments.Where(s => s is not ("" or "." or "..")).ToArray();

    private static bool IsValidType(string type) =>
        type.Length > 0 && char.IsAsciiLetter(type[0]) && type.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '-');

    private static bool IsValidQualifierKey(string key) =>
        key.Length > 0 && char.IsAsciiLetter(key[0]) && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    private string Format()
    {
        var text = new StringBuilder(Scheme).Append(':').Append(Type).Append('/');
        if (Namespace is not null)
        {
            text.AppendJoin('/', Namespace.Split('/').Select(Encode)).Append('/');
        }

        text.AppendJoin('/', Type == "git" ? Name.Split('/').Select(Encode) : [Encode(Name)]);
        if (Version is not null)
        {
            text.Append('@').Append(Encode(Version));
        }

        if (Qualifiers.Count > 0)
        {
            text.Append('?').AppendJoin('&', Qualifiers.Select(q => q.Key + "=" + Encode(q.Value)));
        }

        if (Subpath is not null)
        {
            text.Append('#').AppendJoin('/', Subpath.Split('/').Select(Encode));
        }

        return text.ToString();
    }

    private static string Encode(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'-' or (byte)'_' or (byte)'~' or (byte)':')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private static string Decode(string value, string source)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                var next = value.IndexOf('%', i);
                var end = next < 0 ? value.Length : next;
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i..end]));
                i = end - 1;
                continue;
            }

            if (i + 2 >= value.Length || !byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var decoded))
            {
                throw Fail(PackageUrlCodes.Syntax, source, $"has '%' not followed by two hex digits in '{value}'");
            }

            bytes.Add(decoded);
            i += 2;
        }

        try
        {
            return new UTF8Encoding(false, true).GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            throw Fail(PackageUrlCodes.Syntax, source, $"percent-encodes bytes that are not UTF-8 in '{value}'");
        }
    }

    private static PackageUrlFormatException Fail(string code, string source, string problem) =>
        new(code, $"package URL '{source}': {problem}. Write it as pkg:type/namespace/name@version?qualifiers#subpath (purl specification).");
}
