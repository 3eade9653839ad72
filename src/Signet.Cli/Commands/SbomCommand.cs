using System.CommandLine;
using System.Globalization;
using System.Reflection;
using Signet.Cli.Output;
using Signet.Images;
using Signet.Images.Transports;
using Signet.Scanning.Catalogers;
using Signet.Scanning.FileSystem;
using Signet.Scanning.Sbom;
using Signet.Scanning.Trees;
using Spectre.Console;

namespace Signet.Cli.Commands;

/// <summary><c>signet sbom IMAGE|dir:PATH</c> and <c>signet sbom fs PATH</c>.</summary>
internal static class SbomCommand
{
    private const string DirectoryPrefix = "dir:";

    private static readonly Argument<string> Target = new("image")
    {
        Description = "The image (oci:, oci-archive:, docker-archive:, docker:// or a registry reference) or dir:PATH, a root filesystem directory.",
    };

    private static readonly Argument<string> SourcePath = new("path") { Description = "The source tree: a project directory." };

    private static readonly Option<SbomFormat> Format = new("--format", "-f")
    {
        Description = "cyclonedx-json (CycloneDX 1.6, the default), spdx-json (SPDX 2.3), or table (a human summary).",
        DefaultValueFactory = _ => SbomFormat.CycloneDxJson,
        CustomParser = r => r.Tokens[0].Value switch
        {
            "cyclonedx-json" or "cyclonedx" => SbomFormat.CycloneDxJson,
            "spdx-json" or "spdx" => SbomFormat.SpdxJson,
            "table" => SbomFormat.Table,
            var other => Fail(r, $"unknown format '{other}': use cyclonedx-json, spdx-json or table"),
        },
    };

    private static readonly Option<string?> OutputFile = new("--output", "-o")
    {
        Description = "Write the SBOM to this file (replaced only once it is complete) instead of stdout.",
    };

    private static readonly Option<string?> Timestamp = new("--timestamp")
    {
        Description = "The creation time written into the SBOM (RFC 3339, or 'now'). Default: SOURCE_DATE_EPOCH when set, " +
            "else the image config's created time (so the same image gives the same bytes), else now.",
    };

    public static Command Create()
    {
        var command = new Command(
            "sbom",
            "Write a software bill of materials: the image's layers are merged (whiteouts applied), the OS (dpkg, apk, rpm) " +
            "and language (Python, npm, .NET, Go and Rust binaries, Java, Ruby, PHP) packages installed in it are listed with " +
            "purls, licenses, the layer that added them and the files that evidence them, as CycloneDX 1.6 or SPDX 2.3 JSON. " +
            "Deterministic: the same image gives the same bytes. Files that could not be read are listed on stderr with their code.")
        {
            Target, Format, OutputFile, Timestamp, CommonOptions.Platform,
        };
        command.SetAction((result, token) => RunImageAsync(result, token));

        var fs = new Command(
            "fs",
            "Write the SBOM of a source tree: lockfiles and manifests count (package-lock.json, yarn.lock, pnpm-lock.yaml, " +
            "poetry.lock, requirements.txt, Gemfile.lock, composer.lock, packages.lock.json) as well as installed packages. " +
            ".git directories are skipped.")
        {
            SourcePath, Format, OutputFile, Timestamp,
        };
        fs.SetAction((result, token) => RunSourceTreeAsync(result, token));
        command.Subcommands.Add(fs);
        return command;
    }

    private static SbomFormat Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return default;
    }

    private static async Task<int> RunImageAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var target = result.GetValue(Target)!;
        if (target.StartsWith(DirectoryPrefix, StringComparison.Ordinal))
        {
            var path = target[DirectoryPrefix.Length..];
            var tree = DirectoryFileTree.Open(path, target);
            return await WriteAsync(result, tree, ScanKind.RootFilesystem, new SbomSubject { Name = target, Kind = ScanKind.RootFilesystem }, null, cancellationToken).ConfigureAwait(false);
        }

        var name = ImageName.Parse(target);
        using var transports = await CommonOptions.TransportsAsync(result, [name], cancellationToken).ConfigureAwait(false);
        await using var source = await transports.OpenSourceAsync(name, cancellationToken).ConfigureAwait(false);
        var progress = new TransferProgress();
        var image = await Terminal.WithProgressAsync(
            $"indexing the layers of {name}",
            progress,
            () => ImageFileSystem.OpenImageAsync(source, CommonOptions.Platforms(result), progress: progress, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var subject = new SbomSubject
        {
            Name = target,
            Kind = ScanKind.Image,
            ManifestDigest = image.ManifestDigest,
            ConfigDigest = image.Config?.Digest,
            Platform = image.Config?.Platform,
            Layers = [.. image.FileSystem.Layers],
        };
        return await WriteAsync(result, new ImageFileTree(image.FileSystem, target), ScanKind.Image, subject, image.Config?.Created, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> RunSourceTreeAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var path = result.GetValue(SourcePath)!;
        var tree = DirectoryFileTree.Open(path, $"fs:{path}", new HashSet<string>(StringComparer.Ordinal) { ".git" });
        return await WriteAsync(result, tree, ScanKind.SourceTree, new SbomSubject { Name = path, Kind = ScanKind.SourceTree }, null, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> WriteAsync(ParseResult result, IFileTree tree, ScanKind kind, SbomSubject subject, DateTimeOffset? created, CancellationToken cancellationToken)
    {
        var scan = await CatalogEngine.ScanAsync(tree, kind, cancellationToken: cancellationToken).ConfigureAwait(false);
        subject = subject with { Distribution = scan.Distribution };
        foreach (var issue in scan.Issues)
        {
            Terminal.Error.MarkupLine(Markup.Escape($"warning: {issue}"));
        }

        var format = result.GetValue(Format);
        var options = new SbomOptions { Timestamp = TimestampOf(result.GetValue(Timestamp), created), ToolVersion = ToolVersion() };
        var file = result.GetValue(OutputFile);
        if (format == SbomFormat.Table)
        {
            WriteTable(scan);
        }
        else if (file is null)
        {
            using var stdout = Console.OpenStandardOutput();
            Write(format, subject, scan, stdout, options);
        }
        else
        {
            var temporary = file + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
            try
            {
                using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                {
                    Write(format, subject, scan, output, options);
                }

                File.Move(temporary, file, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        var byType = string.Join(", ", scan.Packages.GroupBy(p => p.Type).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
        Terminal.Error.MarkupLine(Markup.Escape(
            $"{tree.Name}: {scan.Packages.Count} packages ({(byType.Length == 0 ? "none" : byType)})" +
            $"{(scan.Distribution is { } d ? $" on {d.DistroQualifier}" : string.Empty)}, {scan.FilesRead} of {scan.FilesListed} files read, " +
            $"{scan.Issues.Count} issue(s){(file is null ? string.Empty : $"; written to {file}")}"));
        return ExitCodes.Success;
    }

    private static void Write(SbomFormat format, SbomSubject subject, CatalogResult scan, Stream output, SbomOptions options)
    {
        if (format == SbomFormat.SpdxJson)
        {
            SpdxWriter.Write(subject, scan.Packages, output, options);
        }
        else
        {
            CycloneDxWriter.Write(subject, scan.Packages, output, options);
        }
    }

    private static void WriteTable(CatalogResult scan)
    {
        var table = new Table().AddColumns("NAME", "VERSION", "TYPE", "LAYER", "EVIDENCE");
        foreach (var package in scan.Packages)
        {
            table.AddRow(
                Markup.Escape(package.Name),
                Markup.Escape(package.Version ?? "-"),
                Markup.Escape(package.Type),
                package.Layer is { } layer ? layer.Index.ToString(CultureInfo.InvariantCulture) : "-",
                Markup.Escape(package.Evidence[0]));
        }

        Terminal.Out.Write(table);
    }

    private static DateTimeOffset TimestampOf(string? option, DateTimeOffset? created)
    {
        if (option is "now")
        {
            return DateTimeOffset.UtcNow;
        }

        if (option is not null)
        {
            return DateTimeOffset.TryParse(option, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw new ArgumentException($"--timestamp '{option}' is not an RFC 3339 time such as 2026-01-31T12:00:00Z, nor 'now'");
        }

        if (Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH") is { Length: > 0 } epoch)
        {
            return long.TryParse(epoch, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : throw new ArgumentException($"SOURCE_DATE_EPOCH '{epoch}' is not a number of seconds since 1970");
        }

        return created ?? DateTimeOffset.UtcNow;
    }

    private static string ToolVersion() =>
        typeof(SbomCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private enum SbomFormat
    {
        CycloneDxJson,
        SpdxJson,
        Table,
    }
}
