using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Signet.Cli.Output;
using Signet.Sigstore.TrustedRoots;
using Signet.Sigstore.Tuf;
using Spectre.Console;

namespace Signet.Cli.Commands;

/// <summary><c>signet trust init|update|show</c>: the Sigstore trusted root, kept up to date through TUF.</summary>
internal static class TrustCommands
{
    private static readonly Option<string?> Mirror = new("--mirror")
    {
        Description = $"The TUF repository (init: default {SigstoreTrust.PublicGoodMirror}; update: default the one init recorded, and a new one is recorded).",
        HelpName = "URL",
    };

    private static readonly Option<string?> Root = new("--root")
    {
        Description = "The TUF root.json to trust (default: the Sigstore public-good root shipped with Signet; required for another mirror).",
        HelpName = "FILE",
    };

    private static readonly Option<string?> TrustDir = new("--trust-dir")
    {
        Description = $"The trust directory (default: ${SigstoreTrust.DirectoryVariable}, else ~/.signet/trust).",
        HelpName = "DIR",
    };

    public static Command Create()
    {
        var trust = new Command(
            "trust",
            "Keep the Sigstore trusted root (trusted_root.json: Rekor and CT log keys, Fulcio and timestamp authorities) up to date " +
            "through TUF, from a root that ships with Signet or that you give. Verifiers use --trusted-root FILE, else the one in " +
            "the trust directory, else the shipped public-good one.");
        trust.Subcommands.Add(CreateInit());
        trust.Subcommands.Add(CreateUpdate());
        trust.Subcommands.Add(CreateShow());
        return trust;
    }

    private static Command CreateInit()
    {
        var command = new Command(
            "init",
            "Start the trust directory afresh for a mirror from a trusted TUF root (no network). Removes earlier metadata and trusted_root.json.")
        {
            Mirror, Root, TrustDir, CommonOptions.Output,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var directory = Directory(result);
            var mirror = MirrorUrl(result.GetValue(Mirror)) ?? new Uri(SigstoreTrust.PublicGoodMirror);
            var rootFile = result.GetValue(Root);
            var root = rootFile is null ? null : (ReadOnlyMemory<byte>?)await ReadRootAsync(rootFile, cancellationToken).ConfigureAwait(false);
            var metadata = directory.Initialize(mirror, root);
            var source = rootFile ?? "the Sigstore public-good root shipped with Signet";
            if (result.GetValue(CommonOptions.Output) == OutputFormat.Json)
            {
                JsonOutput.Emit(writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("directory", directory.Path);
                    writer.WriteString("mirror", mirror.AbsoluteUri);
                    writer.WriteNumber("rootVersion", metadata.Version);
                    writer.WriteString("rootExpires", Time(metadata.Expires));
                    writer.WriteString("rootSource", source);
                    writer.WriteEndObject();
                });
            }
            else
            {
                Terminal.Line(Markup.Escape($"trust directory {directory.Path} initialised for {mirror.AbsoluteUri}: TUF root v{metadata.Version} (expires {Time(metadata.Expires)}) from {source}"));
                Terminal.Line(Markup.Escape("run 'signet trust update' to fetch the current trusted_root.json"));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateUpdate()
    {
        var command = new Command(
            "update",
            "Run the TUF client workflow against the mirror (root rotations, timestamp, snapshot, targets, every signature, version " +
            "and expiry checked) and download the trusted_root.json target into the trust directory. A failed check is a TUF code " +
            "(docs/error-codes.md) and exit 1; nothing unverified is written.")
        {
            Mirror, TrustDir, CommonOptions.Output,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var directory = Directory(result);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            var update = await directory.UpdateAsync(new TufFetcher(http), MirrorUrl(result.GetValue(Mirror)), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result.GetValue(CommonOptions.Output) == OutputFormat.Json)
            {
                JsonOutput.Emit(writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("directory", directory.Path);
                    writer.WriteString("mirror", update.Mirror.AbsoluteUri);
                    writer.WriteNumber("rootVersion", update.RootVersion);
                    writer.WriteString("rootExpires", Time(update.RootExpires));
                    writer.WriteString("trustedRoot", update.TrustedRootFile);
                    writer.WriteString("sha256", update.TrustedRootSha256);
                    writer.WriteBoolean("changed", update.Changed);
                    writer.WriteEndObject();
                });
            }
            else
            {
                var what = update.Changed ? "updated" : "unchanged";
                Terminal.Line(Markup.Escape($"trusted root {what}: {update.TrustedRootFile} (sha256 {update.TrustedRootSha256})"));
                Terminal.Line(Markup.Escape($"from {update.Mirror.AbsoluteUri}, TUF root v{update.RootVersion} (expires {Time(update.RootExpires)})"));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var command = new Command(
            "show",
            "Show what is trusted: the mirror, the TUF root (version, expiry) and timestamp, and the trusted root verifiers load " +
            "(its file or the shipped one) with its transparency logs, CT logs, certificate and timestamp authorities and their validity.")
        {
            TrustDir, CommonOptions.Output,
        };
        command.SetAction(result =>
        {
            var status = Directory(result).ReadStatus();
            if (result.GetValue(CommonOptions.Output) == OutputFormat.Json)
            {
                WriteJson(status);
            }
            else
            {
                WriteTable(status);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static TrustDirectory Directory(ParseResult result) => new(result.GetValue(TrustDir) ?? SigstoreTrust.DefaultDirectory);

    private static Uri? MirrorUrl(string? value)
    {
        if (value is null)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" or "file"
            ? url
            : throw new ArgumentException($"--mirror must be an absolute https, http or file URL, got '{value}'");
    }

    private static async Task<byte[]> ReadRootAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"--root {path}: file not found", path);
        }

        return info.Length > RootMetadata.MaxBytes
            ? throw new TufException(TufCodes.TooLarge, $"--root {path}: {info.Length} bytes, more than the {RootMetadata.MaxBytes} a TUF root may have", null)
            : await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Window(ValidityWindow window) =>
        $"{(window.Start is { } start ? Time(start) : "-")} .. {(window.End is { } end ? Time(end) : "(open)")}";

    private static string Name(CertificateAuthority authority) =>
        string.Join(", ", authority.Subject.Select(p => $"{p.Key}={p.Value}")) is { Length: > 0 } subject ? subject : authority.Uri;

    private static void WriteTable(TrustStatus status)
    {
        var now = DateTimeOffset.UtcNow;
        Terminal.Line(Markup.Escape($"trust directory: {status.Directory}"));
        Terminal.Line(Markup.Escape($"mirror: {status.Mirror?.AbsoluteUri ?? "(not initialised: run 'signet trust init')"}"));
        Terminal.Line(Markup.Escape(status.Root is { } root
            ? $"TUF root: v{root.Version}, expires {Time(root.Expires)}{(root.Expires <= now ? " (expired: run 'signet trust update')" : "")}"
            : "TUF root: none"));
        if (status.Timestamp is { } timestamp)
        {
            Terminal.Line(Markup.Escape($"TUF timestamp: v{timestamp.Version}, expires {Time(timestamp.Expires)}"));
        }

        Terminal.Line(Markup.Escape($"trusted root: {status.TrustedRootFile ?? "the Sigstore public-good trusted_root.json shipped with Signet"}"));
        var table = new Table().AddColumns("kind", "name", "valid");
        foreach (var log in status.TrustedRoot.Tlogs)
        {
            table.AddRow("tlog", Markup.Escape(log.BaseUrl), Window(log.ValidFor));
        }

        foreach (var log in status.TrustedRoot.Ctlogs)
        {
            table.AddRow("ctlog", Markup.Escape(log.BaseUrl), Window(log.ValidFor));
        }

        foreach (var authority in status.TrustedRoot.CertificateAuthorities)
        {
            table.AddRow("ca", Markup.Escape(Name(authority)), Window(authority.ValidFor));
        }

        foreach (var authority in status.TrustedRoot.TimestampAuthorities)
        {
            table.AddRow("tsa", Markup.Escape(Name(authority)), Window(authority.ValidFor));
        }

        Terminal.Out.Write(table);
    }

    private static void WriteJson(TrustStatus status) => JsonOutput.Emit(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("directory", status.Directory);
        JsonOutput.WriteOptional(writer, "mirror", status.Mirror?.AbsoluteUri);
        if (status.Root is { } root)
        {
            writer.WriteNumber("rootVersion", root.Version);
            writer.WriteString("rootExpires", Time(root.Expires));
        }

        if (status.Timestamp is { } timestamp)
        {
            writer.WriteNumber("timestampVersion", timestamp.Version);
            writer.WriteString("timestampExpires", Time(timestamp.Expires));
        }

        writer.WriteString("trustedRoot", status.TrustedRootFile ?? "embedded");
        WriteLogs(writer, "tlogs", status.TrustedRoot.Tlogs);
        WriteLogs(writer, "ctlogs", status.TrustedRoot.Ctlogs);
        WriteAuthorities(writer, "certificateAuthorities", status.TrustedRoot.CertificateAuthorities);
        WriteAuthorities(writer, "timestampAuthorities", status.TrustedRoot.TimestampAuthorities);
        writer.WriteEndObject();
    });

    private static void WriteLogs(Utf8JsonWriter writer, string name, IEnumerable<TransparencyLogInstance> logs)
    {
        writer.WriteStartArray(name);
        foreach (var log in logs)
        {
            writer.WriteStartObject();
            writer.WriteString("baseUrl", log.BaseUrl);
            writer.WriteString("logId", Convert.ToBase64String(log.LogKeyId.Span));
            WriteValidity(writer, log.ValidFor);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteAuthorities(Utf8JsonWriter writer, string name, IEnumerable<CertificateAuthority> authorities)
    {
        writer.WriteStartArray(name);
        foreach (var authority in authorities)
        {
            writer.WriteStartObject();
            writer.WriteString("name", Name(authority));
            writer.WriteString("uri", authority.Uri);
            writer.WriteNumber("certificates", authority.Certificates.Length);
            WriteValidity(writer, authority.ValidFor);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteValidity(Utf8JsonWriter writer, ValidityWindow window)
    {
        JsonOutput.WriteOptional(writer, "validFrom", window.Start is { } start ? Time(start) : null);
        JsonOutput.WriteOptional(writer, "validUntil", window.End is { } end ? Time(end) : null);
    }
}
