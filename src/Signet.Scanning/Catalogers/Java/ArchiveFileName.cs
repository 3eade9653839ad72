namespace Signet.Scanning.Catalogers.Java;

/// <summary>
/// The name and version a Java archive's file name suggests, as Maven names artifacts
/// (<c>commons-lang3-3.12.0.jar</c>: name <c>commons-lang3</c>, version <c>3.12.0</c>): the version starts at the
/// first <c>-</c> followed by a digit. Without one the whole stem is the name and there is no version.
/// </summary>
internal readonly record struct ArchiveFileName(string Name, string? Version)
{
    public static ArchiveFileName Parse(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        var stem = dot > 0 ? fileName[..dot] : fileName;
        for (var i = 1; i < stem.Length - 1; i++)
        {
            if (stem[i] == '-' && char.IsAsciiDigit(stem[i + 1]))
            {
                return new ArchiveFileName(stem[..i], stem[(i + 1)..]);
            }
        }

        return new ArchiveFileName(stem, null);
    }
}
