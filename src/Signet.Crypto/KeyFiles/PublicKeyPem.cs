using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Crypto.KeyFiles;

/// <summary>
/// Reads a verification key from PEM: a <c>PUBLIC KEY</c> (SubjectPublicKeyInfo, what generate-key-pair writes as
/// NAME.pub) or a <c>CERTIFICATE</c> (its subject public key; the certificate itself is not validated here).
/// Errors: <see cref="KeyFileFormatException"/> for malformed PEM, <see cref="KeyFileException"/> otherwise.
/// </summary>
public static class PublicKeyPem
{
    public const string PublicKeyLabel = "PUBLIC KEY";
    public const string CertificateLabel = "CERTIFICATE";

    public static PublicKey Parse(ReadOnlySpan<char> text, string keySource)
    {
        var (label, data) = KeyPem.ReadFirst(text, keySource);
        try
        {
            switch (label)
            {
                case PublicKeyLabel:
                    return PublicKey.FromSubjectPublicKeyInfo(data);
                case CertificateLabel:
                    using (var certificate = X509CertificateLoader.LoadCertificate(data))
                    {
                        return PublicKey.FromSubjectPublicKeyInfo(certificate.PublicKey.ExportSubjectPublicKeyInfo());
                    }

                default:
                    throw new KeyFileException(KeyFileError.UnsupportedKey, keySource,
                        $"PEM type '{KeyPem.Printable(label)}' is not a public key or certificate; give the .pub file or a PEM certificate");
            }
        }
        catch (CryptographicException e) when (e is not KeyFileException)
        {
            throw new KeyFileException(KeyFileError.InvalidKey, keySource, $"the {label} does not hold a usable public key: {e.Message}", e);
        }
    }

    /// <summary>The <c>PUBLIC KEY</c> PEM with a final newline (as cosign writes NAME.pub).</summary>
    public static string Write(PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return KeyPem.Write(PublicKeyLabel, key.SubjectPublicKeyInfo.Span);
    }
}
