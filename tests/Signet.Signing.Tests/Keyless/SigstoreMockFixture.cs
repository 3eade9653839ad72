using Signet.Testing.Interop;

namespace Signet.Signing.Tests.Keyless;

/// <summary>One @sigstore/mock server (interop/sigstore-mock.mjs) shared by a test class.</summary>
public sealed class SigstoreMockFixture : IAsyncLifetime
{
    private SigstoreMock? _mock;

    public SigstoreMock Mock => _mock ?? throw new InvalidOperationException("the sigstore mock is not running");

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "interop", name);

    public async Task InitializeAsync() => _mock = await SigstoreMock.StartAsync(Script("sigstore-mock.mjs"));

    public async Task DisposeAsync()
    {
        if (_mock is not null)
        {
            await _mock.DisposeAsync();
        }
    }
}
