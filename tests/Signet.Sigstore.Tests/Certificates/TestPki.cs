using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.TrustedRoots;

namespace Signet.Sigstore.Tests.Certificates;

/// <summary>What a leaf made by <see cref="TestPki"/> carries.</summary>
internal sealed record LeafSpec
{
    public DateTimeOffset NotBefore { get; init; } = TestPki.Epoch.AddMinutes(10);

    public DateTimeOffset NotAfter { get; init; } = TestPki.Epoch.AddMinutes(20);

    public bool CodeSigning { get; init; } = true;

    public IReadOnlyList<SubjectAlternativeName> Sans { get; init; } = [new(SanKind.Uri, "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main")];

    public bool SanCritical { get; init; } = true;

    /// <summary>Fulcio extensions by number; .1 to .6 are written raw, the others as DER UTF8String.</summary>
    public IReadOnlyDictionary<int, string> Fulcio { get; init; } = new Dictionary<int, string> { [8] = "https://token.actions.githubusercontent.com" };

    /// <summary>Further extensions, added last.</summary>
    public IReadOnlyList<X509Extension> Extra { get; init; } = [];

    /// <summary>Given the precertificate TBS and the issuer key hash, the TLS-encoded SCT list to embed; null for none.</summary>
    public Func<byte[], byte[], byte[]>? Scts { get; init; }
}

/// <summary>
/// A throw-away Fulcio-like PKI made in-process with <see cref="CertificateRequest"/>: a root, an intermediate and
/// leaves shaped like Fulcio's (empty subject, critical SAN, Fulcio extensions, embedded SCTs signed over the real
/// precertificate TBS), and the trusted_root.json that names them.
/// </summary>
internal sealed class TestPki : IDisposable
{
    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private TestPki(string name, ECDsa rootKey, X509Certificate2 root, ECDsa intermediateKey, X509Certificate2 intermediate)
    {
        Name = name;
        RootKey = rootKey;
        Root = root;
        IntermediateKey = intermediateKey;
        Intermediate = intermediate;
    }

    public string Name { get; }

    public ECDsa RootKey { get; }

    public X509Certificate2 Root { get; }

    public ECDsa IntermediateKey { get; }

    public X509Certificate2 Intermediate { get; }

    public static TestPki Create(string name = "test", DateTimeOffset? caNotBefore = null, DateTimeOffset? caNotAfter = null, string? intermediateEku = FulcioChainVerifier.CodeSigningOid)
    {
        var notBefore = caNotBefore ?? Epoch;
        var notAfter = caNotAfter ?? Epoch.AddYears(10);
        var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var rootRequest = new CertificateRequest($"O={name}, CN={name}-root", rootKey, HashAlgorithmName.SHA384);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        var root = rootRequest.CreateSelfSigned(notBefore, notAfter);

        var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var intermediateRequest = new CertificateRequest($"O={name}, CN={name}-intermediate", intermediateKey, HashAlgorithmName.SHA384);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        if (intermediateEku is not null)
        {
            intermediateRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(intermediateEku)], false));
        }

        intermediateRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intermediateRequest.PublicKey, false));
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var intermediateWithoutKey = intermediateRequest.Create(root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), notBefore, notAfter, [2]);
        var intermediate = X509CertificateLoader.LoadCertificate(intermediateWithoutKey.RawData);
        return new TestPki(name, rootKey, root, intermediateKey, intermediate);
    }

    /// <summary>A Fulcio-shaped leaf issued by the intermediate, as DER.</summary>
    public byte[] IssueLeaf(LeafSpec? spec = null)
    {
        spec ??= new LeafSpec();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7f) | 0x01);
        var generator = X509SignatureGenerator.CreateForECDsa(IntermediateKey);

        CertificateRequest Request(X509Extension? sct)
        {
            var request = new CertificateRequest(new X500DistinguishedName([0x30, 0x00]), key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            if (spec.CodeSigning)
            {
                request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(FulcioChainVerifier.CodeSigningOid)], false));
            }

            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, true, false));
            if (spec.Sans.Count > 0)
            {
                request.CertificateExtensions.Add(new X509Extension(FulcioCertificate.SubjectAlternativeNameOid, EncodeSans(spec.Sans), spec.SanCritical));
            }

            // The SCT list sits between other extensions, as removing it from the middle is the harder case.
            if (sct is not null)
            {
                request.CertificateExtensions.Add(sct);
            }

            foreach (var (number, value) in spec.Fulcio.OrderBy(p => p.Key))
            {
                var oid = string.Create(CultureInfo.InvariantCulture, $"{FulcioExtensions.Arc}.{number}");
                request.CertificateExtensions.Add(new X509Extension(oid, FulcioExtensions.IsRawValue(number) ? Encoding.UTF8.GetBytes(value) : Utf8String(value), false));
            }

            foreach (var extension in spec.Extra)
            {
                request.CertificateExtensions.Add(extension);
            }

            return request;
        }

        using var precertificate = Request(null).Create(Intermediate.SubjectName, generator, spec.NotBefore, spec.NotAfter, serial);
        if (spec.Scts is null)
        {
            return precertificate.RawData;
        }

        var tbs = FulcioCertificate.Parse(precertificate.RawData).Der.EncodeTbsWithout(SctVerifier.SctListOid);
        var issuerKeyHash = SHA256.HashData(Intermediate.PublicKey.ExportSubjectPublicKeyInfo());
        var list = spec.Scts(tbs, issuerKeyHash);
        var octets = new AsnWriter(AsnEncodingRules.DER);
        octets.WriteOctetString(list);
        using var final = Request(new X509Extension(SctVerifier.SctListOid, octets.Encode(), false)).Create(Intermediate.SubjectName, generator, spec.NotBefore, spec.NotAfter, serial);
        return final.RawData;
    }

    /// <summary>A trusted_root.json with this PKI as its one certificate authority (and the given CT logs).</summary>
    public TrustedRoot TrustedRoot(DateTimeOffset? start = null, DateTimeOffset? end = null, params JsonObject[] ctlogs) =>
        TrustedRootOf([Authority(start ?? Epoch, end)], ctlogs);

    /// <summary>The certificateAuthorities entry of this PKI: intermediate then root, as trusted_root.json orders them.</summary>
    public JsonObject Authority(DateTimeOffset start, DateTimeOffset? end = null, bool withIntermediate = true)
    {
        var certificates = new JsonArray();
        if (withIntermediate)
        {
            certificates.Add(new JsonObject { ["rawBytes"] = Convert.ToBase64String(Intermediate.RawData) });
        }

        certificates.Add(new JsonObject { ["rawBytes"] = Convert.ToBase64String(Root.RawData) });
        return new JsonObject
        {
            ["subject"] = new JsonObject { ["organization"] = Name, ["commonName"] = Name },
            ["uri"] = $"https://fulcio.{Name}.example",
            ["certChain"] = new JsonObject { ["certificates"] = certificates },
            ["validFor"] = Window(start, end),
        };
    }

    public static TrustedRoot TrustedRootOf(JsonObject[] authorities, JsonObject[] ctlogs) =>
        Signet.Sigstore.TrustedRoots.TrustedRoot.Parse(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["mediaType"] = "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            ["certificateAuthorities"] = new JsonArray([.. authorities]),
            ["ctlogs"] = new JsonArray([.. ctlogs]),
        }.ToJsonString()));

    /// <summary>A ctlogs entry for a log key (SubjectPublicKeyInfo DER), with log id = SHA-256 of that DER.</summary>
    public static JsonObject CtLog(byte[] subjectPublicKeyInfo, string keyDetails, DateTimeOffset start, DateTimeOffset? end = null) => new()
    {
        ["baseUrl"] = "https://ctfe.test.example/test",
        ["hashAlgorithm"] = "SHA2_256",
        ["publicKey"] = new JsonObject
        {
            ["rawBytes"] = Convert.ToBase64String(subjectPublicKeyInfo),
            ["keyDetails"] = keyDetails,
            ["validFor"] = Window(start, end),
        },
        ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(SHA256.HashData(subjectPublicKeyInfo)) },
    };

    public static byte[] Utf8String(string value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
        return writer.Encode();
    }

    public static byte[] EncodeSans(IEnumerable<SubjectAlternativeName> sans)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var san in sans)
            {
                switch (san.Kind)
                {
                    case SanKind.Email:
                        writer.WriteCharacterString(UniversalTagNumber.IA5String, san.Value, new Asn1Tag(TagClass.ContextSpecific, 1));
                        break;
                    case SanKind.Dns:
                        writer.WriteCharacterString(UniversalTagNumber.IA5String, san.Value, new Asn1Tag(TagClass.ContextSpecific, 2));
                        break;
                    case SanKind.Uri:
                        writer.WriteCharacterString(UniversalTagNumber.IA5String, san.Value, new Asn1Tag(TagClass.ContextSpecific, 6));
                        break;
                    case SanKind.IpAddress:
                        writer.WriteOctetString(System.Net.IPAddress.Parse(san.Value).GetAddressBytes(), new Asn1Tag(TagClass.ContextSpecific, 7));
                        break;
                    default:
                        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                        {
                            writer.WriteObjectIdentifier(FulcioExtensions.OtherNameSan);
                            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                            {
                                writer.WriteCharacterString(UniversalTagNumber.UTF8String, san.Value);
                            }
                        }

                        break;
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>
    /// The certificate with extension <paramref name="oid"/> written twice; CertificateRequest refuses to, so the TBS is
    /// re-encoded by hand (the signature no longer matches, which parsing does not look at).
    /// </summary>
    public static byte[] WithDuplicateExtension(byte[] der, string oid)
    {
        var structure = Signet.Sigstore.Certificates.Wire.CertificateDer.Read(der);
        var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        outer.ReadEncodedValue();
        var signatureAlgorithm = outer.ReadEncodedValue();
        var signature = outer.ReadEncodedValue();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                foreach (var field in structure.FieldsBeforeExtensions)
                {
                    writer.WriteEncodedValue(field.Span);
                }

                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3, true)))
                using (writer.PushSequence())
                {
                    foreach (var extension in structure.Extensions)
                    {
                        writer.WriteEncodedValue(extension.Encoded.Span);
                    }

                    writer.WriteEncodedValue(structure.Find(oid)!.Encoded.Span);
                }
            }

            writer.WriteEncodedValue(signatureAlgorithm.Span);
            writer.WriteEncodedValue(signature.Span);
        }

        return writer.Encode();
    }

    /// <summary>
    /// The certificate with its TBSCertificate length in a non-minimal (BER, not DER) form. X509Certificate2 loads it
    /// and keeps those bytes, as OpenSSL keeps the signed encoding; strict DER readers refuse it.
    /// </summary>
    public static byte[] WithBerTbsLength(byte[] der)
    {
        Assert.Equal([0x30, 0x82], der[..2]);
        Assert.Equal([0x30, 0x82], der[4..6]);
        var outerLength = ((der[2] << 8) | der[3]) + 1;
        return [0x30, 0x82, (byte)(outerLength >> 8), (byte)outerLength, 0x30, 0x83, 0x00, .. der[6..]];
    }

    public void Dispose()
    {
        Root.Dispose();
        Intermediate.Dispose();
        RootKey.Dispose();
        IntermediateKey.Dispose();
    }

    private static JsonObject Window(DateTimeOffset start, DateTimeOffset? end)
    {
        var window = new JsonObject { ["start"] = start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) };
        if (end is { } e)
        {
            window["end"] = e.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }

        return window;
    }
}
