using System.Collections.Immutable;
using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Sigstore.Certificates.Wire;
using Signet.Sigstore.TrustedRoots;

namespace Signet.Sigstore.Certificates;

/// <summary>A chain check's outcome and, on success, the chain from the leaf to the trusted root certificate.</summary>
public sealed record ChainResult(CheckResult Result, ImmutableArray<X509Certificate2> Chain);

/// <summary>
/// Path validation of a signing certificate using only the trusted root's certificate authorities (certificates the
/// bundle carries are never trusted), at one observed time (hybrid model), with the codeSigning EKU and the
/// authority's validity window.
/// </summary>
/// <remarks>
/// Fulcio certificates have an empty subject and so a critical SAN, which may hold only Fulcio's OtherName. Go's x509
/// leaves such a SAN "unhandled" and cosign removes it from the unhandled critical extensions before verifying; the
/// OpenSSL chain builder behind <see cref="X509Chain"/> knows the SAN extension whatever it holds, so it passes as in
/// cosign, while any other unknown critical extension fails the chain (CRT1003). Validity is checked on the DER times,
/// inclusive at both ends, so the local time zone and OpenSSL's exclusive notAfter play no part.
/// </remarks>
public static class FulcioChainVerifier
{
    /// <summary>Extended key usage codeSigning (RFC 5280 §4.2.1.12).</summary>
    public const string CodeSigningOid = "1.3.6.1.5.5.7.3.3";

    /// <summary>
    /// Builds the chain of <paramref name="leaf"/> with each certificate authority of <paramref name="root"/> whose
    /// validity window holds <paramref name="time"/>, at <paramref name="time"/>: the authority's last certificate
    /// is the only trust anchor and its other certificates the only intermediates. The first chain that builds wins.
    /// </summary>
    public static ChainResult Verify(FulcioCertificate leaf, TrustedRoot root, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(root);

        if (time < leaf.NotBefore || time > leaf.NotAfter)
        {
            return Failed(CertificateCodes.NotValidAtTime, string.Create(CultureInfo.InvariantCulture,
                $"signing certificate is valid from {leaf.NotBefore:O} to {leaf.NotAfter:O}, but the signature was observed at {time:O}; it was signed while the certificate was {(time < leaf.NotBefore ? "not yet valid" : "expired")}: re-sign to get a new certificate"));
        }

        if (!HasCodeSigning(leaf.Certificate))
        {
            return Failed(CertificateCodes.MissingCodeSigning,
                $"signing certificate has no extended key usage codeSigning ({CodeSigningOid}); only certificates issued for code signing (Fulcio issues them) can sign");
        }

        var authorities = root.CertificateAuthoritiesValidAt(time).ToList();
        if (authorities.Count == 0)
        {
            var windows = string.Join("; ", root.CertificateAuthorities.Select(Describe));
            return Failed(CertificateCodes.NoAuthorityAtTime, string.Create(CultureInfo.InvariantCulture,
                $"no certificate authority of the trusted root is valid at {time:O} (authorities: {(windows.Length == 0 ? "none" : windows)}); the certificate was issued outside the trusted root's windows: use the trusted root of the instance that signed, or re-sign"));
        }

        var failures = new List<string>();
        var onlyTime = true;
        foreach (var authority in authorities)
        {
            var (chain, flags, reason) = Build(leaf, authority, time);
            if (!chain.IsDefault)
            {
                return new ChainResult(CheckResult.Success, chain);
            }

            onlyTime &= flags is X509ChainStatusFlags.NotTimeValid;
            failures.Add($"{Describe(authority)}: {reason}");
        }

        return onlyTime
            ? Failed(CertificateCodes.NotValidAtTime, string.Create(CultureInfo.InvariantCulture,
                $"a certificate of the signing certificate's chain was not valid at {time:O}: {string.Join("; ", failures)}; the signature was made outside the validity of the issuing CA: re-sign"))
            : Failed(CertificateCodes.ChainNotBuilt, string.Create(CultureInfo.InvariantCulture,
                $"signing certificate (issuer '{leaf.Certificate.Issuer}') does not chain to a certificate authority of the trusted root valid at {time:O}: {string.Join("; ", failures)}; check that the trusted root belongs to the instance that issued the certificate"));
    }

    private static (ImmutableArray<X509Certificate2> Chain, X509ChainStatusFlags Flags, string Reason) Build(FulcioCertificate leaf, CertificateAuthority authority, DateTimeOffset time)
    {
        var certificates = new List<X509Certificate2>();
        var validities = new List<CertificateDer>();
        try
        {
            foreach (var der in authority.Certificates)
            {
                validities.Add(CertificateDer.Read(der));
                certificates.Add(X509CertificateLoader.LoadCertificate(der.Span));
            }
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or CertificateFormatException)
        {
            return (default, X509ChainStatusFlags.NoError, $"a certificate of this authority cannot be read ({e.Message})");
        }

        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.Add(certificates[^1]);
        policy.ExtraStore.AddRange(certificates.SkipLast(1).ToArray());
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = time.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        policy.ApplicationPolicy.Add(new Oid(CodeSigningOid));

        // Validity is checked below on the DER times, inclusive at both ends as RFC 5280 and Go's x509 have it:
        // OpenSSL treats a notAfter equal to the verification time as expired.
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        if (!chain.Build(leaf.Certificate))
        {
            var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
            var status = string.Join(", ", chain.ChainStatus.Select(s => $"{s.Status} ({s.StatusInformation.Trim()})"));
            return (default, flags, status.Length == 0 ? "the chain did not build" : status);
        }

        // Each element must be the leaf or one of this authority's certificates, ending at its root.
        var built = ImmutableArray.CreateBuilder<X509Certificate2>();
        built.Add(leaf.Certificate);
        foreach (var element in chain.ChainElements.Skip(1))
        {
            var index = certificates.FindIndex(c => c.RawDataMemory.Span.SequenceEqual(element.Certificate.RawDataMemory.Span));
            if (index < 0)
            {
                return (default, X509ChainStatusFlags.NoError, $"the chain went through '{element.Certificate.Subject}', which is not a certificate of this authority");
            }

            var own = certificates[index];
            var validity = validities[index];
            if (time < validity.NotBefore || time > validity.NotAfter)
            {
                return (default, X509ChainStatusFlags.NotTimeValid, string.Create(CultureInfo.InvariantCulture,
                    $"NotTimeValid ('{own.Subject}' is valid from {validity.NotBefore:O} to {validity.NotAfter:O})"));
            }

            built.Add(own);
        }

        return (built.ToImmutable(), X509ChainStatusFlags.NoError, "");
    }

    private static bool HasCodeSigning(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()
            .Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == CodeSigningOid));

    private static string Describe(CertificateAuthority authority) => string.Create(CultureInfo.InvariantCulture,
        $"'{(authority.Uri.Length > 0 ? authority.Uri : string.Join(",", authority.Subject.Values))}' valid {authority.ValidFor.Start?.ToString("O", CultureInfo.InvariantCulture) ?? "from the beginning"} to {authority.ValidFor.End?.ToString("O", CultureInfo.InvariantCulture) ?? "now"}");

    private static ChainResult Failed(string code, string reason) => new(CheckResult.Fail(code, reason), []);
}
