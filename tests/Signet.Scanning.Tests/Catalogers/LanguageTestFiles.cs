using System.Text;

namespace Signet.Scanning.Tests.Catalogers;

/// <summary>Committed test files of the language catalogers (Catalogers/ECOSYSTEM/testdata), placed at tree paths.</summary>
internal static class LanguageTestFiles
{
    /// <summary>Every file under <c>Catalogers/ECOSYSTEM/testdata/FOLDER</c> (README excluded), at <c>PREFIX/relative path</c>.</summary>
    public static Dictionary<string, byte[]> Tree(string ecosystem, string folder, string prefix)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "Catalogers", ecosystem, "testdata", folder);
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "README.md")
            .ToDictionary(f => prefix + "/" + Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes, StringComparer.Ordinal);
    }

    /// <summary>One committed file's bytes.</summary>
    public static byte[] Read(string ecosystem, string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Catalogers", ecosystem, "testdata", name));

    /// <summary>Text as UTF-8 bytes.</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
