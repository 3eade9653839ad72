using System.CommandLine;
using Signet.Cli.Output;
using Signet.Images;
using Signet.Images.Transports;
using Signet.Scanning.FileSystem;
using Spectre.Console;

namespace Signet.Cli.Commands;

/// <summary><c>signet unpack IMAGE DIR</c>.</summary>
internal static class UnpackCommand
{
    private static readonly Argument<string> Image = new("image") { Description = "The image (any transport)." };

    private static readonly Argument<string> Directory = new("dir") { Description = "Where to write the root filesystem: a new or empty directory." };

    public static Command Create()
    {
        var command = new Command(
            "unpack",
            "Write the merged root filesystem of an image (its layers applied in order, whiteouts honoured) into a new or " +
            "empty directory, without ever writing outside it or following a link while writing.")
        {
            Image, Directory, CommonOptions.Platform,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var name = ImageName.Parse(result.GetValue(Image)!);
        var directory = result.GetValue(Directory)!;
        using var transports = await CommonOptions.TransportsAsync(result, [name], cancellationToken).ConfigureAwait(false);
        await using var source = await transports.OpenSourceAsync(name, cancellationToken).ConfigureAwait(false);
        var fileSystem = await ImageFileSystem.OpenAsync(source, CommonOptions.Platforms(result), cancellationToken: cancellationToken).ConfigureAwait(false);
        var progress = new TransferProgress();
        var unpacked = await Terminal.WithProgressAsync(
            $"unpacking {name} into {directory}",
            progress,
            () => ImageUnpacker.UnpackAsync(fileSystem, directory, progress, cancellationToken)).ConfigureAwait(false);
        Terminal.Line(Markup.Escape(
            $"unpacked {name} ({fileSystem.Layers.Count} layers) into {Path.GetFullPath(directory)}: {unpacked.Files} files " +
            $"({Terminal.Bytes(unpacked.Bytes)}), {unpacked.Directories} directories, {unpacked.SymbolicLinks} symbolic links" +
            (unpacked.Skipped > 0 ? $", {unpacked.Skipped} devices or FIFOs skipped" : string.Empty)));
        return ExitCodes.Success;
    }
}
