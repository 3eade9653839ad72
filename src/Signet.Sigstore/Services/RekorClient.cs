using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using Signet.Oci.Json;
using Signet.Sigstore.Bundles;

namespace Signet.Sigstore.Services;

/// <summary>A Rekor v1 entry as the log returned it: its UUID and the bundle form of the entry.</summary>
public sealed record RekorLogEntry(string Uuid, TransparencyLogEntry Entry);

/// <summary>
/// Rekor's v1 API: <c>POST /api/v1/log/entries</c> with a proposed entry (<see cref="RekorEntries"/>); the answer is
/// turned into a bundle <see cref="TransparencyLogEntry"/> with the canonicalized body, integrated time, log id and
/// index, the inclusion proof with its checkpoint, and the signed entry timestamp (inclusion promise).
/// </summary>
public sealed class RekorClient
{
    /// <summary>Most audit-path hashes accepted (a log of 2^64 entries needs 64).</summary>
    public const int MaxProofHashes = 64;

    private readonly ServiceEndpoint _endpoint;

    /// <param name="http">Owned by the caller.</param>
    /// <param name="baseUrl">The Rekor deployment, e.g. https://rekor.sigstore.dev.</param>
    /// <param name="options">Timeout and answer size; <see cref="ServiceOptions.Default"/> when null.</param>
    public RekorClient(HttpClient http, Uri baseUrl, ServiceOptions? options = null)
    {
        _endpoint = new ServiceEndpoint(http, "Rekor", baseUrl, "/api/v1/log/entries", options);
    }

    /// <summary>The endpoint called.</summary>
    public Uri Url => _endpoint.Url;

    /// <summary>Uploads a proposed entry; the log must store an entry of the same kind.</summary>
    public async Task<RekorLogEntry> CreateEntryAsync(ProposedEntry proposed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        var answer = await _endpoint.PostAsync(proposed.Json.ToArray(), "application/json", "application/json", cancellationToken).ConfigureAwait(false);
        return ParseResponse(answer, proposed.Kind, Url);
    }

    /// <summary>Reads Rekor's <c>LogEntry</c> answer: an object with exactly one member, the entry's UUID.</summary>
    internal static RekorLogEntry ParseResponse(ReadOnlyMemory<byte> answer, string expectedKind, Uri url)
    {
        var json = new StrictJson($"Rekor answer from {url}", (message, inner) => new SigstoreServiceException(message, url, null, inner));
        using var document = json.Parse(answer);
        var root = json.RequireObject(document.RootElement, string.Empty);
        var members = root.EnumerateObject().Take(2).ToList();
        if (members.Count != 1)
        {
            throw new SigstoreServiceException($"Rekor answer from {url} holds {(members.Count == 0 ? "no entry" : "more than one entry")}; exactly one was expected", url, null);
        }

        var uuid = json.PropertyName(members[0], string.Empty);
        var entry = json.RequireObject(members[0].Value, uuid);
        var body = json.Base64(json.RequiredString(entry, "body", uuid), uuid + ".body");
        var logId = Hex(json, json.RequiredString(entry, "logID", uuid), uuid + ".logID");
        var integratedTime = json.RequiredInt64(entry, "integratedTime", uuid);
        var logIndex = json.RequiredInt64(entry, "logIndex", uuid);
        var verificationPath = uuid + ".verification";
        if (!StrictJson.TryGet(entry, "verification", out var verificationElement))
        {
            throw json.Error(verificationPath, "is missing: the log returned neither an inclusion proof nor a signed entry timestamp");
        }

        var verification = json.RequireObject(verificationElement, verificationPath);
        var set = json.OptionalString(verification, "signedEntryTimestamp", verificationPath) is { } setText
            ? json.Base64(setText, verificationPath + ".signedEntryTimestamp")
            : null;
        var proofPath = verificationPath + ".inclusionProof";
        InclusionProof? proof = null;
        if (StrictJson.TryGet(verification, "inclusionProof", out var proofElement))
        {
            var proofObject = json.RequireObject(proofElement, proofPath);
            var hashes = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>();
            foreach (var hash in json.OptionalArray(proofObject, "hashes", proofPath, MaxProofHashes))
            {
                var hashPath = $"{proofPath}.hashes[{hashes.Count}]";
                hashes.Add(Hex(json, hash.ValueKind == JsonValueKind.String ? json.Text(hash, hashPath) : throw json.Error(hashPath, "must be a hex string"), hashPath));
            }

            proof = new InclusionProof
            {
                LogIndex = json.RequiredInt64(proofObject, "logIndex", proofPath),
                TreeSize = json.RequiredInt64(proofObject, "treeSize", proofPath),
                RootHash = Hex(json, json.RequiredString(proofObject, "rootHash", proofPath), proofPath + ".rootHash"),
                Hashes = hashes.ToImmutable(),
                Checkpoint = json.OptionalString(proofObject, "checkpoint", proofPath),
            };
        }

        return new RekorLogEntry(uuid, new TransparencyLogEntry
        {
            LogIndex = logIndex,
            LogKeyId = logId,
            KindVersion = KindOf(body, expectedKind, url),
            IntegratedTime = integratedTime,
            SignedEntryTimestamp = set,
            InclusionProof = proof,
            CanonicalizedBody = body,
        });
    }

    /// <summary>The <c>kind</c> and <c>apiVersion</c> of the stored body, which must be the kind proposed.</summary>
    private static KindVersion KindOf(byte[] body, string expectedKind, Uri url)
    {
        var json = new StrictJson($"Rekor entry body from {url}", (message, inner) => new SigstoreServiceException(message, url, null, inner));
        using var document = json.Parse(body);
        var root = json.RequireObject(document.RootElement, string.Empty);
        var kind = json.RequiredString(root, "kind", string.Empty);
        var version = json.RequiredString(root, "apiVersion", string.Empty);
        return kind == expectedKind
            ? new KindVersion { Kind = kind, Version = version }
            : throw json.Error("kind", $"is '{kind}' but a '{expectedKind}' entry was uploaded");
    }

    private static byte[] Hex(StrictJson json, string text, string path)
    {
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException e)
        {
            throw new SigstoreServiceException(json.Error(path, "is not hexadecimal").Message, e);
        }
    }
}

/// <summary>A Rekor v1 proposed entry: its JSON and its kind.</summary>
public sealed record ProposedEntry(string Kind, ReadOnlyMemory<byte> Json);

/// <summary>The proposed entries Signet uploads (rekor <c>pkg/types</c>): hashedrekord 0.0.1 and dsse 0.0.1.</summary>
public static class RekorEntries
{
    public const string HashedRekord = "hashedrekord";
    public const string Dsse = "dsse";

    /// <summary>
    /// A <c>hashedrekord</c> 0.0.1 entry: the SHA-256 digest of the signed message, the signature and the verifier
    /// (certificate or public key) as base64 of its PEM.
    /// </summary>
    public static ProposedEntry HashedRekordV001(ReadOnlySpan<byte> sha256, ReadOnlySpan<byte> signature, string verifierPem)
    {
        ArgumentNullException.ThrowIfNull(verifierPem);
        if (sha256.Length != 32)
        {
            throw new ArgumentException($"a hashedrekord entry needs a SHA-256 digest of 32 bytes, not {sha256.Length}", nameof(sha256));
        }

        var digest = Convert.ToHexStringLower(sha256);
        var content = Convert.ToBase64String(signature);
        return new ProposedEntry(HashedRekord, Write(writer =>
        {
            writer.WriteString("apiVersion", "0.0.1");
            writer.WriteString("kind", HashedRekord);
            writer.WriteStartObject("spec");
            writer.WriteStartObject("data");
            writer.WriteStartObject("hash");
            writer.WriteString("algorithm", "sha256");
            writer.WriteString("value", digest);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteStartObject("signature");
            writer.WriteString("content", content);
            writer.WriteStartObject("publicKey");
            writer.WriteString("content", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(verifierPem)));
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }));
    }

    /// <summary>A <c>dsse</c> 0.0.1 entry: the envelope JSON (as a string) and the verifier as base64 of its PEM.</summary>
    public static ProposedEntry DsseV001(ReadOnlySpan<byte> envelopeJson, string verifierPem)
    {
        ArgumentNullException.ThrowIfNull(verifierPem);
        var envelope = System.Text.Encoding.UTF8.GetString(envelopeJson);
        return new ProposedEntry(Dsse, Write(writer =>
        {
            writer.WriteString("apiVersion", "0.0.1");
            writer.WriteString("kind", Dsse);
            writer.WriteStartObject("spec");
            writer.WriteStartObject("proposedContent");
            writer.WriteString("envelope", envelope);
            writer.WriteStartArray("verifiers");
            writer.WriteStringValue(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(verifierPem)));
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }));
    }

    private static byte[] Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Compact))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
