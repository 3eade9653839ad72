namespace Signet.Crypto.KeyFiles.Encryption;

/// <summary>
/// scrypt cost parameters of an encrypted key file. Only the three sets go-securesystemslib writes are accepted
/// (N = 2^15 legacy, 2^16 standard, 2^17 OWASP; r = 8, p = 1): anything else is refused before it is computed, so a
/// tampered file cannot make decryption take minutes or gigabytes.
/// </summary>
public readonly record struct ScryptParameters(int N, int R, int P)
{
    /// <summary>N = 32768: what cosign wrote before go-securesystemslib 0.8.</summary>
    public static ScryptParameters Legacy { get; } = new(32768, 8, 1);

    /// <summary>N = 65536: what cosign writes now, and what Signet writes.</summary>
    public static ScryptParameters Standard { get; } = new(65536, 8, 1);

    /// <summary>N = 131072: the OWASP recommendation.</summary>
    public static ScryptParameters Owasp { get; } = new(131072, 8, 1);

    /// <summary>True for the three accepted sets.</summary>
    public bool IsAccepted => R == 8 && P == 1 && N is 32768 or 65536 or 131072;

    public override string ToString() => $"N={N}, r={R}, p={P}";
}
