using System.Security.Cryptography;
using System.Text.Json;
using Signet.Oci.Json;
using Signet.Sigstore.TrustedRoots;

namespace Signet.Sigstore.Tuf;

/// <summary>
/// The directory <c>signet trust</c> keeps: <c>config.json</c> (the mirror), <c>metadata/</c> (the TUF metadata, from
/// the trusted <c>root.json</c> on), <c>targets/</c> (the TUF target cache) and <c>trusted_root.json</c> (the Sigstore
/// trusted root that verifiers load, written only after the TUF update verified it).
/// </summary>
public sealed class TrustDirectory
{
    private const int MaxConfigBytes = 64 * 1024;

    public TrustDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
    }

    public string Path { get; }

    public string MetadataDirectory => System.IO.Path.Combine(Path, "metadata");

    public string TargetDirectory => System.IO.Path.Combine(Path, "targets");

    public string ConfigFile => System.IO.Path.Combine(Path, "config.json");

    public string TrustedRootFile => System.IO.Path.Combine(Path, SigstoreTrust.TrustedRootFileName);

    public string RootFile => System.IO.Path.Combine(MetadataDirectory, "root.json");

    /// <summary>
    /// Starts the directory afresh for <paramref name="mirror"/> from <paramref name="root"/> (a root that carries a
    /// threshold of its own keys), or from the shipped public-good root when the mirror is the public-good one. Earlier
    /// metadata, cached targets and trusted_root.json are removed. No network.
    /// </summary>
    /// <exception cref="ArgumentException">No root was given for a mirror other than the public-good one.</exception>
    /// <exception cref="TufException">The root does not verify.</exception>
    public RootMetadata Initialize(Uri mirror, ReadOnlyMemory<byte>? root)
    {
        ArgumentNullException.ThrowIfNull(mirror);
        var anchor = root ?? (IsPublicGood(mirror)
            ? SigstoreTrust.EmbeddedRoot
            : throw new ArgumentException($"--root FILE is required for mirror {mirror}: the root shipped with Signet is the Sigstore public-good one ({SigstoreTrust.PublicGoodMirror})"));
        var metadata = TufTrustedSet.ParseSelfSigned(anchor);
        Directory.CreateDirectory(Path);
        foreach (var stale in new[] { MetadataDirectory, TargetDirectory })
        {
            if (Directory.Exists(stale))
            {
                Directory.Delete(stale, recursive: true);
            }
        }

        File.Delete(TrustedRootFile);
        Directory.CreateDirectory(MetadataDirectory);
        File.WriteAllBytes(RootFile, anchor.ToArray());
        WriteConfig(mirror);
        return metadata;
    }

    /// <summary>The mirror <see cref="Initialize"/> recorded, or null when the directory was never initialised.</summary>
    /// <exception cref="TufException">config.json cannot be read (TUF1001).</exception>
    public Uri? ReadMirror()
    {
        if (!File.Exists(ConfigFile))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(ConfigFile);
        if (bytes.Length > MaxConfigBytes)
        {
            throw new TufException(TufCodes.Malformed, $"{ConfigFile} is larger than {MaxConfigBytes} bytes; run 'signet trust init' again", null);
        }

        var json = new StrictJson(ConfigFile, (message, inner) => new TufException(TufCodes.Malformed, $"{message}; run 'signet trust init' again", inner));
        using var document = json.Parse(bytes);
        var mirror = json.RequiredString(json.RequireObject(document.RootElement, ""), "mirror", "");
        return Uri.TryCreate(mirror, UriKind.Absolute, out var url) ? url : throw json.Error("mirror", $"is not an absolute URL: '{mirror}'");
    }

    /// <summary>
    /// Runs the TUF update against the mirror (<paramref name="mirror"/> when given, which is then recorded, else the
    /// recorded one), downloads the <c>trusted_root.json</c> target, checks that it parses as a trusted root and only
    /// then writes it to <see cref="TrustedRootFile"/>.
    /// </summary>
    public async Task<TrustUpdateResult> UpdateAsync(ITufFetcher fetcher, Uri? mirror = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fetcher);
        if (!File.Exists(RootFile))
        {
            throw new TufException(TufCodes.MissingMetadata, $"{Path} has no trusted root ({RootFile}); run 'signet trust init' first", null);
        }

        var recorded = ReadMirror();
        var source = mirror ?? recorded ?? throw new TufException(TufCodes.MissingMetadata, $"{ConfigFile} is missing; run 'signet trust init' first", null);
        var client = new TufClient(
            new TufClientOptions
            {
                MetadataDirectory = MetadataDirectory,
                MetadataBaseUrl = source,
                TargetDirectory = TargetDirectory,
                TargetBaseUrl = new Uri(WithSlash(source), "targets/"),
                TimeProvider = timeProvider ?? TimeProvider.System,
            },
            fetcher);
        var downloaded = await client.FetchTargetAsync(SigstoreTrust.TrustedRootFileName, cancellationToken).ConfigureAwait(false);
        var bytes = await File.ReadAllBytesAsync(downloaded, cancellationToken).ConfigureAwait(false);
        TrustedRoot.Parse(bytes);
        var previous = File.Exists(TrustedRootFile) ? await File.ReadAllBytesAsync(TrustedRootFile, cancellationToken).ConfigureAwait(false) : null;
        var temporary = $"{TrustedRootFile}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, TrustedRootFile, overwrite: true);
        if (mirror is not null && mirror != recorded)
        {
            WriteConfig(mirror);
        }

        var root = client.TrustedRoot!;
        return new TrustUpdateResult(source, root.Version, root.Expires, TrustedRootFile, Convert.ToHexStringLower(SHA256.HashData(bytes)), previous is null || !previous.AsSpan().SequenceEqual(bytes));
    }

    /// <summary>What is trusted: the mirror, the TUF root and timestamp kept here, and the trusted root verifiers load.</summary>
    public TrustStatus ReadStatus()
    {
        var timestampFile = System.IO.Path.Combine(MetadataDirectory, "timestamp.json");
        return new TrustStatus(
            Path,
            ReadMirror(),
            File.Exists(RootFile) ? RootMetadata.Parse(File.ReadAllBytes(RootFile)) : null,
            File.Exists(timestampFile) ? TimestampMetadata.Parse(File.ReadAllBytes(timestampFile)) : null,
            SigstoreTrust.TrustedRootFileIn(Path),
            SigstoreTrust.LoadTrustedRoot(null, Path));
    }

    private void WriteConfig(Uri mirror)
    {
        using var config = File.Create(ConfigFile);
        using var writer = new Utf8JsonWriter(config, JsonWriterDefaults.Indented);
        writer.WriteStartObject();
        writer.WriteString("mirror", mirror.AbsoluteUri);
        writer.WriteEndObject();
    }

    private static bool IsPublicGood(Uri mirror) =>
        string.Equals(mirror.AbsoluteUri.TrimEnd('/'), SigstoreTrust.PublicGoodMirror, StringComparison.OrdinalIgnoreCase);

    private static Uri WithSlash(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}

/// <summary>What <see cref="TrustDirectory.UpdateAsync"/> did: the mirror, the trusted TUF root, the trusted root written.</summary>
public sealed record TrustUpdateResult(Uri Mirror, long RootVersion, DateTimeOffset RootExpires, string TrustedRootFile, string TrustedRootSha256, bool Changed);

/// <summary>
/// What a trust directory holds. <see cref="Root"/> and <see cref="Timestamp"/> are null before <c>init</c> and
/// <c>update</c>; <see cref="TrustedRootFile"/> is null when verifiers fall back to the embedded public-good trusted root.
/// </summary>
public sealed record TrustStatus(
    string Directory,
    Uri? Mirror,
    RootMetadata? Root,
    TimestampMetadata? Timestamp,
    string? TrustedRootFile,
    TrustedRoot TrustedRoot);
