using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Signet.Registry.Auth;

/// <summary>
/// One Docker <c>config.json</c> or containers <c>auth.json</c>: <c>auths</c> (base64 <c>auth</c> "user:pass",
/// <c>identitytoken</c>, <c>registrytoken</c>), <c>credsStore</c> and <c>credHelpers</c>. Keys may carry a scheme or a
/// path (<c>https://index.docker.io/v1/</c>, <c>quay.io/ns/repo</c>); lookups compare them by <see cref="RegistryHost.Normalize"/>.
/// Unknown members are kept when the file is written back.
/// </summary>
internal sealed class AuthConfigFile
{
    internal const int MaxFileBytes = 1024 * 1024;

    private AuthConfigFile(string path, JsonObject root)
    {
        FilePath = path;
        Root = root;
    }

    public string FilePath { get; }

    public JsonObject Root { get; }

    public string? CredsStore => Root["credsStore"] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    /// <summary>An empty file (for login into a config that does not exist yet).</summary>
    public static AuthConfigFile Empty(string path) => new(path, []);

    /// <summary>Reads the file; null when it does not exist.</summary>
    /// <exception cref="CredentialStoreException">The file is too large or is not a JSON object.</exception>
    public static async Task<AuthConfigFile?> LoadAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return null;
            }

            if (info.Length > MaxFileBytes)
            {
                throw new CredentialStoreException($"credential file {path} is {info.Length} bytes, more than the {MaxFileBytes / 1024} KiB limit; it is not a credential file, remove or fix it");
            }

            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CredentialStoreException($"cannot read credential file {path}: {e.Message}", e);
        }

        return Parse(path, bytes);
    }

    internal static AuthConfigFile Parse(string path, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxFileBytes)
        {
            throw new CredentialStoreException($"credential file {path} is more than {MaxFileBytes / 1024} KiB; remove or fix it");
        }

        if (bytes.IsEmpty || bytes.Trim((byte)' ').Trim("\r\n\t"u8).IsEmpty)
        {
            return Empty(path);
        }

        try
        {
            var node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 16 });
            return node is JsonObject root
                ? new AuthConfigFile(path, root)
                : throw new CredentialStoreException($"credential file {path} is not a JSON object; expected {{\"auths\": {{...}}}}");
        }
        catch (JsonException e)
        {
            throw new CredentialStoreException($"credential file {path} is not valid JSON ({e.Message}); fix it or move it away and log in again", e);
        }
    }

    /// <summary>The helper named in <c>credHelpers</c> for <paramref name="host"/>, or null.</summary>
    public string? HelperFor(string host)
    {
        if (Root["credHelpers"] is not JsonObject helpers)
        {
            return null;
        }

        string? match = null;
        foreach (var (key, value) in helpers)
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var name) && name.Length > 0 && KeyMatches(key, host, out var exact))
            {
                match = name;
                if (exact)
                {
                    break;
                }
            }
        }

        return match;
    }

    /// <summary>The <c>auths</c> key that stores <paramref name="host"/> (exact key preferred over a normalised one).</summary>
    public IReadOnlyList<string> AuthKeysFor(string host)
    {
        if (Root["auths"] is not JsonObject auths)
        {
            return [];
        }

        var exact = new List<string>();
        var normalised = new List<string>();
        foreach (var (key, _) in auths)
        {
            if (KeyMatches(key, host, out var isExact))
            {
                (isExact ? exact : normalised).Add(key);
            }
        }

        return [.. exact, .. normalised];
    }

    /// <summary>The credential in <c>auths</c> for <paramref name="host"/>; null when there is none or the entry is empty.</summary>
    public Credential? AuthFor(string host)
    {
        foreach (var key in AuthKeysFor(host))
        {
            if (Root["auths"]?[key] is JsonObject entry && Decode(key, entry) is { } credential)
            {
                return credential;
            }
        }

        return null;
    }

    private Credential? Decode(string key, JsonObject entry)
    {
        string? Str(string name) => entry[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

        string? username = Str("username");
        string? password = Str("password");
        if (Str("auth") is { } auth)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            }
            catch (FormatException e)
            {
                throw new CredentialStoreException($"credential file {FilePath}: auths[\"{key}\"].auth is not base64; log in again to rewrite it", e);
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new CredentialStoreException($"credential file {FilePath}: auths[\"{key}\"].auth does not decode to \"user:password\"; log in again to rewrite it");
            }

            username = decoded[..colon];
            password = decoded[(colon + 1)..];
        }

        if (Str("identitytoken") is { } identityToken)
        {
            return Credential.FromIdentityToken(identityToken, username);
        }

        if (Str("registrytoken") is { } registryToken)
        {
            return Credential.FromRegistryToken(registryToken);
        }

        return username is not null && password is not null ? Credential.Basic(username, password) : null;
    }

    private static bool KeyMatches(string key, string host, out bool exact)
    {
        exact = false;
        string normalised;
        try
        {
            normalised = RegistryHost.Normalize(key);
        }
        catch (FormatException)
        {
            return false;
        }

        if (normalised != host)
        {
            return false;
        }

        exact = string.Equals(key, RegistryHost.StoreKey(host), StringComparison.OrdinalIgnoreCase)
            || string.Equals(key, host, StringComparison.OrdinalIgnoreCase);
        return true;
    }

    /// <summary>Serialises the file as indented JSON (what docker writes).</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentCharacter = '\t', IndentSize = 1 }))
        {
            Root.WriteTo(writer);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
