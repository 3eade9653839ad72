using System.Collections.Immutable;
using System.Text;
using Signet.Crypto;
using Signet.Crypto.Keys;
using Signet.Images.Building;
using Signet.Oci;
using Signet.Oci.Layout;
using Signet.Registry;
using Signet.Signing.Storage;
using Signet.Signing.Verification;

namespace Signet.Signing.Tests.TestSupport;

/// <summary>Small real images (built in process) in layouts and on the test registry, and keys.</summary>
public static class SigningFixtures
{
    public static readonly ImmutableArray<KeyAlgorithm> Algorithms = [.. Enum.GetValues<KeyAlgorithm>()];

    /// <summary>A one-layer image whose content depends on <paramref name="seed"/>, written to an OCI layout under <paramref name="tag"/>.</summary>
    public static async Task<ImageManifest> BuildLayoutAsync(string directory, string tag, string seed)
    {
        await using var destination = new OciLayoutDestination(directory, tag, $"oci:{directory}:{tag}");
        return await Builder(seed).WriteAsync(destination);
    }

    /// <summary>The same image pushed to a registry repository under a tag.</summary>
    public static async Task<ImageManifest> PushAsync(RegistryClient client, Reference reference, string seed)
    {
        await using var destination = new RegistryImageDestination(client, reference);
        return await Builder(seed).WriteAsync(destination);
    }

    public static RegistryClient Client() => new(new RegistryClientOptions { MaxAttempts = 1 });

    public static VerifyOptions Keys(params PublicKey[] keys) => new() { Keys = [.. keys] };

    private static ImageBuilder Builder(string seed) =>
        new ImageBuilder()
            .AddLayer([new LayerFile("etc/seed", Encoding.UTF8.GetBytes(seed))], LayerCompression.Gzip, $"seed {seed}")
            .WithLabel("seed", seed);
}

/// <summary>Keys generated once per algorithm for the whole test run (RSA-4096 generation is slow).</summary>
public static class TestKeys
{
    private static readonly Lazy<ImmutableDictionary<KeyAlgorithm, PrivateKey>> Keys = new(() =>
        SigningFixtures.Algorithms.ToImmutableDictionary(a => a, PrivateKey.Generate));

    private static readonly Lazy<PrivateKey> Second = new(() => PrivateKey.Generate(KeyAlgorithm.EcdsaP256));

    public static PrivateKey Of(KeyAlgorithm algorithm) => Keys.Value[algorithm];

    public static PrivateKey P256 => Of(KeyAlgorithm.EcdsaP256);

    /// <summary>Another P-256 key: a second signer, or the wrong key.</summary>
    public static PrivateKey OtherP256 => Second.Value;
}

/// <summary>Opens signature targets for tests.</summary>
public static class Targets
{
    public static SignatureTarget Layout(string directory, string tag) => SignatureTarget.ForLayout(directory, tag);

    public static SignatureTarget Registry(RegistryClient client, string reference, string? signatureRepository = null) =>
        SignatureTarget.ForRegistry(client, Reference.Parse(reference), signatureRepository is null ? null : Reference.Parse(signatureRepository));
}
