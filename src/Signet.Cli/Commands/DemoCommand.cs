using System.CommandLine;
using System.Text;
using Signet.Cli.Output;
using Signet.Images.Building;
using Signet.Images.Copy;
using Signet.Images.Integrity;
using Signet.Images.Transports;
using Signet.Oci;
using Signet.Oci.Layout;
using Spectre.Console;

namespace Signet.Cli.Commands;

/// <summary>
/// <c>signet demo</c>: the main job end to end on an embedded default, offline. Builds a small image in a local OCI
/// layout, proves its integrity, carries it through docker-archive and oci-archive and back with the same digest,
/// and shows that a flipped byte is caught.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The file that marks a directory as the demo's own, which a later run may empty.</summary>
    private const string Marker = ".signet-demo";

    /// <summary>What a demo writes (demos before the marker existed left only these).</summary>
    private static readonly HashSet<string> DemoEntries = new(StringComparer.Ordinal)
    {
        Marker, "layout", "demo-docker.tar", "demo-oci.tar", "roundtrip-2", "roundtrip-3", "tampered",
    };

    private static readonly Option<string> Directory = new("--dir")
    {
        Description = "Working directory for the demo's layout and archives: a new or empty directory, or one an earlier demo made (emptied first).",
        DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "signet-demo"),
    };

    public static Command Create()
    {
        var command = new Command(
            "demo",
            "Run Signet's main job end to end offline: build a small image in a local OCI layout, prove its integrity, copy it " +
            "through docker-archive and oci-archive keeping its digest, and show a tampered layer being caught.")
        {
            Directory,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(result.GetValue(Directory)!);
        PrepareDirectory(root);
        using var transports = new ImageTransports(() => throw new InvalidOperationException("the demo uses no registry"));

        var layout = ImageName.Parse($"oci:{Path.Combine(root, "layout")}:demo");
        ImageManifest built;
        await using (var destination = transports.OpenDestination(layout))
        {
            built = await DemoImage().WriteAsync(destination, cancellationToken).ConfigureAwait(false);
        }

        Terminal.Line($"[bold]1.[/] built {Markup.Escape(layout.Original)}: {built.Digest}, {built.Layers.Length} layers (gzip, zstd, uncompressed)");
        var ok = await VerifyAsync(transports, layout, expectPass: true, cancellationToken).ConfigureAwait(false);

        var step = 2;
        foreach (var target in new[] { $"docker-archive:{Path.Combine(root, "demo-docker.tar")}:signet/demo:latest", $"oci-archive:{Path.Combine(root, "demo-oci.tar")}:demo" })
        {
            var name = ImageName.Parse(target);
            var back = ImageName.Parse($"oci:{Path.Combine(root, $"roundtrip-{step}")}:demo");
            await CopyAsync(transports, layout, name, cancellationToken).ConfigureAwait(false);
            await CopyAsync(transports, name, back, cancellationToken).ConfigureAwait(false);
            await using var source = await transports.OpenSourceAsync(back, cancellationToken).ConfigureAwait(false);
            var digest = (await source.GetRootManifestAsync(cancellationToken).ConfigureAwait(false)).Digest;
            var same = digest == built.Digest;
            ok &= same;
            Terminal.Line($"[bold]{step}.[/] {Markup.Escape(layout.Original)} -> {Markup.Escape(name.Original)} -> {Markup.Escape(back.Original)}: {digest} {(same ? "[green]same digest[/]" : "[red]digest changed[/]")}");
            ok &= await VerifyAsync(transports, name, expectPass: true, cancellationToken).ConfigureAwait(false);
            step++;
        }

        var tamperedDirectory = Path.Combine(root, "tampered");
        var tampered = ImageName.Parse($"oci:{tamperedDirectory}:demo");
        await CopyAsync(transports, layout, tampered, cancellationToken).ConfigureAwait(false);
        var victim = built.Layers[0];
        var blob = Path.Combine(tamperedDirectory, OciLayout.BlobPath(victim.Digest));
        var bytes = await File.ReadAllBytesAsync(blob, cancellationToken).ConfigureAwait(false);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(blob, bytes, cancellationToken).ConfigureAwait(false);
        Terminal.Line($"[bold]{step}.[/] flipped one bit of layer {victim.Digest} in {Markup.Escape(tampered.Original)}; verifying must fail:");
        ok &= await VerifyAsync(transports, tampered, expectPass: false, cancellationToken).ConfigureAwait(false);

        Terminal.Line(ok
            ? $"[green]demo complete[/]: every check behaved as expected. Files are in {Markup.Escape(root)}"
            : "[red]demo FAILED[/]: a check did not behave as expected (see above)");
        return ok ? ExitCodes.Success : ExitCodes.VerificationFailed;
    }

    /// <summary>
    /// Empties <paramref name="root"/> only when it is empty or an earlier demo made it (it holds <see cref="Marker"/>,
    /// or only what a demo writes), so that a mistyped --dir never deletes someone's files; then creates it with the marker.
    /// </summary>
    private static void PrepareDirectory(string root)
    {
        if (System.IO.Directory.Exists(root))
        {
            var entries = System.IO.Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName).ToList();
            if (File.Exists(Path.Combine(root, Marker)) || (entries.Count > 0 && entries.All(e => DemoEntries.Contains(e!))))
            {
                System.IO.Directory.Delete(root, recursive: true);
            }
            else if (entries.Count > 0)
            {
                throw new ArgumentException($"--dir {root} is not empty and was not made by signet demo; give a new or empty directory");
            }
        }
        else if (File.Exists(root))
        {
            throw new ArgumentException($"--dir {root} is a file; give a new or empty directory");
        }

        System.IO.Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, Marker), "made by signet demo; signet demo empties this directory when it runs again\n");
    }

    private static ImageBuilder DemoImage()
    {
        static LayerFile Text(string path, string text, int mode = 0b110_100_100) => new(path, Encoding.UTF8.GetBytes(text), mode);
        return new ImageBuilder()
            .AddLayer([Text("etc/os-release", "ID=signet-demo\nNAME=\"Signet demo\"\n"), Text("etc/motd", "hello from signet\n")], LayerCompression.Gzip, "base files")
            .AddLayer([Text("usr/local/bin/hello", "#!/bin/sh\necho hello\n", 0b111_101_101), new LayerFile("opt/data.bin", Enumerable.Range(0, 256 * 1024).Select(i => (byte)(i * 31 % 251)).ToArray())], LayerCompression.Zstd, "add hello and data")
            .AddLayer([Text("etc/motd", "hello again\n")], LayerCompression.None, "update motd")
            .WithCmd("/usr/local/bin/hello")
            .WithLabel("org.opencontainers.image.title", "signet-demo");
    }

    private static async Task CopyAsync(ImageTransports transports, ImageName from, ImageName to, CancellationToken cancellationToken)
    {
        await using var source = await transports.OpenSourceAsync(from, cancellationToken).ConfigureAwait(false);
        await using var destination = transports.OpenDestination(to, from);
        await ImageCopier.CopyAsync(source, destination, new CopyOptions(), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> VerifyAsync(ImageTransports transports, ImageName name, bool expectPass, CancellationToken cancellationToken)
    {
        await using var source = await transports.OpenSourceAsync(name, cancellationToken).ConfigureAwait(false);
        var report = await IntegrityVerifier.VerifyAsync(source, new IntegrityOptions(), cancellationToken).ConfigureAwait(false);
        TableOutput.Write(report);
        return report.Passed == expectPass;
    }
}
