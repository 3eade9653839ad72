using System.Collections.Immutable;
using System.Formats.Asn1;

namespace Signet.Sigstore.Certificates.Wire;

/// <summary>One extension of a TBSCertificate, with its exact encoding.</summary>
internal sealed record CertificateExtension(string Oid, bool Critical, ReadOnlyMemory<byte> Value, ReadOnlyMemory<byte> Encoded);

/// <summary>
/// The parts of a DER X.509 certificate (RFC 5280 §4.1) that the checks need, each as its exact bytes: the
/// TBSCertificate fields, the validity, the SubjectPublicKeyInfo and the extensions. Reading is strict DER, one
/// certificate, nothing after it; failures are <see cref="AsnContentException"/> or <see cref="CertificateFormatException"/>.
/// </summary>
internal sealed class CertificateDer
{
    private static readonly Asn1Tag VersionTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag ExtensionsTag = new(TagClass.ContextSpecific, 3, isConstructed: true);

    private CertificateDer(
        ImmutableArray<ReadOnlyMemory<byte>> fieldsBeforeExtensions,
        ReadOnlyMemory<byte> subjectPublicKeyInfo,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        ImmutableArray<CertificateExtension> extensions)
    {
        FieldsBeforeExtensions = fieldsBeforeExtensions;
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
        NotBefore = notBefore;
        NotAfter = notAfter;
        Extensions = extensions;
    }

    /// <summary>The encoded TBSCertificate fields from the version (or serial number) up to, not including, the extensions.</summary>
    public ImmutableArray<ReadOnlyMemory<byte>> FieldsBeforeExtensions { get; }

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    public ImmutableArray<CertificateExtension> Extensions { get; }

    public CertificateExtension? Find(string oid) => Extensions.FirstOrDefault(e => e.Oid == oid);

    public static CertificateDer Read(ReadOnlyMemory<byte> der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var encoded = outer.ReadEncodedValue();
        if (outer.HasData)
        {
            throw new CertificateFormatException($"certificate is followed by {der.Length - encoded.Length} more bytes; give exactly one DER certificate");
        }

        var certificate = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
        var tbs = certificate.ReadSequence();
        certificate.ReadSequence(); // signatureAlgorithm
        certificate.ReadBitString(out _);
        certificate.ThrowIfNotEmpty();

        var fields = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>();
        if (tbs.PeekTag().HasSameClassAndValue(VersionTag))
        {
            fields.Add(tbs.ReadEncodedValue());
        }

        fields.Add(tbs.ReadEncodedValue()); // serialNumber
        fields.Add(tbs.ReadEncodedValue()); // signature
        fields.Add(tbs.ReadEncodedValue()); // issuer
        var validity = tbs.ReadEncodedValue();
        fields.Add(validity);
        fields.Add(tbs.ReadEncodedValue()); // subject
        var subjectPublicKeyInfo = tbs.ReadEncodedValue();
        fields.Add(subjectPublicKeyInfo);
        while (tbs.HasData && !tbs.PeekTag().HasSameClassAndValue(ExtensionsTag))
        {
            fields.Add(tbs.ReadEncodedValue()); // issuerUniqueID, subjectUniqueID
        }

        var extensions = tbs.HasData ? ReadExtensions(tbs.ReadSequence(ExtensionsTag)) : [];
        tbs.ThrowIfNotEmpty();

        var (notBefore, notAfter) = ReadValidity(validity);
        return new CertificateDer(fields.ToImmutable(), subjectPublicKeyInfo, notBefore, notAfter, extensions);
    }

    /// <summary>
    /// The TBSCertificate re-encoded without the extension <paramref name="oid"/>: every other field and extension
    /// keeps its exact bytes (RFC 6962 §3.2, the precertificate a CT log signed).
    /// </summary>
    public byte[] EncodeTbsWithout(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var field in FieldsBeforeExtensions)
            {
                writer.WriteEncodedValue(field.Span);
            }

            var kept = Extensions.Where(e => e.Oid != oid).ToList();
            if (kept.Count > 0)
            {
                using (writer.PushSequence(ExtensionsTag))
                using (writer.PushSequence())
                {
                    foreach (var extension in kept)
                    {
                        writer.WriteEncodedValue(extension.Encoded.Span);
                    }
                }
            }
        }

        return writer.Encode();
    }

    private static ImmutableArray<CertificateExtension> ReadExtensions(AsnReader explicitTag)
    {
        var sequence = explicitTag.ReadSequence();
        explicitTag.ThrowIfNotEmpty();
        var extensions = ImmutableArray.CreateBuilder<CertificateExtension>();
        while (sequence.HasData)
        {
            var encoded = sequence.ReadEncodedValue();
            var extension = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
            var oid = extension.ReadObjectIdentifier();
            var critical = extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
            var value = extension.ReadOctetString();
            extension.ThrowIfNotEmpty();
            if (extensions.Any(e => e.Oid == oid))
            {
                throw new CertificateFormatException($"certificate has extension {oid} twice (RFC 5280 §4.2 allows each once)");
            }

            extensions.Add(new CertificateExtension(oid, critical, value, encoded));
        }

        return extensions.ToImmutable();
    }

    private static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) ReadValidity(ReadOnlyMemory<byte> encoded)
    {
        var validity = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
        var notBefore = ReadTime(validity);
        var notAfter = ReadTime(validity);
        validity.ThrowIfNotEmpty();
        return (notBefore, notAfter);
    }

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
}
