using System.Text;
using Signet.Crypto.KeyFiles;
using Signet.Crypto.Passphrases;

namespace Signet.Crypto.Tests.Passphrases;

public class PassphraseSourceTests
{
    private static readonly PassphraseRequest Request = new("cosign.key", PassphrasePurpose.Decrypt);

    [Fact]
    public async Task GetPassphraseAsync_BothVariables_SignetWins()
    {
        var source = new EnvironmentPassphraseSource(Fail, Env(("SIGNET_PASSWORD", "signet"), ("COSIGN_PASSWORD", "cosign")));

        Assert.Equal("signet", Encoding.UTF8.GetString(await source.GetPassphraseAsync(Request)));
    }

    [Fact]
    public async Task GetPassphraseAsync_OnlyCosignVariable_UsesIt()
    {
        var source = new EnvironmentPassphraseSource(Fail, Env(("COSIGN_PASSWORD", "cösign")));

        Assert.Equal("cösign"u8.ToArray(), await source.GetPassphraseAsync(Request));
    }

    [Fact]
    public async Task GetPassphraseAsync_EmptyVariable_IsEmptyPassphraseWithoutPrompt()
    {
        var source = new EnvironmentPassphraseSource(Fail, Env(("SIGNET_PASSWORD", "")));

        Assert.Empty(await source.GetPassphraseAsync(Request));
    }

    [Fact]
    public async Task GetPassphraseAsync_NoVariables_AsksPromptWithRequest()
    {
        PassphraseRequest? asked = null;
        var source = new EnvironmentPassphraseSource((request, _) =>
        {
            asked = request;
            return ValueTask.FromResult<string?>("typed");
        }, Env());
        var request = new PassphraseRequest("new.key", PassphrasePurpose.Encrypt);

        Assert.Equal("typed"u8.ToArray(), await source.GetPassphraseAsync(request));
        Assert.Equal(request, asked);
    }

    [Fact]
    public async Task GetPassphraseAsync_PromptGivesNothing_PassphraseUnavailable()
    {
        var source = new EnvironmentPassphraseSource((_, _) => ValueTask.FromResult<string?>(null), Env());

        var e = await Assert.ThrowsAsync<KeyFileException>(async () => await source.GetPassphraseAsync(Request));

        Assert.Equal(KeyFileError.PassphraseUnavailable, e.Error);
    }

    [Fact]
    public async Task GetPassphraseAsync_NoVariablesNoPrompt_PassphraseUnavailableNamingVariables()
    {
        var source = new EnvironmentPassphraseSource(environment: Env());

        var e = await Assert.ThrowsAsync<KeyFileException>(async () => await source.GetPassphraseAsync(Request));

        Assert.Equal(KeyFileError.PassphraseUnavailable, e.Error);
        Assert.Contains("SIGNET_PASSWORD", e.Message, StringComparison.Ordinal);
        Assert.Contains("COSIGN_PASSWORD", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("cosign.key: ", e.Message, StringComparison.Ordinal);
    }

    private static ValueTask<string?> Fail(PassphraseRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the prompt must not be asked when a variable is set");

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
