using System.Collections.Immutable;
using System.Text.Json;
using Signet.Oci;
using Signet.Oci.Json;

namespace Signet.Crypto.InToto;

/// <summary>
/// An in-toto Statement, v1 (attestation <c>spec/v1/statement.md</c>) or v0.1 (what cosign's legacy <c>.att</c>
/// attestations carry): <c>_type</c>, <c>subject</c>, <c>predicateType</c> and <c>predicate</c>, the predicate kept as
/// its exact JSON bytes. <see cref="Raw"/> holds the statement's exact bytes (the DSSE payload).
/// </summary>
public sealed record InTotoStatement
{
    public const string V1Type = "https://in-toto.io/Statement/v1";
    public const string V01Type = "https://in-toto.io/Statement/v0.1";

    /// <summary>Largest statement read: the DSSE payload cap.</summary>
    public const int DefaultMaxBytes = 16 * 1024 * 1024;

    /// <summary>Most subjects read from one statement.</summary>
    public const int MaxSubjects = 10_000;

    /// <summary>Most digest entries read from one subject.</summary>
    public const int MaxDigestEntries = 64;

    /// <summary>The <c>_type</c>: <see cref="V1Type"/> or <see cref="V01Type"/>.</summary>
    public required string Type { get; init; }

    public required ImmutableArray<InTotoSubject> Subjects { get; init; }

    public required string PredicateType { get; init; }

    /// <summary>The <c>predicate</c> object's exact JSON bytes, or null when absent (it is optional in v1).</summary>
    public ReadOnlyMemory<byte>? Predicate { get; init; }

    public required ReadOnlyMemory<byte> Raw { get; init; }

    public bool IsV1 => Type == V1Type;

    /// <summary>True when a subject lists <paramref name="digest"/> (cosign's <c>IntotoSubjectClaimVerifier</c>; sigstore-go's artifact digest check).</summary>
    public bool HasSubject(Digest digest) => Subjects.Any(subject => subject.Matches(digest));

    /// <summary>Parses a statement; throws <see cref="InTotoFormatException"/> for anything malformed or over a limit.</summary>
    public static InTotoStatement Parse(ReadOnlyMemory<byte> raw, int maxBytes = DefaultMaxBytes)
    {
        if (raw.Length > maxBytes)
        {
            throw new InTotoFormatException($"in-toto statement is {raw.Length} bytes; at most {maxBytes} are accepted");
        }

        var json = new StrictJson("in-toto statement", static (message, inner) => new InTotoFormatException(message, inner));
        using var document = json.Parse(raw);
        var root = json.RequireObject(document.RootElement, "$");
        var type = json.RequiredString(root, "_type", string.Empty);
        if (type is not (V1Type or V01Type))
        {
            throw json.Error("_type", $"is '{type}'; Signet reads statements of type {V1Type} and {V01Type}");
        }

        var predicateType = json.RequiredString(root, "predicateType", string.Empty);
        if (predicateType.Length == 0)
        {
            throw json.Error("predicateType", "is empty");
        }

        ReadOnlyMemory<byte>? predicate = null;
        if (StrictJson.TryGet(root, "predicate", out var predicateElement))
        {
            json.RequireObject(predicateElement, "predicate");
            predicate = StrictJson.RawBytes(predicateElement);
        }

        var items = json.RequiredArray(root, "subject", string.Empty, MaxSubjects);
        var count = items.Length;
        if (count == 0)
        {
            throw json.Error("subject", "is empty; a statement must name at least one subject");
        }

        var subjects = ImmutableArray.CreateBuilder<InTotoSubject>(count);
        var index = 0;
        foreach (var item in items)
        {
            subjects.Add(ReadSubject(json, item, $"subject[{index++}]"));
        }

        return new InTotoStatement
        {
            Type = type,
            Subjects = subjects.MoveToImmutable(),
            PredicateType = predicateType,
            Predicate = predicate,
            Raw = raw,
        };
    }

    /// <summary>
    /// Builds a statement and writes it: v1 in the order cosign v3's protojson writes it (<c>_type</c>, <c>subject</c>,
    /// <c>predicateType</c>, <c>predicate</c>); v0.1 in in-toto-golang's struct order (<c>_type</c>,
    /// <c>predicateType</c>, <c>subject</c>, <c>predicate</c>). <paramref name="predicateType"/> may be a cosign short
    /// name; <paramref name="predicate"/> must be a JSON object and is embedded byte for byte.
    /// </summary>
    public static InTotoStatement Create(
        IEnumerable<InTotoSubject> subjects,
        string predicateType,
        ReadOnlyMemory<byte>? predicate,
        string type = V1Type)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        if (type is not (V1Type or V01Type))
        {
            throw new ArgumentException($"statement type must be {V1Type} or {V01Type}", nameof(type));
        }

        var uri = PredicateTypes.Resolve(predicateType);
        var list = subjects.ToImmutableArray();
        if (list.IsEmpty)
        {
            throw new ArgumentException("a statement needs at least one subject", nameof(subjects));
        }

        foreach (var subject in list)
        {
            if (subject.Digest.IsEmpty)
            {
                throw new ArgumentException("every subject needs at least one digest", nameof(subjects));
            }
        }

        if (predicate is { } body)
        {
            RequireObject(body, nameof(predicate));
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Compact))
        {
            writer.WriteStartObject();
            writer.WriteString("_type", type);
            if (type == V01Type)
            {
                writer.WriteString("predicateType", uri);
                WriteSubjects(writer, list);
            }
            else
            {
                WriteSubjects(writer, list);
                writer.WriteString("predicateType", uri);
            }

            if (predicate is { } value)
            {
                writer.WritePropertyName("predicate");
                writer.WriteRawValue(value.Span, skipInputValidation: false);
            }

            writer.WriteEndObject();
        }

        var raw = buffer.WrittenSpan.ToArray();
        return Parse(raw);
    }

    /// <summary>What <c>cosign sign</c> (v3, new bundle format) signs for an image: a v1 statement with the image digest as subject and predicate <c>{}</c>.</summary>
    public static InTotoStatement ForImageSignature(Digest imageDigest, IEnumerable<KeyValuePair<string, string>>? annotations = null) =>
        Create([InTotoSubject.For(imageDigest, name: null, annotations)], PredicateTypes.CosignSign, "{}"u8.ToArray());

    private static void WriteSubjects(Utf8JsonWriter writer, ImmutableArray<InTotoSubject> subjects)
    {
        writer.WriteStartArray("subject");
        foreach (var subject in subjects)
        {
            writer.WriteStartObject();
            if (!string.IsNullOrEmpty(subject.Name))
            {
                writer.WriteString("name", subject.Name);
            }

            writer.WriteStartObject("digest");
            foreach (var (algorithm, value) in subject.Digest)
            {
                writer.WriteString(algorithm, value);
            }

            writer.WriteEndObject();
            if (subject.Annotations is { } annotations)
            {
                RequireObject(annotations, nameof(subject.Annotations));
                writer.WritePropertyName("annotations");
                writer.WriteRawValue(annotations.Span, skipInputValidation: false);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void RequireObject(ReadOnlyMemory<byte> json, string parameter)
    {
        try
        {
            using var document = JsonDocument.Parse(json, StrictJson.Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"{parameter} must be a JSON object", parameter);
            }
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{parameter} is not valid JSON: {e.Message}", parameter, e);
        }
    }

    private static InTotoSubject ReadSubject(StrictJson json, JsonElement item, string path)
    {
        json.RequireObject(item, path);
        var name = json.OptionalString(item, "name", path);
        if (!StrictJson.TryGet(item, "digest", out var digestElement))
        {
            throw json.Error(StrictJson.Join(path, "digest"), "is required");
        }

        var digestPath = StrictJson.Join(path, "digest");
        json.RequireObject(digestElement, digestPath);
        var digest = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var property in digestElement.EnumerateObject())
        {
            if (digest.Count >= MaxDigestEntries)
            {
                throw json.Error(digestPath, $"has more than {MaxDigestEntries} entries");
            }

            var algorithm = json.PropertyName(property, digestPath);
            var entryPath = $"{digestPath}.{algorithm}";
            digest[algorithm] = property.Value.ValueKind == JsonValueKind.String
                ? json.Text(property.Value, entryPath)
                : throw json.Error(entryPath, $"must be a string, found {StrictJson.Describe(property.Value)}");
        }

        if (digest.Count == 0)
        {
            throw json.Error(digestPath, "is empty; each subject must have a digest");
        }

        ReadOnlyMemory<byte>? annotations = null;
        if (StrictJson.TryGet(item, "annotations", out var annotationsElement))
        {
            json.RequireObject(annotationsElement, StrictJson.Join(path, "annotations"));
            annotations = StrictJson.RawBytes(annotationsElement);
        }

        return new InTotoSubject { Name = name, Digest = digest.ToImmutable(), Annotations = annotations };
    }
}
