using System.Text.RegularExpressions;

namespace Signet.Crypto.KeyReferences;

/// <summary>What a <c>--key</c> value points at.</summary>
public enum KeyReferenceKind
{
    /// <summary>A PEM file: public key, certificate, or (encrypted) private key.</summary>
    File,

    /// <summary><c>env://VAR</c>: the PEM text is in the environment variable VAR.</summary>
    Environment,

    /// <summary>An RFC 7512 <c>pkcs11:</c> URI; parsed by the PKCS#11 code, kept here as written.</summary>
    Pkcs11,
}

/// <summary>
/// A parsed <c>--key</c> value (cosign's key reference forms that Signet supports): a file path, <c>env://VAR</c>, or a
/// <c>pkcs11:</c> URI. <see cref="Value"/> is the path, the variable name, or the whole URI; <see cref="Raw"/> is the
/// value as given. KMS and other <c>scheme://</c> references are refused with a message rather than read as file names.
/// </summary>
public sealed partial record KeyReference
{
    public const string EnvironmentPrefix = "env://";
    public const string Pkcs11Prefix = "pkcs11:";

    private KeyReference(KeyReferenceKind kind, string value, string raw)
    {
        Kind = kind;
        Value = value;
        Raw = raw;
    }

    public KeyReferenceKind Kind { get; }

    /// <summary>The file path, the environment variable name, or the full pkcs11 URI.</summary>
    public string Value { get; }

    public string Raw { get; }

    /// <summary>Parses a <c>--key</c> value; a <see cref="FormatException"/> says what is wrong and what is accepted.</summary>
    public static KeyReference Parse(string value) =>
        TryParse(value, out var reference, out var error) ? reference : throw new FormatException(error);

    public static bool TryParse(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KeyReference? reference, out string error)
    {
        reference = null;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "the key reference is empty; give a key file path, env://VARIABLE or a pkcs11: URI";
            return false;
        }

        if (value.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
        {
            var name = value[EnvironmentPrefix.Length..];
            if (!VariableName().IsMatch(name))
            {
                error = $"'{value}' does not name an environment variable; use env://NAME with NAME made of letters, digits and _";
                return false;
            }

            reference = new KeyReference(KeyReferenceKind.Environment, name, value);
            return true;
        }

        if (value.StartsWith(Pkcs11Prefix, StringComparison.OrdinalIgnoreCase))
        {
            reference = new KeyReference(KeyReferenceKind.Pkcs11, value, value);
            return true;
        }

        var scheme = Scheme().Match(value);
        if (scheme.Success)
        {
            error = $"key references of the form {scheme.Groups[1].Value}:// are not supported; use a key file, env://VARIABLE or a pkcs11: URI " +
                "(prefix a file name containing :// with ./ to read it as a file)";
            return false;
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            error = "the key file path contains a NUL character";
            return false;
        }

        reference = new KeyReference(KeyReferenceKind.File, value, value);
        return true;
    }

    public override string ToString() => Raw;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*)://", RegexOptions.CultureInvariant)]
    private static partial Regex Scheme();
}
