using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Signet.Crypto;

namespace Signet.Sigstore.Tuf;

/// <summary>One key of TUF metadata: <c>keytype</c>, <c>scheme</c>, <c>keyval.public</c>, made into a verifier.</summary>
public sealed class TufKey
{
    // SubjectPublicKeyInfo prefixes for a raw P-256 uncompressed point and a raw Ed25519 key.
    private static readonly byte[] P256Prefix = Convert.FromHexString("3059301306072a8648ce3d020106082a8648ce3d030107034200");
    private static readonly byte[] Ed25519Prefix = Convert.FromHexString("302a300506032b6570032100");

    public TufKey(string keyId, string keyType, string scheme, string publicValue)
    {
        KeyId = keyId;
        KeyType = keyType;
        Scheme = scheme;
        PublicValue = publicValue;
    }

    public string KeyId { get; }

    public string KeyType { get; }

    public string Scheme { get; }

    /// <summary><c>keyval.public</c> as written: PEM SubjectPublicKeyInfo or hex.</summary>
    public string PublicValue { get; }

    /// <summary>
    /// The key for verification. <c>ecdsa-sha2-nistp256</c> takes PEM (TUF 1.0 / securesystemslib) or hex of the
    /// uncompressed point (Sigstore root v1-v4 written by go-tuf); <c>ed25519</c> takes 64 hex digits.
    /// </summary>
    public PublicKey ToPublicKey()
    {
        try
        {
            switch (Scheme)
            {
                case "ecdsa-sha2-nistp256" when KeyType is "ecdsa" or "ecdsa-sha2-nistp256":
                    var der = PublicValue.Contains("-----BEGIN", StringComparison.Ordinal)
                        ? PemEncoding.Find(PublicValue) is var pem && PublicValue[pem.Label] == "PUBLIC KEY"
                            ? Convert.FromBase64String(PublicValue[pem.Base64Data])
                            : throw new TufException($"key {KeyId}: PEM block is not a PUBLIC KEY")
                        : [.. P256Prefix, .. Hex(65)];
                    var key = PublicKey.FromSubjectPublicKeyInfo(der);
                    return key.Algorithm == KeyAlgorithm.EcdsaP256 ? key : throw new TufException($"key {KeyId}: scheme {Scheme} but the key is {key.Algorithm}");
                case "ed25519" when KeyType == "ed25519":
                    return PublicKey.FromSubjectPublicKeyInfo([.. Ed25519Prefix, .. Hex(32)]);
                default:
                    throw new TufException($"key {KeyId}: keytype '{KeyType}' with scheme '{Scheme}' is not supported");
            }
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            throw new TufException($"key {KeyId}: public key cannot be read: {e.Message}", e);
        }
    }

    /// <summary>The key for verification, or false when this client cannot use it (unsupported type, unreadable key).</summary>
    public bool TryGetPublicKey([NotNullWhen(true)] out PublicKey? publicKey)
    {
        try
        {
            publicKey = ToPublicKey();
            return true;
        }
        catch (TufException)
        {
            publicKey = null;
            return false;
        }
    }

    private byte[] Hex(int length)
    {
        var bytes = Convert.FromHexString(PublicValue);
        return bytes.Length == length ? bytes : throw new TufException($"key {KeyId}: public key must be {length} bytes in hex, found {bytes.Length}");
    }
}
