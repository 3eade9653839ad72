using Xunit;

namespace Signet.Testing.Registry;

/// <summary>
/// Shares one <see cref="RegistryProcess"/> per test class (<c>IClassFixture&lt;TokenRegistryFixture&gt;</c>) or, with a
/// <c>[CollectionDefinition]</c> in the test assembly, per collection. Subclasses pick the mode.
/// </summary>
public abstract class RegistryFixture : IAsyncLifetime
{
    private RegistryProcess? _registry;

    protected abstract RegistryOptions Options { get; }

    /// <summary>The running registry.</summary>
    public RegistryProcess Registry => _registry ?? throw new InvalidOperationException("the registry fixture has not been initialised");

    public async Task InitializeAsync() => _registry = await RegistryProcess.StartAsync(Options);

    public async Task DisposeAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }
    }
}

/// <summary>A registry without authentication.</summary>
public sealed class AnonymousRegistryFixture : RegistryFixture
{
    protected override RegistryOptions Options { get; } = new() { Mode = RegistryAuthMode.Anonymous };
}

/// <summary>A registry with htpasswd Basic auth: <see cref="RegistryProcess.HtpasswdUser"/> / <see cref="RegistryProcess.HtpasswdPassword"/>.</summary>
public sealed class HtpasswdRegistryFixture : RegistryFixture
{
    protected override RegistryOptions Options { get; } = new() { Mode = RegistryAuthMode.Htpasswd };
}

/// <summary>
/// A registry with token auth: <see cref="RegistryProcess.PushUser"/> may pull, push and delete everything (and has the
/// identity token <see cref="RegistryProcess.PushIdentityToken"/>); <see cref="RegistryProcess.PullUser"/> may only pull.
/// </summary>
public sealed class TokenRegistryFixture : RegistryFixture
{
    protected override RegistryOptions Options { get; } = new() { Mode = RegistryAuthMode.Token };
}
