using System.Collections.Immutable;
using System.CommandLine;
using System.Text;
using Signet.Cli.Output;
using Signet.Crypto;
using Signet.Crypto.KeyFiles;
using Signet.Crypto.Keys;
using Signet.Crypto.Passphrases;
using Signet.Images.Building;
using Signet.Images.Copy;
using Signet.Images.Integrity;
using Signet.Images.Transports;
using Signet.Oci;
using Signet.Oci.Layout;
using Signet.Signing;
using Signet.Signing.Signatures;
using Signet.Signing.Storage;
using Signet.Signing.Verification;
using Spectre.Console;

namespace Signet.Cli.Commands;

/// <summary>
/// <c>signet demo</c>: the main job end to end on an embedded default, offline. Builds a small image in a local OCI
/// layout, proves its integrity, carries it through docker-archive and oci-archive and back with the same digest,
/// shows that a flipped byte is caught, then signs the image with two local keys (both cosign formats) and verifies it.
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
        var signed = ImageName.Parse($"oci:{Path.Combine(root, "signed")}:demo");
        await CopyAsync(transports, layout, signed, cancellationToken).ConfigureAwait(false);
        ok &= await SignAndVerifyAsync(root, signed.Path!, step + 1, cancellationToken).ConfigureAwait(false);

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

    /// <summary>
    /// Generates two local key pairs (empty passphrase, as cosign allows), signs a copy of the image (DIR/signed) with one in the
    /// Sigstore bundle format and with the other in cosign's legacy format, verifies with both keys and a threshold of 2,
    /// and checks that a key that signed nothing is refused.
    /// </summary>
    private static async Task<bool> SignAndVerifyAsync(string root, string layout, int step, CancellationToken cancellationToken)
    {
        var keys = Path.Combine(root, "keys");
        System.IO.Directory.CreateDirectory(keys);
        var noPassphrase = new FixedPassphraseSource(string.Empty);
        var alice = await KeyPairFiles.GenerateAsync(KeyAlgorithm.EcdsaP256, Path.Combine(keys, "alice"), noPassphrase, cancellationToken: cancellationToken).ConfigureAwait(false);
        var bob = await KeyPairFiles.GenerateAsync(KeyAlgorithm.Ed25519, Path.Combine(keys, "bob"), noPassphrase, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var stranger = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        Terminal.Line($"[bold]{step}.[/] generated key pairs {Markup.Escape(alice.PrivateKeyPath)} (ECDSA P-256) and {Markup.Escape(bob.PrivateKeyPath)} (Ed25519); signing a copy in oci:{Markup.Escape(layout)}:demo");

        foreach (var (paths, format) in new[] { (alice, SignatureFormat.Bundle), (bob, SignatureFormat.Legacy) })
        {
            using var key = await KeyPairFiles.ReadPrivateKeyAsync(paths.PrivateKeyPath, noPassphrase, cancellationToken).ConfigureAwait(false);
            using var signer = key.CreateSigner();
            await using var target = SignatureTarget.ForLayout(layout, "demo");
            var signed = await new ImageSigner(signer).SignAsync(target, new SignOptions { Format = format }, cancellationToken).ConfigureAwait(false);
            Terminal.Line($"   signed {signed[0].Image} with {Markup.Escape(Path.GetFileName(paths.PrivateKeyPath))} as {format.ToString().ToLowerInvariant()} ({Markup.Escape(signed[0].Location)})");
        }

        var publicKeys = new List<PublicKey>();
        foreach (var paths in new[] { alice, bob })
        {
            publicKeys.Add(PublicKeyPem.Parse(await File.ReadAllTextAsync(paths.PublicKeyPath, cancellationToken).ConfigureAwait(false), paths.PublicKeyPath));
        }

        var both = await VerifySignaturesAsync(layout, [.. publicKeys], threshold: 2, cancellationToken).ConfigureAwait(false);
        Terminal.Line($"[bold]{step + 1}.[/] verify with both public keys, threshold 2: {(both.Passed ? "[green]verified[/]" : $"[red]{both.Code}[/]")} ({both.VerifiedKeys.Length} keys verified)");
        var wrong = await VerifySignaturesAsync(layout, [stranger.PublicKey], threshold: 1, cancellationToken).ConfigureAwait(false);
        Terminal.Line($"[bold]{step + 2}.[/] verify with a key that signed nothing: {(wrong.Passed ? "[red]verified (wrong!)[/]" : $"[green]refused[/] {wrong.Code}: {Markup.Escape(wrong.Message)}")}");
        return both.Passed && !wrong.Passed;
    }

    private static async Task<VerificationReport> VerifySignaturesAsync(string layout, ImmutableArray<PublicKey> keys, int threshold, CancellationToken cancellationToken)
    {
        await using var target = SignatureTarget.ForLayout(layout, "demo");
        return await ImageVerifier.VerifyAsync(target, new VerifyOptions { Keys = keys, Threshold = threshold }, cancellationToken).ConfigureAwait(false);
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
