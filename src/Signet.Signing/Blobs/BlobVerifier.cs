using System.Collections.Immutable;
using System.Security.Cryptography;
using Signet.Crypto;
using Signet.Oci;
using Signet.Sigstore.Bundles;

namespace Signet.Signing.Blobs;

/// <summary>The outcome of verifying a file against a bundle and a key: every failed check, each with a stable code.</summary>
public sealed record BlobVerificationResult
{
    public bool Passed => Problems.IsEmpty;

    public required ImmutableArray<BlobProblem> Problems { get; init; }

    /// <summary>The file's SHA-256; null when the file was not read (the bundle was unusable).</summary>
    public Digest? ArtifactDigest { get; init; }

    /// <summary>The file's length in bytes; null when it was not read.</summary>
    public long? Length { get; init; }

    /// <summary>The bundle's <c>messageDigest.algorithm</c>; null when the bundle has none.</summary>
    public BundleHashAlgorithm? DigestAlgorithm { get; init; }

    public required KeyAlgorithm KeyAlgorithm { get; init; }

    /// <summary>The bundle's <c>publicKey.hint</c> (null when absent or not a keyed bundle).</summary>
    public string? BundleKeyHint { get; init; }

    /// <summary>The hint of the key verified with (base64 SHA-256 of its SubjectPublicKeyInfo), as Signet and cosign write it.</summary>
    public required string KeyHint { get; init; }

    /// <summary>
    /// Transparency log entries in the bundle. They are not verified (keyed verification without a log, as
    /// <c>cosign verify-blob --key --insecure-ignore-tlog</c>): the count is reported so a caller can tell.
    /// </summary>
    public int IgnoredTlogEntries { get; init; }
}

/// <summary>
/// Verifies a file against a Sigstore bundle holding a <c>messageSignature</c> and a public key delivered out of band
/// (what <c>signet sign-blob</c>, <c>cosign sign-blob --key</c> and a keyed sigstore-js signer write): the bundle's
/// structure, that the file hashes to <c>messageDigest</c>, and that the signature verifies over the file with the key.
/// The file is read once; the signature is checked over the key's hash (and the message digest's hash when it
/// differs, as older cosign signed P-384 with SHA-256). Never throws for a bad bundle or file: problems come back as
/// data. Transparency log entries are not checked (see <see cref="BlobVerificationResult.IgnoredTlogEntries"/>).
/// </summary>
public static class BlobVerifier
{
    public static async Task<BlobVerificationResult> VerifyAsync(
        PublicKey key, ReadOnlyMemory<byte> bundleJson, Stream content, string source, BlobOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(source);
        options ??= BlobOptions.Default;
        options.Validate();

        var problems = ImmutableArray.CreateBuilder<BlobProblem>();
        void Add(string code, BlobCheckStep step, string message) => problems.Add(new BlobProblem { Code = code, Step = step, Message = message });
        var keyHint = BundleWriter.PublicKeyHint(key);
        BlobVerificationResult Result(BlobRead? read = null, SigstoreBundle? bundle = null) => new()
        {
            Problems = problems.ToImmutable(),
            ArtifactDigest = read is null ? null : Digest.FromHash(Digest.Sha256, read.Digests[HashAlgorithmName.SHA256]),
            Length = read?.Length,
            DigestAlgorithm = bundle?.MessageSignature?.MessageDigest?.Algorithm,
            KeyAlgorithm = key.Algorithm,
            BundleKeyHint = bundle?.VerificationMaterial is { Kind: VerificationMaterialKind.PublicKey } m ? m.PublicKeyHint : null,
            KeyHint = keyHint,
            IgnoredTlogEntries = bundle?.VerificationMaterial?.TlogEntries.Length ?? 0,
        };

        if (bundleJson.Length > options.MaxBundleBytes)
        {
            Add(BlobCodes.MalformedBundle, BlobCheckStep.Bundle,
                $"the bundle is {bundleJson.Length} bytes; a blob's bundle is a few KiB and at most {options.MaxBundleBytes} are read: is it the right file?");
            return Result();
        }

        var readResult = SigstoreBundle.Read(bundleJson);
        foreach (var problem in readResult.Problems)
        {
            Add(BlobCodes.MalformedBundle, BlobCheckStep.Bundle, $"the bundle is not a valid Sigstore bundle ({problem.Code}: {problem.Message})");
        }

        if (readResult.Bundle is not { } bundle)
        {
            return Result();
        }

        if (bundle.ContentKind != BundleContentKind.MessageSignature || bundle.MessageSignature is not { } message)
        {
            if (bundle.ContentKind == BundleContentKind.DsseEnvelope)
            {
                Add(BlobCodes.NotMessageSignature, BlobCheckStep.Bundle,
                    "the bundle holds a DSSE envelope (an image signature or attestation), not a signature over a file's bytes; verify it with signet verify or verify-attestation");
            }

            return Result(bundle: bundle);
        }

        if (bundle.VerificationMaterial is { Kind: VerificationMaterialKind.Certificate or VerificationMaterialKind.X509CertificateChain })
        {
            Add(BlobCodes.NotKeyed, BlobCheckStep.Material,
                "the bundle carries a signing certificate (keyless signing), not a public-key hint, so no key verifies it; verify it with --certificate-identity and --certificate-oidc-issuer instead of --key");
        }

        HashAlgorithmName? messageHash = null;
        if (message.MessageDigest is not { } messageDigest)
        {
            Add(BlobCodes.UnsupportedDigest, BlobCheckStep.Digest,
                "the bundle's messageSignature has no messageDigest, so the file cannot be matched to it; re-sign the file with signet sign-blob or cosign sign-blob --bundle");
        }
        else if (BlobHashes.FromBundle(messageDigest.Algorithm) is not { } known)
        {
            Add(BlobCodes.UnsupportedDigest, BlobCheckStep.Digest,
                $"the bundle's message digest uses {BlobHashes.Name(messageDigest.Algorithm)}; Signet checks SHA2_256, SHA2_384 and SHA2_512 digests");
        }
        else
        {
            messageHash = known;
        }

        var keyHash = PublicKey.HashOf(key.Algorithm);
        var isEd25519 = key.Algorithm == KeyAlgorithm.Ed25519;
        HashAlgorithmName[] hashes = messageHash is { } mh ? [HashAlgorithmName.SHA256, keyHash, mh] : [HashAlgorithmName.SHA256, keyHash];
        var read = await BlobReader.ReadAsync(content, hashes, isEd25519 ? options.MaxEd25519Bytes : null, cancellationToken).ConfigureAwait(false);

        if (messageHash is { } hash)
        {
            var expected = message.MessageDigest!.Digest.Span;
            var actual = read.Digests[hash];
            if (!CryptographicOperations.FixedTimeEquals(expected, actual))
            {
                Add(BlobCodes.DigestMismatch, BlobCheckStep.Digest,
                    $"{source} hashes to {BlobHashes.Name(message.MessageDigest.Algorithm)} {Convert.ToHexStringLower(actual)}, but the bundle signs " +
                    $"{Convert.ToHexStringLower(expected)}: the file is not the one that was signed (altered, truncated, or another file); do not use it");
            }
        }

        if (isEd25519 && read.Content is null)
        {
            Add(BlobCodes.TooLargeForEd25519, BlobCheckStep.Signature,
                $"{source} is {read.Length} bytes; an Ed25519 signature covers the whole file, which Signet reads into memory up to {options.MaxEd25519Bytes} bytes; the signature was not checked");
        }
        else if (!SignatureVerifies(key, message.Signature.Span, read, keyHash, messageHash))
        {
            var hintNote = bundle.VerificationMaterial?.PublicKeyHint is { Length: > 0 } bundleHint && bundleHint != keyHint
                ? $" The bundle's key hint {bundleHint} is not this key's ({keyHint}): it was probably signed with another key."
                : string.Empty;
            Add(BlobCodes.SignatureMismatch, BlobCheckStep.Signature,
                $"the signature does not verify over {source} with the {key.Algorithm} key: the file or bundle was altered, or the bundle was signed with another key.{hintNote}");
        }

        return Result(read, bundle);
    }

    private static bool SignatureVerifies(PublicKey key, ReadOnlySpan<byte> signature, BlobRead read, HashAlgorithmName keyHash, HashAlgorithmName? messageHash)
    {
        if (signature.IsEmpty)
        {
            return false;
        }

        if (key.Algorithm == KeyAlgorithm.Ed25519)
        {
            return key.Verify(read.Content, signature);
        }

        return key.VerifyDigest(read.Digests[keyHash], keyHash, signature)
            || (messageHash is { } other && other != keyHash && key.VerifyDigest(read.Digests[other], other, signature));
    }
}
