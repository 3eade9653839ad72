using System.Collections.Immutable;
using Signet.Oci.Json;

namespace Signet.Oci.Archives;

/// <summary>One entry of a docker-archive's <c>manifest.json</c> (docker save format, image spec v1.2 "combined image JSON").</summary>
internal sealed record DockerArchiveManifest
{
    public const string FileName = "manifest.json";

    public required string Config { get; init; }

    public required ImmutableArray<string> RepoTags { get; init; }

    public required ImmutableArray<string> Layers { get; init; }

    public static ImmutableArray<DockerArchiveManifest> Parse(ReadOnlyMemory<byte> raw, string where)
    {
        var name = $"{where}/{FileName}";
        var fields = JsonFields.For(name);
        using var document = fields.Parse(raw);
        if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Array)
        {
            throw new OciFormatException($"{name} must be a JSON array of images");
        }

        var length = document.RootElement.GetArrayLength();
        if (length > StrictJson.DefaultMaxItems)
        {
            throw new OciFormatException($"{name} lists {length} images; at most {StrictJson.DefaultMaxItems} are accepted");
        }

        var builder = ImmutableArray.CreateBuilder<DockerArchiveManifest>(length);
        var i = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var path = $"[{i++}]";
            fields.RequireObject(element, path);
            builder.Add(new DockerArchiveManifest
            {
                Config = fields.RequiredString(element, "Config", path),
                RepoTags = fields.OptionalStringArray(element, "RepoTags", path),
                Layers = fields.OptionalStringArray(element, "Layers", path),
            });
        }

        return builder.MoveToImmutable();
    }
}
