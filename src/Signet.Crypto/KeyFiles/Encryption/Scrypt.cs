using Org.BouncyCastle.Crypto.Generators;

namespace Signet.Crypto.KeyFiles.Encryption;

/// <summary>
/// scrypt (RFC 7914) through BouncyCastle. Callers check the cost parameters first: this computes whatever it is given.
/// Only key files use it; nothing on a verification path does.
/// </summary>
internal static class Scrypt
{
    public static byte[] DeriveKey(ReadOnlySpan<byte> passphrase, ReadOnlySpan<byte> salt, int n, int r, int p, int length) =>
        SCrypt.Generate(passphrase.ToArray(), salt.ToArray(), n, r, p, length);
}
