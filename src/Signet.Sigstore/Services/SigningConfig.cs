using System.Collections.Immutable;
using System.Text.Json;
using Signet.Oci.Json;
using Signet.Sigstore.TrustedRoots;

namespace Signet.Sigstore.Services;

/// <summary>A malformed or unusable signing config.</summary>
public class SigningConfigException : FormatException
{
    public SigningConfigException()
    {
    }

    public SigningConfigException(string message)
        : base(message)
    {
    }

    public SigningConfigException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>How many services of one kind to use (protobuf-specs <c>ServiceSelector</c>).</summary>
public enum ServiceSelector
{
    /// <summary>One per operator.</summary>
    All,

    /// <summary>Any one.</summary>
    Any,

    /// <summary>Exactly <see cref="SigningConfig.TlogCount"/> (or TSA count).</summary>
    Exact,
}

/// <summary>One service endpoint of a signing config: its URL, API major version, validity window and operator.</summary>
public sealed record SigningService(Uri Url, int MajorApiVersion, ValidityWindow ValidFor, string Operator);

/// <summary>The services chosen for one signing: one CA, the transparency logs and the timestamp authorities.</summary>
public sealed record SelectedServices(Uri CertificateAuthority, ImmutableArray<Uri> TransparencyLogs, ImmutableArray<Uri> TimestampAuthorities);

/// <summary>
/// protobuf-specs <c>dev.sigstore.trustroot.v1.SigningConfig</c> v0.2 (<c>signing_config.v0.2.json</c> as the Sigstore
/// TUF repository publishes it): the Fulcio, Rekor and TSA endpoints with API versions, validity windows and operators,
/// and how many logs and TSAs to use. <see cref="Select"/> picks the services as sigstore-go does: supported API
/// version only, valid now, the newest first, one per operator, then the selector.
/// </summary>
public sealed record SigningConfig
{
    public const string MediaTypeV02 = "application/vnd.dev.sigstore.signingconfig.v0.2+json";

    /// <summary>Largest signing config read.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Most services read from one list.</summary>
    public const int MaxServices = 100;

    public required ImmutableArray<SigningService> CertificateAuthorities { get; init; }

    public required ImmutableArray<SigningService> TransparencyLogs { get; init; }

    public required ImmutableArray<SigningService> TimestampAuthorities { get; init; }

    public ServiceSelector TlogSelector { get; init; } = ServiceSelector.Any;

    public int TlogCount { get; init; }

    public ServiceSelector TsaSelector { get; init; } = ServiceSelector.Any;

    public int TsaCount { get; init; }

    /// <summary>Reads a v0.2 signing config; throws <see cref="SigningConfigException"/> naming the field for anything else.</summary>
    public static SigningConfig Parse(ReadOnlyMemory<byte> raw, string source = "signing config")
    {
        if (raw.Length > MaxBytes)
        {
            throw new SigningConfigException($"{source} is {raw.Length} bytes; at most {MaxBytes} are read");
        }

        var json = new StrictJson(source, (message, inner) => new SigningConfigException(message, inner));
        using var document = json.Parse(raw);
        var root = json.RequireObject(document.RootElement, string.Empty);
        var mediaType = json.RequiredString(root, "mediaType", string.Empty);
        if (mediaType != MediaTypeV02)
        {
            throw json.Error("mediaType", $"is '{mediaType}'; Signet reads {MediaTypeV02} (signing_config.v0.2.json)");
        }

        var (tlogSelector, tlogCount) = Selector(json, root, "rekorTlogConfig");
        var (tsaSelector, tsaCount) = Selector(json, root, "tsaConfig");
        return new SigningConfig
        {
            CertificateAuthorities = Services(json, root, "caUrls"),
            TransparencyLogs = Services(json, root, "rekorTlogUrls"),
            TimestampAuthorities = Services(json, root, "tsaUrls"),
            TlogSelector = tlogSelector,
            TlogCount = tlogCount,
            TsaSelector = tsaSelector,
            TsaCount = tsaCount,
        };
    }

    /// <summary>
    /// The services to sign with at <paramref name="now"/>, for the API versions Signet speaks (Fulcio v1 API, Rekor
    /// v1, TSA v1). Throws <see cref="SigningConfigException"/> when no CA or log fits, or an EXACT count cannot be met.
    /// </summary>
    public SelectedServices Select(DateTimeOffset now)
    {
        var ca = Candidates(CertificateAuthorities, now).FirstOrDefault()
            ?? throw new SigningConfigException($"the signing config lists no certificate authority with API version 1 valid at {now:u}");
        var logs = Choose(Candidates(TransparencyLogs, now), TlogSelector, TlogCount, "transparency log", now);
        if (logs.IsEmpty)
        {
            throw new SigningConfigException($"the signing config lists no Rekor log with API version 1 valid at {now:u}; Signet uploads to Rekor v1 logs only");
        }

        return new SelectedServices(ca.Url, logs, Choose(Candidates(TimestampAuthorities, now), TsaSelector, TsaCount, "timestamp authority", now));
    }

    /// <summary>Services of API version 1 valid at <paramref name="now"/>, newest first, one per operator.</summary>
    private static List<SigningService> Candidates(ImmutableArray<SigningService> services, DateTimeOffset now) =>
        services.Where(s => s.MajorApiVersion == 1 && s.ValidFor.Contains(now))
            .OrderByDescending(s => s.ValidFor.Start ?? DateTimeOffset.MinValue)
            .DistinctBy(s => s.Operator, StringComparer.Ordinal)
            .ToList();

    private static ImmutableArray<Uri> Choose(List<SigningService> candidates, ServiceSelector selector, int count, string what, DateTimeOffset now)
    {
        var chosen = selector switch
        {
            ServiceSelector.All => candidates,
            ServiceSelector.Any => candidates.Take(1).ToList(),
            _ => candidates.Count >= count
                ? candidates.Take(count).ToList()
                : throw new SigningConfigException($"the signing config asks for exactly {count} {what}(s) but only {candidates.Count} of API version 1 are valid at {now:u}"),
        };
        return chosen.Select(s => s.Url).ToImmutableArray();
    }

    private static ImmutableArray<SigningService> Services(StrictJson json, JsonElement root, string name)
    {
        var services = ImmutableArray.CreateBuilder<SigningService>();
        foreach (var element in json.OptionalArray(root, name, string.Empty, MaxServices))
        {
            var path = $"{name}[{services.Count}]";
            var service = json.RequireObject(element, path);
            var url = json.RequiredString(service, "url", path);
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw json.Error(path + ".url", $"'{url}' is not an http or https URL");
            }

            var version = json.RequiredInt64(service, "majorApiVersion", path);
            var validPath = path + ".validFor";
            ValidityWindow window;
            if (StrictJson.TryGet(service, "validFor", out var validFor))
            {
                var range = json.RequireObject(validFor, validPath);
                window = new ValidityWindow(json.OptionalTime(range, "start", validPath), json.OptionalTime(range, "end", validPath));
            }
            else
            {
                throw json.Error(validPath, "is required (a service without a validity window is never selected)");
            }

            services.Add(new SigningService(uri, version is > 0 and <= int.MaxValue ? (int)version : throw json.Error(path + ".majorApiVersion", $"must be a positive version, found {version}"), window, json.OptionalString(service, "operator", path) ?? string.Empty));
        }

        return services.ToImmutable();
    }

    private static (ServiceSelector Selector, int Count) Selector(StrictJson json, JsonElement root, string name)
    {
        if (!StrictJson.TryGet(root, name, out var element))
        {
            return (ServiceSelector.Any, 0);
        }

        var config = json.RequireObject(element, name);
        var selector = json.OptionalString(config, "selector", name) switch
        {
            null or "ANY" => ServiceSelector.Any,
            "ALL" => ServiceSelector.All,
            "EXACT" => ServiceSelector.Exact,
            var other => throw json.Error(name + ".selector", $"is '{other}'; expected ALL, ANY or EXACT"),
        };
        var count = StrictJson.TryGet(config, "count", out _) ? json.RequiredInt64(config, "count", name) : 0;
        return selector == ServiceSelector.Exact && count is < 1 or > MaxServices
            ? throw json.Error(name + ".count", $"must be 1 to {MaxServices} with the EXACT selector, found {count}")
            : (selector, (int)count);
    }
}
