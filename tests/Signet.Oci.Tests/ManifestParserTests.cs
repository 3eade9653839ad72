using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Signet.Oci.Tests;

/// <summary>Manifest, index and config parsing over the fixtures in testdata/ (each folder's README says how they were made).</summary>
public sealed class ManifestParserTests
{
    private const string Where = "testdata";

    private static byte[] Fixture(string relativePath) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "testdata", relativePath));

    private static string FixtureText(string relativePath) => Encoding.UTF8.GetString(Fixture(relativePath));

    private static OciFormatException Refused(byte[] raw, string? contentType = null) =>
        Assert.Throws<OciFormatException>(() => ManifestParser.Parse(raw, contentType, Where));

    private static OciFormatException Refused(string json, string? contentType = null) => Refused(Encoding.UTF8.GetBytes(json), contentType);

    // ---------------------------------------------------------------- OCI

    [Fact]
    public void Parse_OciManifest_ReadsEveryField()
    {
        var raw = Fixture("oci-image/manifest.json");
        var config = Fixture("config/config.json");

        var manifest = Assert.IsType<ImageManifest>(ManifestParser.Parse(raw, MediaTypes.OciManifest, Where));

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(MediaTypes.OciManifest, manifest.DeclaredMediaType);
        Assert.Equal(2, manifest.SchemaVersion);
        Assert.Equal(Digest.Compute(raw), manifest.Digest);
        Assert.Equal(raw, manifest.Raw.ToArray());
        Assert.False(manifest.IsDocker);
        Assert.Equal(MediaTypes.OciConfig, manifest.Config.MediaType);
        Assert.Equal(Digest.Compute(config), manifest.Config.Digest);
        Assert.Equal(config.Length, manifest.Config.Size);
        Assert.Equal(2, manifest.Layers.Length);
        Assert.Equal(LayerCompression.Gzip, MediaTypes.CompressionOf(manifest.Layers[0].MediaType));
        Assert.Equal(LayerCompression.Zstd, MediaTypes.CompressionOf(manifest.Layers[1].MediaType));
        Assert.Equal(32654, manifest.Layers[0].Size);
        Assert.Equal("app.tar.zst", manifest.Layers[1].Annotations["org.opencontainers.image.title"]);
        Assert.Equal("1.0.0", manifest.Annotations["org.opencontainers.image.version"]);
        Assert.Null(manifest.Subject);
        Assert.Null(manifest.ArtifactType);

        var descriptor = manifest.ToDescriptor();
        Assert.Equal(raw.Length, descriptor.Size);
        Assert.Equal(manifest.Digest, descriptor.Digest);
    }

    [Fact]
    public void Parse_OciArtifact_ReadsArtifactTypeSubjectAndInlineData()
    {
        var raw = Fixture("oci-image/artifact.json");
        var subject = Fixture("oci-image/manifest.json");

        var manifest = Assert.IsType<ImageManifest>(ManifestParser.Parse(raw, (string?)null, Where));

        Assert.Equal("application/vnd.example.sbom.v1+json", manifest.ArtifactType);
        Assert.Equal(MediaTypes.OciEmpty, manifest.Config.MediaType);
        Assert.Equal("{}"u8.ToArray(), manifest.Config.Data?.ToArray());
        Assert.NotNull(manifest.Subject);
        Assert.Equal(Digest.Compute(subject), manifest.Subject.Digest);
        Assert.Equal(subject.Length, manifest.Subject.Size);
        Assert.Equal("application/vnd.example.sbom.v1+json", manifest.ToDescriptor().ArtifactType);
    }

    [Fact]
    public void Parse_OciIndex_ReadsManifestsWithPlatforms()
    {
        var raw = Fixture("oci-image/index.json");
        var child = Fixture("oci-image/manifest.json");

        var index = Assert.IsType<ImageIndex>(ManifestParser.Parse(raw, MediaTypes.OciIndex, Where));

        Assert.Equal(MediaTypes.OciIndex, index.MediaType);
        Assert.Equal(2, index.Manifests.Length);
        Assert.Equal(Digest.Compute(child), index.Manifests[0].Digest);
        Assert.Equal(new Platform { Os = "linux", Architecture = "amd64" }.ToString(), index.Manifests[0].Platform?.ToString());
        Assert.Equal("linux/arm64/v8", index.Manifests[1].Platform?.ToString());
        Assert.True(index.Manifests[1].Platform!.Satisfies(Platform.Parse("linux/arm64")));
        Assert.Equal("1.0.0", index.Annotations["org.opencontainers.image.ref.name"]);
    }

    // ---------------------------------------------------------------- Docker v2 schema 2

    [Fact]
    public void Parse_DockerManifest_ReadsConfigAndLayers()
    {
        var raw = Fixture("docker-v2/manifest.json");

        var manifest = Assert.IsType<ImageManifest>(ManifestParser.Parse(raw, MediaTypes.DockerManifest, Where));

        Assert.True(manifest.IsDocker);
        Assert.Equal(MediaTypes.DockerConfig, manifest.Config.MediaType);
        Assert.Equal(Digest.Compute(Fixture("config/config.json")), manifest.Config.Digest);
        var layer = Assert.Single(manifest.Layers);
        Assert.Equal(3370706, layer.Size);
        Assert.Equal(LayerCompression.Gzip, MediaTypes.CompressionOf(layer.MediaType));
    }

    [Fact]
    public void Parse_DockerManifestList_ReadsEntries()
    {
        var raw = Fixture("docker-v2/manifest-list.json");

        var list = Assert.IsType<ImageIndex>(ManifestParser.Parse(raw, MediaTypes.DockerManifestList, Where));

        Assert.Equal(MediaTypes.DockerManifestList, list.MediaType);
        Assert.Equal(2, list.Manifests.Length);
        Assert.All(list.Manifests, m => Assert.Equal(MediaTypes.DockerManifest, m.MediaType));
        Assert.Equal(Digest.Compute(Fixture("docker-v2/manifest.json")), list.Manifests[0].Digest);
        Assert.Equal("linux/arm/v7", list.Manifests[1].Platform?.ToString());
    }

    // ---------------------------------------------------------------- no mediaType (umoci)

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("application/octet-stream")]
    public void Parse_UmociManifestWithoutMediaType_InfersOciManifest(string? contentType)
    {
        var manifest = Assert.IsType<ImageManifest>(ManifestParser.Parse(Fixture("umoci/manifest.json"), contentType, Where));

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Null(manifest.DeclaredMediaType);
        Assert.Single(manifest.Layers);
    }

    [Fact]
    public void Parse_UmociIndexWithoutMediaType_InfersOciIndex()
    {
        var index = Assert.IsType<ImageIndex>(ManifestParser.Parse(Fixture("umoci/index.json"), (string?)null, Where));

        Assert.Equal(MediaTypes.OciIndex, index.MediaType);
        Assert.Null(index.DeclaredMediaType);
        Assert.Equal("latest", Assert.Single(index.Manifests).Annotations["org.opencontainers.image.ref.name"]);
    }

    [Fact]
    public void Parse_UmociManifestThroughIndexDescriptor_VerifiesAndTakesDescriptorMediaType()
    {
        var index = Assert.IsType<ImageIndex>(ManifestParser.Parse(Fixture("umoci/index.json"), (string?)null, Where));

        var manifest = ManifestParser.Parse(Fixture("umoci/manifest.json"), index.Manifests[0], Where);

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(index.Manifests[0].Digest, manifest.Digest);
    }

    [Fact]
    public void Parse_NoMediaTypeAndNothingToInferFrom_Refused()
    {
        var error = Refused("""{"schemaVersion":2}""");

        Assert.Contains("unsupported media type", error.Message, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- refused documents

    [Fact]
    public void Parse_Schema1ByContent_RefusedNamingSchema1()
    {
        var error = Refused(Fixture("refused/schema1.json"));

        Assert.Contains("schema 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("re-push", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MediaTypes.DockerSchema1Manifest)]
    [InlineData(MediaTypes.DockerSchema1SignedManifest)]
    public void Parse_Schema1ByContentType_RefusedNamingSchema1(string contentType)
    {
        var error = Refused(Fixture("refused/schema1.json"), contentType);

        Assert.Contains("schema 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Schema1DeclaredInDocument_RefusedNamingSchema1()
    {
        var error = Refused($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.DockerSchema1SignedManifest}}"}""");

        Assert.Contains("schema 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateKeys_Refused()
    {
        var error = Refused(Fixture("refused/duplicate-keys.json"));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Contains("layers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateKeysNested_Refused()
    {
        var json = FixtureText("oci-image/manifest.json").Replace(
            "\"size\": 32654",
            "\"size\": 32654,\n      \"size\": 1",
            StringComparison.Ordinal);

        Refused(json);
    }

    [Theory]
    [InlineData(MediaTypes.DockerManifest)]
    [InlineData(MediaTypes.OciIndex)]
    [InlineData(MediaTypes.DockerManifestList)]
    public void Parse_MediaTypeConflictsWithContentType_Refused(string contentType)
    {
        var error = Refused(Fixture("oci-image/manifest.json"), contentType);

        Assert.Contains("declares mediaType", error.Message, StringComparison.Ordinal);
        Assert.Contains(contentType, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IndexWithLayers_Refused()
    {
        var error = Refused(Fixture("refused/index-with-layers.json"));

        Assert.Contains("ambiguous", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManifestWithManifests_Refused()
    {
        var json = FixtureText("oci-image/manifest.json").Replace("\"layers\":", "\"manifests\": [],\n  \"layers\":", StringComparison.Ordinal);

        var error = Refused(json);

        Assert.Contains("ambiguous", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OversizeDocument_RefusedBeforeParsing()
    {
        var raw = new byte[ManifestParser.MaxManifestBytes + 1];
        Array.Fill(raw, (byte)' ');

        var error = Refused(raw);

        Assert.Contains($"at most {ManifestParser.MaxManifestBytes}", error.Message, StringComparison.Ordinal);
        Assert.Contains(Where, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DocumentOfExactlyTheLimit_Accepted()
    {
        var fixture = Fixture("oci-image/manifest.json");
        var raw = new byte[ManifestParser.MaxManifestBytes];
        Array.Fill(raw, (byte)' ');
        fixture.CopyTo(raw, 0);

        var manifest = ManifestParser.Parse(raw, (string?)null, Where);

        Assert.Equal(ManifestParser.MaxManifestBytes, manifest.Raw.Length);
    }

    [Fact]
    public void Parse_BadLayerDigest_MessageNamesFieldPath()
    {
        var error = Refused(Fixture("refused/bad-layer-digest.json"));

        Assert.Contains("'layers[1].digest'", error.Message, StringComparison.Ordinal);
        Assert.Contains("sha256:NOT-HEX", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DataFieldMismatch_RefusedNamingField()
    {
        var error = Refused(Fixture("refused/data-mismatch.json"));

        Assert.Contains("'config.data'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DataFieldNotBase64_Refused()
    {
        var json = FixtureText("oci-image/artifact.json").Replace("\"e30=\"", "\"e30*\"", StringComparison.Ordinal);

        var error = Refused(json);

        Assert.Contains("base64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"size\": 32654", "\"size\": -1", "is negative")]
    [InlineData("\"size\": 32654", "\"size\": 1.5", "must be an integer")]
    [InlineData("\"size\": 32654", "\"size\": \"32654\"", "must be an integer")]
    [InlineData("\"schemaVersion\": 2", "\"schemaVersion\": 3", "schemaVersion 3")]
    [InlineData("\"schemaVersion\": 2", "\"schemaVersion\": 4294967298", "schemaVersion 4294967298")]
    [InlineData("\"schemaVersion\": 2,", "", "'schemaVersion' is required")]
    [InlineData("\"layers\": [", "\"layers\": \"none\",\n  \"unused\": [", "'layers' must be an array")]
    [InlineData("\"org.opencontainers.image.version\": \"1.0.0\"", "\"org.opencontainers.image.version\": 1", "must be a string")]
    [InlineData("\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\"", "\"mediaType\": \"application/vnd.oci.image.config.v1+json\"", "unsupported media type")]
    public void Parse_MalformedField_RefusedWithMessage(string find, string replace, string expectedFragment)
    {
        var original = FixtureText("oci-image/manifest.json");
        Assert.Contains(find, original, StringComparison.Ordinal);
        var json = original.Replace(find, replace, StringComparison.Ordinal);

        var error = Refused(json);

        Assert.Contains(expectedFragment, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("\"manifest\"")]
    [InlineData("{\"schemaVersion\":2,}")]
    [InlineData("{\"schemaVersion\":2 /* comment */}")]
    public void Parse_NotAJsonObject_Refused(string text) => Refused(text);

    [Fact]
    public void Parse_DeeplyNested_RefusedByDepthLimit()
    {
        var json = "{\"schemaVersion\":2,\"annotations\":" + new string('[', 200) + new string(']', 200) + "}";

        var error = Refused(json);

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WithDescriptor_WrongDigest_ThrowsMismatch()
    {
        var raw = Fixture("oci-image/manifest.json");
        var descriptor = Descriptor.For(MediaTypes.OciManifest, raw) with { Digest = Digest.Compute("other"u8) };

        var error = Assert.Throws<DigestMismatchException>(() => ManifestParser.Parse(raw, descriptor, Where));

        Assert.Equal(Digest.Compute(raw), error.Actual);
    }

    [Fact]
    public void Parse_WithDescriptor_WrongSize_ThrowsMismatch()
    {
        var raw = Fixture("oci-image/manifest.json");
        var descriptor = Descriptor.For(MediaTypes.OciManifest, raw) with { Size = raw.Length + 1 };

        var error = Assert.Throws<DigestMismatchException>(() => ManifestParser.Parse(raw, descriptor, Where));

        Assert.Equal(raw.Length, error.ActualSize);
    }

    [Fact]
    public void Parse_WithDescriptor_Sha512_Verifies()
    {
        var raw = Fixture("oci-image/manifest.json");
        var descriptor = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Digest.Compute(raw, Digest.Sha512), Size = raw.Length };

        var manifest = ManifestParser.Parse(raw, descriptor, Where);

        Assert.IsType<ImageManifest>(manifest);
    }

    // ---------------------------------------------------------------- config

    [Fact]
    public void ParseConfig_Fixture_ReadsDiffIdsHistoryAndExecConfig()
    {
        var raw = Fixture("config/config.json");

        var config = ManifestParser.ParseConfig(raw, Where);

        Assert.Equal(Digest.Compute(raw), config.Digest);
        Assert.Equal("linux/amd64", config.Platform?.ToString());
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero), config.Created);
        Assert.Equal("layers", config.RootFsType);
        Assert.Equal(
            [Digest.Compute("layer-1-uncompressed"u8), Digest.Compute("layer-2-uncompressed"u8)],
            config.DiffIds.ToArray());
        Assert.Equal(3, config.History.Length);
        Assert.Equal(2, config.History.Count(h => !h.EmptyLayer));
        Assert.True(config.History[1].EmptyLayer);
        Assert.Equal("base layer", config.History[0].Comment);
        Assert.Equal("ci", config.History[2].Author);
        Assert.Equal("COPY app /usr/bin/app", config.History[2].CreatedBy);
        Assert.Equal(["/usr/bin/app"], config.Entrypoint.ToArray());
        Assert.Equal(["--serve"], config.Cmd.ToArray());
        Assert.Equal("app", config.User);
        Assert.Equal("/srv", config.WorkingDir);
        Assert.Equal("https://example.com/app", config.Labels["org.opencontainers.image.source"]);
        Assert.Single(config.Env);
    }

    [Fact]
    public void ParseConfig_BadDiffId_MessageNamesIndex()
    {
        var json = FixtureText("config/config.json");
        var second = Digest.Compute("layer-2-uncompressed"u8).ToString();
        json = json.Replace(second, "sha384:" + new string('0', 96), StringComparison.Ordinal);

        var error = Assert.Throws<OciFormatException>(() => ManifestParser.ParseConfig(Encoding.UTF8.GetBytes(json), Where));

        Assert.Contains("'rootfs.diff_ids[1]'", error.Message, StringComparison.Ordinal);
        Assert.Contains("only sha256 and sha512", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"created\": \"2024-05-01T12:00:00Z\",\n  \"author\"", "\"created\": \"yesterday\",\n  \"author\"", "RFC 3339")]
    [InlineData("\"empty_layer\": true", "\"empty_layer\": \"yes\"", "'history[1].empty_layer' must be true or false")]
    [InlineData("\"Cmd\": [\n      \"--serve\"\n    ]", "\"Cmd\": \"--serve\"", "'config.Cmd' must be an array")]
    [InlineData("\"config\": {\n    \"User\"", "\"config\": \"none\",\n  \"x\": {\n    \"User\"", "'config' must be an object")]
    public void ParseConfig_MalformedField_RefusedWithMessage(string find, string replace, string expectedFragment)
    {
        var original = FixtureText("config/config.json");
        Assert.Contains(find, original, StringComparison.Ordinal);

        var raw = Encoding.UTF8.GetBytes(original.Replace(find, replace, StringComparison.Ordinal));
        var error = Assert.Throws<OciFormatException>(() => ManifestParser.ParseConfig(raw, Where));

        Assert.Contains(expectedFragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseConfig_Oversize_Refused()
    {
        var raw = new byte[ManifestParser.MaxConfigBytes + 1];

        var error = Assert.Throws<OciFormatException>(() => ManifestParser.ParseConfig(raw, Where));

        Assert.Contains($"at most {ManifestParser.MaxConfigBytes}", error.Message, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- properties: only OciFormatException, ever

    private static readonly string[] Fixtures =
    [
        "oci-image/manifest.json", "oci-image/artifact.json", "oci-image/index.json",
        "docker-v2/manifest.json", "docker-v2/manifest-list.json", "umoci/manifest.json", "umoci/index.json",
        "refused/schema1.json", "refused/bad-layer-digest.json", "refused/data-mismatch.json",
    ];

    private static readonly string?[] ContentTypes =
    [
        null, "application/json", MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest,
        MediaTypes.DockerManifestList, MediaTypes.DockerSchema1SignedManifest,
    ];

    // Fragments that stress the parser: invalid UTF-8, lone surrogates, huge and odd numbers, nulls, wrong kinds.
    private static readonly byte[][] Splices =
    [
        [0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x00], .. new[]
        {
            "\\ud800", "\\u0000", "null", "[]", "{}", "-1", "1e400", "4294967298", "-0", "99999999999999999999999",
            "\"", ",", ":", "{\"a\":", "true", "\"sha256:\"", "\"data\":\"", "\"platform\":{}", "\"subject\":[]",
            "\"mediaType\":\"application/vnd.docker.distribution.manifest.v1+json\",",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    private static byte[] Mutate(byte[] source, (int Kind, int Position, int Value)[] edits)
    {
        var bytes = new List<byte>(source);
        foreach (var (kind, position, value) in edits)
        {
            var at = bytes.Count == 0 ? 0 : position % bytes.Count;
            switch (kind)
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << (value % 8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 2:
                    bytes.InsertRange(at, Splices[value % Splices.Length]);
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes.Insert(at, (byte)value);
                    break;
            }
        }

        return [.. bytes];
    }

    private static bool ParsesOrRefuses(byte[] raw, string? contentType)
    {
        try
        {
            ManifestParser.Parse(raw, contentType, "fuzz");
        }
        catch (OciFormatException)
        {
        }

        try
        {
            ManifestParser.ParseConfig(raw, "fuzz");
        }
        catch (OciFormatException)
        {
        }

        // Any other exception escapes and FsCheck reports it with the input that caused it.
        return true;
    }

    [Fact]
    public void Parse_RandomBytes_OnlyOciFormatException()
    {
        var gen =
            from bytes in ArbMap.Default.GeneratorFor<byte[]>()
            from contentType in Gen.Elements(ContentTypes)
            select (bytes, contentType);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(gen.ToArbitrary(), input => ParsesOrRefuses(input.bytes, input.contentType)));
    }

    [Fact]
    public void Parse_MutatedFixtures_OnlyOciFormatException()
    {
        var fixtures = Fixtures.Select(Fixture).ToArray();
        var edit = from kind in Gen.Choose(0, 4)
                   from position in Gen.Choose(0, int.MaxValue - 1)
                   from value in Gen.Choose(0, 255)
                   select (kind, position, value);
        var gen =
            from source in Gen.Elements(fixtures)
            from count in Gen.Choose(1, 6)
            from edits in Gen.ArrayOf(edit, count)
            from contentType in Gen.Elements(ContentTypes)
            select (raw: Mutate(source, edits), contentType);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), Prop.ForAll(gen.ToArbitrary(), input => ParsesOrRefuses(input.raw, input.contentType)));
    }

    [Fact]
    public void Parse_InvalidUtf8InsideEachString_RefusedAsOciFormatException()
    {
        // Deterministic sweep: put an invalid UTF-8 byte at the start of each string value and key in turn.
        foreach (var path in Fixtures)
        {
            var source = Fixture(path);
            for (var i = 0; i + 1 < source.Length; i++)
            {
                if (source[i] != (byte)'"' || source[i + 1] == (byte)'"')
                {
                    continue;
                }

                var mutated = (byte[])source.Clone();
                mutated[i + 1] = 0xff;
                var error = Refused(mutated);
                Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("\"org.opencontainers.image.version\": \"1.0.0\"", "\"org.opencontainers.image.version\": \"1.0\\ud800\"")]
    [InlineData("\"org.opencontainers.image.version\": \"1.0.0\"", "\"org.opencontainers.image.version\\udc00\": \"1.0.0\"")]
    [InlineData("\"mediaType\": \"application/vnd.oci.image.layer.v1.tar+gzip\"", "\"mediaType\": \"\\ud800\"")]
    public void Parse_LoneSurrogateEscape_RefusedAsOciFormatException(string find, string replace)
    {
        var original = FixtureText("oci-image/manifest.json");
        Assert.Contains(find, original, StringComparison.Ordinal);

        var error = Refused(original.Replace(find, replace, StringComparison.Ordinal));

        Assert.Contains("not a valid string", error.Message, StringComparison.Ordinal);
    }
}
