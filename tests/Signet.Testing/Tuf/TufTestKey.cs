using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Signet.Crypto;
using Signet.Crypto.Keys;
using Signet.Crypto.Signers;

namespace Signet.Testing.Tuf;

/// <summary>
/// A real signing key for the TUF repository simulator: ECDSA P-256 (PEM public key, DER signatures) or Ed25519 (hex
/// public key), with its key id computed as python-tuf does (SHA-256 of the canonical key object).
/// </summary>
public sealed class TufTestKey : IDisposable
{
    private readonly ECDsa? _ecdsa;
    private readonly FileSigner? _ed25519;

    private TufTestKey(ECDsa? ecdsa, FileSigner? ed25519, JsonObject extraFields)
    {
        _ecdsa = ecdsa;
        _ed25519 = ed25519;
        Json = ecdsa is not null
            ? new JsonObject
            {
                ["keytype"] = "ecdsa",
                ["scheme"] = "ecdsa-sha2-nistp256",
                ["keyval"] = new JsonObject { ["public"] = PemEncoding.WriteString("PUBLIC KEY", ecdsa.ExportSubjectPublicKeyInfo()) },
            }
            : new JsonObject
            {
                ["keytype"] = "ed25519",
                ["scheme"] = "ed25519",
                ["keyval"] = new JsonObject { ["public"] = Convert.ToHexStringLower(ed25519!.PublicKey.SubjectPublicKeyInfo.Span[^32..]) },
            };
        foreach (var (name, value) in extraFields)
        {
            Json[name] = value?.DeepClone();
        }

        KeyId = Convert.ToHexStringLower(SHA256.HashData(TufCanonical.Encode(Json)));
    }

    /// <summary>The key id: hex SHA-256 of the canonical JSON of <see cref="Json"/> (custom fields included).</summary>
    public string KeyId { get; }

    /// <summary>The key as metadata lists it (<c>keytype</c>, <c>scheme</c>, <c>keyval</c> and any custom fields).</summary>
    public JsonObject Json { get; }

    public static TufTestKey Ecdsa(JsonObject? extraFields = null) =>
        new(System.Security.Cryptography.ECDsa.Create(ECCurve.NamedCurves.nistP256), null, extraFields ?? []);

    public static TufTestKey Ed25519()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.Ed25519);
        return new TufTestKey(null, key.CreateSigner(), []);
    }

    /// <summary>The hex signature over <paramref name="message"/> (the canonical JSON of <c>signed</c>).</summary>
    public string Sign(byte[] message) => Convert.ToHexStringLower(_ecdsa is not null
        ? _ecdsa.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
        : _ed25519!.SignAsync(message).GetAwaiter().GetResult());

    public void Dispose()
    {
        _ecdsa?.Dispose();
        _ed25519?.Dispose();
    }
}
