using System.Security.Cryptography;
using Signet.Sigstore.Bundles;

namespace Signet.Sigstore.Tests.Bundles;

public sealed class BundleHashAlgorithmsTests
{
    [Theory]
    [InlineData(BundleHashAlgorithm.Sha256, "SHA256")]
    [InlineData(BundleHashAlgorithm.Sha384, "SHA384")]
    [InlineData(BundleHashAlgorithm.Sha512, "SHA512")]
    [InlineData(BundleHashAlgorithm.Sha3256, null)]
    [InlineData(BundleHashAlgorithm.Sha3384, null)]
    [InlineData(BundleHashAlgorithm.Unspecified, null)]
    public void ToHashAlgorithmName_OnlySha2_IsComputed(BundleHashAlgorithm algorithm, string? expected)
    {
        Assert.Equal(expected is null ? null : new HashAlgorithmName(expected), BundleHashAlgorithms.ToHashAlgorithmName(algorithm));
    }
}
