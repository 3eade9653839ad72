using System.Collections.Immutable;
using System.Text.Json;
using Signet.Oci;
using Signet.Oci.Json;

namespace Signet.Crypto.InToto;

/// <summary>
/// One statement subject: an in-toto ResourceDescriptor reduced to what Signet reads (attestation
/// <c>spec/v1/resource_descriptor.md</c>): optional <c>name</c>, required <c>digest</c> map (algorithm to hex), and
/// <c>annotations</c> kept as their exact JSON object bytes.
/// </summary>
public sealed record InTotoSubject
{
    public string? Name { get; init; }

    /// <summary>Algorithm name (<c>sha256</c>, <c>sha512</c>, <c>gitCommit</c>…) to its encoded value, sorted by algorithm.</summary>
    public required ImmutableSortedDictionary<string, string> Digest { get; init; }

    /// <summary>The <c>annotations</c> object's exact JSON bytes, or null when absent.</summary>
    public ReadOnlyMemory<byte>? Annotations { get; init; }

    /// <summary>True when this subject lists <paramref name="digest"/>'s algorithm with the same hash (hex compared case-insensitively).</summary>
    public bool Matches(Digest digest) =>
        digest.Encoded is not null
        && Digest.TryGetValue(digest.Algorithm, out var value)
        && string.Equals(value, digest.Encoded, StringComparison.OrdinalIgnoreCase);

    /// <summary>A subject for an OCI digest.</summary>
    public static InTotoSubject For(Digest digest, string? name = null, IEnumerable<KeyValuePair<string, string>>? annotations = null) => new()
    {
        Name = name,
        Digest = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>(digest.Algorithm, digest.Encoded)]),
        Annotations = annotations is null ? (ReadOnlyMemory<byte>?)null : StringAnnotations(annotations),
    };

    /// <summary>An annotations object of string values, keys sorted (as Go's protojson writes a Struct).</summary>
    public static ReadOnlyMemory<byte> StringAnnotations(IEnumerable<KeyValuePair<string, string>> annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterDefaults.Compact))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in annotations.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
