using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Signet.Oci;

/// <summary>
/// A content digest <c>algorithm:encoded</c> as defined by the OCI image spec, descriptor.md "Digests".
/// Only the registered algorithms <c>sha256</c> and <c>sha512</c> are accepted, with lowercase hex of the exact length.
/// </summary>
public readonly record struct Digest
{
    private Digest(string algorithm, string encoded)
    {
        Algorithm = algorithm;
        Encoded = encoded;
    }

    /// <summary>The algorithm, <c>sha256</c> or <c>sha512</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The lowercase hex encoding of the hash.</summary>
    public string Encoded { get; }

    /// <summary>The hash algorithm name for <see cref="IncrementalHash"/>.</summary>
    public HashAlgorithmName HashAlgorithm => Algorithm == Sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;

    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    /// <summary>Longest textual digest accepted (sha512: 6 + 1 + 128).</summary>
    public const int MaxLength = 135;

    public static Digest Parse(string value) =>
        TryParse(value, out var digest, out var error) ? digest : throw new FormatException(error);

    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest) => TryParse(value, out digest, out _);

    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest, out string error)
    {
        digest = default;
        if (string.IsNullOrEmpty(value))
        {
            error = "digest is empty; expected 'sha256:<64 hex digits>'";
            return false;
        }

        if (value.Length > MaxLength)
        {
            error = $"digest is {value.Length} characters long; at most {MaxLength} are allowed";
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            error = $"'{value}' is not a digest: expected 'algorithm:hex', for example 'sha256:<64 hex digits>'";
            return false;
        }

        var algorithm = value[..colon];
        var encoded = value[(colon + 1)..];
        int expected;
        switch (algorithm)
        {
            case Sha256:
                expected = 64;
                break;
            case Sha512:
                expected = 128;
                break;
            default:
                error = $"digest '{value}' uses algorithm '{algorithm}'; only sha256 and sha512 are supported";
                return false;
        }

        if (encoded.Length != expected)
        {
            error = $"digest '{value}' has {encoded.Length} hex digits; {algorithm} needs {expected}";
            return false;
        }

        foreach (var c in encoded)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                error = $"digest '{value}' contains '{c}'; the encoded part must be lowercase hex";
                return false;
            }
        }

        digest = new Digest(algorithm, encoded);
        error = string.Empty;
        return true;
    }

    /// <summary>Creates a digest from a raw hash value.</summary>
    public static Digest FromHash(string algorithm, ReadOnlySpan<byte> hash)
    {
        var expected = algorithm switch
        {
            Sha256 => 32,
            Sha512 => 64,
            _ => throw new ArgumentException($"unsupported digest algorithm '{algorithm}'", nameof(algorithm)),
        };
        if (hash.Length != expected)
        {
            throw new ArgumentException($"{algorithm} hash must be {expected} bytes, got {hash.Length}", nameof(hash));
        }

        return new Digest(algorithm, Convert.ToHexStringLower(hash));
    }

    /// <summary>Computes the digest of <paramref name="content"/>.</summary>
    public static Digest Compute(ReadOnlySpan<byte> content, string algorithm = Sha256) => algorithm switch
    {
        Sha256 => FromHash(Sha256, SHA256.HashData(content)),
        Sha512 => FromHash(Sha512, SHA512.HashData(content)),
        _ => throw new ArgumentException($"unsupported digest algorithm '{algorithm}'", nameof(algorithm)),
    };

    /// <summary>Creates an incremental hasher for this digest's algorithm.</summary>
    public IncrementalHash CreateHasher() => IncrementalHash.CreateHash(HashAlgorithm);

    /// <summary>Creates an incremental hasher for an algorithm name.</summary>
    public static IncrementalHash CreateHasher(string algorithm) => algorithm switch
    {
        Sha256 => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        Sha512 => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => throw new ArgumentException($"unsupported digest algorithm '{algorithm}'", nameof(algorithm)),
    };

    /// <summary>True when this digest equals the hash of <paramref name="content"/>.</summary>
    public bool Matches(ReadOnlySpan<byte> content) => Compute(content, Algorithm) == this;

    /// <summary>A short form for display: algorithm and the first 12 hex digits.</summary>
    public string Abbreviated => Encoded is null ? string.Empty : $"{Algorithm}:{Encoded[..12]}";

    public override string ToString() => Encoded is null ? string.Empty : $"{Algorithm}:{Encoded}";
}
