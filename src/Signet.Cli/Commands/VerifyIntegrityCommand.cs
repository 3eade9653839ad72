using System.CommandLine;
using Signet.Cli.Output;
using Signet.Images;
using Signet.Images.Integrity;
using Signet.Images.Transports;

namespace Signet.Cli.Commands;

/// <summary><c>signet verify-integrity IMAGE</c>.</summary>
internal static class VerifyIntegrityCommand
{
    private static readonly Argument<string> Image = new("image")
    {
        Description = "The image: oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:REF], docker://REF or REF.",
    };

    private static readonly Option<int> Parallelism = new("--parallelism")
    {
        Description = "Layers checked at once (default: the number of cores).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    private static readonly Option<bool> DigestsOnly = new("--digests-only")
    {
        Description = "Check manifest, config and layer digests and sizes only; skip decompressing layers for their DiffIDs (faster, weaker).",
    };

    public static Command Create()
    {
        var command = new Command(
            "verify-integrity",
            "Prove an image's integrity: walk index, manifests, config and layers, check every digest and size while the bytes " +
            "stream, decompress every layer and check it against the config's DiffID. Exit 0 only when everything holds; " +
            "otherwise exit 1 with a report of each failed object and its INT code (docs/error-codes.md).")
        {
            Image, CommonOptions.Platform, CommonOptions.AllPlatforms, Parallelism, DigestsOnly, CommonOptions.Output,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var name = ImageName.Parse(result.GetValue(Image)!);
        var format = result.GetValue(CommonOptions.Output);
        var parallelism = result.GetValue(Parallelism);
        if (parallelism is < 1 or > 64)
        {
            throw new ArgumentException($"--parallelism must be between 1 and 64, got {parallelism}");
        }

        var progress = new TransferProgress();
        var options = new IntegrityOptions
        {
            Platforms = CommonOptions.Platforms(result),
            Parallelism = parallelism,
            Progress = progress,
            CheckDiffIds = !result.GetValue(DigestsOnly),
        };
        using var transports = await CommonOptions.TransportsAsync(result, [name], cancellationToken).ConfigureAwait(false);
        await using var source = await transports.OpenSourceAsync(name, cancellationToken).ConfigureAwait(false);
        var report = await Terminal.WithProgressAsync(
            $"verifying {name}",
            progress,
            () => IntegrityVerifier.VerifyAsync(source, options, cancellationToken)).ConfigureAwait(false);
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(report);
        }
        else
        {
            TableOutput.Write(report);
        }

        return report.Passed ? ExitCodes.Success : ExitCodes.VerificationFailed;
    }
}
