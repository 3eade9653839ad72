using System.Text.Json;
using Signet.Scanning.Purls;
using Signet.Testing;

namespace Signet.Scanning.Tests.Purls;

/// <summary>
/// The official purl-spec test suite (SIGNET_TEST_DATA/purl-spec/tests: spec/specification-test.json and
/// types/*-test.json), every case: parse (string to components), build (components to canonical string) and validate
/// (string to canonical string); a case with expected_failure must be rejected.
/// </summary>
public sealed class PurlSpecSuiteTests
{
    /// <summary>
    /// Cases that contradict the type definitions or the suite itself, with what Signet does instead and why. The
    /// theory asserts Signet's behaviour for them, so a change is still caught.
    /// </summary>
    private static readonly Dictionary<(string File, int Index), (string Canonical, string Why)> Contradicted = new()
    {
        [("types/git-test.json", 0)] = (
            "pkg:git/github/Package-url/purl-Spec@244fd47e07d1004f0aed9c",
            "expects the namespace and name lowercased, but git-definition.json declares both case-sensitive (paths on most git hosts are)"),
        [("types/gem-test.json", 1)] = (
            "pkg:gem/jruby-launcher@1.1.2?platform=java",
            "a parse case expects 'Platform=java' to fail while the validate case beside it expects platform=java, as the specification's case-insensitive qualifier keys do"),
        [("types/rpm-test.json", 1)] = (
            "pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25",
            "a parse case expects 'Arch=i386' to fail while the validate case beside it expects arch=i386, as the specification's case-insensitive qualifier keys do"),
    };

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var (file, tests) in Load())
        {
            for (var i = 0; i < tests.Count; i++)
            {
                data.Add(file, i);
            }
        }

        return data;
    }

    [Fact]
    public void Suite_HasEveryOfficialCase()
    {
        Assert.Equal(586, Load().Sum(f => f.Tests.Count));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_BehavesAsTheSuiteSays(string file, int index)
    {
        var test = Load().Single(f => f.File == file).Tests[index];
        var type = test.GetProperty("test_type").GetString();
        var failure = test.TryGetProperty("expected_failure", out var f) && f.ValueKind == JsonValueKind.True;
        var input = test.GetProperty("input");
        var expected = test.TryGetProperty("expected_output", out var output) ? output : default;
        var description = test.GetProperty("description").GetString();
        if (Contradicted.TryGetValue((file, index), out var signet))
        {
            Assert.Equal(signet.Canonical, PackageUrl.Parse(input.GetString()!).ToString());
            return;
        }

        switch (type)
        {
            case "parse" when failure:
                Assert.False(PackageUrl.TryParse(input.GetString()!, out _, out var error), description);
                Assert.StartsWith("PURL100", error.Code, StringComparison.Ordinal);
                break;
            case "parse":
                var parsed = PackageUrl.Parse(input.GetString()!);
                Assert.Equal(Text(expected, "type"), parsed.Type);
                Assert.Equal(Text(expected, "namespace"), parsed.Namespace);
                Assert.Equal(Text(expected, "name"), parsed.Name);
                Assert.Equal(Text(expected, "version"), parsed.Version);
                Assert.Equal(Qualifiers(expected), parsed.Qualifiers.ToDictionary());
                Assert.Equal(Text(expected, "subpath"), parsed.Subpath);
                break;
            case "build" when failure:
                Assert.Throws<PackageUrlFormatException>(() => Build(input));
                break;
            case "build":
                Assert.Equal(expected.GetString(), Build(input).ToString());
                break;
            case "validate" or "roundtrip" when failure:
                Assert.Throws<PackageUrlFormatException>(() => PackageUrl.Parse(input.GetString()!));
                break;
            case "validate" or "roundtrip":
                Assert.Equal(expected.GetString(), PackageUrl.Parse(input.GetString()!).ToString());
                break;
            default:
                Assert.Fail($"unknown test_type '{type}' in {file}");
                break;
        }
    }

    private static PackageUrl Build(JsonElement input) => PackageUrl.Create(
        Text(input, "type")!,
        Text(input, "namespace"),
        Text(input, "name")!,
        Text(input, "version"),
        Qualifiers(input).Select(q => new KeyValuePair<string, string?>(q.Key, q.Value)),
        Text(input, "subpath"));

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, string> Qualifiers(JsonElement element) =>
        element.TryGetProperty("qualifiers", out var value) && value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : [];

    private static IEnumerable<(string File, List<JsonElement> Tests)> Load()
    {
        var root = TestData.Require("purl-spec/tests");
        foreach (var path in Directory.EnumerateFiles(root, "*-test.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            yield return (Path.GetRelativePath(root, path), document.RootElement.GetProperty("tests").EnumerateArray().Select(t => t.Clone()).ToList());
        }
    }
}
