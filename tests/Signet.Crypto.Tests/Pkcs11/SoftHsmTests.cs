using Signet.Testing.Hsm;

namespace Signet.Crypto.Tests.Pkcs11;

/// <summary>
/// All tests that load SoftHSM share one <see cref="SoftHsmFixture"/> and run one after another: the module reads
/// SOFTHSM2_CONF (process-wide) when it is initialised, and login state is per token and process.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SoftHsmTests : ICollectionFixture<SoftHsmFixture>
{
    public const string Name = "SoftHSM";
}
