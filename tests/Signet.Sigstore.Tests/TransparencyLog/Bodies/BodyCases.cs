using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Signet.Sigstore.Bundles;
using Signet.Testing;

namespace Signet.Sigstore.Tests.TransparencyLog.Bodies;

/// <summary>sigstore-conformance bundles, read as they are or with their first log entry's body (or the bundle) edited.</summary>
internal static class BodyCases
{
    public static string Path(string name, string file = "bundle.sigstore.json") =>
        TestData.Require(System.IO.Path.Combine("sigstore-conformance", "bundle-verify", name, file));

    public static SigstoreBundle Bundle(string name) => SigstoreBundle.Parse(File.ReadAllBytes(Path(name)));

    /// <summary>The SubjectPublicKeyInfo DER of a case's <c>key.pub</c>.</summary>
    public static byte[] Key(string name)
    {
        var pem = File.ReadAllText(Path(name, "key.pub"));
        return Convert.FromBase64String(pem[PemEncoding.Find(pem).Base64Data]);
    }

    /// <summary>The bundle with <paramref name="editBody"/> applied to its first entry's body and <paramref name="editBundle"/> to the bundle JSON.</summary>
    public static SigstoreBundle Edited(string name, Action<JsonObject>? editBody = null, Action<JsonObject>? editBundle = null)
    {
        var bundle = JsonNode.Parse(File.ReadAllBytes(Path(name)))!.AsObject();
        var entry = bundle["verificationMaterial"]!["tlogEntries"]![0]!.AsObject();
        var body = JsonNode.Parse(Convert.FromBase64String(entry["canonicalizedBody"]!.GetValue<string>()))!.AsObject();
        editBody?.Invoke(body);
        entry["canonicalizedBody"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(body.ToJsonString()));
        editBundle?.Invoke(bundle);
        return SigstoreBundle.Parse(Encoding.UTF8.GetBytes(bundle.ToJsonString()));
    }

    /// <summary>Sets the value at a dotted path (<c>spec.signatures[0].verifier</c>); a null value removes the member.</summary>
    public static void Set(JsonObject root, string path, JsonNode? value)
    {
        JsonNode node = root;
        var parts = path.Split('.');
        foreach (var part in parts[..^1])
        {
            node = Step(node, part);
        }

        var last = parts[^1];
        var target = node.AsObject();
        if (value is null)
        {
            target.Remove(last);
        }
        else
        {
            target[last] = value;
        }
    }

    public static string Get(JsonObject root, string path)
    {
        JsonNode node = root;
        foreach (var part in path.Split('.'))
        {
            node = Step(node, part);
        }

        return node.GetValue<string>();
    }

    /// <summary>The leaf certificate of a case that no test edits, as base64 DER.</summary>
    public static string OtherCertificate() => JsonNode.Parse(File.ReadAllBytes(Path("bundle-with-sct-with-extensions")))!["verificationMaterial"]!["certificate"]!["rawBytes"]!.GetValue<string>();

    /// <summary>A valid ECDSA signature by some other key, as DER.</summary>
    public static byte[] OtherSignature()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.SignData("other"u8, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    public static string Pem(string label, byte[] der) => Convert.ToBase64String(Encoding.ASCII.GetBytes(PemEncoding.WriteString(label, der) + "\n"));

    private static JsonNode Step(JsonNode node, string part)
    {
        var bracket = part.IndexOf('[', StringComparison.Ordinal);
        if (bracket < 0)
        {
            return node[part]!;
        }

        var index = int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
        return node[part[..bracket]]![index]!;
    }
}
