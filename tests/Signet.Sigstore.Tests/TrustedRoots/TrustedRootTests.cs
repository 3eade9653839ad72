using Signet.Sigstore.TrustedRoots;
using Signet.Testing;

namespace Signet.Sigstore.Tests.TrustedRoots;

public class TrustedRootTests
{
    private static TrustedRoot Load(string relative) =>
        TrustedRoot.Parse(File.ReadAllBytes(TestData.Require(Path.Combine("sigstore-conformance", relative))));

    private static TrustedRoot Case(string name) => Load(Path.Combine("bundle-verify", name, "trusted_root.json"));

    [Fact]
    public void Parse_Production_ReadsAllSections()
    {
        var root = Load("trusted_root.production.json");

        Assert.Equal("application/vnd.dev.sigstore.trustedroot+json;version=0.1", root.MediaType);
        Assert.NotEmpty(root.Tlogs);
        Assert.NotEmpty(root.Ctlogs);
        Assert.NotEmpty(root.CertificateAuthorities);
        Assert.NotEmpty(root.TimestampAuthorities);
        Assert.Contains(root.Tlogs, l => l.BaseUrl == "https://rekor.sigstore.dev");
        Assert.Equal("sigstore.dev", root.TimestampAuthorities[0].Subject["organization"]);
    }

    [Fact]
    public void FindTlog_ProductionRekorKeyIdAfterStart_FindsLog()
    {
        var root = Load("trusted_root.production.json");
        var keyId = Convert.FromBase64String("wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=");

        var log = root.FindTlog(keyId, DateTimeOffset.Parse("2024-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        Assert.NotNull(log);
        Assert.Equal("PKIX_ECDSA_P256_SHA_256", log.KeyDetails);
        Assert.Null(root.FindTlog(keyId, DateTimeOffset.Parse("2020-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Null(root.FindTlog(new byte[32], DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Parse_Staging_ReadsLogs()
    {
        var root = Load("trusted_root.staging.json");

        Assert.NotEmpty(root.Tlogs);
        Assert.NotEmpty(root.CertificateAuthorities);
    }

    [Fact]
    public void Parse_EveryConformanceCaseRoot_ParsesExceptMissingStart()
    {
        var cases = Directory.GetDirectories(TestData.Require(Path.Combine("sigstore-conformance", "bundle-verify")))
            .Where(d => File.Exists(Path.Combine(d, "trusted_root.json")))
            .ToList();
        Assert.NotEmpty(cases);

        foreach (var directory in cases)
        {
            var raw = File.ReadAllBytes(Path.Combine(directory, "trusted_root.json"));
            if (Path.GetFileName(directory) == "trust-root-tlog-missing-validity-start_fail")
            {
                var e = Assert.Throws<TrustedRootException>(() => TrustedRoot.Parse(raw));
                Assert.Contains("validFor.start", e.Message, StringComparison.Ordinal);
            }
            else
            {
                TrustedRoot.Parse(raw);
            }
        }
    }

    [Fact]
    public void Contains_TlogValidityEnd_IsInclusive()
    {
        var root = Case("trust-root-tlog-validity-end-inclusive");
        var window = root.Tlogs.First(l => l.ValidFor.End is not null).ValidFor;

        Assert.True(window.Contains(window.End!.Value));
        Assert.True(window.Contains(window.Start!.Value));
        Assert.False(window.Contains(window.End.Value.AddTicks(1)));
        Assert.False(window.Contains(window.Start.Value.AddTicks(-1)));
    }

    [Fact]
    public void TimestampAuthoritiesValidAt_TsaValidityEnd_IsInclusive()
    {
        var root = Case("trust-root-tsa-validity-end-inclusive");
        var tsa = root.TimestampAuthorities.First(a => a.ValidFor.End is not null);

        Assert.Contains(tsa, root.TimestampAuthoritiesValidAt(tsa.ValidFor.End!.Value));
        Assert.DoesNotContain(tsa, root.TimestampAuthoritiesValidAt(tsa.ValidFor.End.Value.AddTicks(1)));
    }

    [Theory]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot.v0.3+json\"}", "mediaType")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot.v0.2+json\",\"tlogs\":[{\"baseUrl\":\"u\",\"hashAlgorithm\":\"SHA2_256\",\"publicKey\":{\"rawBytes\":\"AA==\",\"keyDetails\":\"PKIX_ED25519\"},\"logId\":{\"keyId\":\"AA==\"}}]}", "validFor.start")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot.v0.2+json\",\"certificateAuthorities\":[{\"certChain\":{\"certificates\":[]},\"uri\":\"u\"}]}", "must not be empty")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot.v0.2+json\",\"mediaType\":\"x\"}", "")]
    public void Parse_InvalidRoot_FailsNamingField(string json, string expected)
    {
        var e = Assert.Throws<TrustedRootException>(() => TrustedRoot.Parse(System.Text.Encoding.UTF8.GetBytes(json)));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
