using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using Signet.Sigstore.TrustedRoots;

namespace Signet.Sigstore.Timestamps;

/// <summary>A timestamp that verified, and the authority that made it.</summary>
public sealed record VerifiedTimestamp(DateTimeOffset Time, string Authority);

/// <summary>A timestamp check's outcome and, on success, the verified time.</summary>
public sealed record TimestampResult(CheckResult Result, VerifiedTimestamp? Timestamp);

/// <summary>RFC 3161 signed timestamps over a signature, checked against the trusted root's timestamp authorities.</summary>
/// <remarks>
/// Sigstore bundles carry <c>signedTimestamp</c> as a DER TimeStampResp (RFC 3161 §2.4.2; sigstore-go and
/// sigstore-python parse a response, and every sigstore-conformance bundle holds one); a bare TimeStampToken (CMS
/// ContentInfo) is accepted too. The token's signer must be the first certificate of a trusted-root timestamp
/// authority. Certificates embedded in the token are never trusted: the one that names itself as the signer must be
/// byte-identical to that certificate, and the others are ignored.
/// </remarks>
public static class TimestampVerifier
{
    /// <summary>Largest signed timestamp read.</summary>
    public const int MaxBytes = 64 * 1024;

    private const string TimeStampingUsage = "1.3.6.1.5.5.7.3.8";

    private const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";

    /// <summary>
    /// Verifies that <paramref name="signedTimestamp"/> is a timestamp over the hash of <paramref name="signature"/>,
    /// signed by a timestamp authority of <paramref name="root"/> whose validity (inclusive) and signing certificate
    /// cover the timestamp's time. Never throws for untrusted input.
    /// </summary>
    public static TimestampResult Verify(ReadOnlyMemory<byte> signedTimestamp, ReadOnlySpan<byte> signature, TrustedRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (signedTimestamp.IsEmpty)
        {
            return Fail(TimestampCodes.Malformed, "the RFC 3161 signed timestamp is empty; the bundle's timestampVerificationData must hold a DER TimeStampResp");
        }

        if (signedTimestamp.Length > MaxBytes)
        {
            return Fail(TimestampCodes.TooLarge, $"the RFC 3161 signed timestamp is {signedTimestamp.Length} bytes, more than the {MaxBytes} allowed; a real timestamp is a few KiB, so the bundle is damaged or hostile");
        }

        try
        {
            var token = Decode(signedTimestamp, out var failure);
            return token is null ? new TimestampResult(failure, null) : VerifyToken(token, signature, root);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return Fail(TimestampCodes.Malformed, $"the RFC 3161 signed timestamp is not a DER TimeStampResp or TimeStampToken ({e.Message}); obtain a new timestamp from the authority");
        }
    }

    private static DecodedToken? Decode(ReadOnlyMemory<byte> raw, out CheckResult failure)
    {
        failure = CheckResult.Success;
        var reader = new AsnReader(raw, AsnEncodingRules.DER);
        var outer = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        var tokenBytes = raw;
        if (!outer.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
        {
            // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
            var statusInfo = outer.ReadSequence();
            if (!statusInfo.TryReadInt32(out var status) || status is not (0 or 1))
            {
                failure = CheckResult.Fail(TimestampCodes.NotGranted, "the RFC 3161 TimeStampResp status is not granted (0) or grantedWithMods (1): the authority refused the request; request a new timestamp");
                return null;
            }

            if (!outer.HasData)
            {
                failure = CheckResult.Fail(TimestampCodes.NotGranted, "the RFC 3161 TimeStampResp is granted but carries no TimeStampToken; request a new timestamp");
                return null;
            }

            tokenBytes = outer.ReadEncodedValue();
            outer.ThrowIfNotEmpty();
        }

        var cms = new SignedCms();
        cms.Decode(tokenBytes.Span);
        if (cms.ContentInfo.ContentType.Value != TstInfoContentType || cms.SignerInfos.Count != 1
            || !Rfc3161TimestampTokenInfo.TryDecode(cms.ContentInfo.Content, out var info, out var consumed) || consumed != cms.ContentInfo.Content.Length)
        {
            failure = CheckResult.Fail(TimestampCodes.Malformed, "the RFC 3161 TimeStampToken is not a CMS SignedData over a TSTInfo with exactly one signer; obtain a new timestamp from the authority");
            return null;
        }

        return new DecodedToken(tokenBytes, cms.SignerInfos[0], info);
    }

    private static TimestampResult VerifyToken(DecodedToken token, ReadOnlySpan<byte> signature, TrustedRoot root)
    {
        var info = token.Info;
        var hashAlgorithm = info.HashAlgorithmId.Value switch
        {
            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            _ => (HashAlgorithmName?)null,
        };
        if (hashAlgorithm is not { } algorithm)
        {
            return Fail(TimestampCodes.UnsupportedHashAlgorithm, $"the RFC 3161 timestamp's message imprint uses hash algorithm {info.HashAlgorithmId.Value}; only SHA-256, SHA-384 and SHA-512 are accepted");
        }

        var hash = CryptographicOperations.HashData(algorithm, signature);
        if (!CryptographicOperations.FixedTimeEquals(hash, info.GetMessageHash().Span))
        {
            return Fail(TimestampCodes.ImprintMismatch, $"the RFC 3161 timestamp's message imprint is not the {algorithm.Name} of the bundle's signature: the timestamp was made for another signature");
        }

        if (root.TimestampAuthorities.IsEmpty)
        {
            return Fail(TimestampCodes.UntrustedAuthority, "the trusted root lists no timestamp authorities, so no RFC 3161 timestamp can be trusted; use a trusted root with timestampAuthorities");
        }

        TimestampResult? closest = null;
        foreach (var authority in root.TimestampAuthorities)
        {
            var result = VerifyWith(token, hash, authority);
            if (result.Result.IsValid)
            {
                return result;
            }

            if (result.Result.Code != TimestampCodes.UntrustedAuthority || closest is null)
            {
                closest = result;
            }
        }

        return closest!;
    }

    private static TimestampResult VerifyWith(DecodedToken token, byte[] hash, CertificateAuthority authority)
    {
        var name = Name(authority);
        X509Certificate2[] chain;
        try
        {
            chain = [.. authority.Certificates.Select(c => X509CertificateLoader.LoadCertificate(c.Span))];
        }
        catch (CryptographicException e)
        {
            return Fail(TimestampCodes.UntrustedAuthority, $"timestamp authority '{name}' in the trusted root has a certificate that cannot be read ({e.Message}); fix the trusted root");
        }

        try
        {
            var leaf = chain[0];
            if (!IsSigner(token.Signer, leaf))
            {
                return Fail(TimestampCodes.UntrustedAuthority, $"the RFC 3161 timestamp was not signed by a timestamp authority of the trusted root (last tried '{name}'); timestamps from other authorities are not trusted");
            }

            try
            {
                token.Signer.CheckSignature(new X509Certificate2Collection(leaf), verifySignatureOnly: true);
            }
            catch (CryptographicException e)
            {
                return Fail(TimestampCodes.BadSignature, $"the RFC 3161 timestamp names the certificate of timestamp authority '{name}' as signer, but its signature does not verify with it ({e.Message}): the timestamp was altered");
            }

            var trust = CheckTrust(chain, authority, name, token.Info.Timestamp);
            if (trust.Result.IsValid && !IsBoundToSigner(token, hash, leaf))
            {
                return Fail(TimestampCodes.BadSignature, $"the RFC 3161 timestamp's ESS signing-certificate attribute does not identify the certificate of timestamp authority '{name}'; the timestamp is not bound to its signer");
            }

            return trust;
        }
        finally
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>RFC 3161 §2.4.1 (and RFC 5816): the ESS signing-certificate attribute names this very certificate.</summary>
    private static bool IsBoundToSigner(DecodedToken token, byte[] hash, X509Certificate2 leaf)
    {
        if (!Rfc3161TimestampToken.TryDecode(token.Encoded, out var strict, out var consumed) || consumed != token.Encoded.Length
            || !strict.VerifySignatureForHash(hash, token.Info.HashAlgorithmId, out var signer, new X509Certificate2Collection(leaf)))
        {
            return false;
        }

        if (!ReferenceEquals(signer, leaf))
        {
            signer.Dispose();
        }

        return true;
    }

    private static TimestampResult CheckTrust(X509Certificate2[] chain, CertificateAuthority authority, string name, DateTimeOffset time)
    {
        var leaf = chain[0];
        if (!authority.ValidFor.Contains(time))
        {
            return Fail(TimestampCodes.OutsideAuthorityValidity, $"the RFC 3161 timestamp's time {time:O} is outside the validity of timestamp authority '{name}' in the trusted root ({authority.ValidFor.Start:O} to {authority.ValidFor.End:O}); the authority was not trusted then");
        }

        var notBefore = new DateTimeOffset(leaf.NotBefore);
        var notAfter = new DateTimeOffset(leaf.NotAfter);
        if (time < notBefore || time > notAfter)
        {
            return Fail(TimestampCodes.OutsideCertificateValidity, $"the RFC 3161 timestamp's time {time:O} is outside the validity of the signing certificate of '{name}' ({notBefore:O} to {notAfter:O})");
        }

        if (!leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == TimeStampingUsage)))
        {
            return Fail(TimestampCodes.MissingTimestampingUsage, $"the signing certificate of timestamp authority '{name}' lacks the extended key usage timeStamping ({TimeStampingUsage}); it may not issue timestamps");
        }

        using var x509Chain = new X509Chain();
        var policy = x509Chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = time.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        policy.CustomTrustStore.Add(chain[^1]);
        policy.ExtraStore.AddRange(chain.Length > 2 ? chain[1..^1] : []);
        if (!x509Chain.Build(leaf))
        {
            var statuses = string.Join("; ", x509Chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
            return Fail(TimestampCodes.ChainInvalid, $"the signing certificate of timestamp authority '{name}' does not chain to its trusted-root certificate at {time:O}: {statuses}");
        }

        return new TimestampResult(CheckResult.Success, new VerifiedTimestamp(time, name));
    }

    /// <summary>
    /// True when the SignerInfo identifies <paramref name="leaf"/> (issuer and serial, or key id) and the embedded
    /// certificate matching that identifier, if any, is byte-for-byte that certificate. Embedded certificates that do
    /// not match the identifier play no part: embedded certificates are never trusted.
    /// </summary>
    private static bool IsSigner(SignerInfo signer, X509Certificate2 leaf)
    {
        // The SignerInfo owns (and caches) its embedded certificate: not disposed here.
        if (signer.Certificate is { } embedded)
        {
            return embedded.RawData.AsSpan().SequenceEqual(leaf.RawData);
        }

        var identifier = signer.SignerIdentifier;
        return identifier.Value switch
        {
            X509IssuerSerial issuerSerial => issuerSerial.IssuerName == leaf.IssuerName.Name
                && string.Equals(issuerSerial.SerialNumber, leaf.SerialNumber, StringComparison.OrdinalIgnoreCase),
            string keyId when identifier.Type == SubjectIdentifierType.SubjectKeyIdentifier =>
                leaf.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any(e => string.Equals(e.SubjectKeyIdentifier, keyId, StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
    }

    private static string Name(CertificateAuthority authority) =>
        authority.Uri.Length > 0 ? authority.Uri : string.Join(", ", authority.Subject.Select(p => $"{p.Key}={p.Value}"));

    private static TimestampResult Fail(string code, string reason) => new(CheckResult.Fail(code, reason), null);

    /// <summary>A structurally valid TimeStampToken: its DER bytes, its single signer and its TSTInfo.</summary>
    private sealed record DecodedToken(ReadOnlyMemory<byte> Encoded, SignerInfo Signer, Rfc3161TimestampTokenInfo Info);
}
