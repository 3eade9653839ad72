using Signet.Crypto;
using Signet.Sigstore.Certificates;

namespace Signet.Sigstore.Verification;

/// <summary>
/// Who must have signed and what evidence is required. Exactly one of <see cref="Key"/> (a key given out of band)
/// and <see cref="Identity"/> (a keyless certificate identity) is set.
/// </summary>
public sealed record VerificationPolicy
{
    public PublicKey? Key { get; init; }

    public CertificateIdentityPolicy? Identity { get; init; }

    /// <summary>Unsafe: accept bundles without transparency log evidence (<c>--insecure-ignore-tlog</c>).</summary>
    public bool InsecureIgnoreTlog { get; init; }

    /// <summary>How many distinct transparency logs must have verified entries.</summary>
    public int TlogThreshold { get; init; } = 1;

    /// <summary>How many verified observer timestamps (SET integrated times or RFC 3161 timestamps) are required for a certificate.</summary>
    public int TimestampThreshold { get; init; } = 1;

    public static VerificationPolicy ForKey(PublicKey key) => new() { Key = key };

    /// <summary>Throws <see cref="ArgumentException"/> unless exactly one of key and identity is set and the thresholds are not negative.</summary>
    public void Validate()
    {
        if ((Key is null) == (Identity is null))
        {
            throw new ArgumentException("a verification policy needs exactly one of a public key and a certificate identity");
        }

        if (TlogThreshold < 0 || TimestampThreshold < 0)
        {
            throw new ArgumentException($"thresholds cannot be negative (tlog {TlogThreshold}, timestamps {TimestampThreshold})");
        }
    }

    public static VerificationPolicy ForIdentity(CertificateIdentityPolicy identity) => new() { Identity = identity };
}
