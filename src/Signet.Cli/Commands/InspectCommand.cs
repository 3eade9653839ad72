using System.CommandLine;
using System.Text.Json;
using Signet.Cli.Output;
using Signet.Images.Transports;
using Signet.Oci;
using Signet.Oci.Content;
using Spectre.Console;

namespace Signet.Cli.Commands;

/// <summary><c>signet inspect IMAGE</c>.</summary>
internal static class InspectCommand
{
    private static readonly Argument<string> Image = new("image") { Description = "The image (any transport)." };

    private static readonly Option<bool> Raw = new("--raw")
    {
        Description = "Print the root manifest or index exactly as stored (the bytes its digest is computed over).",
    };

    public static Command Create()
    {
        var command = new Command(
            "inspect",
            "Show an image: its digest and media type, the platforms of an index, the chosen platform's config and layers " +
            "(with DiffIDs and the history that made them), and its referrers.")
        {
            Image, CommonOptions.Platform, Raw, CommonOptions.Output,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var name = ImageName.Parse(result.GetValue(Image)!);
        using var transports = await CommonOptions.TransportsAsync(result, [name], cancellationToken).ConfigureAwait(false);
        await using var source = await transports.OpenSourceAsync(name, cancellationToken).ConfigureAwait(false);
        var root = await source.GetRootManifestAsync(cancellationToken).ConfigureAwait(false);
        if (result.GetValue(Raw))
        {
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(root.Raw.Span);
            return ExitCodes.Success;
        }

        var manifest = root as ImageManifest;
        if (root is ImageIndex index)
        {
            var selection = CommonOptions.Platforms(result);
            var chosen = selection.Select(index, source.Name)[0];
            manifest = await source.GetManifestAsync(chosen, cancellationToken).ConfigureAwait(false) as ImageManifest;
        }

        ImageConfig? config = null;
        if (manifest is not null && manifest.Config.MediaType is MediaTypes.OciConfig or MediaTypes.DockerConfig)
        {
            await using var stream = await source.OpenBlobAsync(manifest.Config, cancellationToken).ConfigureAwait(false);
            var raw = await BlobReader.ReadVerifiedAsync(stream, manifest.Config, ManifestParser.MaxConfigBytes, "config", source.Name, cancellationToken).ConfigureAwait(false);
            config = ManifestParser.ParseConfig(raw, source.Name);
        }

        var referrers = new List<Descriptor>();
        await foreach (var referrer in source.GetReferrersAsync(root.Digest, cancellationToken).ConfigureAwait(false))
        {
            referrers.Add(referrer);
        }

        var view = new ImageView(name.Original, root, manifest, config, referrers);
        if (result.GetValue(CommonOptions.Output) == OutputFormat.Json)
        {
            JsonOutput.Emit(view.WriteJson);
        }
        else
        {
            view.WriteTable();
        }

        return ExitCodes.Success;
    }

    private sealed record ImageView(string Name, ManifestDocument Root, ImageManifest? Manifest, ImageConfig? Config, IReadOnlyList<Descriptor> Referrers)
    {
        private IEnumerable<(Descriptor Layer, Digest? DiffId, string? CreatedBy)> Layers()
        {
            if (Manifest is null)
            {
                yield break;
            }

            var history = Config?.History.Where(h => !h.EmptyLayer).ToList() ?? [];
            for (var i = 0; i < Manifest.Layers.Length; i++)
            {
                var diffId = Config is { } c && i < c.DiffIds.Length ? c.DiffIds[i] : (Digest?)null;
                yield return (Manifest.Layers[i], diffId, i < history.Count ? history[i].CreatedBy : null);
            }
        }

        public void WriteJson(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteString("name", Name);
            writer.WriteString("digest", Root.Digest.ToString());
            writer.WriteString("mediaType", Root.MediaType);
            writer.WriteNumber("size", Root.Raw.Length);
            if (Root is ImageIndex index)
            {
                writer.WriteStartArray("manifests");
                foreach (var entry in index.Manifests)
                {
                    writer.WriteStartObject();
                    writer.WriteString("digest", entry.Digest.ToString());
                    writer.WriteString("mediaType", entry.MediaType);
                    writer.WriteNumber("size", entry.Size);
                    JsonOutput.WriteOptional(writer, "platform", entry.Platform?.ToString());
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            if (Manifest is not null)
            {
                writer.WriteString("manifestDigest", Manifest.Digest.ToString());
                writer.WriteStartObject("config");
                writer.WriteString("digest", Manifest.Config.Digest.ToString());
                writer.WriteString("mediaType", Manifest.Config.MediaType);
                writer.WriteNumber("size", Manifest.Config.Size);
                if (Config is not null)
                {
                    JsonOutput.WriteOptional(writer, "platform", Config.Platform?.ToString());
                    JsonOutput.WriteOptional(writer, "created", Config.Created?.ToString("O"));
                    WriteStrings(writer, "env", Config.Env);
                    WriteStrings(writer, "entrypoint", Config.Entrypoint);
                    WriteStrings(writer, "cmd", Config.Cmd);
                    writer.WriteStartObject("labels");
                    foreach (var (key, value) in Config.Labels)
                    {
                        writer.WriteString(key, value);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteStartArray("layers");
                foreach (var (layer, diffId, createdBy) in Layers())
                {
                    writer.WriteStartObject();
                    writer.WriteString("digest", layer.Digest.ToString());
                    writer.WriteString("mediaType", layer.MediaType);
                    writer.WriteNumber("size", layer.Size);
                    JsonOutput.WriteDigest(writer, "diffId", diffId);
                    JsonOutput.WriteOptional(writer, "createdBy", createdBy);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteStartArray("referrers");
            foreach (var referrer in Referrers)
            {
                writer.WriteStartObject();
                writer.WriteString("digest", referrer.Digest.ToString());
                writer.WriteString("mediaType", referrer.MediaType);
                writer.WriteNumber("size", referrer.Size);
                JsonOutput.WriteOptional(writer, "artifactType", referrer.ArtifactType);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
        {
            writer.WriteStartArray(name);
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        public void WriteTable()
        {
            var console = Terminal.Out;
            var summary = new Grid().AddColumn().AddColumn();
            summary.AddRow("image", Markup.Escape(Name));
            summary.AddRow("digest", Root.Digest.ToString());
            summary.AddRow("media type", Markup.Escape(Root.MediaType));
            if (Manifest is not null && Manifest.Digest != Root.Digest)
            {
                summary.AddRow("platform manifest", Manifest.Digest.ToString());
            }

            if (Config is not null)
            {
                summary.AddRow("platform", Markup.Escape(Config.Platform?.ToString() ?? "-"));
                summary.AddRow("created", Config.Created?.ToString("u") ?? "-");
                summary.AddRow("cmd", Markup.Escape(string.Join(' ', Config.Entrypoint.Concat(Config.Cmd))));
            }

            console.Write(summary);
            if (Root is ImageIndex index)
            {
                var platforms = new Table().Border(TableBorder.Simple).AddColumn("platform").AddColumn("digest").AddColumn("media type");
                foreach (var entry in index.Manifests)
                {
                    platforms.AddRow(Markup.Escape(entry.Platform?.ToString() ?? "-"), entry.Digest.ToString(), Markup.Escape(entry.MediaType));
                }

                console.Write(platforms);
            }

            var layers = new Table().Border(TableBorder.Simple).AddColumn("#").AddColumn("layer digest").AddColumn(new TableColumn("size").RightAligned()).AddColumn("created by");
            var n = 0;
            foreach (var (layer, _, createdBy) in Layers())
            {
                layers.AddRow((n++).ToString(System.Globalization.CultureInfo.InvariantCulture), layer.Digest.ToString(), Terminal.Bytes(layer.Size), Markup.Escape(Truncate(createdBy ?? "-", 60)));
            }

            console.Write(layers);
            Terminal.Line(Referrers.Count == 0 ? "referrers: none" : $"referrers: {Referrers.Count}");
            foreach (var referrer in Referrers)
            {
                Terminal.Line($"  {referrer.Digest} {Markup.Escape(referrer.ArtifactType ?? referrer.MediaType)}");
            }
        }

        private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
    }
}
