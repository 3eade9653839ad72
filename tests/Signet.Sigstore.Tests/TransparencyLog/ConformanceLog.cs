using System.Text.Json;
using Signet.Crypto;
using Signet.Sigstore.Bundles;
using TestData = Signet.Testing.TestData;

namespace Signet.Sigstore.Tests.TransparencyLog;

/// <summary>Bundles and the production Rekor key from the sigstore-conformance shared data.</summary>
internal static class ConformanceLog
{
    public static TransparencyLogEntry Entry(string caseName)
    {
        var path = TestData.Require($"sigstore-conformance/bundle-verify/{caseName}/bundle.sigstore.json");
        return SigstoreBundle.Parse(File.ReadAllBytes(path)).VerificationMaterial!.TlogEntries[0];
    }

    /// <summary>The trusted-root tlog key whose <c>logId.keyId</c> equals <paramref name="logKeyId"/> (checked as SHA-256 of its DER).</summary>
    public static PublicKey LogKey(ReadOnlyMemory<byte> logKeyId, string trustedRoot = "sigstore-conformance/trusted_root.production.json")
    {
        using var root = JsonDocument.Parse(File.ReadAllBytes(TestData.Require(trustedRoot)));
        foreach (var tlog in root.RootElement.GetProperty("tlogs").EnumerateArray())
        {
            var der = Convert.FromBase64String(tlog.GetProperty("publicKey").GetProperty("rawBytes").GetString()!);
            var keyId = Convert.FromBase64String(tlog.GetProperty("logId").GetProperty("keyId").GetString()!);
            if (keyId.AsSpan().SequenceEqual(logKeyId.Span))
            {
                if (tlog.GetProperty("publicKey").GetProperty("keyDetails").GetString()!.StartsWith("PKIX_ECDSA", StringComparison.Ordinal))
                {
                    // Rekor v1 (ECDSA) log ids are SHA-256 of the DER key; Rekor v2 ids are checkpoint key ids.
                    Assert.Equal(keyId, System.Security.Cryptography.SHA256.HashData(der));
                }

                return PublicKey.FromSubjectPublicKeyInfo(der);
            }
        }

        throw new InvalidOperationException("no production tlog with that log id");
    }

    public static byte[] Flip(ReadOnlyMemory<byte> bytes, int index = 0)
    {
        var copy = bytes.ToArray();
        copy[index] ^= 0x01;
        return copy;
    }
}
