using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Signet.Cli.Tests;

/// <summary>
/// Edits a copy of an OCI layout the way an attacker or a broken tool would, keeping every digest above the edit
/// consistent (a changed config gets a new digest in the manifest, a changed manifest a new one in index.json), so
/// that exactly one check fails.
/// </summary>
internal sealed class LayoutEditor(string directory)
{
    public string Directory { get; } = directory;

    private string IndexFile => Path.Combine(Directory, "index.json");

    public JsonObject Manifest => (JsonObject)JsonNode.Parse(ReadBlob(RootDescriptor["digest"]!.GetValue<string>()))!;

    public JsonObject Config => (JsonObject)JsonNode.Parse(ReadBlob(Manifest["config"]!["digest"]!.GetValue<string>()))!;

    private JsonObject RootDescriptor => (JsonObject)JsonNode.Parse(File.ReadAllText(IndexFile))!["manifests"]![0]!;

    /// <summary>Replaces the config (its descriptor in the manifest follows).</summary>
    public void SetConfig(byte[] config)
    {
        var manifest = Manifest;
        var digest = WriteBlob(config);
        manifest["config"]!["digest"] = digest;
        manifest["config"]!["size"] = config.Length;
        SetManifest(manifest);
    }

    public void SetConfig(JsonObject config) => SetConfig(Encoding.UTF8.GetBytes(config.ToJsonString()));

    /// <summary>Replaces layer <paramref name="index"/>'s blob (its descriptor follows; the config's DiffID does not).</summary>
    public void SetLayer(int index, byte[] content)
    {
        var manifest = Manifest;
        manifest["layers"]![index]!["digest"] = WriteBlob(content);
        manifest["layers"]![index]!["size"] = content.Length;
        SetManifest(manifest);
    }

    /// <summary>Replaces the image manifest (index.json follows).</summary>
    public void SetManifest(JsonObject manifest)
    {
        var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        SetRoot(WriteBlob(bytes), bytes.Length, RootDescriptor["mediaType"]!.GetValue<string>());
    }

    /// <summary>Wraps the manifest in an image index that offers it only for <paramref name="os"/>/<paramref name="architecture"/>.</summary>
    public void WrapInIndex(string os, string architecture)
    {
        var root = RootDescriptor;
        var entry = new JsonObject
        {
            ["mediaType"] = root["mediaType"]!.GetValue<string>(),
            ["digest"] = root["digest"]!.GetValue<string>(),
            ["size"] = root["size"]!.GetValue<long>(),
            ["platform"] = new JsonObject { ["os"] = os, ["architecture"] = architecture },
        };
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = new JsonArray(entry),
        };
        var bytes = Encoding.UTF8.GetBytes(index.ToJsonString());
        SetRoot(WriteBlob(bytes), bytes.Length, "application/vnd.oci.image.index.v1+json");
    }

    public string BlobFile(string digest) => Path.Combine(Directory, "blobs", "sha256", digest["sha256:".Length..]);

    private byte[] ReadBlob(string digest) => File.ReadAllBytes(BlobFile(digest));

    private string WriteBlob(byte[] content)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        File.WriteAllBytes(BlobFile(digest), content);
        return digest;
    }

    private void SetRoot(string digest, long size, string mediaType)
    {
        var index = (JsonObject)JsonNode.Parse(File.ReadAllText(IndexFile))!;
        var root = (JsonObject)index["manifests"]![0]!;
        root["digest"] = digest;
        root["size"] = size;
        root["mediaType"] = mediaType;
        File.WriteAllText(IndexFile, index.ToJsonString());
    }
}
