using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Signet.Oci;

/// <summary>
/// An image reference <c>[registry[:port]/]repository[:tag][@digest]</c> following the grammar of
/// github.com/distribution/reference (see <see cref="ReferenceGrammar"/>).
/// <para>
/// <see cref="Parse"/> and <see cref="TryParse(string?, out Reference, out string)"/> normalise as Docker does
/// (ParseNormalizedNamed): no registry means Docker Hub (<c>docker.io</c>), <c>index.docker.io</c> becomes
/// <c>docker.io</c>, and a single-component Docker Hub repository gets the <c>library/</c> namespace.
/// <see cref="ParseStrict"/> applies the bare grammar and keeps the domain/path split it yields, with no defaults.
/// </para>
/// <para>
/// Digests are checked by <see cref="Oci.Digest"/>, so only sha256 and sha512 are accepted (upstream also accepts sha384).
/// A reference may carry both a tag and a digest; both are kept, and the digest is what identifies the content.
/// </para>
/// </summary>
public readonly record struct Reference
{
    /// <summary>Longest name (registry and repository together), as in the grammar.</summary>
    public const int NameMaxLength = 255;

    /// <summary>Longest tag, as in the grammar.</summary>
    public const int TagMaxLength = 128;

    /// <summary>Longest reference text accepted: name, tag and the longest supported digest with their separators.</summary>
    public const int MaxLength = NameMaxLength + 1 + TagMaxLength + 1 + Oci.Digest.MaxLength;

    /// <summary>The canonical name of Docker Hub.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The legacy name of Docker Hub, normalised to <see cref="DockerHub"/>.</summary>
    public const string DockerHubLegacy = "index.docker.io";

    /// <summary>The host that serves Docker Hub's registry API.</summary>
    public const string DockerHubEndpoint = "registry-1.docker.io";

    /// <summary>The tag assumed when a reference has neither tag nor digest.</summary>
    public const string DefaultTag = "latest";

    private const string OfficialPrefix = "library/";

    private const string Expected =
        "expected [registry[:port]/]path[:tag][@digest], where the path is lowercase letters and digits joined by " +
        "'.', '_', '__' or dashes, in components separated by '/', for example 'alpine:3.20' or 'registry.example.com:5000/team/app@sha256:<64 hex digits>'";

    private readonly string? _registry;
    private readonly string? _repository;

    private Reference(string registry, string repository, string? tag, Digest? digest)
    {
        _registry = registry;
        _repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>
    /// The registry host with optional port (<c>docker.io</c>, <c>ghcr.io</c>, <c>localhost:5000</c>, <c>[::1]:5000</c>).
    /// Empty only for a reference from <see cref="ParseStrict"/> whose name has no domain part.
    /// </summary>
    public string Registry => _registry ?? string.Empty;

    /// <summary>The repository path within the registry (<c>library/alpine</c>, <c>team/app</c>).</summary>
    public string Repository => _repository ?? string.Empty;

    /// <summary>The tag, or null when the reference names none.</summary>
    public string? Tag { get; }

    /// <summary>The digest, or null when the reference is not pinned.</summary>
    public Digest? Digest { get; }

    /// <summary>The full repository name, <c>registry/repository</c>.</summary>
    public string Name => Registry.Length == 0 ? Repository : $"{Registry}/{Repository}";

    /// <summary>The digest text if pinned, else the tag, else <c>latest</c>: what to ask the registry for.</summary>
    public string ReferenceOrTag => Digest?.ToString() ?? Tag ?? DefaultTag;

    /// <summary>The short name Docker shows: Docker Hub's <c>docker.io/</c> and <c>library/</c> prefixes removed.</summary>
    public string FamiliarName
    {
        get
        {
            if (Registry != DockerHub)
            {
                return Name;
            }

            var path = Repository;
            if (path.StartsWith(OfficialPrefix, StringComparison.Ordinal) && path.IndexOf('/', OfficialPrefix.Length) < 0)
            {
                return path[OfficialPrefix.Length..];
            }

            // Unlike upstream, keep docker.io when the short form would be read back with another registry
            // (docker.io/a.b/app would otherwise become a.b/app, a repository on host a.b).
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            return slash >= 0 && LooksLikeDomain(path[..slash]) ? Name : path;
        }
    }

    /// <summary>The familiar form with tag and digest: <c>alpine</c>, <c>user/app:v1</c>, <c>alpine@sha256:...</c>.</summary>
    public string FamiliarString => Append(FamiliarName);

    /// <summary>The host to connect to for the registry API: Docker Hub is served by <c>registry-1.docker.io</c>.</summary>
    public string RegistryEndpointHost
    {
        get
        {
            if (Registry.Length == 0)
            {
                throw new InvalidOperationException(
                    $"reference '{this}' has no registry; parse it with Reference.Parse, which applies the docker.io default");
            }

            return Registry == DockerHub ? DockerHubEndpoint : Registry;
        }
    }

    /// <summary>True when the registry is on this machine (<see cref="IsLoopbackRegistry"/>).</summary>
    public bool IsLoopback => IsLoopbackRegistry(Registry);

    /// <summary>Parses and normalises a reference; throws <see cref="FormatException"/> naming the problem.</summary>
    public static Reference Parse(string value) =>
        TryParse(value, out var reference, out var error) ? reference : throw new FormatException(error);

    public static bool TryParse([NotNullWhen(true)] string? value, out Reference reference) => TryParse(value, out reference, out _);

    /// <summary>
    /// Parses and normalises a reference as Docker's ParseNormalizedNamed does. Two differences, both refusals:
    /// digests other than sha256/sha512, and a bare digest (<c>sha256:...</c>), which upstream reads as repository
    /// <c>library/sha256</c> with the hex as tag.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out Reference reference, out string error)
    {
        reference = default;
        if (!CheckLength(value, out error))
        {
            return false;
        }

        if (ReferenceGrammar.IsIdentifier(value))
        {
            error = $"'{value}' is 64 hex digits, which could be an image ID as well as a repository name; refusing the ambiguous reference. " +
                    $"For content by digest, name the repository ('name@sha256:{value}'); for a repository with this name, write 'docker.io/{value}'";
            return false;
        }

        if ((value.StartsWith(Oci.Digest.Sha256 + ":", StringComparison.Ordinal) || value.StartsWith(Oci.Digest.Sha512 + ":", StringComparison.Ordinal))
            && Oci.Digest.TryParse(value, out _))
        {
            error = $"'{value}' is a digest without a repository; name the image it belongs to, for example 'registry.example.com/app@{value}'";
            return false;
        }

        SplitDockerDomain(value, out var domain, out var remainder);
        var colon = remainder.IndexOf(':', StringComparison.Ordinal);
        var remote = colon < 0 ? remainder : remainder[..colon];
        if (remote.Any(char.IsUpper))
        {
            error = $"repository name '{remote}' in '{value}' is invalid: repository names must be lowercase; write '{LowerAscii(remote)}'";
            return false;
        }

        return TryParseGrammar(domain + "/" + remainder, value, out reference, out error);
    }

    /// <summary>
    /// Parses with the bare grammar (distribution/reference <c>Parse</c>): no default registry, no <c>library/</c>,
    /// and <see cref="Registry"/> is whatever the grammar takes as the domain (possibly empty, possibly a path-like
    /// first component such as <c>foo</c> in <c>foo/bar</c>). For tables and tools that need the literal split.
    /// </summary>
    public static Reference ParseStrict(string value) =>
        TryParseStrict(value, out var reference, out var error) ? reference : throw new FormatException(error);

    public static bool TryParseStrict([NotNullWhen(true)] string? value, out Reference reference, out string error)
    {
        reference = default;
        return CheckLength(value, out error) && TryParseGrammar(value, value, out reference, out error);
    }

    /// <summary>True when <paramref name="registry"/> is <c>localhost</c>, an address in 127.0.0.0/8 or <c>[::1]</c>, with or without a port.</summary>
    public static bool IsLoopbackRegistry([NotNullWhen(true)] string? registry)
    {
        if (string.IsNullOrEmpty(registry) || registry.Length > NameMaxLength)
        {
            return false;
        }

        if (registry[0] == '[')
        {
            var close = registry.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IsOptionalPort(registry.AsSpan(close + 1)))
            {
                return false;
            }

            var literal = registry[1..close];
            return !literal.Contains('%', StringComparison.Ordinal)
                && IPAddress.TryParse(literal, out var address)
                && address.AddressFamily == AddressFamily.InterNetworkV6
                && address.Equals(IPAddress.IPv6Loopback);
        }

        var colon = registry.IndexOf(':', StringComparison.Ordinal);
        var host = colon < 0 ? registry : registry[..colon];
        if (colon >= 0 && !IsOptionalPort(registry.AsSpan(colon)))
        {
            return false;
        }

        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IsLoopbackIPv4(host);
    }

    /// <summary>This reference with <paramref name="tag"/> as its tag; a digest, if any, is kept.</summary>
    public Reference WithTag(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (!ReferenceGrammar.IsTag(tag))
        {
            throw new ArgumentException(
                $"tag '{tag}' is invalid: a tag is 1 to {TagMaxLength} letters, digits, '_', '.' or '-', and does not start with '.' or '-'",
                nameof(tag));
        }

        return new Reference(Registry, Repository, tag, Digest);
    }

    /// <summary>This reference pinned to <paramref name="digest"/>; a tag, if any, is kept.</summary>
    public Reference WithDigest(Digest digest)
    {
        if (digest.Encoded is null)
        {
            throw new ArgumentException("digest is the default value; pass a parsed or computed digest", nameof(digest));
        }

        return new Reference(Registry, Repository, Tag, digest);
    }

    /// <summary>The full form: <c>docker.io/library/alpine:latest</c>, <c>ghcr.io/o/app@sha256:...</c>, or both tag and digest.</summary>
    public override string ToString() => _repository is null ? string.Empty : Append(Name);

    private string Append(string name)
    {
        var text = Tag is null ? name : $"{name}:{Tag}";
        return Digest is { } digest ? $"{text}@{digest}" : text;
    }

    private static bool CheckLength([NotNullWhen(true)] string? value, out string error)
    {
        if (string.IsNullOrEmpty(value))
        {
            error = $"image reference is empty; {Expected}";
            return false;
        }

        if (value.Length > MaxLength)
        {
            error = $"image reference '{value[..40]}...' is {value.Length} characters long; at most {MaxLength} are allowed";
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static bool TryParseGrammar(string text, string original, out Reference reference, out string error)
    {
        reference = default;
        if (!ReferenceGrammar.TryMatchReference(text, out var name, out var tag, out var digestText))
        {
            error = Explain(text, original);
            return false;
        }

        if (name.Length > NameMaxLength)
        {
            error = $"repository name '{name}' in '{original}' is {name.Length} characters long; at most {NameMaxLength} are allowed (registry and path together)";
            return false;
        }

        // The whole-reference match guarantees that the name matches the name grammar.
        ReferenceGrammar.TrySplitName(name, out var domain, out var path);
        Digest? digest = null;
        if (digestText is not null)
        {
            if (!Oci.Digest.TryParse(digestText, out var parsed, out var digestError))
            {
                error = $"image reference '{original}' has an unusable digest: {digestError}";
                return false;
            }

            digest = parsed;
        }

        reference = new Reference(domain, path, tag, digest);
        error = string.Empty;
        return true;
    }

    private static string Explain(string text, string original)
    {
        if (ReferenceGrammar.TryMatchReference(LowerAscii(text), out _, out _, out _))
        {
            return $"image reference '{original}' is invalid: repository names must be lowercase; write the path in lowercase (tags may use uppercase)";
        }

        if (original.Contains("://", StringComparison.Ordinal))
        {
            return $"image reference '{original}' is a URL; drop the scheme, for example 'registry.example.com/team/app:tag'";
        }

        if (original.Contains('%', StringComparison.Ordinal) && original.StartsWith('['))
        {
            return $"image reference '{original}' has an IPv6 zone identifier ('%...'), which references cannot carry; use an address without a zone";
        }

        if (original[0] is ':' or '@')
        {
            return $"image reference '{original}' has no repository name before '{original[0]}'; {Expected}";
        }

        return $"image reference '{original}' is invalid: {Expected}";
    }

    private static void SplitDockerDomain(string value, out string domain, out string remainder)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            domain = DockerHub;
            remainder = OfficialPrefix + value;
            return;
        }

        var first = value[..slash];
        var rest = value[(slash + 1)..];
        if (first == DockerHubLegacy)
        {
            (domain, remainder) = (DockerHub, rest);
        }
        else if (LooksLikeDomain(first))
        {
            (domain, remainder) = (first, rest);
        }
        else
        {
            (domain, remainder) = (DockerHub, value);
        }

        if (domain == DockerHub && !remainder.Contains('/', StringComparison.Ordinal))
        {
            remainder = OfficialPrefix + remainder;
        }
    }

    /// <summary>
    /// Docker's rule for the first component of a familiar name: localhost, something with a dot or a port, or
    /// something with uppercase (which a path cannot have) names a registry.
    /// </summary>
    private static bool LooksLikeDomain(string first) =>
        first == "localhost" || first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal)
        || first.Any(char.IsUpper);

    private static bool IsOptionalPort(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return true;
        }

        return text[0] == ':' && text.Length is > 1 and <= 6
            && int.TryParse(text[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535;
    }

    private static bool IsLoopbackIPv4(string host)
    {
        var parts = host.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0')
                || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var octet) || octet > 255)
            {
                return false;
            }
        }

        return parts[0] == "127";
    }

    private static string LowerAscii(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            }
        });
}
