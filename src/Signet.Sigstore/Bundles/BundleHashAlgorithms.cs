using System.Security.Cryptography;

namespace Signet.Sigstore.Bundles;

/// <summary>The .NET side of protobuf-specs <c>HashAlgorithm</c>.</summary>
public static class BundleHashAlgorithms
{
    /// <summary>The .NET hash of a bundle algorithm, or null for one Signet does not compute (SHA3, unspecified).</summary>
    public static HashAlgorithmName? ToHashAlgorithmName(BundleHashAlgorithm algorithm) => algorithm switch
    {
        BundleHashAlgorithm.Sha256 => HashAlgorithmName.SHA256,
        BundleHashAlgorithm.Sha384 => HashAlgorithmName.SHA384,
        BundleHashAlgorithm.Sha512 => HashAlgorithmName.SHA512,
        _ => null,
    };
}
