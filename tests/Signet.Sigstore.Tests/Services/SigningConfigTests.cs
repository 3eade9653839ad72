using System.Text;
using Signet.Sigstore.Services;
using Signet.Testing;

namespace Signet.Sigstore.Tests.Services;

/// <summary>
/// signing_config.v0.2.json as the Sigstore TUF repository publishes it (../shared/data/sigstore-root-signing/targets,
/// through SIGNET_TEST_DATA) and the selection rules on small configs written here.
/// </summary>
public sealed class SigningConfigTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static SigningConfig Published(string name) =>
        SigningConfig.Parse(File.ReadAllBytes(TestData.Require($"sigstore-root-signing/targets/{name}")), name);

    [Fact]
    public void Select_PublicGoodConfig_GivesFulcioRekorV1AndTheTsa()
    {
        var selected = Published("signing_config.v0.2.json").Select(Now);

        Assert.Equal(new Uri("https://fulcio.sigstore.dev"), selected.CertificateAuthority);
        Assert.Equal([new Uri("https://rekor.sigstore.dev")], selected.TransparencyLogs.ToArray());
        Assert.Equal([new Uri("https://timestamp.sigstore.dev/api/v1/timestamp")], selected.TimestampAuthorities.ToArray());
    }

    [Fact]
    public void Select_RekorV2Config_SkipsTheV2LogSignetCannotUploadTo()
    {
        var config = Published("signing_config_rekor_v2.v0.2.json");

        Assert.Equal(2, config.TransparencyLogs.Length);
        Assert.Equal([new Uri("https://rekor.sigstore.dev")], config.Select(Now).TransparencyLogs.ToArray());
    }

    [Fact]
    public void Parse_V01Config_IsRefusedNamingTheVersion()
    {
        var e = Assert.Throws<SigningConfigException>(() => Published("signing_config.json"));

        Assert.Contains("'application/vnd.dev.sigstore.signingconfig.v0.1+json'; Signet reads application/vnd.dev.sigstore.signingconfig.v0.2+json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_BeforeEveryServiceIsValid_FailsNamingTheTime()
    {
        var e = Assert.Throws<SigningConfigException>(() => Published("signing_config.v0.2.json").Select(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.Contains("no certificate authority with API version 1 valid at 2020-01-01", e.Message, StringComparison.Ordinal);
    }

    private static string Config(string tlogs, string tlogConfig, string tsas = "[]", string tsaConfig = "{\"selector\":\"ANY\"}") =>
        $"{{\"mediaType\":\"application/vnd.dev.sigstore.signingconfig.v0.2+json\",\"caUrls\":[{Service("https://ca.test", "a", "2024-01-01T00:00:00Z")}]," +
        $"\"rekorTlogUrls\":{tlogs},\"tsaUrls\":{tsas},\"rekorTlogConfig\":{tlogConfig},\"tsaConfig\":{tsaConfig}}}";

    private static string Service(string url, string op, string start, string? end = null, int version = 1) =>
        $"{{\"url\":\"{url}\",\"majorApiVersion\":{version},\"validFor\":{{\"start\":\"{start}\"{(end is null ? string.Empty : $",\"end\":\"{end}\"")}}},\"operator\":\"{op}\"}}";

    private static SigningConfig Parse(string json) => SigningConfig.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Select_All_TakesTheNewestLogOfEachOperator_AndAny_TheNewestOverall()
    {
        var logs = $"[{Service("https://old-a.test", "a", "2023-01-01T00:00:00Z")},{Service("https://new-a.test", "a", "2025-01-01T00:00:00Z")}," +
            $"{Service("https://b.test", "b", "2024-01-01T00:00:00Z")},{Service("https://expired.test", "c", "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z")}]";

        var all = Parse(Config(logs, "{\"selector\":\"ALL\"}")).Select(Now);
        var any = Parse(Config(logs, "{\"selector\":\"ANY\"}")).Select(Now);
        var exact = Parse(Config(logs, "{\"selector\":\"EXACT\",\"count\":2}")).Select(Now);

        Assert.Equal([new Uri("https://new-a.test"), new Uri("https://b.test")], all.TransparencyLogs.ToArray());
        Assert.Equal([new Uri("https://new-a.test")], any.TransparencyLogs.ToArray());
        Assert.Equal(all.TransparencyLogs.ToArray(), exact.TransparencyLogs.ToArray());
        Assert.Empty(all.TimestampAuthorities);
    }

    [Theory]
    [InlineData("{\"selector\":\"EXACT\",\"count\":3}", "asks for exactly 3 transparency log(s) but only 1")]
    [InlineData("{\"selector\":\"EXACT\"}", "must be 1 to 100 with the EXACT selector, found 0")]
    [InlineData("{\"selector\":\"SOME\"}", "is 'SOME'; expected ALL, ANY or EXACT")]
    public void Select_UnmeetableSelector_IsRefused(string tlogConfig, string expected)
    {
        var e = Assert.Throws<SigningConfigException>(() => Parse(Config($"[{Service("https://a.test", "a", "2024-01-01T00:00:00Z")}]", tlogConfig)).Select(Now));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"url\":\"https://v2.test\",\"majorApiVersion\":2,\"validFor\":{\"start\":\"2024-01-01T00:00:00Z\"},\"operator\":\"a\"}]")]
    public void Select_NoRekorV1Log_IsRefused(string logs)
    {
        var e = Assert.Throws<SigningConfigException>(() => Parse(Config(logs, "{\"selector\":\"ANY\"}")).Select(Now));

        Assert.Contains("no Rekor log with API version 1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[{\"url\":\"ftp://a.test\",\"majorApiVersion\":1,\"validFor\":{},\"operator\":\"a\"}]", "rekorTlogUrls[0].url' 'ftp://a.test' is not an http or https URL")]
    [InlineData("[{\"url\":\"https://a.test\",\"majorApiVersion\":1,\"operator\":\"a\"}]", "rekorTlogUrls[0].validFor' is required")]
    [InlineData("[{\"url\":\"https://a.test\",\"majorApiVersion\":0,\"validFor\":{},\"operator\":\"a\"}]", "must be a positive version, found 0")]
    [InlineData("[{\"url\":\"https://a.test\",\"majorApiVersion\":1,\"validFor\":{\"start\":\"yesterday\"},\"operator\":\"a\"}]", "rekorTlogUrls[0].validFor.start")]
    public void Parse_MalformedService_NamesTheField(string logs, string expected)
    {
        var e = Assert.Throws<SigningConfigException>(() => Parse(Config(logs, "{\"selector\":\"ANY\"}")));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Oversize_IsRefusedBeforeParsing()
    {
        var e = Assert.Throws<SigningConfigException>(() => SigningConfig.Parse(new byte[SigningConfig.MaxBytes + 1]));

        Assert.Contains($"at most {SigningConfig.MaxBytes}", e.Message, StringComparison.Ordinal);
    }
}
