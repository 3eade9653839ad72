using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Crypto;
using Signet.Sigstore.Certificates.Wire;
using Signet.Sigstore.TrustedRoots;
using PublicKey = Signet.Crypto.PublicKey;

namespace Signet.Sigstore.Certificates;

/// <summary>Embedded signed certificate timestamps (RFC 6962) checked against the trusted root's CT logs.</summary>
public static class SctVerifier
{
    /// <summary>The embedded SCT list extension (RFC 6962 §3.3).</summary>
    public const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";

    /// <summary>
    /// At least <paramref name="threshold"/> embedded SCTs must verify over the rebuilt precertificate.
    /// <paramref name="issuer"/> is the certificate that issued <paramref name="leaf"/> (the second element of the
    /// verified chain): its SubjectPublicKeyInfo hash is part of what the log signed.
    /// </summary>
    public static CheckResult Verify(FulcioCertificate leaf, X509Certificate2 issuer, TrustedRoot root, int threshold = 1)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);

        var extension = leaf.Der.Find(SctListOid);
        if (extension is null)
        {
            return CheckResult.Fail(CertificateCodes.NoSct,
                $"signing certificate has no embedded SCT list (extension {SctListOid}): it was not logged to certificate transparency; re-sign against a Fulcio that logs its certificates");
        }

        if (!SignedCertificateTimestamp.TryReadList(extension.Value, out var scts, out var problem))
        {
            return CheckResult.Fail(CertificateCodes.MalformedSctList,
                $"signing certificate's embedded SCT list cannot be read: {problem}; the certificate is damaged or not from Fulcio");
        }

        byte[] issuerKeyHash;
        try
        {
            issuerKeyHash = SHA256.HashData(CertificateDer.Read(issuer.RawDataMemory).SubjectPublicKeyInfo.Span);
        }
        catch (Exception e) when (e is System.Formats.Asn1.AsnContentException or CertificateFormatException)
        {
            return CheckResult.Fail(CertificateCodes.MalformedCertificate, $"issuing certificate '{issuer.Subject}' cannot be read: {e.Message}");
        }

        var tbs = leaf.Der.EncodeTbsWithout(SctListOid);
        var verified = 0;
        var failures = new List<CheckResult>();
        for (var i = 0; i < scts.Length; i++)
        {
            var result = VerifyOne(scts[i], i, issuerKeyHash, tbs, root);
            if (result.IsValid)
            {
                verified++;
            }
            else
            {
                failures.Add(result);
            }
        }

        if (verified >= threshold)
        {
            return CheckResult.Success;
        }

        var reasons = string.Join("; ", failures.Select(f => $"{f.Code}: {f.Reason}"));
        return verified == 0
            ? CheckResult.Fail(failures[0].Code!, failures.Count == 1 ? failures[0].Reason! : $"no embedded SCT verified: {reasons}")
            : CheckResult.Fail(CertificateCodes.SctThresholdNotMet, string.Create(CultureInfo.InvariantCulture,
                $"{verified} of {scts.Length} embedded SCTs verified, {threshold} required{(failures.Count > 0 ? $" ({reasons})" : "")}; the certificate was not logged to enough CT logs of the trusted root"));
    }

    private static CheckResult VerifyOne(SignedCertificateTimestamp sct, int index, byte[] issuerKeyHash, byte[] tbs, TrustedRoot root)
    {
        var logId = Convert.ToHexStringLower(sct.LogId.Span);
        var logs = root.CtlogsByKeyId(sct.LogId.Span).ToList();
        if (logs.Count == 0)
        {
            return CheckResult.Fail(CertificateCodes.UnknownCtLog,
                $"SCT {index} is from CT log {logId}, which the trusted root does not list; use the trusted root of the instance that issued the certificate");
        }

        if (sct.Timestamp > (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return CheckResult.Fail(CertificateCodes.MalformedSctList, string.Create(CultureInfo.InvariantCulture, $"SCT {index} has timestamp {sct.Timestamp}, past any date"));
        }

        var time = DateTimeOffset.FromUnixTimeMilliseconds((long)sct.Timestamp);
        var log = root.FindCtlog(sct.LogId.Span, time);
        if (log is null)
        {
            return CheckResult.Fail(CertificateCodes.SctOutsideLogValidity, string.Create(CultureInfo.InvariantCulture,
                $"SCT {index} was signed at {time:O} by CT log {logId}, outside the validity of that log's key in the trusted root ({string.Join(", ", logs.Select(l => $"{l.ValidFor.Start:O} to {(l.ValidFor.End is { } end ? end.ToString("O", CultureInfo.InvariantCulture) : "now")}"))})"));
        }

        PublicKey key;
        try
        {
            key = PublicKey.FromSubjectPublicKeyInfo(log.PublicKeyBytes.Span);
        }
        catch (CryptographicException e)
        {
            return CheckResult.Fail(CertificateCodes.SctSignatureInvalid, $"SCT {index}: the key of CT log {logId} in the trusted root cannot be used ({e.Message})");
        }

        var signed = sct.SignedData(issuerKeyHash, tbs);
        var valid = (sct.HashAlgorithm, sct.SignatureAlgorithm, key.Algorithm) switch
        {
            (8, 7, KeyAlgorithm.Ed25519) => key.Verify(signed, sct.Signature.Span),
            (var hash and (4 or 5 or 6), 3, KeyAlgorithm.EcdsaP256 or KeyAlgorithm.EcdsaP384 or KeyAlgorithm.EcdsaP521) => VerifyDigest(key, hash, signed, sct),
            (var hash and (4 or 5 or 6), 1, KeyAlgorithm.Rsa2048 or KeyAlgorithm.Rsa3072 or KeyAlgorithm.Rsa4096) => VerifyDigest(key, hash, signed, sct),
            _ => (bool?)null,
        };
        return valid switch
        {
            true => CheckResult.Success,
            false => CheckResult.Fail(CertificateCodes.SctSignatureInvalid,
                $"SCT {index}: the signature of CT log {logId} does not verify over the precertificate rebuilt from the signing certificate; the certificate or its SCT was altered"),
            null => CheckResult.Fail(CertificateCodes.SctSignatureInvalid, string.Create(CultureInfo.InvariantCulture,
                $"SCT {index}: hash algorithm {sct.HashAlgorithm} with signature algorithm {sct.SignatureAlgorithm} does not fit the {key.Algorithm} key of CT log {logId}")),
        };
    }

    private static bool VerifyDigest(PublicKey key, byte hash, byte[] signed, SignedCertificateTimestamp sct)
    {
        // RFC 5246 §7.4.1.4.1 HashAlgorithm: sha256(4), sha384(5), sha512(6).
        var (name, digest) = hash switch
        {
            4 => (HashAlgorithmName.SHA256, SHA256.HashData(signed)),
            5 => (HashAlgorithmName.SHA384, SHA384.HashData(signed)),
            _ => (HashAlgorithmName.SHA512, SHA512.HashData(signed)),
        };
        return key.VerifyDigest(digest, name, sct.Signature.Span);
    }
}
