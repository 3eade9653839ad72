using System.Security.Cryptography;
using Signet.Crypto;
using Signet.Crypto.Dsse;
using Signet.Crypto.InToto;
using Signet.Oci;
using Signet.Sigstore.Bundles;

namespace Signet.Sigstore.Verification;

/// <summary>
/// The signature of a bundle over what it signs: a message signature over the artifact (its <c>messageDigest</c>,
/// an unauthenticated hint, must also be the artifact's), or a DSSE signature over the PAE whose in-toto statement
/// must name the artifact among its subjects.
/// </summary>
internal static class SignatureChecks
{
    public static CheckResult VerifyMessage(MessageSignature message, PublicKey key, Artifact? artifact)
    {
        if (artifact is null)
        {
            return CheckResult.Fail(VerificationCodes.ArtifactUnusable, "the bundle holds a signature over an artifact, and no artifact or digest was given to check it against; pass the file or its sha256 digest");
        }

        HashAlgorithmName hash;
        if (message.MessageDigest is { } messageDigest)
        {
            if (HashOf(messageDigest.Algorithm) is not { } known)
            {
                return CheckResult.Fail(VerificationCodes.ArtifactUnusable, $"the bundle's messageDigest uses {messageDigest.Algorithm}; Signet compares SHA2_256, SHA2_384 and SHA2_512 digests");
            }

            hash = known;
            if (DigestOf(artifact, hash) is not { } actual)
            {
                return OnlySha256(hash);
            }

            if (!CryptographicOperations.FixedTimeEquals(actual, messageDigest.Digest.Span))
            {
                return CheckResult.Fail(
                    VerificationCodes.ArtifactMismatch,
                    $"the artifact's {hash.Name} digest is {Convert.ToHexStringLower(actual)}, but the bundle's messageDigest is {Convert.ToHexStringLower(messageDigest.Digest.Span)}: the bundle was made for another artifact (or altered); do not use this artifact with it");
            }
        }
        else
        {
            hash = PublicKey.HashOf(key.Algorithm);
        }

        bool valid;
        try
        {
            if (key.Algorithm == KeyAlgorithm.Ed25519)
            {
                if (artifact.Bytes is not { } bytes)
                {
                    return CheckResult.Fail(VerificationCodes.ArtifactUnusable, "the signing key is Ed25519, whose signature covers the artifact's bytes, and only a digest was given (or the artifact was too large to hold); pass the file itself");
                }

                valid = key.Verify(bytes.Span, message.Signature.Span);
            }
            else
            {
                if (DigestOf(artifact, hash) is not { } digest)
                {
                    return OnlySha256(hash);
                }

                valid = key.VerifyDigest(digest, hash, message.Signature.Span);
                var keyHash = PublicKey.HashOf(key.Algorithm);
                if (!valid && keyHash != hash && DigestOf(artifact, keyHash) is { } keyDigest)
                {
                    valid = key.VerifyDigest(keyDigest, keyHash, message.Signature.Span);
                }
            }
        }
        catch (CryptographicException)
        {
            valid = false;
        }

        return valid
            ? CheckResult.Success
            : CheckResult.Fail(VerificationCodes.SignatureInvalid, $"the message signature does not verify over the artifact with the {key.Algorithm} signing key: the artifact, the signature or the key is not the one signed with");
    }

    public static CheckResult VerifyEnvelope(DsseEnvelope envelope, PublicKey key, Artifact? artifact)
    {
        if (!envelope.Verify(key).IsVerified)
        {
            return CheckResult.Fail(VerificationCodes.SignatureInvalid, $"the DSSE envelope's signature does not verify over its payload (PAE of '{envelope.PayloadType}') with the {key.Algorithm} signing key: the envelope was altered or signed with another key");
        }

        if (artifact is null)
        {
            return CheckResult.Success;
        }

        if (envelope.PayloadType != DsseProtocol.InTotoPayloadType)
        {
            return CheckResult.Fail(VerificationCodes.UnsupportedPayload, $"the DSSE payload type is '{envelope.PayloadType}', not an in-toto statement ({DsseProtocol.InTotoPayloadType}), so it cannot be matched with an artifact");
        }

        InTotoStatement statement;
        try
        {
            statement = InTotoStatement.Parse(envelope.Payload);
        }
        catch (InTotoFormatException e)
        {
            return CheckResult.Fail(VerificationCodes.UnsupportedPayload, $"the DSSE payload is not a valid in-toto statement: {e.Message}");
        }

        var digest = Digest.FromHash(Digest.Sha256, artifact.Sha256.Span);
        return statement.HasSubject(digest)
            ? CheckResult.Success
            : CheckResult.Fail(VerificationCodes.ArtifactMismatch, $"the in-toto statement's subjects ({string.Join(", ", statement.Subjects.Select(s => s.Name ?? "unnamed"))}) do not include the artifact {digest}: the attestation is about something else");
    }

    /// <summary>The bytes a timestamp authority stamped: the message signature or the envelope's one signature.</summary>
    public static ReadOnlyMemory<byte> SignatureBytes(SigstoreBundle bundle) =>
        bundle.ContentKind == BundleContentKind.MessageSignature ? bundle.MessageSignature!.Signature : bundle.DsseEnvelope!.Signatures[0].Signature;

    private static HashAlgorithmName? HashOf(BundleHashAlgorithm algorithm) => algorithm switch
    {
        BundleHashAlgorithm.Sha256 => HashAlgorithmName.SHA256,
        BundleHashAlgorithm.Sha384 => HashAlgorithmName.SHA384,
        BundleHashAlgorithm.Sha512 => HashAlgorithmName.SHA512,
        _ => null,
    };

    private static byte[]? DigestOf(Artifact artifact, HashAlgorithmName hash)
    {
        if (artifact.Bytes is { } bytes)
        {
            return hash == HashAlgorithmName.SHA256 ? artifact.Sha256.ToArray()
                : hash == HashAlgorithmName.SHA384 ? SHA384.HashData(bytes.Span)
                : SHA512.HashData(bytes.Span);
        }

        return hash == HashAlgorithmName.SHA256 ? artifact.Sha256.ToArray() : null;
    }

    private static CheckResult OnlySha256(HashAlgorithmName hash) =>
        CheckResult.Fail(VerificationCodes.ArtifactUnusable, $"the bundle signs a {hash.Name} digest and only the artifact's SHA-256 digest is known (a digest was given, or the file is larger than the {Artifact.DefaultMaxBufferedBytes} bytes held in memory); pass the file itself, or re-sign with SHA-256");
}
