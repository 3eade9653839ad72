using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Signet.Testing;
using Signet.Testing.Tools;

namespace Signet.Sigstore.Tests.Certificates;

/// <summary>
/// A certificate transparency log made in-test: its key signs SCTs over a precertificate exactly as RFC 6962 §3.2
/// has a log do it (the real algorithm, with a key the test owns), and the SCTs are TLS-encoded as a log returns them.
/// ECDSA and RSA keys sign in-process; the Ed25519 key is made and used by the openssl CLI.
/// </summary>
internal sealed class TestCtLog : IDisposable
{
    private readonly Func<byte[], byte[]> _sign;
    private readonly IDisposable _owned;

    private TestCtLog(byte[] subjectPublicKeyInfo, string keyDetails, byte hashAlgorithm, byte signatureAlgorithm, Func<byte[], byte[]> sign, IDisposable owned)
    {
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
        KeyDetails = keyDetails;
        HashAlgorithm = hashAlgorithm;
        SignatureAlgorithm = signatureAlgorithm;
        LogId = SHA256.HashData(subjectPublicKeyInfo);
        _sign = sign;
        _owned = owned;
    }

    public byte[] SubjectPublicKeyInfo { get; }

    public string KeyDetails { get; }

    /// <summary>RFC 5246 HashAlgorithm (4 = SHA-256, 8 = intrinsic) and SignatureAlgorithm (1 = RSA, 3 = ECDSA, 7 = Ed25519).</summary>
    public byte HashAlgorithm { get; }

    public byte SignatureAlgorithm { get; }

    public byte[] LogId { get; }

    public static TestCtLog Ecdsa()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new TestCtLog(key.ExportSubjectPublicKeyInfo(), "PKIX_ECDSA_P256_SHA_256", 4, 3,
            data => key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence), key);
    }

    public static TestCtLog Rsa()
    {
        var key = RSA.Create(2048);
        return new TestCtLog(key.ExportSubjectPublicKeyInfo(), "PKIX_RSA_PKCS1V15_2048_SHA256", 4, 1,
            data => key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), key);
    }

    public static TestCtLog Ed25519()
    {
        var dir = new TempDir();
        var key = dir.Combine("log.pem");
        Tool.Run("openssl", "genpkey", "-algorithm", "ed25519", "-out", key);
        Tool.Run("openssl", "pkey", "-in", key, "-pubout", "-outform", "DER", "-out", dir.Combine("log.der"));
        return new TestCtLog(File.ReadAllBytes(dir.Combine("log.der")), "PKIX_ED25519", 8, 7, data =>
        {
            File.WriteAllBytes(dir.Combine("data"), data);
            Tool.Run("openssl", "pkeyutl", "-sign", "-rawin", "-inkey", key, "-in", dir.Combine("data"), "-out", dir.Combine("sig"));
            return File.ReadAllBytes(dir.Combine("sig"));
        }, dir);
    }

    public JsonObject Entry(DateTimeOffset? start = null, DateTimeOffset? end = null) => TestPki.CtLog(SubjectPublicKeyInfo, KeyDetails, start ?? TestPki.Epoch, end);

    /// <summary>An SCT v1 (TLS encoding) for the precertificate <paramref name="tbs"/> issued under <paramref name="issuerKeyHash"/>.</summary>
    public byte[] Sign(byte[] tbs, byte[] issuerKeyHash, DateTimeOffset? time = null, byte[]? extensions = null, byte? hashAlgorithm = null, byte? signatureAlgorithm = null)
    {
        extensions ??= [];
        var timestamp = (ulong)(time ?? TestPki.Epoch.AddMinutes(10)).ToUnixTimeMilliseconds();
        byte[] signed =
        [
            0, 0, .. BigEndian(timestamp, 8), 0, 1, .. issuerKeyHash,
            .. BigEndian((ulong)tbs.Length, 3), .. tbs, .. BigEndian((ulong)extensions.Length, 2), .. extensions,
        ];
        return Encode(LogId, timestamp, extensions, hashAlgorithm ?? HashAlgorithm, signatureAlgorithm ?? SignatureAlgorithm, _sign(signed));
    }

    public static byte[] Encode(byte[] logId, ulong timestamp, byte[] extensions, byte hashAlgorithm, byte signatureAlgorithm, byte[] signature, byte version = 0) =>
        [version, .. logId, .. BigEndian(timestamp, 8), .. BigEndian((ulong)extensions.Length, 2), .. extensions,
            hashAlgorithm, signatureAlgorithm, .. BigEndian((ulong)signature.Length, 2), .. signature];

    /// <summary>A <c>SignedCertificateTimestampList</c> of the given serialized SCTs.</summary>
    public static byte[] List(params byte[][] scts)
    {
        var body = scts.SelectMany(s => BigEndian((ulong)s.Length, 2).Concat(s)).ToArray();
        return [.. BigEndian((ulong)body.Length, 2), .. body];
    }

    public void Dispose() => _owned.Dispose();

    private static byte[] BigEndian(ulong value, int length)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes[(8 - length)..];
    }
}
