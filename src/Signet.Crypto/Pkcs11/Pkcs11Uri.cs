using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Signet.Crypto.Pkcs11;

/// <summary>The <c>type</c> path attribute of a PKCS#11 URI (RFC 7512 section 2.3).</summary>
public enum Pkcs11ObjectType
{
    Public,
    Private,
    Cert,
    SecretKey,
    Data,
}

/// <summary>
/// A PKCS#11 URI (RFC 7512), the subset cosign reads (<c>pkg/cosign/pkcs11key</c>) plus the token-matching
/// attributes: path attributes <c>token</c>, <c>manufacturer</c>, <c>serial</c>, <c>model</c>, <c>slot-id</c>,
/// <c>object</c>, <c>type</c>, <c>id</c>; query attributes <c>module-path</c>, <c>pin-value</c>, <c>pin-source</c>.
/// Example: <c>pkcs11:token=signet;object=release;id=%01?module-path=/usr/lib/softhsm/libsofthsm2.so&amp;pin-value=1234</c>.
/// <para>
/// Values are percent-decoded (RFC 3986; <c>+</c> is a plus sign, not a space); <c>id</c> is bytes, the others UTF-8
/// text. An attribute may appear once. Attributes RFC 7512 defines but Signet does not use (<c>library-*</c>,
/// <c>slot-*</c>, <c>module-name</c>) and vendor attributes are refused rather than ignored, since ignoring a filter
/// could select a different key. <see cref="ToString"/> never shows the PIN.
/// </para>
/// </summary>
public sealed record Pkcs11Uri
{
    public const string Scheme = "pkcs11";

    /// <summary>The longest URI <see cref="Parse"/> reads.</summary>
    public const int MaxLength = 8 * 1024;

    /// <summary>The longest PIN file <see cref="Pkcs11Signer"/> reads.</summary>
    public const int MaxPinFileLength = 1024;

    private const string Redacted = "***";

    // RFC 7512 section 2.3: unreserved / pk11-path-res-avail / "&" in the path; unreserved / pk11-query-res-avail in the query.
    private const string Unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    private const string PathAllowed = Unreserved + ":[]@!$'()*+,=&";
    private const string QueryAllowed = Unreserved + ":[]@!$'()*+,=/?|";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary><c>token</c>: the token label (at most 32 bytes).</summary>
    public string? Token { get; init; }

    /// <summary><c>manufacturer</c>: the token's manufacturer ID (at most 32 bytes).</summary>
    public string? Manufacturer { get; init; }

    /// <summary><c>serial</c>: the token's serial number (at most 16 bytes).</summary>
    public string? Serial { get; init; }

    /// <summary><c>model</c>: the token's model (at most 16 bytes).</summary>
    public string? Model { get; init; }

    /// <summary><c>slot-id</c>: the slot's CK_SLOT_ID.</summary>
    public ulong? SlotId { get; init; }

    /// <summary><c>object</c>: the object's CKA_LABEL.</summary>
    public string? ObjectLabel { get; init; }

    /// <summary><c>type</c>: the object class.</summary>
    public Pkcs11ObjectType? Type { get; init; }

    /// <summary><c>id</c>: the object's CKA_ID bytes.</summary>
    public ImmutableArray<byte>? Id { get; init; }

    /// <summary><c>module-path</c>: the absolute path of the PKCS#11 module.</summary>
    public string? ModulePath { get; init; }

    /// <summary><c>pin-value</c>: the user PIN itself. Never shown by <see cref="ToString"/>.</summary>
    public string? PinValue { get; init; }

    /// <summary><c>pin-source</c>: a file holding the PIN, as a path or a <c>file:</c> URI.</summary>
    public string? PinSource { get; init; }

    /// <summary>True when <paramref name="value"/> starts with the <c>pkcs11:</c> scheme (so it is not a file path).</summary>
    public static bool IsPkcs11Uri(string? value) =>
        value is not null && value.StartsWith(Scheme + ":", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a PKCS#11 URI; throws <see cref="Pkcs11UriFormatException"/> naming the attribute at fault.</summary>
    public static Pkcs11Uri Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return ParseCore(uri);
    }

    /// <summary>Parses a PKCS#11 URI; false (and no exception) when it is not a valid one.</summary>
    public static bool TryParse([NotNullWhen(true)] string? uri, [NotNullWhen(true)] out Pkcs11Uri? result)
    {
        result = null;
        if (uri is null)
        {
            return false;
        }

        try
        {
            result = ParseCore(uri);
            return true;
        }
        catch (Pkcs11UriFormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// The file <see cref="PinSource"/> names: a plain path as given, or the path of a <c>file:</c> URI
    /// (<c>file:/p</c>, <c>file:///p</c>, <c>file://localhost/p</c>); null without a pin-source.
    /// </summary>
    public string? PinSourcePath => PinSource is null ? null : ResolvePinSource(PinSource);

    /// <summary>Attribute-wise equality (<see cref="Id"/> by its bytes).</summary>
    public bool Equals(Pkcs11Uri? other) =>
        other is not null &&
        Token == other.Token && Manufacturer == other.Manufacturer && Serial == other.Serial && Model == other.Model &&
        SlotId == other.SlotId && ObjectLabel == other.ObjectLabel && Type == other.Type &&
        (Id is null ? other.Id is null : other.Id is { } otherId && Id.Value.AsSpan().SequenceEqual(otherId.AsSpan())) &&
        ModulePath == other.ModulePath && PinValue == other.PinValue && PinSource == other.PinSource;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Token);
        hash.Add(Serial);
        hash.Add(SlotId);
        hash.Add(ObjectLabel);
        hash.Add(ModulePath);
        foreach (var b in Id ?? [])
        {
            hash.Add(b);
        }

        return hash.ToHashCode();
    }

    /// <summary>The URI in canonical attribute order, with <c>pin-value</c> shown as <c>***</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(Scheme).Append(':');
        var path = new List<string>();
        AddText(path, "token", Token);
        AddText(path, "manufacturer", Manufacturer);
        AddText(path, "serial", Serial);
        AddText(path, "model", Model);
        if (SlotId is { } slot)
        {
            path.Add("slot-id=" + slot.ToString(CultureInfo.InvariantCulture));
        }

        AddText(path, "object", ObjectLabel);
        if (Type is { } type)
        {
            path.Add("type=" + TypeName(type));
        }

        if (Id is { } id)
        {
            var encoded = new StringBuilder("id=");
            foreach (var b in id)
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }

            path.Add(encoded.ToString());
        }

        builder.AppendJoin(';', path);
        var query = new List<string>();
        if (ModulePath is not null)
        {
            query.Add("module-path=" + Encode(ModulePath, QueryAllowed));
        }

        if (PinSource is not null)
        {
            query.Add("pin-source=" + Encode(PinSource, QueryAllowed));
        }

        if (PinValue is not null)
        {
            query.Add("pin-value=" + Redacted);
        }

        if (query.Count > 0)
        {
            builder.Append('?').AppendJoin('&', query);
        }

        return builder.ToString();

        static void AddText(List<string> path, string name, string? value)
        {
            if (value is not null)
            {
                path.Add(name + "=" + Encode(value, PathAllowed));
            }
        }
    }

    private static Pkcs11Uri ParseCore(string uri)
    {
        if (uri.Length > MaxLength)
        {
            throw new Pkcs11UriFormatException($"PKCS#11 URI is {uri.Length} characters long, more than the {MaxLength} allowed", attribute: null);
        }

        if (!IsPkcs11Uri(uri))
        {
            throw new Pkcs11UriFormatException("not a PKCS#11 URI: it must start with 'pkcs11:'", attribute: null);
        }

        var rest = uri.AsSpan(Scheme.Length + 1);
        if (rest.Contains('#'))
        {
            throw new Pkcs11UriFormatException("PKCS#11 URI must not have a fragment ('#'); percent-encode '#' in values as %23", attribute: null);
        }

        var question = rest.IndexOf('?');
        var pathPart = question < 0 ? rest : rest[..question];
        var queryPart = question < 0 ? [] : rest[(question + 1)..];

        var result = new Pkcs11Uri();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, raw) in Split(pathPart, ';', "path"))
        {
            if (!seen.Add(name))
            {
                throw Duplicate(name);
            }

            var value = Decode(name, raw, PathAllowed);
            result = name switch
            {
                "token" => result with { Token = Text(name, value, maxBytes: 32) },
                "manufacturer" => result with { Manufacturer = Text(name, value, maxBytes: 32) },
                "serial" => result with { Serial = Text(name, value, maxBytes: 16) },
                "model" => result with { Model = Text(name, value, maxBytes: 16) },
                "slot-id" => result with { SlotId = SlotIdOf(value) },
                "object" => result with { ObjectLabel = Text(name, value, maxBytes: null) },
                "type" => result with { Type = TypeOf(value) },
                "id" => result with { Id = value.Length > 0 ? ImmutableArray.Create(value) : throw Empty(name) },
                "library-manufacturer" or "library-description" or "library-version" or "slot-description" or "slot-manufacturer" =>
                    throw new Pkcs11UriFormatException($"PKCS#11 URI path attribute '{name}' is not supported; select the token with token, serial, manufacturer, model or slot-id", name),
                _ => throw new Pkcs11UriFormatException($"unknown PKCS#11 URI path attribute '{name}'; Signet reads token, manufacturer, serial, model, slot-id, object, type and id", name),
            };
        }

        foreach (var (name, raw) in Split(queryPart, '&', "query"))
        {
            if (!seen.Add(name))
            {
                throw Duplicate(name);
            }

            var value = Decode(name, raw, QueryAllowed);
            result = name switch
            {
                "module-path" => result with { ModulePath = ModulePathOf(value) },
                "pin-value" => result with { PinValue = Text(name, value, maxBytes: MaxPinFileLength) },
                "pin-source" => result with { PinSource = PinSourceOf(value) },
                "module-name" => throw new Pkcs11UriFormatException("PKCS#11 URI query attribute 'module-name' is not supported; give the module's absolute path with module-path", name),
                _ => throw new Pkcs11UriFormatException($"unknown PKCS#11 URI query attribute '{name}'; Signet reads module-path, pin-value and pin-source", name),
            };
        }

        if (result.PinValue is not null && result.PinSource is not null)
        {
            throw new Pkcs11UriFormatException("PKCS#11 URI has both 'pin-value' and 'pin-source'; give the PIN one way", "pin-source");
        }

        return result;
    }

    private static List<(string Name, string Raw)> Split(ReadOnlySpan<char> part, char separator, string where)
    {
        var attributes = new List<(string, string)>();
        if (part.IsEmpty)
        {
            return attributes;
        }

        foreach (var range in part.Split(separator))
        {
            var attribute = part[range];
            var equals = attribute.IndexOf('=');
            if (attribute.IsEmpty)
            {
                throw new Pkcs11UriFormatException($"PKCS#11 URI has an empty {where} attribute (a stray '{separator}')", attribute: null);
            }

            if (equals <= 0)
            {
                var shown = equals == 0 ? "" : $" '{Printable(attribute)}'";
                throw new Pkcs11UriFormatException($"PKCS#11 URI {where} attribute{shown} is not name=value", attribute: null);
            }

            attributes.Add((attribute[..equals].ToString(), attribute[(equals + 1)..].ToString()));
        }

        return attributes;
    }

    private static byte[] Decode(string name, string raw, string allowed)
    {
        var secret = name == "pin-value";
        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%')
            {
                if (i + 2 >= raw.Length || !byte.TryParse(raw.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                {
                    throw new Pkcs11UriFormatException($"PKCS#11 URI attribute '{name}' has a bad percent-encoding at offset {i} of its value: '%' must be followed by two hex digits", name);
                }

                bytes.Add(b);
                i += 2;
            }
            else if (allowed.Contains(c, StringComparison.Ordinal))
            {
                bytes.Add((byte)c);
            }
            else
            {
                var shown = secret ? "a character" : c <= 0x7F ? $"'{c}'" : $"U+{(int)c:X4}";
                throw new Pkcs11UriFormatException($"PKCS#11 URI attribute '{name}' has {shown} at offset {i} of its value that must be percent-encoded (as UTF-8 %XX bytes)", name);
            }
        }

        return [.. bytes];
    }

    private static string Text(string name, byte[] value, int? maxBytes)
    {
        if (value.Length == 0)
        {
            throw Empty(name);
        }

        if (value.Length > maxBytes)
        {
            throw new Pkcs11UriFormatException($"PKCS#11 URI attribute '{name}' is {value.Length} bytes long; PKCS#11 allows at most {maxBytes}", name);
        }

        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException e)
        {
            throw new Pkcs11UriFormatException($"PKCS#11 URI attribute '{name}' is not UTF-8 text after percent-decoding", name, e);
        }
    }

    private static ulong SlotIdOf(byte[] value)
    {
        var text = Text("slot-id", value, maxBytes: 20);
        return text.All(char.IsAsciiDigit) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var slot)
            ? slot
            : throw new Pkcs11UriFormatException($"PKCS#11 URI attribute 'slot-id' must be a decimal number, got '{Printable(text)}'", "slot-id");
    }

    private static Pkcs11ObjectType TypeOf(byte[] value) => Text("type", value, maxBytes: 16) switch
    {
        "public" => Pkcs11ObjectType.Public,
        "private" => Pkcs11ObjectType.Private,
        "cert" => Pkcs11ObjectType.Cert,
        "secret-key" => Pkcs11ObjectType.SecretKey,
        "data" => Pkcs11ObjectType.Data,
        var other => throw new Pkcs11UriFormatException($"PKCS#11 URI attribute 'type' must be public, private, cert, secret-key or data, got '{Printable(other)}'", "type"),
    };

    private static string TypeName(Pkcs11ObjectType type) => type switch
    {
        Pkcs11ObjectType.Public => "public",
        Pkcs11ObjectType.Private => "private",
        Pkcs11ObjectType.Cert => "cert",
        Pkcs11ObjectType.SecretKey => "secret-key",
        _ => "data",
    };

    private static string ModulePathOf(byte[] value)
    {
        var path = Text("module-path", value, maxBytes: 4096);
        return Path.IsPathFullyQualified(path) && !path.Contains('\0', StringComparison.Ordinal)
            ? path
            : throw new Pkcs11UriFormatException($"PKCS#11 URI attribute 'module-path' must be an absolute path, got '{Printable(path)}' (a relative name would be searched for on the library path)", "module-path");
    }

    private static string PinSourceOf(byte[] value)
    {
        var source = Text("pin-source", value, maxBytes: 4096);
        _ = ResolvePinSource(source);
        return source;
    }

    private static string ResolvePinSource(string source)
    {
        if (source.StartsWith('|'))
        {
            throw new Pkcs11UriFormatException("PKCS#11 URI attribute 'pin-source' names a command ('|...'); Signet reads the PIN only from a file", "pin-source");
        }

        string path;
        if (source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var rest = source["file:".Length..];
            path = rest.StartsWith("//localhost/", StringComparison.OrdinalIgnoreCase) ? rest["//localhost".Length..]
                : rest.StartsWith("///", StringComparison.Ordinal) ? rest[2..]
                : rest.StartsWith("//", StringComparison.Ordinal) ? throw new Pkcs11UriFormatException("PKCS#11 URI attribute 'pin-source' is a file: URI with a remote host; use file:/path or file:///path", "pin-source")
                : rest;
            if (!path.StartsWith('/'))
            {
                throw new Pkcs11UriFormatException("PKCS#11 URI attribute 'pin-source' is a file: URI without an absolute path; use file:/path or file:///path", "pin-source");
            }
        }
        else if (source.Contains(':', StringComparison.Ordinal) && !Path.IsPathFullyQualified(source))
        {
            throw new Pkcs11UriFormatException($"PKCS#11 URI attribute 'pin-source' must be a file path or a file: URI, got '{Printable(source)}'", "pin-source");
        }
        else
        {
            path = source;
        }

        return path.Contains('\0', StringComparison.Ordinal)
            ? throw new Pkcs11UriFormatException("PKCS#11 URI attribute 'pin-source' contains a NUL", "pin-source")
            : path;
    }

    private static string Encode(string value, string allowed)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b < 0x80 && allowed.Contains((char)b, StringComparison.Ordinal))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string Printable(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 64));
        foreach (var c in text[..Math.Min(text.Length, 64)])
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return text.Length > 64 ? builder.Append("...").ToString() : builder.ToString();
    }

    private static Pkcs11UriFormatException Duplicate(string name) =>
        new($"PKCS#11 URI has attribute '{name}' more than once; give it once", name);

    private static Pkcs11UriFormatException Empty(string name) =>
        new($"PKCS#11 URI attribute '{name}' has an empty value", name);
}

/// <summary>A malformed PKCS#11 URI; <see cref="Attribute"/> names the attribute at fault when there is one.</summary>
public sealed class Pkcs11UriFormatException : FormatException
{
    public Pkcs11UriFormatException()
    {
    }

    public Pkcs11UriFormatException(string message)
        : base(message)
    {
    }

    public Pkcs11UriFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public Pkcs11UriFormatException(string message, string? attribute, Exception? innerException = null)
        : base(message, innerException)
    {
        Attribute = attribute;
    }

    /// <summary>The URI attribute at fault (<c>slot-id</c>), or null for a problem with the URI as a whole.</summary>
    public string? Attribute { get; }
}
