using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Signet.Signing.Discovery;
using Signet.Signing.Signatures;
using Signet.Signing.Verification;
using Spectre.Console;

namespace Signet.Cli.Output;

/// <summary>Output of the signing commands, as tables or JSON (field names are part of the interface: add, never rename).</summary>
internal static class SignatureOutput
{
    public static void Write(ImmutableArray<(string Image, SignedManifest Signed)> written, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            JsonOutput.Emit(writer =>
            {
                writer.WriteStartArray();
                foreach (var (image, signed) in written)
                {
                    writer.WriteStartObject();
                    writer.WriteString("image", image);
                    writer.WriteString("digest", signed.Image.ToString());
                    writer.WriteString("format", signed.Format.ToString().ToLowerInvariant());
                    writer.WriteString("location", signed.Location);
                    writer.WriteString("layer", signed.Layer.ToString());
                    writer.WriteBoolean("appended", signed.Appended);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            });
            return;
        }

        foreach (var (image, signed) in written)
        {
            var verb = signed.Appended ? "signed" : "already signed";
            Terminal.Line(Markup.Escape($"{verb} {image} ({signed.Image}): {signed.Format.ToString().ToLowerInvariant()} {signed.Location}"));
        }
    }

    public static void Write(VerificationReport report, OutputFormat format, bool attestations)
    {
        if (format == OutputFormat.Json)
        {
            JsonOutput.Emit(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("image", report.Image);
                writer.WriteString("digest", report.Digest.ToString());
                writer.WriteBoolean("passed", report.Passed);
                JsonOutput.WriteOptional(writer, "code", report.Code);
                writer.WriteString("message", report.Message);
                writer.WriteNumber("threshold", report.Threshold);
                writer.WriteStartArray("verifiedKeys");
                foreach (var key in report.VerifiedKeys)
                {
                    writer.WriteNumberValue(key);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("signers");
                foreach (var signer in report.Signers)
                {
                    WriteSigner(writer, signer);
                }

                writer.WriteEndArray();
                writer.WriteStartArray(attestations ? "attestations" : "signatures");
                foreach (var check in report.Checks)
                {
                    writer.WriteStartObject();
                    writer.WriteString("format", check.Format.ToString().ToLowerInvariant());
                    writer.WriteString("location", check.Location);
                    JsonOutput.WriteDigest(writer, "blob", check.Blob);
                    writer.WriteBoolean("verified", check.Verified);
                    JsonOutput.WriteOptional(writer, "code", check.Code);
                    writer.WriteString("message", check.Message);
                    if (check.KeyIndex is { } key)
                    {
                        writer.WriteNumber("key", key);
                    }

                    JsonOutput.WriteOptional(writer, "sigstoreCode", check.SigstoreCode);
                    if (check.Signer is { } signer)
                    {
                        writer.WritePropertyName("signer");
                        WriteSigner(writer, signer);
                        writer.WriteStartArray("verifiedTimes");
                        foreach (var time in check.VerifiedTimes)
                        {
                            writer.WriteStartObject();
                            writer.WriteString("time", time.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                            writer.WriteString("authority", time.Authority);
                            writer.WriteEndObject();
                        }

                        writer.WriteEndArray();
                    }

                    JsonOutput.WriteDigest(writer, "signedDigest", check.SignedDigest);
                    JsonOutput.WriteOptional(writer, "predicateType", check.Statement?.PredicateType);
                    if (check.Verified && check.Payload is { } payload)
                    {
                        writer.WritePropertyName(attestations ? "statement" : "payload");
                        writer.WriteRawValue(payload.Span, skipInputValidation: false);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            });
            return;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumn("format").AddColumn("location").AddColumn("result").AddColumn("detail");
        foreach (var check in report.Checks)
        {
            table.AddRow(
                check.Format.ToString().ToLowerInvariant(),
                Markup.Escape(check.Location),
                check.Verified ? "[green]ok[/]" : $"[red]{check.Code}[/]",
                Markup.Escape(check.Message));
        }

        if (report.Checks.Length > 0)
        {
            Terminal.Out.Write(table);
        }

        Terminal.Line(report.Passed
            ? $"[green]verified[/]: {Markup.Escape(report.Message)}"
            : $"[red]{report.Code} verification FAILED[/]: {Markup.Escape(report.Message)}");
    }

    private static void WriteSigner(Utf8JsonWriter writer, SignerIdentity signer)
    {
        writer.WriteStartObject();
        writer.WriteString("subjectAlternativeName", signer.SubjectAlternativeName);
        JsonOutput.WriteOptional(writer, "issuer", signer.Issuer);
        writer.WriteEndObject();
    }

    public static void Write(SignatureTreeReport tree, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            JsonOutput.Emit(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("image", tree.Image);
                writer.WriteString("digest", tree.Digest.ToString());
                writer.WriteStartArray("attachments");
                foreach (var attachment in tree.Attachments)
                {
                    writer.WriteStartObject();
                    writer.WriteString("kind", attachment.Kind.ToString().ToLowerInvariant());
                    writer.WriteString("format", attachment.Format.ToString().ToLowerInvariant());
                    writer.WriteString("location", attachment.Location);
                    writer.WriteString("digest", attachment.Digest.ToString());
                    writer.WriteString("mediaType", attachment.MediaType);
                    JsonOutput.WriteOptional(writer, "predicateType", attachment.PredicateType);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteStartArray("truncations");
                foreach (var truncation in tree.Truncations)
                {
                    writer.WriteStringValue(truncation);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            });
            return;
        }

        Terminal.Line(Markup.Escape($"{tree.Image} ({tree.Digest})"));
        foreach (var group in tree.Attachments.GroupBy(a => a.Kind))
        {
            Terminal.Line(Markup.Escape($"└── {group.Key.ToString().ToLowerInvariant()}s"));
            foreach (var attachment in group)
            {
                var type = attachment.PredicateType is null ? attachment.MediaType : $"{attachment.MediaType} {attachment.PredicateType}";
                Terminal.Line(Markup.Escape($"    └── {attachment.Format.ToString().ToLowerInvariant()} {attachment.Location} {attachment.Digest} {type}"));
            }
        }

        foreach (var truncation in tree.Truncations)
        {
            Terminal.Line($"[yellow]{Markup.Escape(truncation)}[/]");
        }
    }
}
