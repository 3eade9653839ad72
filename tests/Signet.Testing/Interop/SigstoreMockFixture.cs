using Xunit;

namespace Signet.Testing.Interop;

/// <summary>
/// One @sigstore/mock server (interop/sigstore-mock.mjs, copied next to the test assembly by its project) shared by a
/// test class; <see cref="Script"/> finds the other interop scripts there.
/// </summary>
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
