using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;

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

    private FulcioCertificate()
    {
        throw new NotImplementedException();
    }

    public ReadOnlyMemory<byte> Raw { get; }

    public X509Certificate2 Certificate { get; } = null!;

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    public ImmutableArray<SubjectAlternativeName> SubjectAlternativeNames { get; }

    /// <summary>The OIDC issuer the identity was verified against; null when the certificate names none.</summary>
    public string? Issuer { get; }

    /// <summary>Fulcio extensions by OID (1.3.6.1.4.1.57264.1.*), decoded to text.</summary>
    public ImmutableSortedDictionary<string, string> Extensions { get; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>The certified public key.</summary>
    public Signet.Crypto.PublicKey PublicKey { get; } = null!;

    /// <summary>Reads a DER certificate; throws <see cref="CertificateFormatException"/> for anything that is not one.</summary>
    public static FulcioCertificate Parse(ReadOnlyMemory<byte> der) => throw new NotImplementedException();
}
