namespace Signet.Scanning.Tests.Catalogers.Npm;

/// <summary>The committed npm test files (testdata/README.md says where each came from).</summary>
internal static class NpmTestData
{
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Catalogers", "Npm", "testdata", name));
}
