using Signet.Scanning.Catalogers.Binaries.Elf;
using Signet.Scanning.Catalogers.Binaries.Go;
using Signet.Scanning.Catalogers.Binaries.Rust;

namespace Signet.Scanning.Catalogers.Binaries;

/// <summary>
/// Finds the modules compiled into ELF executables: Go build information (<see cref="GoBinaryPackages"/>, found by
/// <c>go-binary</c>) and cargo-auditable dependency lists (<see cref="RustAuditPackages"/>, found by
/// <c>rust-audit-binary</c>). One cataloger reads both so that each executable is copied into a seekable spool once:
/// the first four bytes are checked for the ELF magic before anything else is read, so other executables (scripts)
/// cost four bytes. Shared objects are read only when their execute bits are set (as executables are).
/// </summary>
public sealed class ElfBinaryCataloger : ICataloger
{
    /// <summary>Executables smaller than this are not read: no real Go or Rust binary is so small.</summary>
    public const long MinSize = 4 * 1024;

    /// <summary>ELF files larger than this are skipped with <see cref="CatalogCodes.TooLarge"/>.</summary>
    public const long MaxSize = 512L * 1024 * 1024;

    public string Id => "elf-binary";

    public bool Wants(CatalogFile file, CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.IsExecutable && file.Size >= MinSize;
    }

    public ICatalogSession Start(CatalogContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Session(context);
    }

    private sealed class Session(CatalogContext context) : ICatalogSession
    {
        private readonly List<Package> _packages = [];

        public async Task ReadAsync(CatalogFile file, Stream content, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(file);
            ArgumentNullException.ThrowIfNull(content);
            var magic = new byte[4];
            if (await content.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < magic.Length
                || !ElfFile.HasMagic(magic))
            {
                return;
            }

            if (file.Size > MaxSize)
            {
                context.Report(new CatalogIssue(
                    CatalogCodes.TooLarge, file.Path,
                    $"is an ELF file of {file.Size} bytes, more than the {MaxSize} bytes read for executables; its Go and Rust modules were not read."));
                return;
            }

            await using var spool = await CatalogContent.SpoolAsync(new PrefixedStream(magic, content), file.Size, cancellationToken).ConfigureAwait(false);
            _packages.AddRange(ElfBinaryReader.Read(spool, file, context));
        }

        public IReadOnlyList<Package> Finish() =>
        [
            .. _packages
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .ThenBy(p => p.Version, StringComparer.Ordinal)
                .ThenBy(p => p.FoundBy, StringComparer.Ordinal)
                .ThenBy(p => p.Evidence[0], StringComparer.Ordinal),
        ];
    }
}
