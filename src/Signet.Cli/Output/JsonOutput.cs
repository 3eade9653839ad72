using System.Text.Encodings.Web;
using System.Text.Json;
using Signet.Images.Copy;
using Signet.Images.Integrity;
using Signet.Oci;

namespace Signet.Cli.Output;

/// <summary>JSON documents on stdout. Field names are part of Signet's interface (docs/cli.md): add, never rename.</summary>
internal static class JsonOutput
{
    // The relaxed encoder keeps '+' (media types), '<', '>' and '&' readable: the output is a JSON document on stdout,
    // never embedded in HTML. Control characters and quotes are still escaped.
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(IntegrityReport report)
    {
        Emit(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("image", report.Image);
            WriteDigest(writer, "digest", report.RootDigest);
            writer.WriteBoolean("passed", report.Passed);
            writer.WriteNumber("bytesRead", report.BytesRead);
            writer.WriteNumber("bytesUncompressed", report.BytesUncompressed);
            writer.WriteNumber("seconds", Math.Round(report.Elapsed.TotalSeconds, 3));
            writer.WriteStartArray("objects");
            foreach (var check in report.Objects.OrderBy(o => o.Kind).ThenBy(o => o.Digest?.ToString(), StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteString("kind", check.Kind.ToString().ToLowerInvariant());
                WriteDigest(writer, "digest", check.Digest);
                WriteOptional(writer, "mediaType", check.MediaType);
                if (check.Size is { } size)
                {
                    writer.WriteNumber("size", size);
                }

                WriteOptional(writer, "platform", check.Platform);
                WriteDigest(writer, "parent", check.Parent);
                WriteDigest(writer, "diffId", check.DiffId);
                WriteDigest(writer, "actualDiffId", check.ActualDiffId);
                if (check.UncompressedSize is { } uncompressed)
                {
                    writer.WriteNumber("uncompressedSize", uncompressed);
                }

                writer.WriteBoolean("passed", check.Passed);
                WriteOptional(writer, "code", check.Code);
                WriteOptional(writer, "message", check.Message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    public static void Write(CopyResult result, string source, string destination)
    {
        Emit(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("source", source);
            writer.WriteString("destination", destination);
            writer.WriteString("digest", result.RootDigest.ToString());
            writer.WriteNumber("manifests", result.Manifests);
            writer.WriteNumber("blobsCopied", result.BlobsCopied);
            writer.WriteNumber("blobsSkipped", result.BlobsSkipped);
            writer.WriteNumber("bytesCopied", result.BytesCopied);
            writer.WriteEndObject();
        });
    }

    public static void Emit(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, Options))
        {
            write(writer);
        }

        stdout.Write("\n"u8);
    }

    public static void WriteDigest(Utf8JsonWriter writer, string name, Digest? digest)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (digest is { } value)
        {
            writer.WriteString(name, value.ToString());
        }
    }

    public static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
