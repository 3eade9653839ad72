using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Oci;
using Signet.Testing.Registry;

namespace Signet.Registry.Tests.Client;

/// <summary>
/// TLS against a real docker-registry serving HTTPS with a certificate from a private CA: certificates are verified
/// on loopback too, <c>--ca-cert</c> (ExtraCaCertificates) adds a trusted root, <c>--insecure-registry</c> skips checks.
/// </summary>
public sealed class RegistryTlsTests : IAsyncLifetime
{
    private readonly X509Certificate2 _ca;
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private RegistryProcess _registry = null!;
    private RegistryProcess _wrongName = null!;

    public RegistryTlsTests()
    {
        var request = new CertificateRequest("CN=Signet Test CA", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
    }

    public async Task InitializeAsync()
    {
        _registry = await RegistryProcess.StartAsync(new RegistryOptions { Tls = Issue(IPAddress.Loopback) });
        _wrongName = await RegistryProcess.StartAsync(new RegistryOptions { Tls = Issue(IPAddress.Parse("127.0.0.2")) });
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        await _wrongName.DisposeAsync();
        _ca.Dispose();
        _caKey.Dispose();
    }

    [Fact]
    public async Task Ping_UntrustedCertificateOnLoopback_FailsNamingTheCertificate()
    {
        using var client = new RegistryClient(new RegistryClientOptions { MaxAttempts = 1 });

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.PingAsync(_registry.Host));

        Assert.Contains($"https://{_registry.Host}/v2/", error.Message, StringComparison.Ordinal);
        Assert.Contains("--ca-cert", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushAndPull_WithCaCertificate_UsesHttpsAndVerifies()
    {
        using var client = new RegistryClient(new RegistryClientOptions { ExtraCaCertificates = [_ca] });
        var repository = Reference.Parse($"{_registry.Host}/tls/app");
        var blob = "hello over tls"u8.ToArray();
        var descriptor = Descriptor.For("application/octet-stream", blob);

        using (var content = new MemoryStream(blob))
        {
            await client.PushBlobAsync(repository, descriptor, content);
        }

        await using var stream = await client.GetBlobAsync(repository, descriptor);
        using var read = new MemoryStream();
        await stream.CopyToAsync(read);

        Assert.Equal(blob, read.ToArray());
        Assert.Equal("https", _registry.BaseUri.Scheme);
    }

    [Fact]
    public async Task Ping_CertificateForAnotherName_RefusedEvenWithItsCa()
    {
        using var client = new RegistryClient(new RegistryClientOptions { ExtraCaCertificates = [_ca], MaxAttempts = 1 });

        await Assert.ThrowsAsync<RegistryException>(() => client.PingAsync(_wrongName.Host));
    }

    [Fact]
    public async Task Ping_InsecureRegistry_AcceptsUntrustedCertificate()
    {
        using var client = new RegistryClient(new RegistryClientOptions { InsecureRegistries = [_wrongName.Host] });

        await client.PingAsync(_wrongName.Host);
    }

    private RegistryTls Issue(IPAddress address)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=registry", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(address);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.Create(_ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(6), [1, 2, 3, 4]);
        return new RegistryTls(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
