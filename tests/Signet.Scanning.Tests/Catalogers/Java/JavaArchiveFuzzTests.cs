using FsCheck;
using FsCheck.Fluent;
using Signet.Scanning.Catalogers.Java;
using static Signet.Scanning.Tests.Catalogers.Java.JavaArchives;

namespace Signet.Scanning.Tests.Catalogers.Java;

/// <summary>
/// Random truncations and byte mutations of a real jar and of a war nesting it: the cataloger never throws; every
/// outcome is packages with evidence and issues with a JAVA code.
/// </summary>
public sealed class JavaArchiveFuzzTests
{
    /// <summary>Mutations biased to the last 400 bytes (the central directory and its end record) but reaching anywhere.</summary>
    private static Gen<byte[]> Mutated(byte[] original) => ByteMutations.Mutated(original, original.Length - 400, original.Length, maxEdits: 8);

    private static bool ReadsOrReports(string path, byte[] bytes)
    {
        var (packages, issues) = CatalogerHarness.RunAsync(new JavaArchiveCataloger(), new Dictionary<string, byte[]> { [path] = bytes }).GetAwaiter().GetResult();
        return packages.All(p => p.Evidence.Length > 0 && p.Evidence[0].StartsWith(path, StringComparison.Ordinal))
            && issues.All(i => i.Code.StartsWith("JAVA", StringComparison.Ordinal) && i.Message.Length > 0);
    }

    [Fact]
    public void Read_MutatedRealJar_ReadsOrReports()
    {
        var jar = Real("slf4j-nop-1.7.32.jar");
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1500), Prop.ForAll(Mutated(jar).ToArbitrary(), mutated => ReadsOrReports("opt/slf4j-nop-1.7.32.jar", mutated)));
    }

    [Fact]
    public void Read_MutatedWarWithNestedJars_ReadsOrReports()
    {
        var war = Zip(
            System.IO.Compression.CompressionLevel.NoCompression,
            Manifest("Implementation-Version: 1.0\r\n"),
            ("WEB-INF/lib/slf4j-nop-1.7.32.jar", Real("slf4j-nop-1.7.32.jar")),
            ("WEB-INF/lib/error-prone-type-annotations.jar", Real("error-prone-type-annotations.jar")));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1500), Prop.ForAll(Mutated(war).ToArbitrary(), mutated => ReadsOrReports("srv/app.war", mutated)));
    }
}
