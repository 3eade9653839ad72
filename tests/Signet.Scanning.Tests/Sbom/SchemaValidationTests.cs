using System.Text.Json.Nodes;
using Signet.Scanning.Catalogers;
using Signet.Scanning.Sbom;
using Signet.Testing;
using Signet.Testing.Interop;

namespace Signet.Scanning.Tests.Sbom;

/// <summary>
/// Validates written SBOMs with a real JSON-schema validator (ajv 8 + ajv-formats, validate.mjs) against the published
/// schemas in SIGNET_TEST_DATA: CycloneDX bom-1.6.schema.json and SPDX spdx-schema-2.3.json.
/// </summary>
public sealed class SchemaValidationTests
{
    private const string CycloneDx = "cyclonedx-1.6";
    private const string Spdx = "spdx-2.3";

    public static TheoryData<string> Formats => [CycloneDx, Spdx];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Write_RichImage_IsSchemaValid(string format) =>
        await AssertValidAsync(format, Write(format, SbomSamples.Image, SbomSamples.Rich()));

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Write_NoPackages_IsSchemaValid(string format) =>
        await AssertValidAsync(format, Write(format, SbomSamples.Image with { Distribution = null }, []));

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Write_SourceTree_IsSchemaValid(string format) =>
        await AssertValidAsync(format, Write(format, SbomSamples.SourceTree, SbomSamples.Rich().Select(p => p with { Layer = null })));

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Write_CompactOutput_IsSchemaValid(string format) =>
        await AssertValidAsync(format, Write(format, SbomSamples.Image, SbomSamples.Rich(), SbomSamples.Options with { Indented = false }));

    [Theory]
    [InlineData(CycloneDx, "bomFormat")]
    [InlineData(CycloneDx, "specVersion")]
    [InlineData(Spdx, "documentNamespace")]
    [InlineData(Spdx, "creationInfo")]
    public async Task Validator_RequiredFieldRemoved_Rejects(string format, string field)
    {
        var document = JsonNode.Parse(Write(format, SbomSamples.Image, SbomSamples.Rich()))!.AsObject();
        Assert.True(document.Remove(field));

        var result = await ValidateAsync(format, System.Text.Encoding.UTF8.GetBytes(document.ToJsonString()));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(field, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validator_CycloneDxComponentWithoutName_Rejects()
    {
        var document = JsonNode.Parse(Write(CycloneDx, SbomSamples.Image, SbomSamples.Rich()))!;
        document["components"]![1]!.AsObject().Remove("name");

        var result = await ValidateAsync(CycloneDx, System.Text.Encoding.UTF8.GetBytes(document.ToJsonString()));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("/components/1", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validator_SpdxPackageWithoutDownloadLocation_Rejects()
    {
        var document = JsonNode.Parse(Write(Spdx, SbomSamples.Image, SbomSamples.Rich()))!;
        document["packages"]![2]!.AsObject().Remove("downloadLocation");

        var result = await ValidateAsync(Spdx, System.Text.Encoding.UTF8.GetBytes(document.ToJsonString()));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("/packages/2 must have required property 'downloadLocation'", result.Stdout, StringComparison.Ordinal);
    }

    private static byte[] Write(string format, SbomSubject subject, IEnumerable<Package> packages, SbomOptions? options = null) =>
        format == CycloneDx ? SbomSamples.CycloneDx(subject, packages, options) : SbomSamples.Spdx(subject, packages, options);

    private static async Task AssertValidAsync(string format, byte[] json)
    {
        var result = await ValidateAsync(format, json);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static async Task<NodeResult> ValidateAsync(string format, byte[] json)
    {
        NpmPeers.RequireNodeModules("ajv");
        TestData.Require(format == CycloneDx ? "cyclonedx-specification/schema/bom-1.6.schema.json" : "spdx-spec/spdx-schema-2.3.json");
        var root = TestData.Root!;
        using var temp = new TempDir("signet-sbom-");
        var file = temp.Combine("sbom.json");
        await File.WriteAllBytesAsync(file, json);
        return await NpmPeers.RunAsync(Path.Combine(AppContext.BaseDirectory, "Sbom", "validate.mjs"), format, root, file);
    }
}
