using System.Globalization;
using Signet.Scanning.FileSystem;

namespace Signet.Scanning.Catalogers.Rpm;

/// <summary>
/// Installed rpm packages from rpm's database, read natively (<see cref="RpmDatabase"/>): <c>Packages</c> (Berkeley
/// DB), <c>Packages.db</c> (NDB) or <c>rpmdb.sqlite</c> (SQLite) in <c>var/lib/rpm</c>, <c>usr/lib/sysimage/rpm</c> or
/// <c>usr/share/rpm</c>. gpg-pubkey pseudo packages (imported signing keys) are skipped. A malformed header skips its
/// package (<see cref="RpmCodes.Header"/>); a malformed container stops that database (the packages read before stay).
/// The purl namespace is the distribution id (os-release ID, as Syft does: <c>rhel</c>, <c>fedora</c>, <c>sles</c>,
/// <c>mariner</c>...); when the distribution is unknown, the vendor decides, as Trivy's families do (Red Hat gives
/// <c>redhat</c>, Fedora Project <c>fedora</c>, CentOS <c>centos</c>, SUSE <c>suse</c>, openSUSE <c>opensuse</c>,
/// Microsoft <c>mariner</c>, Amazon <c>amazon</c>, Rocky <c>rocky</c>, AlmaLinux <c>almalinux</c>, Oracle
/// <c>oracle</c>, VMware <c>photon</c>); with neither, the package has no purl and a PURL1002 issue says why.
/// </summary>
public sealed class RpmCataloger : ICataloger
{
    private static readonly string[] Directories = ["var/lib/rpm/", "usr/lib/sysimage/rpm/", "usr/share/rpm/"];

    private static readonly (string Vendor, string Namespace)[] Vendors =
    [
        ("Red Hat", "redhat"),
        ("Fedora", "fedora"),
        ("CentOS", "centos"),
        ("openSUSE", "opensuse"),
        ("SUSE", "suse"),
        ("Microsoft", "mariner"),
        ("Amazon", "amazon"),
        ("Rocky", "rocky"),
        ("AlmaLinux", "almalinux"),
        ("Oracle", "oracle"),
        ("VMware", "photon"),
    ];

    /// <summary>The most read of one database (large real ones are a few hundred MiB); it is copied before reading.</summary>
    public const long MaxDatabaseBytes = 1L << 30;

    public string Id => "rpm-db";

    public bool Wants(CatalogFile file, CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(file);
        return RpmDatabase.FormatOf(file.Name) is not null
            && Directories.Any(d => file.Path.Length == d.Length + file.Name.Length && file.Path.StartsWith(d, StringComparison.Ordinal));
    }

    public ICatalogSession Start(CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Session(context, Id);
    }

    /// <summary>The namespace for a vendor, when the distribution is unknown; null for an unknown vendor.</summary>
    internal static string? NamespaceOfVendor(string? vendor) =>
        vendor is null ? null : Vendors.FirstOrDefault(v => vendor.Contains(v.Vendor, StringComparison.OrdinalIgnoreCase)).Namespace;

    /// <summary>The source package from a SOURCERPM file name <c>NAME-VERSION-RELEASE.src.rpm</c>; null when it is not one.</summary>
    internal static PackageSource? ParseSourceRpm(string? sourceRpm, int? epoch)
    {
        if (sourceRpm is null || !sourceRpm.EndsWith(".rpm", StringComparison.Ordinal))
        {
            return null;
        }

        var stem = sourceRpm[..^".rpm".Length];
        var dot = stem.LastIndexOf('.');
        stem = dot > 0 ? stem[..dot] : stem;
        var release = stem.LastIndexOf('-');
        var version = release > 0 ? stem.LastIndexOf('-', release - 1) : -1;
        if (version <= 0 || release == stem.Length - 1 || version + 1 == release)
        {
            return null;
        }

        var prefix = epoch is null ? "" : $"{epoch.Value.ToString(CultureInfo.InvariantCulture)}:";
        return new PackageSource(stem[..version], prefix + stem[(version + 1)..]);
    }

    private sealed record Found(string Path, LayerInfo? Layer, RpmPackage Package);

    private sealed class Session(CatalogContext context, string id) : ICatalogSession
    {
        private readonly List<Found> _found = [];

        public async Task ReadAsync(CatalogFile file, Stream content, CancellationToken cancellationToken)
        {
            var format = RpmDatabase.FormatOf(file.Name)!.Value;
            if (file.Size > MaxDatabaseBytes)
            {
                context.Report(new CatalogIssue(
                    CatalogCodes.TooLarge, file.Path,
                    $"is {file.Size} bytes, more than the {MaxDatabaseBytes} bytes read for an rpm database; it was skipped, so its packages are missing. Check where it comes from."));
                return;
            }

            if (format == RpmDatabaseFormat.Sqlite)
            {
                await ReadSqliteAsync(file, content, cancellationToken).ConfigureAwait(false);
                return;
            }

            await using var spooled = await CatalogContent.SpoolAsync(content, file.Size, cancellationToken).ConfigureAwait(false);
            Collect(file, () => format == RpmDatabaseFormat.BerkeleyDb
                ? BerkeleyDbHashReader.ReadValues(spooled, file.Path)
                : NdbReader.ReadBlobs(spooled, file.Path));
        }

        /// <summary>SQLite opens files by name: the content goes into a new file of a new private (0700) directory, removed after.</summary>
        private async Task ReadSqliteAsync(CatalogFile file, Stream content, CancellationToken cancellationToken)
        {
            var directory = Directory.CreateTempSubdirectory("signet-rpmdb-cataloger-");
            try
            {
                var path = Path.Combine(directory.FullName, "rpmdb.sqlite");
                var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous });
                await using (stream.ConfigureAwait(false))
                {
                    await content.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
                }

                Collect(file, () => SqliteRpmReader.ReadBlobs(path, file.Path));
            }
            finally
            {
                directory.Delete(recursive: true);
            }
        }

        /// <summary>Decodes each blob; a bad header skips its package, a bad container ends the database with what was read.</summary>
        private void Collect(CatalogFile file, Func<IEnumerable<byte[]>> blobs)
        {
            var index = 0;
            try
            {
                foreach (var blob in blobs())
                {
                    try
                    {
                        var package = RpmHeader.Parse(blob, $"#{index} in {file.Path}");
                        if (package.Name != "gpg-pubkey")
                        {
                            _found.Add(new Found(file.Path, file.Layer, package));
                        }
                    }
                    catch (RpmDatabaseFormatException exception)
                    {
                        context.Report(new CatalogIssue(exception.Code, file.Path, exception.Message));
                    }

                    index++;
                }
            }
            catch (RpmDatabaseFormatException exception)
            {
                context.Report(new CatalogIssue(
                    exception.Code, file.Path, $"{exception.Message} The packages after its first {index} headers are missing."));
            }
        }

        public IReadOnlyList<Package> Finish()
        {
            var seen = new HashSet<(string, int?, string, string, string?)>();
            return [.. _found
                .OrderBy(f => f.Path, StringComparer.Ordinal)
                .Where(f => seen.Add((f.Package.Name, f.Package.Epoch, f.Package.Version, f.Package.Release, f.Package.Arch)))
                .Select(Build)];
        }

        private Package Build(Found found)
        {
            var rpm = found.Package;
            var epoch = rpm.Epoch?.ToString(CultureInfo.InvariantCulture);
            var version = $"{rpm.Version}-{rpm.Release}";
            var installedFiles = OsPackages.Sorted(rpm.Files.Select(f => f.TrimStart('/')).Where(f => f.Length > 0));
            var distribution = context.Distribution;
            var purl = OsPackages.Purl(
                context, found.Path, "rpm", distribution?.Id ?? NamespaceOfVendor(rpm.Vendor), rpm.Name, version,
                [new("arch", rpm.Arch), new("epoch", epoch), new("distro", distribution?.DistroQualifier)]);
            return new Package
            {
                Name = rpm.Name,
                Version = epoch is null ? version : $"{epoch}:{version}",
                Type = "rpm",
                Purl = purl,
                FoundBy = id,
                Evidence = [found.Path],
                Layer = OsPackages.LayerOfFirstPresent(context, installedFiles, found.Layer),
                Licenses = string.IsNullOrWhiteSpace(rpm.License) ? [] : [rpm.License],
                Source = ParseSourceRpm(rpm.SourceRpm, rpm.Epoch),
                Supplier = string.IsNullOrWhiteSpace(rpm.Vendor) ? null : rpm.Vendor,
                InstalledFiles = installedFiles,
                Properties = OsPackages.Properties(
                    ("arch", rpm.Arch),
                    ("installed-size", rpm.Size?.ToString(CultureInfo.InvariantCulture)),
                    ("rpm.sourcerpm", rpm.SourceRpm)),
            };
        }
    }
}
