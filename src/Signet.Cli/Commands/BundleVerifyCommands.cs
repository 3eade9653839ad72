using System.CommandLine;
using System.Text.Json;
using Signet.Cli.Output;
using Signet.Oci;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.TrustedRoots;
using Signet.Sigstore.Tuf;
using Signet.Sigstore.Verification;
using Spectre.Console;

namespace Signet.Cli.Commands;

/// <summary>
/// <c>signet verify-bundle</c> (the sigstore-conformance client protocol) and the keyless half of
/// <c>signet verify-blob</c>: a Sigstore bundle verified offline with <see cref="BundleVerifier"/>.
/// </summary>
internal static class BundleVerifyCommands
{
    public static readonly Option<string?> Identity = new("--certificate-identity")
    {
        Description = "Keyless: the signing certificate's identity (subject alternative name: an email, URI...), compared exactly.",
        HelpName = "ID",
    };

    public static readonly Option<string?> IdentityRegexp = new("--certificate-identity-regexp")
    {
        Description = "Keyless: a regular expression the whole certificate identity must match (instead of --certificate-identity).",
        HelpName = "REGEX",
    };

    public static readonly Option<string?> Issuer = new("--certificate-oidc-issuer")
    {
        Description = "Keyless: the OIDC issuer that vouched for the identity (e.g. https://token.actions.githubusercontent.com), compared exactly.",
        HelpName = "URL",
    };

    public static readonly Option<string?> IssuerRegexp = new("--certificate-oidc-issuer-regexp")
    {
        Description = "Keyless: a regular expression the whole OIDC issuer must match (instead of --certificate-oidc-issuer).",
        HelpName = "REGEX",
    };

    public static readonly Option<string?> TrustedRootFile = new("--trusted-root")
    {
        Description = "The Sigstore trusted_root.json to verify with (default: the one signet trust keeps, else the public-good root shipped with Signet).",
        HelpName = "FILE",
    };

    public static readonly Option<bool> InsecureIgnoreTlog = new("--insecure-ignore-tlog")
    {
        Description = "UNSAFE: do not require or check transparency log entries; nothing then shows the signature was published.",
    };

    private static readonly Argument<string> FileOrDigest = new("file-or-digest")
    {
        Description = "The artifact: a file, or sha256:HEX (64 hex digits) when no file of that name exists. For a DSSE bundle, the in-toto statement's subject.",
    };

    private static readonly Option<string> BundleIn = new("--bundle")
    {
        Description = "The Sigstore bundle (v0.1 to v0.3) to verify.",
        HelpName = "FILE",
        Required = true,
    };

    private static readonly Option<string?> Key = new("--key")
    {
        Description = "Verify a key-signed bundle with this public key (PEM file, env://VARIABLE or pkcs11: URI) instead of a certificate identity.",
        HelpName = "REF",
    };

    private static readonly Option<bool> Staging = new("--staging")
    {
        Description = "Verify against the Sigstore staging instance; needs --trusted-root with the staging trusted_root.json (none ships with Signet).",
    };

    public static Command CreateVerifyBundle()
    {
        var command = new Command(
            "verify-bundle",
            "Verify a Sigstore bundle offline, as the sigstore-conformance client protocol asks: transparency log entries (SETs, " +
            "inclusion proofs, checkpoints), RFC 3161 timestamps, the Fulcio certificate chain and SCTs at each verified time, the " +
            "identity, and the signature over the file or digest. Exit 0 when it verifies, 1 with a code when it does not.")
        {
            BundleIn, Identity, IdentityRegexp, Issuer, IssuerRegexp, Key, TrustedRootFile, Staging, FileOrDigest, CommonOptions.Output,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var target = result.GetValue(FileOrDigest)!;
            var identity = IdentityPolicy(result);
            var keyReference = result.GetValue(Key);
            if ((identity is null) == (keyReference is null))
            {
                throw new ArgumentException("give either --key or --certificate-identity[-regexp] with --certificate-oidc-issuer[-regexp]");
            }

            if (result.GetValue(Staging) && result.GetValue(TrustedRootFile) is null)
            {
                throw new ArgumentException("--staging needs --trusted-root: Signet ships only the public-good (production) trusted root; pass the staging trusted_root.json (tuf-repo-cdn.sigstage.dev)");
            }

            var policy = identity is not null
                ? VerificationPolicy.ForIdentity(identity)
                : VerificationPolicy.ForKey(await KeyAccess.Resolver().LoadPublicKeyAsync(KeyAccess.Parse(keyReference), cancellationToken).ConfigureAwait(false));
            var root = LoadTrustedRoot(result);

            var artifact = !File.Exists(target) && Artifact.TryParseSha256Digest(target, out var digest)
                ? digest!
                : await ReadArtifactAsync(target, cancellationToken).ConfigureAwait(false);

            return await VerifyAsync(result, result.GetValue(BundleIn)!, root, policy, artifact, target, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The identity asked for by the certificate options; null when none of them is given.</summary>
    public static CertificateIdentityPolicy? IdentityPolicy(ParseResult result)
    {
        var identity = result.GetValue(Identity);
        var identityRegexp = result.GetValue(IdentityRegexp);
        var issuer = result.GetValue(Issuer);
        var issuerRegexp = result.GetValue(IssuerRegexp);
        if (identity is null && identityRegexp is null && issuer is null && issuerRegexp is null)
        {
            return null;
        }

        if ((identity is null) == (identityRegexp is null))
        {
            throw new ArgumentException("give exactly one of --certificate-identity and --certificate-identity-regexp");
        }

        if ((issuer is null) == (issuerRegexp is null))
        {
            throw new ArgumentException("give exactly one of --certificate-oidc-issuer and --certificate-oidc-issuer-regexp: an identity means nothing without the issuer that vouched for it");
        }

        return new CertificateIdentityPolicy
        {
            SubjectAlternativeName = identity,
            SubjectAlternativeNameRegex = identityRegexp,
            Issuer = issuer,
            IssuerRegex = issuerRegexp,
        };
    }

    /// <summary>The trusted root of --trusted-root, else the trust directory's, else the shipped public-good root.</summary>
    public static TrustedRoot LoadTrustedRoot(ParseResult result) => SigstoreTrust.LoadTrustedRoot(result.GetValue(TrustedRootFile), null);

    /// <summary>Keyless <c>verify-blob</c>: the file verified against its bundle and an identity, as verify-bundle does.</summary>
    public static async Task<int> VerifyFileAsync(ParseResult result, string bundlePath, CertificateIdentityPolicy identity, string file, CancellationToken cancellationToken)
    {
        var root = LoadTrustedRoot(result);
        var policy = VerificationPolicy.ForIdentity(identity) with { InsecureIgnoreTlog = result.GetValue(InsecureIgnoreTlog) };
        var artifact = await ReadArtifactAsync(file, cancellationToken).ConfigureAwait(false);
        return await VerifyAsync(result, bundlePath, root, policy, artifact, file, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the --bundle file, verifies it and reports the verdict; returns the exit code.</summary>
    public static async Task<int> VerifyAsync(
        ParseResult result, string bundlePath, TrustedRoot root, VerificationPolicy policy, Artifact artifact, string artifactName, CancellationToken cancellationToken)
    {
        var raw = await BlobCommands.ReadBundleAsync(bundlePath, BundleParseOptions.Default.MaxBundleBytes, cancellationToken).ConfigureAwait(false);
        var read = SigstoreBundle.Read(raw);
        var verdict = read.Bundle is { } bundle
            ? new BundleVerifier(root).Verify(bundle, artifact, policy)
            : new BundleVerification { Code = read.Problems[0].Code, Reason = $"the bundle cannot be read: {read.Problems[0].Message}" };

        var digest = Digest.FromHash(Digest.Sha256, artifact.Sha256.Span);
        if (result.GetValue(CommonOptions.Output) == OutputFormat.Json)
        {
            JsonOutput.Emit(writer => WriteJson(writer, verdict, read.Bundle, policy, artifactName, digest, bundlePath));
        }
        else if (verdict.IsValid)
        {
            Terminal.Line(Markup.Escape($"verified {artifactName} ({digest}) against {bundlePath}: {Signer(verdict, policy)}{Observed(verdict)}"));
        }
        else
        {
            Terminal.Line(Markup.Escape($"{verdict.Code}: {verdict.Reason}"));
            Terminal.Line(Markup.Escape($"verification FAILED: {artifactName} ({digest}) against {bundlePath}"));
        }

        return verdict.IsValid ? ExitCodes.Success : ExitCodes.VerificationFailed;
    }

    private static async Task<Artifact> ReadArtifactAsync(string path, CancellationToken cancellationToken)
    {
        await using var content = BlobCommands.OpenFile(path, "the artifact");
        return await Artifact.FromStreamAsync(content, cancellationToken).ConfigureAwait(false);
    }

    private static string Signer(BundleVerification verdict, VerificationPolicy policy) => verdict.Certificate is { } certificate
        ? $"signed by {string.Join(", ", certificate.SubjectAlternativeNames.Select(s => s.Value))} (issuer {certificate.Issuer ?? "none"})"
        : $"signed with the {KeyCommands.AlgorithmName(policy.Key!.Algorithm)} key {BundleWriter.PublicKeyHint(policy.Key)}";

    private static string Observed(BundleVerification verdict) => verdict.Timestamps.IsEmpty
        ? string.Empty
        : $", observed {string.Join(", ", verdict.Timestamps.Select(t => $"at {t.Time:O} by {t.Authority}"))}";

    private static void WriteJson(
        Utf8JsonWriter writer, BundleVerification verdict, SigstoreBundle? bundle, VerificationPolicy policy, string artifactName, Digest digest, string bundlePath)
    {
        writer.WriteStartObject();
        writer.WriteString("artifact", artifactName);
        writer.WriteString("digest", digest.ToString());
        writer.WriteString("bundle", bundlePath);
        JsonOutput.WriteOptional(writer, "mediaType", bundle?.MediaType);
        writer.WriteBoolean("passed", verdict.IsValid);
        JsonOutput.WriteOptional(writer, "code", verdict.Code);
        JsonOutput.WriteOptional(writer, "message", verdict.Reason);
        if (verdict.IsValid)
        {
            writer.WriteStartObject("signer");
            if (verdict.Certificate is { } certificate)
            {
                writer.WriteString("kind", "certificate");
                writer.WriteStartArray("subjectAlternativeNames");
                foreach (var name in certificate.SubjectAlternativeNames)
                {
                    writer.WriteStringValue(name.Value);
                }

                writer.WriteEndArray();
                JsonOutput.WriteOptional(writer, "issuer", certificate.Issuer);
            }
            else
            {
                writer.WriteString("kind", "key");
                writer.WriteString("keyAlgorithm", KeyCommands.AlgorithmName(policy.Key!.Algorithm));
                writer.WriteString("keyHint", BundleWriter.PublicKeyHint(policy.Key));
            }

            writer.WriteEndObject();
            writer.WriteStartArray("timestamps");
            foreach (var timestamp in verdict.Timestamps)
            {
                writer.WriteStartObject();
                writer.WriteString("time", timestamp.Time.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteString("authority", timestamp.Authority);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            JsonOutput.WriteOptional(writer, "payloadType", verdict.PayloadType);
        }

        writer.WriteEndObject();
    }
}
