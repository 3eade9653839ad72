using System.Collections.Immutable;
using System.Formats.Asn1;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Signet.Sigstore.Certificates.Wire;

namespace Signet.Sigstore.Certificates;

/// <summary>The kind of a subject alternative name.</summary>
public enum SanKind
{
    Email,
    Uri,
    Dns,
    IpAddress,
    OtherName,
}

/// <summary>One subject alternative name of a signing certificate.</summary>
public sealed record SubjectAlternativeName(SanKind Kind, string Value);

/// <summary>
/// A (Fulcio) signing certificate read from DER, with its identities: subject alternative names, the OIDC issuer
/// (extension 1.3.6.1.4.1.57264.1.8, falling back to the deprecated .1.1) and the other Fulcio extensions.
/// Keeps the exact DER bytes.
/// </summary>
public sealed class FulcioCertificate
{
    /// <summary>Largest certificate read.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The subject alternative name extension (RFC 5280 §4.2.1.6).</summary>
    public const string SubjectAlternativeNameOid = "2.5.29.17";

    private static readonly Asn1Tag OtherNameTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag OtherNameValueTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag EmailTag = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag DnsTag = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);
    private static readonly Asn1Tag IpTag = new(TagClass.ContextSpecific, 7);
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private FulcioCertificate(
        byte[] raw,
        CertificateDer der,
        ImmutableArray<SubjectAlternativeName> subjectAlternativeNames,
        ImmutableSortedDictionary<string, string> extensions,
        Signet.Crypto.PublicKey publicKey,
        X509Certificate2 certificate)
    {
        Raw = raw;
        Der = der;
        NotBefore = der.NotBefore;
        NotAfter = der.NotAfter;
        SubjectAlternativeNames = subjectAlternativeNames;
        Extensions = extensions;
        Issuer = extensions.TryGetValue(FulcioExtensions.Issuer, out var issuer) ? issuer
            : extensions.TryGetValue(FulcioExtensions.IssuerV1, out var legacy) ? legacy
            : null;
        PublicKey = publicKey;
        Certificate = certificate;
    }

    public ReadOnlyMemory<byte> Raw { get; }

    public X509Certificate2 Certificate { get; }

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    public ImmutableArray<SubjectAlternativeName> SubjectAlternativeNames { get; }

    /// <summary>The OIDC issuer the identity was verified against; null when the certificate names none.</summary>
    public string? Issuer { get; }

    /// <summary>
    /// Fulcio extensions by OID (1.3.6.1.4.1.57264.1.1 to .1.22, see <see cref="FulcioExtensions"/>), decoded to text:
    /// .1.1 to .1.6 from their raw bytes, .1.8 and later from their DER UTF8String.
    /// </summary>
    public ImmutableSortedDictionary<string, string> Extensions { get; }

    /// <summary>The certified public key.</summary>
    public Signet.Crypto.PublicKey PublicKey { get; }

    /// <summary>The certificate's structure, with the exact bytes of each part.</summary>
    internal CertificateDer Der { get; }

    /// <summary>Reads a DER certificate; throws <see cref="CertificateFormatException"/> for anything that is not one.</summary>
    public static FulcioCertificate Parse(ReadOnlyMemory<byte> der)
    {
        if (der.Length > MaxBytes)
        {
            throw new CertificateFormatException($"certificate is {der.Length} bytes; at most {MaxBytes} are read");
        }

        if (der.IsEmpty)
        {
            throw new CertificateFormatException("certificate is empty; give one DER X.509 certificate");
        }

        if (der.Span[0] == (byte)'-')
        {
            throw new CertificateFormatException("certificate is PEM text; give its DER bytes (the base64 between the BEGIN and END lines, decoded)");
        }

        var raw = der.ToArray();
        try
        {
            var structure = CertificateDer.Read(raw);
            var names = ReadSubjectAlternativeNames(structure.Find(SubjectAlternativeNameOid));
            var extensions = ReadFulcioExtensions(structure.Extensions);
            Signet.Crypto.PublicKey publicKey;
            try
            {
                publicKey = Signet.Crypto.PublicKey.FromSubjectPublicKeyInfo(structure.SubjectPublicKeyInfo.Span);
            }
            catch (CryptographicException e)
            {
                throw new CertificateFormatException($"certificate public key cannot be used: {e.Message}", e);
            }

            return new FulcioCertificate(raw, structure, names, extensions, publicKey, X509CertificateLoader.LoadCertificate(raw));
        }
        catch (AsnContentException e)
        {
            throw new CertificateFormatException($"certificate is not valid DER X.509: {e.Message}", e);
        }
        catch (CryptographicException e)
        {
            throw new CertificateFormatException($"certificate cannot be read: {e.Message}", e);
        }
    }

    private static ImmutableArray<SubjectAlternativeName> ReadSubjectAlternativeNames(CertificateExtension? extension)
    {
        if (extension is null)
        {
            return [];
        }

        var names = ImmutableArray.CreateBuilder<SubjectAlternativeName>();
        var outer = new AsnReader(extension.Value, AsnEncodingRules.DER);
        var sequence = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        while (sequence.HasData)
        {
            var tag = sequence.PeekTag();
            if (tag.HasSameClassAndValue(OtherNameTag) && tag.IsConstructed)
            {
                var otherName = sequence.ReadSequence(OtherNameTag);
                var typeId = otherName.ReadObjectIdentifier();
                var value = otherName.ReadSequence(OtherNameValueTag);
                otherName.ThrowIfNotEmpty();
                if (typeId == FulcioExtensions.OtherNameSan)
                {
                    names.Add(new SubjectAlternativeName(SanKind.OtherName, value.ReadCharacterString(UniversalTagNumber.UTF8String)));
                    value.ThrowIfNotEmpty();
                }
            }
            else if (tag == EmailTag)
            {
                names.Add(new SubjectAlternativeName(SanKind.Email, sequence.ReadCharacterString(UniversalTagNumber.IA5String, EmailTag)));
            }
            else if (tag == DnsTag)
            {
                names.Add(new SubjectAlternativeName(SanKind.Dns, sequence.ReadCharacterString(UniversalTagNumber.IA5String, DnsTag)));
            }
            else if (tag == UriTag)
            {
                names.Add(new SubjectAlternativeName(SanKind.Uri, sequence.ReadCharacterString(UniversalTagNumber.IA5String, UriTag)));
            }
            else if (tag == IpTag)
            {
                var address = sequence.ReadOctetString(IpTag);
                if (address.Length is not (4 or 16))
                {
                    throw new CertificateFormatException($"certificate has an IP address subject alternative name of {address.Length} bytes; an address has 4 or 16");
                }

                names.Add(new SubjectAlternativeName(SanKind.IpAddress, new IPAddress(address).ToString()));
            }
            else
            {
                // x400Address, directoryName, ediPartyName, registeredID: not identities Sigstore matches.
                sequence.ReadEncodedValue();
            }
        }

        return names.ToImmutable();
    }

    private static ImmutableSortedDictionary<string, string> ReadFulcioExtensions(ImmutableArray<CertificateExtension> extensions)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var extension in extensions)
        {
            var number = FulcioExtensions.Number(extension.Oid);
            if (number == 0)
            {
                continue;
            }

            string text;
            if (FulcioExtensions.IsRawValue(number))
            {
                try
                {
                    text = StrictUtf8.GetString(extension.Value.Span);
                }
                catch (DecoderFallbackException e)
                {
                    throw new CertificateFormatException($"certificate extension {extension.Oid} is not UTF-8 text", e);
                }
            }
            else
            {
                text = AsnDecoder.ReadCharacterString(extension.Value.Span, AsnEncodingRules.DER, UniversalTagNumber.UTF8String, out var read);
                if (read != extension.Value.Length)
                {
                    throw new CertificateFormatException(string.Create(CultureInfo.InvariantCulture, $"certificate extension {extension.Oid} has {extension.Value.Length - read} bytes after its UTF8String"));
                }
            }

            builder.Add(extension.Oid, text);
        }

        return builder.ToImmutable();
    }
}
