using System.CommandLine;
using System.Text.Json;
using Signet.Cli.Output;
using Signet.Signing.Blobs;
using Spectre.Console;

namespace Signet.Cli.Commands;

/// <summary><c>signet sign-blob</c> and <c>signet verify-blob</c>: files signed into Sigstore bundles with a key.</summary>
internal static class BlobCommands
{
    private static readonly Argument<string> File = new("file") { Description = "The file to sign or verify (read once, streamed)." };

    private static readonly Option<string> SignKey = new("--key")
    {
        Description = "The signing key: a cosign key file (asks for its passphrase), env://VARIABLE holding a PEM private key, or a pkcs11: URI.",
        HelpName = "REF",
        Required = true,
    };

    private static readonly Option<string?> VerifyKey = new("--key")
    {
        Description = "The verification key of a key-signed bundle: a PUBLIC KEY PEM file (NAME.pub), a certificate, a private key file, env://VARIABLE, or a pkcs11: URI.",
        HelpName = "REF",
    };

    private static readonly Option<string?> BundleOut = new("--bundle")
    {
        Description = "Write the Sigstore bundle to this file (default: print it on stdout).",
        HelpName = "FILE",
    };

    internal static readonly Option<string> BundleIn = new("--bundle")
    {
        Description = "The Sigstore bundle of the file (from signet sign-blob, cosign sign-blob --bundle, or sigstore-js; keyed or keyless).",
        HelpName = "FILE",
        Required = true,
    };

    public static Command CreateSign()
    {
        var command = new Command(
            "sign-blob",
            "Sign a file with a key into a Sigstore bundle v0.3 (messageSignature and a public-key hint, as cosign sign-blob --key " +
            "--bundle writes it without a transparency log). ECDSA and RSA keys stream files of any size; Ed25519 reads the file " +
            "into memory and refuses files over 128 MiB.")
        {
            File, SignKey, BundleOut, CommonOptions.Output,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var file = result.GetValue(File)!;
            var reference = KeyAccess.Parse(result.GetValue(SignKey));
            using var signer = await KeyAccess.Resolver().LoadSignerAsync(reference, cancellationToken).ConfigureAwait(false);
            BlobSignature signed;
            await using (var content = OpenFile(file, "the file to sign"))
            {
                signed = await BlobSigner.SignAsync(signer, content, file, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            var bundlePath = result.GetValue(BundleOut);
            if (bundlePath is null)
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(signed.Bundle.Raw, cancellationToken).ConfigureAwait(false);
                await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await System.IO.File.WriteAllBytesAsync(bundlePath, signed.Bundle.Raw.ToArray(), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(CommonOptions.Output) == OutputFormat.Json)
            {
                JsonOutput.Emit(writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("file", file);
                    writer.WriteString("bundle", bundlePath);
                    writer.WriteString("mediaType", signed.Bundle.MediaType);
                    writer.WriteString("digest", signed.ArtifactDigest.ToString());
                    writer.WriteNumber("size", signed.Length);
                    writer.WriteString("digestAlgorithm", BlobHashes.Name(signed.DigestAlgorithm));
                    writer.WriteString("keyAlgorithm", KeyCommands.AlgorithmName(signed.KeyAlgorithm));
                    writer.WriteString("keyHint", signed.KeyHint);
                    writer.WriteEndObject();
                });
            }
            else
            {
                Terminal.Line(Markup.Escape(
                    $"signed {file} ({signed.ArtifactDigest}, {Terminal.Bytes(signed.Length)}) with the {KeyCommands.AlgorithmName(signed.KeyAlgorithm)} key {signed.KeyHint}; bundle written to {bundlePath}"));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CreateVerify()
    {
        var command = new Command(
            "verify-blob",
            "Verify a file against its Sigstore bundle. With --key (a key-signed bundle): the bundle's structure, that the file " +
            "hashes to the bundle's message digest, and that the signature verifies with the key; transparency log entries are not " +
            "checked; exit code 1 with a BLB code for every failed check. With --certificate-identity and --certificate-oidc-issuer " +
            "(a keyless bundle): full offline Sigstore verification as verify-bundle does (log entries, timestamps, certificate " +
            "chain, SCTs, identity, signature); exit code 1 with the code of the failed check.")
        {
            File, VerifyKey, BundleVerifyCommands.Identity, BundleVerifyCommands.IdentityRegexp, BundleVerifyCommands.Issuer,
            BundleVerifyCommands.IssuerRegexp, BundleVerifyCommands.TrustedRootFile, BundleVerifyCommands.InsecureIgnoreTlog, BundleIn,
            CommonOptions.Output,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var file = result.GetValue(File)!;
            var bundlePath = result.GetValue(BundleIn)!;
            var identity = BundleVerifyCommands.IdentityPolicy(result);
            var keyReference = result.GetValue(VerifyKey);
            if ((identity is null) == (keyReference is null))
            {
                throw new ArgumentException("give either --key (a key-signed bundle) or --certificate-identity[-regexp] with --certificate-oidc-issuer[-regexp] (a keyless bundle)");
            }

            if (identity is not null)
            {
                return await BundleVerifyCommands.VerifyFileAsync(result, bundlePath, identity, file, cancellationToken).ConfigureAwait(false);
            }

            if (result.GetValue(BundleVerifyCommands.TrustedRootFile) is not null || result.GetValue(BundleVerifyCommands.InsecureIgnoreTlog))
            {
                throw new ArgumentException("--trusted-root and --insecure-ignore-tlog apply to keyless verification (--certificate-identity); with --key the transparency log is not checked");
            }

            var reference = KeyAccess.Parse(keyReference);
            var key = await KeyAccess.Resolver().LoadPublicKeyAsync(reference, cancellationToken).ConfigureAwait(false);
            var bundle = await ReadBundleAsync(bundlePath, BlobOptions.Default.MaxBundleBytes, cancellationToken).ConfigureAwait(false);
            BlobVerificationResult verified;
            await using (var content = OpenFile(file, "the file to verify"))
            {
                verified = await BlobVerifier.VerifyAsync(key, bundle, content, file, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            if (result.GetValue(CommonOptions.Output) == OutputFormat.Json)
            {
                JsonOutput.Emit(writer => WriteJson(writer, verified, file, bundlePath));
            }
            else
            {
                foreach (var problem in verified.Problems)
                {
                    Terminal.Line(Markup.Escape($"{problem.Code} {problem.Step.ToString().ToLowerInvariant()}: {problem.Message}"));
                }

                var digest = verified.ArtifactDigest?.ToString() ?? "not read";
                Terminal.Line(Markup.Escape(verified.Passed
                    ? $"verified {file} ({digest}) against {bundlePath} with the {KeyCommands.AlgorithmName(verified.KeyAlgorithm)} key {verified.KeyHint}"
                    : $"verification FAILED: {file} ({digest}) against {bundlePath}: {verified.Problems.Length} failed check(s)"));
                if (verified.IgnoredTlogEntries > 0)
                {
                    await Console.Error.WriteLineAsync($"note: the bundle's {verified.IgnoredTlogEntries} transparency log entries were not checked (keyed verification)").ConfigureAwait(false);
                }
            }

            return verified.Passed ? ExitCodes.Success : ExitCodes.VerificationFailed;
        });
        return command;
    }

    private static void WriteJson(Utf8JsonWriter writer, BlobVerificationResult verified, string file, string bundlePath)
    {
        writer.WriteStartObject();
        writer.WriteString("file", file);
        writer.WriteString("bundle", bundlePath);
        writer.WriteBoolean("passed", verified.Passed);
        JsonOutput.WriteDigest(writer, "digest", verified.ArtifactDigest);
        if (verified.Length is { } length)
        {
            writer.WriteNumber("size", length);
        }

        if (verified.DigestAlgorithm is { } algorithm)
        {
            writer.WriteString("digestAlgorithm", BlobHashes.Name(algorithm));
        }

        writer.WriteString("keyAlgorithm", KeyCommands.AlgorithmName(verified.KeyAlgorithm));
        writer.WriteString("keyHint", verified.KeyHint);
        JsonOutput.WriteOptional(writer, "bundleKeyHint", verified.BundleKeyHint);
        writer.WriteNumber("ignoredTlogEntries", verified.IgnoredTlogEntries);
        writer.WriteStartArray("problems");
        foreach (var problem in verified.Problems)
        {
            writer.WriteStartObject();
            writer.WriteString("code", problem.Code);
            writer.WriteString("step", problem.Step.ToString().ToLowerInvariant());
            writer.WriteString("message", problem.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    internal static FileStream OpenFile(string path, string what)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{path}: no such file ({what})", path, e);
        }
    }

    internal static async Task<ReadOnlyMemory<byte>> ReadBundleAsync(string path, int limit, CancellationToken cancellationToken)
    {
        await using var file = OpenFile(path, "the --bundle file");
        var buffer = new byte[limit + 1];
        var total = 0;
        int n;
        while (total < buffer.Length && (n = await file.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += n;
        }

        return buffer.AsMemory(0, total);
    }
}
