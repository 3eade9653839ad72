using Signet.Scanning.Catalogers.Binaries.Elf;
using Signet.Scanning.Catalogers.Binaries.Go;
using Signet.Scanning.Catalogers.Binaries.Rust;

namespace Signet.Scanning.Catalogers.Binaries;

/// <summary>
/// The packages of one spooled ELF file, Go and Rust: malformed structures become issues with their code (ELF, GO,
/// RUST), never exceptions, so one hostile binary never stops a scan.
/// </summary>
internal static class ElfBinaryReader
{
    public static IReadOnlyList<Package> Read(Stream spool, CatalogFile file, CatalogContext context)
    {
        ElfFile elf;
        try
        {
            elf = ElfFile.Read(spool);
        }
        catch (ElfFormatException exception)
        {
            ReportMalformed(context, file, exception);
            return [];
        }

        var packages = new List<Package>();
        try
        {
            if (GoBuildInfoReader.Read(elf) is { } info)
            {
                var modInfo = GoModInfo.Parse(info.ModInfo);
                if (modInfo.Problems.Length > 0)
                {
                    context.Report(new CatalogIssue(
                        GoBinaryCodes.ModInfoMalformed, file.Path,
                        $"{modInfo.Problems.Length} line(s) of the Go module information were skipped, the first: {modInfo.Problems[0]}. The binary was altered or written by an unknown Go version; the modules listed may be incomplete."));
                }

                packages.AddRange(GoBinaryPackages.Create(file, info, modInfo, context));
            }
        }
        catch (GoBuildInfoFormatException exception)
        {
            context.Report(new CatalogIssue(
                GoBinaryCodes.BuildInfoMalformed, file.Path,
                $"has a Go build information blob that cannot be decoded: {exception.Message}. Its modules are not listed; the binary is corrupt or was altered."));
        }
        catch (ElfFormatException exception)
        {
            ReportMalformed(context, file, exception);
        }

        try
        {
            packages.AddRange(RustAuditPackages.Read(elf, file, context));
        }
        catch (ElfFormatException exception)
        {
            ReportMalformed(context, file, exception);
        }

        return packages;
    }

    private static void ReportMalformed(CatalogContext context, CatalogFile file, ElfFormatException exception) =>
        context.Report(new CatalogIssue(
            ElfCodes.Malformed, file.Path,
            $"starts like an ELF file but is malformed: {exception.Message}. Its Go and Rust modules are not listed; the file is truncated, corrupt or hostile."));
}
