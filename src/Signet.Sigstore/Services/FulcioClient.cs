using System.Buffers;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Signet.Crypto;
using Signet.Oci.Json;
using PublicKey = Signet.Crypto.PublicKey;

namespace Signet.Sigstore.Services;

/// <summary>What Fulcio issued: the chain, leaf first, and the SCT when it was not embedded in the leaf.</summary>
public sealed record FulcioSigningCertificate
{
    /// <summary>DER certificates, leaf first, then the intermediates and (usually) the root.</summary>
    public required ImmutableArray<ReadOnlyMemory<byte>> Chain { get; init; }

    /// <summary>The leaf certificate's DER bytes.</summary>
    public ReadOnlyMemory<byte> Leaf => Chain[0];

    /// <summary>The detached SCT (<c>signedCertificateDetachedSct</c>); null when it is embedded in the leaf.</summary>
    public ReadOnlyMemory<byte>? DetachedSct { get; init; }
}

/// <summary>
/// Fulcio's v2 API: <c>POST /api/v2/signingCert</c> with the OIDC token, the PEM public key and a proof of possession
/// (the key's signature over the token's subject, <see cref="IdentityToken.Subject"/>). The answer's chain must certify
/// exactly the key that was sent.
/// </summary>
public sealed class FulcioClient
{
    /// <summary>Most certificates accepted in the answer's chain.</summary>
    public const int MaxChainLength = 10;

    private readonly ServiceEndpoint _endpoint;

    /// <param name="http">Owned by the caller.</param>
    /// <param name="baseUrl">The Fulcio deployment, e.g. https://fulcio.sigstore.dev.</param>
    /// <param name="options">Timeout and answer size; <see cref="ServiceOptions.Default"/> when null.</param>
    public FulcioClient(HttpClient http, Uri baseUrl, ServiceOptions? options = null)
    {
        _endpoint = new ServiceEndpoint(http, "Fulcio", baseUrl, "/api/v2/signingCert", options);
    }

    /// <summary>The endpoint called.</summary>
    public Uri Url => _endpoint.Url;

    /// <summary>Asks for a signing certificate for <paramref name="publicKey"/>.</summary>
    public async Task<FulcioSigningCertificate> CreateSigningCertificateAsync(
        IdentityToken token, PublicKey publicKey, ReadOnlyMemory<byte> proofOfPossession, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(publicKey);
        var request = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(request, JsonWriterDefaults.Compact))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("credentials");
            writer.WriteString("oidcIdentityToken", token.Raw);
            writer.WriteEndObject();
            writer.WriteStartObject("publicKeyRequest");
            writer.WriteStartObject("publicKey");
            writer.WriteString("algorithm", Algorithm(publicKey.Algorithm));
            writer.WriteString("content", publicKey.ToPem());
            writer.WriteEndObject();
            writer.WriteString("proofOfPossession", Convert.ToBase64String(proofOfPossession.Span));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        var answer = await _endpoint.PostAsync(request.WrittenSpan.ToArray(), "application/json", "application/json", cancellationToken).ConfigureAwait(false);
        return ParseResponse(answer, publicKey, Url);
    }

    /// <summary>Reads a <c>SigningCertificate</c> answer and checks that its leaf certifies <paramref name="publicKey"/>.</summary>
    internal static FulcioSigningCertificate ParseResponse(ReadOnlyMemory<byte> answer, PublicKey publicKey, Uri url)
    {
        var json = new StrictJson($"Fulcio answer from {url}", (message, inner) => new SigstoreServiceException(message, url, null, inner));
        using var document = json.Parse(answer);
        var root = json.RequireObject(document.RootElement, string.Empty);
        JsonElement signed;
        ReadOnlyMemory<byte>? sct = null;
        var path = "signedCertificateEmbeddedSct";
        if (StrictJson.TryGet(root, path, out var embedded))
        {
            signed = json.RequireObject(embedded, path);
        }
        else if (StrictJson.TryGet(root, "signedCertificateDetachedSct", out var detached))
        {
            path = "signedCertificateDetachedSct";
            signed = json.RequireObject(detached, path);
            sct = json.Base64(json.RequiredString(signed, "signedCertificateTimestamp", path), path + ".signedCertificateTimestamp");
        }
        else
        {
            throw json.Error("signedCertificateEmbeddedSct", "is missing (and so is signedCertificateDetachedSct): the answer holds no certificate");
        }

        var chainPath = path + ".chain";
        if (!StrictJson.TryGet(signed, "chain", out var chainElement))
        {
            throw json.Error(chainPath, "is required");
        }

        var chain = json.RequireObject(chainElement, chainPath);
        var pems = json.RequiredArray(chain, "certificates", chainPath, MaxChainLength);
        if (pems.IsEmpty)
        {
            throw json.Error(chainPath + ".certificates", "is empty");
        }

        var certificates = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>(pems.Length);
        for (var i = 0; i < pems.Length; i++)
        {
            var itemPath = $"{chainPath}.certificates[{i}]";
            if (pems[i].ValueKind != JsonValueKind.String)
            {
                throw json.Error(itemPath, "must be a PEM string");
            }

            certificates.Add(Der(json, json.Text(pems[i], itemPath), itemPath));
        }

        using var leaf = LoadCertificate(json, certificates[0], chainPath + ".certificates[0]");
        if (!leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(publicKey.SubjectPublicKeyInfo.Span))
        {
            throw json.Error(chainPath + ".certificates[0]", "certifies a different public key than the one sent; refusing the certificate");
        }

        return new FulcioSigningCertificate { Chain = certificates.MoveToImmutable(), DetachedSct = sct };
    }

    private static byte[] Der(StrictJson json, string pem, string path)
    {
        if (!PemEncoding.TryFind(pem, out var fields) || !pem.AsSpan(fields.Label).SequenceEqual("CERTIFICATE"))
        {
            throw json.Error(path, "is not a PEM CERTIFICATE");
        }

        var der = new byte[fields.DecodedDataLength];
        return Convert.TryFromBase64Chars(pem.AsSpan(fields.Base64Data), der, out var written) && written == der.Length
            ? der
            : throw json.Error(path, "holds PEM whose base64 does not decode");
    }

    private static X509Certificate2 LoadCertificate(StrictJson json, ReadOnlyMemory<byte> der, string path)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der.Span);
        }
        catch (CryptographicException e)
        {
            throw json.Error(path, $"is not an X.509 certificate ({e.Message})");
        }
    }

    private static string Algorithm(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 or KeyAlgorithm.EcdsaP384 or KeyAlgorithm.EcdsaP521 => "ECDSA",
        KeyAlgorithm.Ed25519 => "ED25519",
        _ => "RSA_PSS",
    };
}
