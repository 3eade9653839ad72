using Signet.Scanning.Catalogers.Apk;
using Signet.Scanning.Catalogers.Binaries;
using Signet.Scanning.Catalogers.DotNet;
using Signet.Scanning.Catalogers.Dpkg;
using Signet.Scanning.Catalogers.Java;
using Signet.Scanning.Catalogers.Npm;
using Signet.Scanning.Catalogers.Php;
using Signet.Scanning.Catalogers.Python;
using Signet.Scanning.Catalogers.Rpm;
using Signet.Scanning.Catalogers.Ruby;

namespace Signet.Scanning.Catalogers;

/// <summary>The catalogers Signet runs.</summary>
public static class CatalogerSet
{
    /// <summary>
    /// Every cataloger, OS package databases first. Each decides from the scan kind whether it applies: lockfile
    /// catalogers want files only in source trees (as Trivy's image mode, installed evidence only for images).
    /// </summary>
    public static IReadOnlyList<ICataloger> Default { get; } =
    [
        new DpkgCataloger(),
        new ApkCataloger(),
        new RpmCataloger(),
        new PythonCataloger(),
        new PoetryLockCataloger(),
        new RequirementsCataloger(),
        new NpmInstalledCataloger(),
        new NpmLockfileCataloger(),
        new DotNetDepsCataloger(),
        new NuGetLockfileCataloger(),
        new ElfBinaryCataloger(),
        new JavaArchiveCataloger(),
        new GemspecCataloger(),
        new GemfileLockCataloger(),
        new ComposerInstalledCataloger(),
        new ComposerLockCataloger(),
    ];
}
