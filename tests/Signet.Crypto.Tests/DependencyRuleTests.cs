namespace Signet.Crypto.Tests;

public class DependencyRuleTests
{
    [Fact]
    public void Sources_BouncyCastle_OnlyUnderKeyFilesEncryption()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Signet.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Signet.sln not found above the test output");
        }

        var allowed = Path.Combine(root, "src", "Signet.Crypto", "KeyFiles", "Encryption") + Path.DirectorySeparatorChar;
        var offenders = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(path => !path.StartsWith(allowed, StringComparison.Ordinal))
            .Where(path => File.ReadAllText(path).Contains("Org.BouncyCastle", StringComparison.Ordinal))
            .ToArray();

        Assert.True(offenders.Length == 0, "BouncyCastle is for key-file scrypt and secretbox only (KeyFiles/Encryption/): " + string.Join(", ", offenders));
    }
}
