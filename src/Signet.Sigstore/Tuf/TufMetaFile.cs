using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using Signet.Oci.Json;

namespace Signet.Sigstore.Tuf;

/// <summary>A <c>meta</c> entry of timestamp or snapshot: the version of a metadata file, and optionally its length and hashes.</summary>
public sealed record TufMetaFile(long Version, long? Length, ImmutableSortedDictionary<string, string> Hashes)
{
    internal static TufMetaFile Parse(StrictJson json, JsonElement element, string path)
    {
        json.RequireObject(element, path);
        var version = json.RequiredInt64(element, "version", path);
        if (version < 1)
        {
            throw json.Error($"{path}.version", $"must be at least 1, found {version}");
        }

        return new TufMetaFile(version, TufHashes.ParseLength(json, element, path, required: false), TufHashes.ParseHashes(json, element, path, required: false));
    }

    /// <summary>Checks <paramref name="data"/> against the length and hashes, when given.</summary>
    public void Verify(ReadOnlySpan<byte> data, string what) => TufHashes.Verify(data, Length, Hashes, what);
}

/// <summary>A target file as targets metadata describes it: path, length and hashes (custom fields are ignored).</summary>
public sealed record TufTargetFile(string Path, long Length, ImmutableSortedDictionary<string, string> Hashes)
{
    internal static TufTargetFile Parse(StrictJson json, string targetPath, JsonElement element, string path)
    {
        json.RequireObject(element, path);
        var length = TufHashes.ParseLength(json, element, path, required: true)!.Value;
        return new TufTargetFile(targetPath, length, TufHashes.ParseHashes(json, element, path, required: true));
    }

    /// <summary>Checks <paramref name="data"/> against the length and every hash.</summary>
    public void Verify(ReadOnlySpan<byte> data) => TufHashes.Verify(data, Length, Hashes, $"target '{Path}'");
}

/// <summary>Length and hash checks shared by metadata files and targets.</summary>
internal static class TufHashes
{
    public static long? ParseLength(StrictJson json, JsonElement element, string path, bool required)
    {
        if (!StrictJson.TryGet(element, "length", out _))
        {
            return required ? throw json.Error($"{path}.length", "is required") : null;
        }

        var length = json.RequiredInt64(element, "length", path);
        return length >= 0 ? length : throw json.Error($"{path}.length", $"must not be negative, found {length}");
    }

    public static ImmutableSortedDictionary<string, string> ParseHashes(StrictJson json, JsonElement element, string path, bool required)
    {
        if (!StrictJson.TryGet(element, "hashes", out _))
        {
            return required ? throw json.Error($"{path}.hashes", "is required") : ImmutableSortedDictionary<string, string>.Empty;
        }

        var hashes = json.OptionalStringMap(element, "hashes", path);
        return hashes.Count > 0 ? hashes : throw json.Error($"{path}.hashes", "must name at least one hash");
    }

    /// <summary>Every listed hash must be known and match; an unknown algorithm fails (it cannot be checked).</summary>
    public static void Verify(ReadOnlySpan<byte> data, long? length, IReadOnlyDictionary<string, string> hashes, string what)
    {
        if (length is { } expected && data.Length != expected)
        {
            throw new TufException(TufCodes.HashMismatch, $"{what}: length is {data.Length} bytes, metadata says {expected}", null);
        }

        foreach (var (algorithm, hex) in hashes)
        {
            byte[] actual = algorithm switch
            {
                "sha256" => SHA256.HashData(data),
                "sha384" => SHA384.HashData(data),
                "sha512" => SHA512.HashData(data),
                _ => throw new TufException(TufCodes.HashMismatch, $"{what}: hash algorithm '{algorithm}' is not supported (sha256, sha384, sha512), so the file cannot be checked", null),
            };
            if (!string.Equals(Convert.ToHexStringLower(actual), hex, StringComparison.OrdinalIgnoreCase))
            {
                throw new TufException(TufCodes.HashMismatch, $"{what}: {algorithm} is {Convert.ToHexStringLower(actual)}, metadata says {hex}", null);
            }
        }
    }
}
