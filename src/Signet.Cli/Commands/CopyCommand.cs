using System.CommandLine;
using Signet.Cli.Output;
using Signet.Images;
using Signet.Images.Copy;
using Signet.Images.Transports;
using Spectre.Console;

namespace Signet.Cli.Commands;

/// <summary><c>signet copy SRC DST</c>.</summary>
internal static class CopyCommand
{
    private static readonly Argument<string> Source = new("source") { Description = "The image to copy (any transport)." };

    private static readonly Argument<string> Destination = new("destination") { Description = "Where to write it (any transport)." };

    private static readonly Option<bool> WithReferrers = new("--with-referrers")
    {
        Description = "Also copy the image's referrers (signatures, attestations, SBOMs), found through the referrers API or its tag fallback.",
    };

    public static Command Create()
    {
        var command = new Command(
            "copy",
            "Copy an image between any two transports (oci:, oci-archive:, docker-archive:, docker://). Manifests keep their exact " +
            "bytes, so the digest is the same at the destination; every blob is verified on the way. Without --all-platforms a " +
            "multi-platform image is narrowed to one platform.")
        {
            Source, Destination, CommonOptions.Platform, CommonOptions.AllPlatforms, WithReferrers, CommonOptions.Output,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var sourceName = ImageName.Parse(result.GetValue(Source)!);
        var destinationName = ImageName.Parse(result.GetValue(Destination)!);
        var progress = new TransferProgress();
        var options = new CopyOptions
        {
            Platforms = CommonOptions.Platforms(result),
            WithReferrers = result.GetValue(WithReferrers),
            Progress = progress,
        };
        using var transports = await CommonOptions.TransportsAsync(result, [sourceName, destinationName], cancellationToken).ConfigureAwait(false);
        await using var source = await transports.OpenSourceAsync(sourceName, cancellationToken).ConfigureAwait(false);
        await using var destination = transports.OpenDestination(destinationName, sourceName);
        var copied = await Terminal.WithProgressAsync(
            $"copying to {destinationName}",
            progress,
            () => ImageCopier.CopyAsync(source, destination, options, cancellationToken)).ConfigureAwait(false);
        if (result.GetValue(CommonOptions.Output) == OutputFormat.Json)
        {
            JsonOutput.Write(copied, sourceName.Original, destinationName.Original);
        }
        else
        {
            Terminal.Line(Markup.Escape(
                $"copied {sourceName} -> {destinationName}: {copied.RootDigest}, {copied.Manifests} manifests, " +
                $"{copied.BlobsCopied} blobs ({Terminal.Bytes(copied.BytesCopied)}) sent, {copied.BlobsSkipped} already present"));
        }

        return ExitCodes.Success;
    }
}
