using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Signet.Sigstore.Tests.Certificates;

/// <summary>
/// A certificate transparency log made in-test: its key signs SCTs over a precertificate exactly as RFC 6962 §3.2
/// has a log do it (the real algorithm, with a key the test owns), and the SCTs are TLS-encoded as a log returns them.
/// </summary>
internal sealed class TestCtLog : IDisposable
{
    public TestCtLog(AsymmetricAlgorithm? key = null)
    {
        Key = key ?? ECDsa.Create(ECCurve.NamedCurves.nistP256);
        LogId = SHA256.HashData(Key.ExportSubjectPublicKeyInfo());
    }

    public AsymmetricAlgorithm Key { get; }

    public byte[] LogId { get; }

    public JsonObject Entry(DateTimeOffset? start = null, DateTimeOffset? end = null) => TestPki.CtLog(Key, start ?? TestPki.Epoch, end);

    /// <summary>An SCT v1 (TLS encoding) for the precertificate <paramref name="tbs"/> issued under <paramref name="issuerKeyHash"/>.</summary>
    public byte[] Sign(byte[] tbs, byte[] issuerKeyHash, DateTimeOffset? time = null, byte[]? extensions = null, byte? hashAlgorithm = null, byte? signatureAlgorithm = null)
    {
        extensions ??= [];
        var timestamp = (ulong)(time ?? TestPki.Epoch.AddMinutes(10)).ToUnixTimeMilliseconds();
        var signed = new List<byte> { 0, 0 };
        signed.AddRange(BigEndian(timestamp, 8));
        signed.AddRange([0, 1]);
        signed.AddRange(issuerKeyHash);
        signed.AddRange(BigEndian((ulong)tbs.Length, 3));
        signed.AddRange(tbs);
        signed.AddRange(BigEndian((ulong)extensions.Length, 2));
        signed.AddRange(extensions);
        var signature = Key is RSA rsa
            ? rsa.SignData(signed.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : ((ECDsa)Key).SignData(signed.ToArray(), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return Encode(LogId, timestamp, extensions, hashAlgorithm ?? 4, signatureAlgorithm ?? (byte)(Key is RSA ? 1 : 3), signature);
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

    public void Dispose() => Key.Dispose();

    private static byte[] BigEndian(ulong value, int length)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes[(8 - length)..];
    }
}
