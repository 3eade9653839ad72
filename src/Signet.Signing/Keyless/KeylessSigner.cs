using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Signet.Crypto;
using Signet.Crypto.Dsse;
using Signet.Crypto.Keys;
using Signet.Crypto.Signers;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.Services;
using Signet.Sigstore.Timestamps;
using Signet.Sigstore.TransparencyLog;
using Signet.Sigstore.TrustedRoots;

namespace Signet.Signing.Keyless;

/// <summary>What the witnesses gave for one signature: a log entry per transparency log and a timestamp per authority.</summary>
public sealed record KeylessEvidence(ImmutableArray<TransparencyLogEntry> TlogEntries, ImmutableArray<ReadOnlyMemory<byte>> Timestamps);

/// <summary>
/// Keyless signing as cosign and sigstore-js do it: an ephemeral ECDSA P-256 key that lives only in this object's memory
/// (never written anywhere, zeroed on dispose), a Fulcio certificate for it bound to the OIDC identity (proof of
/// possession: the key's signature over the token's subject), and for every signature a Rekor v1 entry and,
/// optionally, RFC 3161 timestamps. Signs like any <see cref="IDigestSigner"/>; the caller asks for the evidence of
/// each signature with <see cref="WitnessAsync"/>.
/// </summary>
public sealed class KeylessSigner : IDigestSigner
{
    private readonly PrivateKey _key;
    private readonly FileSigner _signer;
    private readonly ImmutableArray<RekorClient> _logs;
    private readonly ImmutableArray<TimestampAuthorityClient> _authorities;
    private readonly TrustedRoot? _root;

    private KeylessSigner(
        PrivateKey key, FileSigner signer, string identity, FulcioSigningCertificate certificate, ImmutableArray<RekorClient> logs, ImmutableArray<TimestampAuthorityClient> authorities, TrustedRoot? root)
    {
        Identity = identity;
        _key = key;
        _signer = signer;
        Certificate = certificate;
        _logs = logs;
        _authorities = authorities;
        _root = root;
        CertificatePem = Pem(certificate.Chain.AsSpan(0, 1));
        ChainPem = Pem(certificate.Chain.AsSpan(1, certificate.Chain.Length - 1));
    }

    /// <summary>The identity token's subject (email or sub claim) that the proof of possession signed.</summary>
    public string Identity { get; }

    /// <summary>What Fulcio issued for the ephemeral key.</summary>
    public FulcioSigningCertificate Certificate { get; }

    /// <summary>The leaf certificate as PEM (what Rekor entries and cosign's certificate annotation carry).</summary>
    public string CertificatePem { get; }

    /// <summary>The rest of the chain as concatenated PEM (cosign's chain annotation); empty when Fulcio sent the leaf alone.</summary>
    public string ChainPem { get; }

    public KeyAlgorithm Algorithm => _signer.Algorithm;

    public PublicKey PublicKey => _signer.PublicKey;

    public bool SupportsDigests => true;

    /// <summary>
    /// Makes the ephemeral key and has Fulcio certify it for the token's identity. <paramref name="http"/> is used for
    /// every service call; the caller owns it and keeps it until the signer is disposed.
    /// </summary>
    public static async Task<KeylessSigner> CreateAsync(HttpClient http, KeylessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var fulcio = new FulcioClient(http, options.FulcioUrl, options.Service);
        var logs = options.RekorUrls.Select(url => new RekorClient(http, url, options.Service)).ToImmutableArray();
        var authorities = options.TimestampUrls.IsDefault
            ? []
            : options.TimestampUrls.Select(url => new TimestampAuthorityClient(http, url, options.Service)).ToImmutableArray();
        var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        FileSigner? signer = null;
        try
        {
            signer = key.CreateSigner();
            var proof = signer.Sign(Encoding.UTF8.GetBytes(options.Token.Subject));
            var certificate = await fulcio.CreateSigningCertificateAsync(options.Token, signer.PublicKey, proof, cancellationToken).ConfigureAwait(false);
            if (options.TrustedRoot is not null)
            {
                CheckCertificate(certificate, options.TrustedRoot, fulcio.Url);
            }

            return new KeylessSigner(key, signer, options.Token.Subject, certificate, logs, authorities, options.TrustedRoot);
        }
        catch
        {
            signer?.Dispose();
            key.Dispose();
            throw;
        }
    }

    public Task<byte[]> SignAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) => _signer.SignAsync(message, cancellationToken);

    public Task<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default) => _signer.SignDigestAsync(digest, cancellationToken);

    /// <summary>The <c>hashedrekord</c> entry for a signature over a message with this SHA-256 digest.</summary>
    public ProposedEntry HashedRekord(ReadOnlySpan<byte> sha256, ReadOnlySpan<byte> signature) => RekorEntries.HashedRekordV001(sha256, signature, CertificatePem);

    /// <summary>The <c>dsse</c> entry for a signed envelope.</summary>
    public ProposedEntry Dsse(DsseEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return RekorEntries.DsseV001(envelope.ToJson(DsseJsonLayout.SigstoreBundle), CertificatePem);
    }

    /// <summary>
    /// Uploads <paramref name="entry"/> to every transparency log and has every timestamp authority timestamp
    /// <paramref name="timestamped"/> (the signature bytes, or for cosign's legacy attestations the envelope).
    /// </summary>
    public async Task<KeylessEvidence> WitnessAsync(ProposedEntry entry, ReadOnlyMemory<byte> timestamped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var timestamps = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>(_authorities.Length);
        foreach (var authority in _authorities)
        {
            var timestamp = await authority.TimestampAsync(timestamped, cancellationToken).ConfigureAwait(false);
            if (_root is not null && TimestampVerifier.Verify(timestamp, timestamped.Span, _root).Result is { IsValid: false } failed)
            {
                throw new SigstoreServiceException(
                    $"timestamp authority at {authority.Url} returned a timestamp that does not verify against the trusted root: {failed.Code}: {failed.Reason}", authority.Url, null);
            }

            timestamps.Add(timestamp);
        }

        var entries = ImmutableArray.CreateBuilder<TransparencyLogEntry>(_logs.Length);
        foreach (var log in _logs)
        {
            var created = (await log.CreateEntryAsync(entry, cancellationToken).ConfigureAwait(false)).Entry;
            if (_root is not null)
            {
                CheckEntry(created, _root, log.Url);
            }

            entries.Add(created);
        }

        return new KeylessEvidence(entries.MoveToImmutable(), timestamps.MoveToImmutable());
    }

    /// <summary>
    /// Signs <paramref name="payload"/> into a DSSE envelope, logs it as a <c>dsse</c> entry, timestamps the signature and
    /// returns the v0.3 bundle (certificate, log entries, timestamps, envelope).
    /// </summary>
    public async Task<SigstoreBundle> SignDsseBundleAsync(string payloadType, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var envelope = await DsseEnvelope.SignAsync(this, payloadType, payload, layout: DsseJsonLayout.SigstoreBundle, cancellationToken: cancellationToken).ConfigureAwait(false);
        var evidence = await WitnessAsync(Dsse(envelope), envelope.Signatures[0].Signature, cancellationToken).ConfigureAwait(false);
        return BundleWriter.CreateCertificateSignedDsse(envelope, Certificate.Leaf, evidence.TlogEntries, evidence.Timestamps);
    }

    public void Dispose()
    {
        _signer.Dispose();
        _key.Dispose();
    }

    /// <summary>The leaf must chain to a certificate authority of the trusted root now and carry an SCT of one of its CT logs.</summary>
    private static void CheckCertificate(FulcioSigningCertificate certificate, TrustedRoot root, Uri url)
    {
        FulcioCertificate leaf;
        try
        {
            leaf = FulcioCertificate.Parse(certificate.Leaf);
        }
        catch (CertificateFormatException e)
        {
            throw new SigstoreServiceException($"Fulcio at {url} issued a certificate Signet cannot read: {e.Message}", url, null, e);
        }

        var chain = FulcioChainVerifier.Verify(leaf, root, DateTimeOffset.UtcNow);
        var result = chain.Result.IsValid && chain.Chain.Length > 1 ? SctVerifier.Verify(leaf, chain.Chain[1], root) : chain.Result;
        if (!result.IsValid)
        {
            throw new SigstoreServiceException(
                $"Fulcio at {url} issued a certificate that does not verify against the trusted root: {result.Code}: {result.Reason}; is --trusted-root the root of this deployment?", url, null);
        }
    }

    /// <summary>The entry's SET and inclusion proof must verify with the key the trusted root holds for its log.</summary>
    private static void CheckEntry(TransparencyLogEntry entry, TrustedRoot root, Uri url)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(entry.IntegratedTime);
        var log = root.FindTlog(entry.LogKeyId.Span, time)
            ?? throw new SigstoreServiceException(
                $"Rekor at {url} logged the entry under log id {Convert.ToHexStringLower(entry.LogKeyId.Span)}, which the trusted root does not list for {time:u}; is --trusted-root the root of this deployment?", url, null);
        var key = PublicKey.FromSubjectPublicKeyInfo(log.PublicKeyBytes.Span);
        foreach (var result in new[] { SignedEntryTimestamp.Verify(entry, key), InclusionProofVerifier.Verify(entry, key) })
        {
            if (!result.IsValid)
            {
                throw new SigstoreServiceException($"Rekor at {url} returned entry {entry.LogIndex} that does not verify against the trusted root: {result.Code}: {result.Reason}", url, null);
            }
        }
    }

    private static string Pem(ReadOnlySpan<ReadOnlyMemory<byte>> certificates)
    {
        var pem = new StringBuilder();
        foreach (var certificate in certificates)
        {
            pem.Append(PemEncoding.WriteString("CERTIFICATE", certificate.Span)).Append('\n');
        }

        return pem.ToString();
    }
}
