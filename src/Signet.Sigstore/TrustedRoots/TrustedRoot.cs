using System.Collections.Immutable;
using System.Text.Json;
using Signet.Oci.Json;

namespace Signet.Sigstore.TrustedRoots;

/// <summary>
/// A Sigstore <c>trusted_root.json</c> (protobuf-specs <c>dev.sigstore.trustroot.v1.TrustedRoot</c>, v0.1 and v0.2):
/// the Rekor logs, CT logs, Fulcio CAs and timestamp authorities a verifier trusts, each with its validity window.
/// </summary>
public sealed class TrustedRoot
{
    public const int MaxBytes = 4 * 1024 * 1024;

    public static readonly ImmutableArray<string> MediaTypes =
    [
        "application/vnd.dev.sigstore.trustedroot.v0.2+json",
        "application/vnd.dev.sigstore.trustedroot.v0.1+json",
        "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
    ];

    private TrustedRoot(
        string mediaType,
        ImmutableArray<TransparencyLogInstance> tlogs,
        ImmutableArray<TransparencyLogInstance> ctlogs,
        ImmutableArray<CertificateAuthority> certificateAuthorities,
        ImmutableArray<CertificateAuthority> timestampAuthorities)
    {
        MediaType = mediaType;
        Tlogs = tlogs;
        Ctlogs = ctlogs;
        CertificateAuthorities = certificateAuthorities;
        TimestampAuthorities = timestampAuthorities;
    }

    public string MediaType { get; }

    public ImmutableArray<TransparencyLogInstance> Tlogs { get; }

    public ImmutableArray<TransparencyLogInstance> Ctlogs { get; }

    public ImmutableArray<CertificateAuthority> CertificateAuthorities { get; }

    public ImmutableArray<CertificateAuthority> TimestampAuthorities { get; }

    public static TrustedRoot Parse(ReadOnlyMemory<byte> raw)
    {
        if (raw.Length > MaxBytes)
        {
            throw new TrustedRootException($"trusted root is {raw.Length} bytes, more than the {MaxBytes} allowed");
        }

        var json = new StrictJson("trusted root", (message, inner) => new TrustedRootException(message, inner));
        using var document = json.Parse(raw);
        var root = json.RequireObject(document.RootElement, "");
        var mediaType = json.RequiredString(root, "mediaType", "");
        if (!MediaTypes.Contains(mediaType))
        {
            throw json.Error("mediaType", $"'{mediaType}' is not a supported trusted root media type");
        }

        return new TrustedRoot(
            mediaType,
            [.. json.OptionalArray(root, "tlogs", "", 100).Select((e, i) => Log(json, e, $"tlogs[{i}]"))],
            [.. json.OptionalArray(root, "ctlogs", "", 100).Select((e, i) => Log(json, e, $"ctlogs[{i}]"))],
            [.. json.OptionalArray(root, "certificateAuthorities", "", 100).Select((e, i) => Authority(json, e, $"certificateAuthorities[{i}]"))],
            [.. json.OptionalArray(root, "timestampAuthorities", "", 100).Select((e, i) => Authority(json, e, $"timestampAuthorities[{i}]"))]);
    }

    /// <summary>The transparency logs whose log id is <paramref name="keyId"/> (the SHA-256 of the log key).</summary>
    public IEnumerable<TransparencyLogInstance> TlogsByKeyId(ReadOnlySpan<byte> keyId) => ByKeyId(Tlogs, keyId);

    public IEnumerable<TransparencyLogInstance> CtlogsByKeyId(ReadOnlySpan<byte> keyId) => ByKeyId(Ctlogs, keyId);

    /// <summary>The transparency log with this log id whose key was valid at <paramref name="time"/>, or null.</summary>
    public TransparencyLogInstance? FindTlog(ReadOnlySpan<byte> keyId, DateTimeOffset time) =>
        TlogsByKeyId(keyId).FirstOrDefault(l => l.ValidFor.Contains(time));

    public TransparencyLogInstance? FindCtlog(ReadOnlySpan<byte> keyId, DateTimeOffset time) =>
        CtlogsByKeyId(keyId).FirstOrDefault(l => l.ValidFor.Contains(time));

    public IEnumerable<CertificateAuthority> CertificateAuthoritiesValidAt(DateTimeOffset time) =>
        CertificateAuthorities.Where(a => a.ValidFor.Contains(time));

    public IEnumerable<CertificateAuthority> TimestampAuthoritiesValidAt(DateTimeOffset time) =>
        TimestampAuthorities.Where(a => a.ValidFor.Contains(time));

    private static List<TransparencyLogInstance> ByKeyId(ImmutableArray<TransparencyLogInstance> logs, ReadOnlySpan<byte> keyId)
    {
        var found = new List<TransparencyLogInstance>();
        foreach (var log in logs)
        {
            if (log.LogKeyId.Span.SequenceEqual(keyId))
            {
                found.Add(log);
            }
        }

        return found;
    }

    private static TransparencyLogInstance Log(StrictJson json, JsonElement element, string path)
    {
        json.RequireObject(element, path);
        var keyPath = StrictJson.Join(path, "publicKey");
        var key = json.RequireObject(StrictJson.TryGet(element, "publicKey", out var k) ? k : throw json.Error(keyPath, "is required"), keyPath);
        var validFor = Window(json, key, keyPath);
        if (validFor.Start is null)
        {
            // protobuf-specs: a log key's validity must have a start (sigstore-conformance trust-root-tlog-missing-validity-start_fail).
            throw json.Error(StrictJson.Join(keyPath, "validFor.start"), "is required for a log key");
        }

        var idPath = StrictJson.Join(path, "logId");
        var logId = json.RequireObject(StrictJson.TryGet(element, "logId", out var l) ? l : throw json.Error(idPath, "is required"), idPath);
        ReadOnlyMemory<byte>? checkpointKeyId = null;
        if (StrictJson.TryGet(element, "checkpointKeyId", out var c))
        {
            var cPath = StrictJson.Join(path, "checkpointKeyId");
            checkpointKeyId = json.Base64(json.RequiredString(json.RequireObject(c, cPath), "keyId", cPath), StrictJson.Join(cPath, "keyId"));
        }

        return new TransparencyLogInstance(
            json.RequiredString(element, "baseUrl", path),
            json.RequiredString(element, "hashAlgorithm", path),
            json.Base64(json.RequiredString(key, "rawBytes", keyPath), StrictJson.Join(keyPath, "rawBytes")),
            json.RequiredString(key, "keyDetails", keyPath),
            validFor,
            json.Base64(json.RequiredString(logId, "keyId", idPath), StrictJson.Join(idPath, "keyId")),
            checkpointKeyId);
    }

    private static CertificateAuthority Authority(StrictJson json, JsonElement element, string path)
    {
        json.RequireObject(element, path);
        var chainPath = StrictJson.Join(path, "certChain");
        var chain = json.RequireObject(StrictJson.TryGet(element, "certChain", out var c) ? c : throw json.Error(chainPath, "is required"), chainPath);
        var certificates = json.RequiredArray(chain, "certificates", chainPath, 16)
            .Select((e, i) =>
            {
                var certPath = $"{chainPath}.certificates[{i}]";
                return (ReadOnlyMemory<byte>)json.Base64(json.RequiredString(json.RequireObject(e, certPath), "rawBytes", certPath), $"{certPath}.rawBytes");
            })
            .ToImmutableArray();
        if (certificates.IsEmpty)
        {
            throw json.Error(StrictJson.Join(chainPath, "certificates"), "must not be empty");
        }

        return new CertificateAuthority(
            json.OptionalStringMap(element, "subject", path),
            json.OptionalString(element, "uri", path) ?? "",
            certificates,
            Window(json, element, path));
    }

    private static ValidityWindow Window(StrictJson json, JsonElement owner, string path)
    {
        if (!StrictJson.TryGet(owner, "validFor", out var window))
        {
            return new ValidityWindow(null, null);
        }

        var windowPath = StrictJson.Join(path, "validFor");
        json.RequireObject(window, windowPath);
        var start = json.OptionalTime(window, "start", windowPath);
        var end = json.OptionalTime(window, "end", windowPath);
        if (start is not null && end is not null && end < start)
        {
            throw json.Error(windowPath, $"ends ({end:O}) before it starts ({start:O})");
        }

        return new ValidityWindow(start, end);
    }
}
