using System.CommandLine;
using Signet.Crypto.Dsse;
using Signet.Crypto.InToto;
using Signet.Signing.Blobs;
using Signet.Signing.Keyless;
using Signet.Sigstore.TrustedRoots;

namespace Signet.Cli.Commands;

/// <summary>
/// <c>signet sign-bundle</c>: the signing half of the sigstore-conformance client protocol
/// (<c>sign-bundle --identity-token T --bundle B [--staging] [--in-toto] [--trusted-root F] [--signing-config F] FILE</c>).
/// </summary>
internal static class SignBundleCommand
{
    /// <summary>Largest in-toto statement signed with --in-toto.</summary>
    private const int MaxStatementBytes = 16 * 1024 * 1024;

    private static readonly Argument<string> File = new("file") { Description = "The file to sign (with --in-toto: the in-toto statement to sign as a DSSE envelope)." };

    private static readonly Option<string> BundleOut = new("--bundle")
    {
        Description = "Write the Sigstore bundle v0.3 here.",
        HelpName = "FILE",
        Required = true,
    };

    private static readonly Option<bool> Staging = new("--staging")
    {
        Description = $"Use Sigstore's staging deployment ({KeylessAccess.StagingFulcio}, {KeylessAccess.StagingRekor}) instead of the public-good one.",
    };

    private static readonly Option<bool> InToto = new("--in-toto")
    {
        Description = "FILE is an in-toto statement: sign it as a DSSE envelope (payloadType application/vnd.in-toto+json) logged as a dsse entry.",
    };

    private static readonly Option<string?> TrustedRootOption = new("--trusted-root")
    {
        Description = "Check every transparency log entry returned (SET, inclusion proof and checkpoint) against this trusted_root.json before writing the bundle.",
        HelpName = "FILE",
    };

    public static Command Create()
    {
        var command = new Command(
            "sign-bundle",
            "Sign keyless into a Sigstore bundle as the sigstore-conformance client protocol asks: a message signature over FILE, or with " +
            "--in-toto a DSSE envelope of the statement in FILE. Needs an OIDC token (--identity-token or SIGSTORE_ID_TOKEN).")
        {
            File, BundleOut, Staging, InToto, TrustedRootOption,
        };
        foreach (var option in KeylessAccess.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var file = result.GetValue(File)!;
            var token = await KeylessAccess.TokenAsync(result, cancellationToken).ConfigureAwait(false) ?? throw KeylessAccess.NoKeyNoToken();
            var staging = result.GetValue(Staging);
            var options = await KeylessAccess.ResolveAsync(
                result,
                token,
                staging ? KeylessAccess.StagingFulcio : KeylessOptions.PublicGoodFulcio,
                staging ? KeylessAccess.StagingRekor : KeylessOptions.PublicGoodRekor,
                result.GetValue(KeylessAccess.SigningConfigOption),
                cancellationToken).ConfigureAwait(false);
            if (result.GetValue(TrustedRootOption) is { } rootPath)
            {
                options = options with { TrustedRoot = TrustedRoot.Parse(await ReadBoundedAsync(rootPath, TrustedRoot.MaxBytes, "--trusted-root", cancellationToken).ConfigureAwait(false)) };
            }

            // The input is read or opened before the signer exists, so a bad input fails before Fulcio is called.
            var statement = result.GetValue(InToto)
                ? InTotoStatement.Parse(await ReadBoundedAsync(file, MaxStatementBytes, "the in-toto statement", cancellationToken).ConfigureAwait(false), MaxStatementBytes)
                : null;
            await using var content = statement is null
                ? new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan)
                : null;
            using var http = new HttpClient();
            using var signer = await KeylessSigner.CreateAsync(http, options, cancellationToken).ConfigureAwait(false);
            var bundle = statement is not null
                ? await signer.SignDsseBundleAsync(DsseProtocol.InTotoPayloadType, statement.Raw, cancellationToken).ConfigureAwait(false)
                : (await BlobSigner.SignKeylessAsync(signer, content!, file, cancellationToken: cancellationToken).ConfigureAwait(false)).Bundle;
            await System.IO.File.WriteAllBytesAsync(result.GetValue(BundleOut)!, bundle.Raw.ToArray(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<byte[]> ReadBoundedAsync(string path, int limit, string what, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: no such file ({what})", path);
        }

        return info.Length <= limit
            ? await System.IO.File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)
            : throw new InvalidDataException($"{path} ({what}) is {info.Length} bytes; at most {limit} are read");
    }
}
