namespace Signet.Testing;

/// <summary>
/// The shared public test data (../shared/data), reached only through <c>SIGNET_TEST_DATA</c>, which .ci/run and
/// scripts/test.sh set. A test that needs it calls <see cref="Require"/>, which fails with a message naming the variable
/// when it is unset, so a missing data set is never a silent pass.
/// </summary>
public static class TestData
{
    public const string Variable = "SIGNET_TEST_DATA";

    public static string? Root => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } root && Directory.Exists(root)
        ? Path.GetFullPath(root)
        : null;

    /// <summary>The full path of a file or folder in the shared data; fails the test when the data is unavailable.</summary>
    public static string Require(string relativePath)
    {
        var root = Root ?? throw new InvalidOperationException(
            $"{Variable} is not set or does not exist: this test reads ../shared/data; run it through scripts/test.sh or set {Variable}=../shared/data");
        var path = Path.Combine(root, relativePath);
        return File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new FileNotFoundException($"shared test data '{relativePath}' is missing under {root}", path);
    }

    /// <summary>
    /// A sample made by a real peer tool, in ../shared/peers/samples beside the data folder (found through the same
    /// variable); fails the test when the data is unavailable.
    /// </summary>
    public static string RequirePeerSample(string name) => Require(Path.Combine("..", "peers", "samples", name));
}
